"""Known-answer queries and the brute-force recall check (bench.search_eval)."""

import time

import pytest

from archive.core.names import normalize_persian
from bench.search_eval import (
    KINDS,
    Query,
    build_queries,
    rank_brute_force,
    recall_at,
    recall_table,
)
from bench.synthetic import synthetic_people


@pytest.fixture(scope="module")
def corpus():
    return list(synthetic_people(5000, seed=11))


@pytest.fixture(scope="module")
def queries(corpus):
    return build_queries(corpus, seed=0, per_kind=40)


def test_every_kind_gets_queries_that_accept_their_own_person(queries):
    kinds = {q.kind for q in queries}
    assert kinds == set(KINDS)
    for q in queries:
        assert q.text
        assert q.ref in q.accept


def test_arabic_keyboard_queries_use_arabic_letter_forms(queries):
    for q in queries:
        if q.kind == "arabic_keyboard":
            assert normalize_persian(q.text) != q.text
            assert set(q.text) & set("يكةأإئ")


def test_spacing_queries_differ_from_the_stored_name_only_in_spacing(queries, corpus):
    by_ref = {r["ref"]: r for r in corpus}
    for q in queries:
        if q.kind == "spacing_fa":
            stored = by_ref[q.ref]["name_fa"]
            assert q.text != stored
            squash = str.maketrans("", "", " \u200c")
            assert q.text.translate(squash) == stored.translate(squash)


def test_typo_queries_are_one_edit_from_a_latin_name(queries, corpus):
    by_ref = {r["ref"]: r for r in corpus}
    for q in queries:
        if q.kind == "typo" and by_ref[q.ref]["name_latin"]:
            stored = by_ref[q.ref]["name_latin"]
            if len(stored) == len(q.text):
                diff = sum(a != b for a, b in zip(stored, q.text, strict=True))
                assert diff in (1, 2)  # a change, or a swap of two neighbours
            else:
                assert abs(len(stored) - len(q.text)) == 1


def test_cross_script_queries_are_in_the_script_the_person_lacks(queries, corpus):
    by_ref = {r["ref"]: r for r in corpus}
    for q in queries:
        if q.kind == "cross_script":
            row = by_ref[q.ref]
            is_latin = q.text.isascii()
            assert (is_latin and not row["name_latin"]) or (not is_latin and not row["name_fa"])


def test_namesakes_of_a_common_name_are_all_accepted(queries):
    exact = [q for q in queries if q.kind in ("exact_latin", "exact_fa")]
    assert any(len(q.accept) > 1 for q in exact)


def test_recall_at_counts_a_hit_per_kind_and_overall():
    a = Query("Ali Karimi", "exact_latin", "SYN-1", frozenset({"SYN-1", "SYN-2"}))
    b = Query("M. Karimi", "initial", "SYN-3", frozenset({"SYN-3"}))
    results = {a: ["SYN-2", "SYN-9"], b: ["SYN-9", "SYN-3"]}
    assert recall_at(results, 1) == {"exact_latin": 1.0, "initial": 0.0, "overall": 0.5}
    assert recall_at(results, 10) == {"exact_latin": 1.0, "initial": 1.0, "overall": 1.0}
    assert "overall" in recall_table(results)


def test_brute_force_ranking_finds_people_whatever_the_spelling(corpus):
    queries = build_queries(corpus, seed=5, per_kind=20)
    start = time.perf_counter()
    results = rank_brute_force(queries, corpus, k=10)
    elapsed = time.perf_counter() - start
    print(f"\nbrute force over {len(corpus)} people, {len(queries)} queries: {elapsed:.1f} s")
    print(recall_table(results))
    assert recall_at(results, 10)["overall"] >= 0.98
    assert recall_at(results, 1)["overall"] >= 0.90
