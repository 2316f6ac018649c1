"""``make bench`` (``bench/run.py``): a fresh machine can run it, and a run adds to the
record of earlier runs instead of replacing it."""

import ast
from pathlib import Path

import pytest

from bench import run

BENCH = Path(run.__file__).parent


@pytest.mark.parametrize("script", sorted(p.name for p in BENCH.glob("*.py")))
def test_a_bench_script_defines_everything_before_it_runs(script):
    # bench/run.py once called ``synthesize`` from ``main`` while defining it after the
    # ``if __name__ == "__main__"`` block: run as a script, ``make bench`` stopped with a
    # NameError on a machine without the synthetic million.
    tree = ast.parse((BENCH / script).read_text())
    entry = [
        i
        for i, node in enumerate(tree.body)
        if isinstance(node, ast.If) and "__main__" in ast.unparse(node.test)
    ]
    # A guard near the top may set Django up; the one that runs the script comes last.
    assert not entry or entry[-1] == len(tree.body) - 1, f"{script}: code after its entry point"


def test_a_saved_run_goes_on_top_and_the_earlier_record_stays(tmp_path):
    path = tmp_path / "benchmarks.md"
    path.write_text("# Benchmarks\n\n## Issue 26, an earlier session\n\nfigures kept\n")
    run.save(path, "2026-12-03 17:00 UTC on a test machine.", "| scenario | p95 |")
    text = path.read_text()
    assert text.startswith("# Benchmarks\n\n## make bench, 2026-12-03 17:00 UTC")
    assert "| scenario | p95 |" in text
    assert text.index("| scenario | p95 |") < text.index("## Issue 26, an earlier session")
    assert text.endswith("figures kept\n")
    assert text.count("# Benchmarks\n") == 1


def test_a_saved_run_starts_the_record_where_there_is_none(tmp_path):
    path = tmp_path / "benchmarks.md"
    run.save(path, "the head.", "the table")
    assert path.read_text() == "# Benchmarks\n\n## make bench, the head.\n\nthe table\n"


def test_a_saved_run_goes_below_the_records_opening_words(tmp_path):
    path = tmp_path / "benchmarks.md"
    path.write_text("# Benchmarks\n\nWhat this file is.\n\n## Issue 26, earlier\n\nkept\n")
    run.save(path, "the head.", "the table")
    text = path.read_text()
    assert text.startswith("# Benchmarks\n\nWhat this file is.\n\n## make bench, the head.")
    assert text.index("the table") < text.index("## Issue 26, earlier")
    assert text.endswith("kept\n")


def test_each_make_of_list_is_benchmarked_in_databases_of_its_own():
    # A realistic run reusing the lexicon million (or adding to it) would measure neither.
    lexicon, realistic = run.bench_databases("lexicon"), run.bench_databases("realistic")
    assert lexicon == (run.PG_URL, run.SQLITE_PATH)
    assert realistic[0].rsplit("/", 1)[1] == "archive_bench_realistic"
    assert realistic[1].name == "archive_bench_realistic.sqlite3"
    assert realistic[1].parent == run.SQLITE_PATH.parent
