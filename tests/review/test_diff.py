"""Diffs between hand-built review states: every expected change is written out by hand."""

from __future__ import annotations

import datetime as dt
import json

from graph.review.diff import SECTIONS, diff_snapshots
from tests.review.builders import gap, snapshot

Q1, Q2, Q3 = dt.date(2026, 3, 31), dt.date(2026, 6, 30), dt.date(2026, 9, 30)

A = gap("asset_without_owner:a1", "medium")
B = gap("control_without_evidence:c1", "medium", "o1")
C = gap("prohibited_practice_in_use:a2", "critical", "o2")
D = gap("high_risk_without_logs:a3", "high", "o3")
E = gap("evidence_expired:E-9", "medium", "o4")

S1 = snapshot("2026-Q1", Q1, [A, B, C])
S2 = snapshot(
    "2026-Q2", Q2, [B, C, D],
    evidence={"E-1": "fresh", "E-2": "stale", "E-3": "not_yet", "E-5": "fresh"},
    owners={("Asset", "a1"): "o1", ("Control", "c1"): None, ("Dataset", "d1"): "o2",
            ("Evidence", "E-1"): "o5"},
    assets={"a1": "production", "a2": "production", "a3": "development"},
    coverage={"III": {"covered": 2, "partial": 3}, "IV": {"covered": 1}},
    inventory_hash="1" * 64,
)  # fmt: skip
S3 = snapshot(
    "2026-Q3", Q3, [C, D, E, A],
    evidence={"E-1": "stale", "E-2": "stale", "E-3": "stale", "E-4": "stale", "E-5": "superseded"},
    owners={("Asset", "a1"): "o3", ("Control", "c1"): "o4", ("Dataset", "d1"): "o2",
            ("Asset", "a9"): "o1"},
    assets={"a1": "production", "a2": "retired", "a4": "planned"},
    coverage={"III": {"covered": 4, "partial": 1}, "IV": {"covered": 1}, "V": {"uncovered": 1}},
    inventory_hash="2" * 64,
)  # fmt: skip
HISTORY = [S1, S2, S3]


def test_gaps_new_closed_persisting_with_age() -> None:
    d = diff_snapshots(S2, S3, HISTORY)
    # E is new, A came back after closing in Q2; B closed; C since Q1, D since Q2.
    assert {g["id"] for g in d.new_gaps} == {"asset_without_owner:a1", "evidence_expired:E-9"}
    assert [g["id"] for g in d.closed_gaps] == ["control_without_evidence:c1"]
    persisting = {g["id"]: (g["first_seen"], g["age_days"]) for g in d.persisting_gaps}
    assert persisting == {
        "prohibited_practice_in_use:a2": ("2026-Q1", 183),  # 2026-03-31 -> 2026-09-30
        "high_risk_without_logs:a3": ("2026-Q2", 92),  # 2026-06-30 -> 2026-09-30
    }


def test_sections_sorted_most_severe_first() -> None:
    d = diff_snapshots(S2, S3, HISTORY)
    assert [g["id"] for g in d.new_gaps] == ["asset_without_owner:a1", "evidence_expired:E-9"]
    assert [g["id"] for g in d.persisting_gaps] == [
        "prohibited_practice_in_use:a2", "high_risk_without_logs:a3"]  # fmt: skip


def test_a_gap_that_closed_and_came_back_counts_from_its_return() -> None:
    d = diff_snapshots(S1, S3, HISTORY)
    assert {g["id"] for g in d.new_gaps} == {"high_risk_without_logs:a3", "evidence_expired:E-9"}
    assert [g["id"] for g in d.closed_gaps] == ["control_without_evidence:c1"]
    persisting = {g["id"]: (g["first_seen"], g["age_days"]) for g in d.persisting_gaps}
    assert persisting == {
        "prohibited_practice_in_use:a2": ("2026-Q1", 183),
        "asset_without_owner:a1": ("2026-Q3", 0),  # absent in Q2
    }


def test_without_history_age_counts_from_the_earlier_snapshot() -> None:
    d = diff_snapshots(S2, S3)
    ages = {g["id"]: g["age_days"] for g in d.persisting_gaps}
    assert ages == {"prohibited_practice_in_use:a2": 92, "high_risk_without_logs:a3": 92}


def test_evidence_that_became_stale() -> None:
    d = diff_snapshots(S2, S3, HISTORY)
    # E-1 fresh -> stale, E-3 not yet collected -> stale; E-2 was stale already; E-4 is new;
    # E-5 was replaced by newer evidence (superseded), not stale.
    assert [(e["id"], e["before"]) for e in d.evidence_stale] == [
        ("E-1", "fresh"),
        ("E-3", "not_yet"),
    ]


def test_owner_changes() -> None:
    d = diff_snapshots(S2, S3, HISTORY)
    changes = [(o["entity"], o["id"], o["before"], o["after"]) for o in d.owner_changes]
    # a9 is new (not a change), E-1's owner row is gone (not a change), d1 unchanged.
    assert changes == [("Asset", "a1", "o1", "o3"), ("Control", "c1", None, "o4")]


def test_assets_added_removed_retired() -> None:
    d = diff_snapshots(S2, S3, HISTORY)
    assert [a["id"] for a in d.assets_added] == ["a4"]
    assert [a["id"] for a in d.assets_removed] == ["a3"]
    assert [(a["id"], a["lifecycle_before"], a["lifecycle"]) for a in d.assets_retired] == [
        ("a2", "production", "retired")]  # fmt: skip


def test_coverage_change_per_chapter() -> None:
    d = diff_snapshots(S2, S3, HISTORY)
    assert d.coverage == [
        {"chapter": "III", "verdict": "covered", "before": 2, "after": 4, "delta": 2},
        {"chapter": "III", "verdict": "partial", "before": 3, "after": 1, "delta": -2},
        {"chapter": "V", "verdict": "uncovered", "before": 0, "after": 1, "delta": 1},
    ]
    assert diff_snapshots(S1, S3).coverage == []  # Q1 was taken without coverage


def test_summary_and_flat_rows() -> None:
    d = diff_snapshots(S2, S3, HISTORY)
    assert d.inventory_changed
    assert d.summary == {
        "new_gaps": 2, "closed_gaps": 1, "persisting_gaps": 2, "evidence_stale": 2,
        "owner_changes": 2, "assets_added": 1, "assets_removed": 1, "assets_retired": 1,
        "coverage": 3, "gaps_before": 3, "gaps_after": 4, "days": 92,
    }  # fmt: skip
    rows = d.rows()
    assert len(rows) == sum(d.summary[s] for s in SECTIONS)
    assert {tuple(r) for r in rows} == {
        ("change", "id", "detail", "severity", "owner", "before", "after", "first_seen", "age_days")
    }
    removed = next(r for r in rows if r["change"] == "assets_removed")
    assert (removed["id"], removed["before"], removed["after"]) == ("a3", "development", None)
    json.dumps(d.to_dict())  # JSON-ready


def test_same_snapshot_twice_changes_nothing() -> None:
    d = diff_snapshots(S3, S3, HISTORY)
    assert d.new_gaps == d.closed_gaps == d.evidence_stale == d.owner_changes == []
    assert not d.inventory_changed
    assert len(d.persisting_gaps) == 4
