"""Synthetic names in other spellings and scripts (``bench.search_eval``'s known-answer
queries) reconciled through /reconcile/ exactly as OpenRefine sends them, in batches of
ten, and scored against the truth: the people search's recall, not a second search's."""

import pytest

from bench.search_eval import build_queries, recall_at
from bench.synthetic import synthetic_people
from tests.reconcile.conftest import reconcile, victim_from_row

pytestmark = pytest.mark.django_db


def test_names_in_other_spellings_and_scripts_are_reconciled_with_the_searchs_recall(client):
    rows = list(synthetic_people(200, seed=22))
    prisons = {}
    for row in rows:
        victim_from_row(row, prisons)
    queries = build_queries(rows, seed=3, per_kind=8)
    assert len({q.kind for q in queries}) >= 9

    reconciled, searched = {}, {}
    for start in range(0, len(queries), 10):
        batch = queries[start : start + 10]
        sent = {
            f"q{i}": {"query": q.text, "type": "victim", "limit": 3} for i, q in enumerate(batch)
        }
        answer = reconcile(client, sent)
        for i, q in enumerate(batch):
            reconciled[q] = [c["id"] for c in answer[f"q{i}"]["result"]]
            assert all(not c["match"] or c["score"] >= 90 for c in answer[f"q{i}"]["result"])
    for q in queries:
        api = client.get("/api/victims/", {"q": q.text, "page_size": 3}).json()
        searched[q] = [item["ref"] for item in api["results"]]

    at_1, at_3 = recall_at(reconciled, 1)["overall"], recall_at(reconciled, 3)["overall"]
    assert at_3 >= recall_at(searched, 3)["overall"]  # the people search's recall, no less
    assert at_1 >= recall_at(searched, 1)["overall"]
    assert at_3 >= 0.9, (at_1, at_3)
