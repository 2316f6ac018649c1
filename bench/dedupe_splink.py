"""Splink 5 (DuckDB) trained on the synthetic list of ``bench/dedupe_estimate.py``, as a
second opinion on the m and u of ``archive.core.linkage`` (a bench-only dependency:
``pip install splink``; nothing in the archive imports it).

Splink compares columns in SQL, so the comparisons are written on columns computed here
with the archive's own name keys: the name agrees when two records share a joined key
(``Candidate.joined``), is close when their keys are alike (Jaro-Winkler >= 0.9); the
father's name agrees on its first key; years of birth by their distance; the prison; the
date of death at day, month or year. u comes from random pairs, m from EM sessions
blocked on the name (for the others) and on father and year of birth (for the name).
"""

from __future__ import annotations

import math


def table(rows: list[dict]):
    import pyarrow as pa

    from bench.dedupe_estimate import candidate

    records = []
    for i, row in enumerate(rows):
        c = candidate(row)
        records.append(
            {
                "unique_id": i,
                "ref": c.ref,
                "joined": sorted(c.joined) or None,
                "name_key": min(c.joined) if c.joined else None,
                "keys": c.keys or None,
                "father_key": c.father_key or None,
                "birth_year": c.birth_year,
                "prison": c.prison,
                "death_date": c.death_date,
                "event": c.event,
                "gender": c.gender,
            }
        )
    return pa.Table.from_pylist(records)


def _level(sql: str, label: str, **extra) -> dict:
    return {"sql_condition": sql, "label_for_charts": label, **extra}


def _null(column: str) -> dict:
    return _level(f"{column}_l IS NULL OR {column}_r IS NULL", "missing", is_null_level=True)


COMPARISONS = [
    {
        "output_column_name": "name",
        "comparison_levels": [
            _null("keys"),
            _level("list_has_any(joined_l, joined_r)", "same"),
            _level("jaro_winkler_similarity(keys_l, keys_r) >= 0.9", "close"),
            _level("ELSE", "else"),
        ],
    },
    {
        "output_column_name": "father",
        "comparison_levels": [
            _null("father_key"),
            _level("father_key_l = father_key_r", "same"),
            _level("ELSE", "else"),
        ],
    },
    {
        "output_column_name": "birth",
        "comparison_levels": [
            _null("birth_year"),
            _level("birth_year_l = birth_year_r", "0"),
            _level("abs(birth_year_l - birth_year_r) = 1", "1"),
            _level("abs(birth_year_l - birth_year_r) = 2", "2"),
            _level("ELSE", "else"),
        ],
    },
    {
        "output_column_name": "prison",
        "comparison_levels": [
            _null("prison"),
            _level("prison_l = prison_r", "same"),
            _level("ELSE", "different"),
        ],
    },
    {
        "output_column_name": "death",
        "comparison_levels": [
            _null("death_date"),
            _level("death_date_l = death_date_r", "same day"),
            _level(
                "date_trunc('month', death_date_l) = date_trunc('month', death_date_r)",
                "same month",
            ),
            _level("year(death_date_l) = year(death_date_r)", "same year"),
            _level("ELSE", "different"),
        ],
    },
]


def train(rows: list[dict]) -> dict[str, dict[str, tuple[float, float]]]:
    """Splink's m and u per comparison and level."""
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    db_api = DuckDBAPI()
    frame = db_api.register(table(rows), table_name="people")
    settings = SettingsCreator(
        link_type="dedupe_only",
        comparisons=COMPARISONS,
        blocking_rules_to_generate_predictions=[block_on("name_key")],
    )
    linker = Linker(frame, settings)
    linker.training.estimate_u_using_random_sampling(max_pairs=2e6, seed=1)
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("name_key", "event", "gender"), record_sample_proportion=1.0
    )
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("father_key", "birth_year", "event"), record_sample_proportion=1.0
    )
    model = linker.misc.save_model_to_json()
    out: dict[str, dict[str, tuple[float, float]]] = {}
    for comparison in model["comparisons"]:
        levels = out.setdefault(comparison["output_column_name"], {})
        for level in comparison["comparison_levels"]:
            if level.get("is_null_level"):
                continue
            m, u = level.get("m_probability"), level.get("u_probability")
            levels[level["label_for_charts"]] = (
                m if m is not None else math.nan,
                u if u is not None else math.nan,
            )
    return out
