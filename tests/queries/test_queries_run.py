"""Every registered query runs on a real store with real data and gives the hand-worked answer.

A new query file without an entry in EXPECTED fails ``test_every_query_has_an_expectation``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from graph.gap_rules import RULES
from graph.gaps import GapContext, rule_query
from graph.stores import Store
from queries.registry import default_registry
from tests.factories import tiny_graph

# (query, params, expected rows), all derived by hand from tests/factories.py::tiny_graph.
EXPECTED: dict[str, list[tuple[dict[str, Any], list[dict[str, Any]] | list[str]]]] = {
    "catalog.articles": [
        ({"chapter": ""}, ["AIA-12", "AIA-14", "AIA-ANNEX-III"]),
        ({"chapter": "III"}, ["AIA-12", "AIA-14"]),
        ({"chapter": "IX"}, []),
    ],
    "catalog.loaded": [({}, [{"articles": 3, "assets": 3}])],
    "catalog.clauses": [
        ({"kind": ""}, ["ISO42001-9.1", "ISO42001-A.6.2.6", "ISO42001-A.6.2.8"]),
        ({"kind": "annex_a_control"}, ["ISO42001-A.6.2.6", "ISO42001-A.6.2.8"]),
    ],
    "crosswalk.pairs": [
        (
            {"article": "", "clause": ""},
            [
                {
                    "clause": "A.6.2.8",
                    "article": "12",
                    "paragraph": "",
                    "relation": "subset",
                    "rationale": "r3",
                    "confidence": "high",
                    "source": "t",
                },
                {
                    "clause": "A.6.2.6",
                    "article": "14",
                    "paragraph": "",
                    "relation": "subset",
                    "rationale": "r1",
                    "confidence": "medium",
                    "source": "t",
                },
                {
                    "clause": "9.1",
                    "article": "14",
                    "paragraph": "4",
                    "relation": "related",
                    "rationale": "r2",
                    "confidence": "low",
                    "source": "t",
                },
            ],
        ),
        (
            {"article": "14", "clause": "9.1"},
            [
                {
                    "clause": "9.1",
                    "article": "14",
                    "paragraph": "4",
                    "relation": "related",
                    "rationale": "r2",
                    "confidence": "low",
                    "source": "t",
                },
            ],
        ),
    ],
}


ART_COMMON: dict[str, Any] = {"no_counterpart_reason": None, "no_counterpart_paragraphs": []}
EXPECTED["crosswalk.article_mappings"] = [
    (
        {},
        [
            {
                "id": "AIA-12",
                "number": "12",
                "kind": "article",
                "title": "Record-keeping",
                "chapter": "III",
                "binds": ["provider"],
                "tiers": ["high"],
                **ART_COMMON,
                "relations": ["subset"],
            },
            {
                "id": "AIA-14",
                "number": "14",
                "kind": "article",
                "title": "Human oversight",
                "chapter": "III",
                "binds": ["provider"],
                "tiers": ["high"],
                **ART_COMMON,
                "relations": ["related", "subset"],
            },
            {
                "id": "AIA-ANNEX-III",
                "number": "Annex III",
                "kind": "annex",
                "title": "High-risk AI systems referred to in Article 6(2)",
                "chapter": None,
                "binds": [],
                "tiers": [],
                **ART_COMMON,
                "relations": [],
            },
        ],
    )
]
EXPECTED["crosswalk.clause_mappings"] = [
    (
        {},
        [
            {
                "id": "ISO42001-9.1",
                "number": "9.1",
                "title": "Monitoring, measurement, analysis and evaluation",
                "kind": "clause",
                "articles": ["14"],
            },
            {
                "id": "ISO42001-A.6.2.6",
                "number": "A.6.2.6",
                "title": "AI system operation and monitoring",
                "kind": "annex_a_control",
                "articles": ["14"],
            },
            {
                "id": "ISO42001-A.6.2.8",
                "number": "A.6.2.8",
                "title": "AI system recording of event logs",
                "kind": "annex_a_control",
                "articles": ["12"],
            },
        ],
    )
]


def _sorted_lists(row: dict[str, Any]) -> dict[str, Any]:
    """collect() gives no order guarantee; compare list values as sorted lists."""
    return {k: sorted(v) if isinstance(v, list) else v for k, v in row.items()}


# Queries whose answers are checked on the sample organisation instead (hand-written expected
# sets): tests/graph/test_gaps.py, test_coverage.py, tests/loaders/test_evidence_verify.py.
ACME_CHECKED = (
    {rule_query(r.id, GapContext(as_of=dt.date(2026, 11, 25)))[0] for r in RULES}
    | {"gaps.review_periods", "gaps.evidence_stale_org"}
    # subject_to_of: tests/readmodel/; incidents: tests/answers/test_incident_coverage.py
    | {f"coverage.{n}" for n in ("asset", "article", "subject_to", "subject", "controls",
                                 "evidence", "subject_to_of", "incidents")}
    | {"evidence.local_files"}
    | {"assets.list", "metrics.subject_pairs"}  # tests/api/test_http.py
    | {"assets.page", "assets.count", "metrics.next_dates", "metrics.pair_counts",
       "metrics.pairs_of"}  # tests/dashboard/test_figures.py
    | {"views.owner_items", "views.owner_evidence"}  # tests/views/test_views.py
    | {"views.owner_counts"}  # tests/dashboard/test_figures.py
    | {f"audit.{n}" for n in ("last_seq", "event", "events_between", "events_at", "entity",
                              "asset_scope", "article_scope", "owner_scope", "events_by_key",
                              "events_by_ids")}  # tests/audit/, tests/scale/test_keyed.py
    | {f"fingerprints.{n}" for n in ("by_files", "events", "local_evidence",
                                  "row_digests")}  # test_fingerprints, …
    | {f"readmodel.{n}" for n in ("cell", "mark", "subjects", "articles", "paths", "scope",
                                  "evidence", "org_evidence", "control_reach", "evidence_reach",
                                  "control_articles", "owner_reach", "due", "cells_of",
                                  "cell_keys", "subject_keys",
                                  "subject_assets", "incidents",
                                  "incident_reach")}  # tests/readmodel/ (against coverage.compute)
    | {f"review.{n}" for n in ("assets", "controls", "datasets", "owners", "evidence",
                               "incidents", "subject_to")}  # tests/review/
    | {f"findings.{n}" for n in ("by_ids", "list", "ids_in_states", "lapsed", "events_since",
                                 "events_by_keys",
                                 "events_of",
                                 "events_by_id", "asset_owners", "incidents",
                                 "mark", "metric_rows", "evidence_expiring", "control_reviews_due",
                                 "state_changes")}  # tests/findings/
    | {f"gaprows.{n}" for n in ("mark", "buckets", "asset_reach", "evidence_reach",
                                "control_reach")}  # tests/gaprows/ (against the full queries)
)  # fmt: skip


def test_every_query_has_an_expectation() -> None:
    assert default_registry().names() == set(EXPECTED) | ACME_CHECKED


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_query_answers(store: Store, name: str) -> None:
    store.write(tiny_graph())
    for params, expected in EXPECTED[name]:
        rows = store.read(name, **params)
        if expected and isinstance(expected[0], str):
            assert [r["id"] for r in rows] == expected, params
        else:
            assert [_sorted_lists(r) for r in rows] == expected, params
