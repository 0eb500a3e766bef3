"""The quarterly review report (Markdown + HTML) from a snapshot and its diff to the last one."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from graph.review.diff import SnapshotDiff
from graph.review.document import Document
from graph.review.snapshots import Snapshot

Row = dict[str, Any]
GAP_COLUMNS = ["severity", "rule", "subject", "owner", "message", "due"]


def _counts(mapping: Mapping[str, int], key: str, *, by_count: bool = False) -> list[Row]:
    items = sorted(mapping.items(), key=lambda kv: -kv[1]) if by_count else mapping.items()
    return [{key: k, "gaps": v} for k, v in items]


def _coverage_rows(snapshot: Snapshot) -> list[Row]:
    chapters = (snapshot.coverage or {}).get("by_chapter", {})
    verdicts = ("covered", "partial", "uncovered")
    return [{"chapter": ch, **{v: counts.get(v, 0) for v in verdicts}}
            for ch, counts in chapters.items()]  # fmt: skip


def _diff_section(doc: Document, diff: SnapshotDiff) -> None:
    doc.heading(f"Changes since {diff.before} ({diff.before_as_of})")
    s = diff.summary
    doc.bullets([
        f"{s['new_gaps']} new, {s['closed_gaps']} closed, {s['persisting_gaps']} persisting gaps "
        f"({s['gaps_before']} -> {s['gaps_after']})",
        f"{s['evidence_stale']} evidence items became stale",
        f"{s['owner_changes']} owner changes; {s['assets_added']} AI systems added, "
        f"{s['assets_retired']} retired, {s['assets_removed']} removed",
        "inventory changed" if diff.inventory_changed else "inventory unchanged (same hash)",
    ])  # fmt: skip
    doc.heading("New gaps", 3)
    doc.table(diff.new_gaps, GAP_COLUMNS)
    doc.heading("Closed gaps", 3)
    doc.table(diff.closed_gaps, GAP_COLUMNS)
    doc.heading("Persisting gaps (oldest first)", 3)
    oldest = sorted(diff.persisting_gaps, key=lambda g: -g["age_days"])
    doc.table(oldest, ["age_days", "first_seen", *GAP_COLUMNS[:4]])
    doc.heading("Evidence that became stale", 3)
    doc.table(diff.evidence_stale, ["id", "title", "owner", "detail"])
    doc.heading("Owner changes", 3)
    doc.table(diff.owner_changes, ["entity", "id", "before", "after"])
    doc.heading("Coverage change per chapter", 3)
    doc.table(diff.coverage, ["chapter", "verdict", "before", "after", "delta"])


def review_document(
    snapshot: Snapshot, diff: SnapshotDiff | None = None, charts: Mapping[str, Path] | None = None
) -> Document:
    """Headline numbers, charts, gaps by severity/rule/owner, the diff, then every open gap."""
    m, head = snapshot.metrics, snapshot.headline
    doc = Document(f"AI compliance review {snapshot.label}")
    doc.para(
        f"Situation as of {snapshot.as_of} (snapshot taken {snapshot.taken_at:%Y-%m-%d %H:%M} "
        f"UTC, inventory hash {snapshot.inventory_hash[:12]}). {head['in_force']} gaps in force, "
        f"{head['red_line']} red-line (critical or high); {head['upcoming']} upcoming (not yet "
        f"due); {m['stale_evidence']} of {m['evidence']} evidence items stale."
    )
    for title, path in (charts or {}).items():
        doc.image(path, title)
    doc.heading("Gaps by severity")
    doc.table(_counts(m["by_severity"], "severity"))
    doc.heading("Gaps by rule")
    doc.table(_counts(m["by_rule"], "rule", by_count=True))
    doc.heading("Open gaps per owner")
    doc.table(_counts(m["by_owner"], "owner", by_count=True))
    if snapshot.coverage is not None:
        doc.heading("Coverage per AI Act chapter (system-article pairs)")
        doc.table(_coverage_rows(snapshot), ["chapter", "covered", "partial", "uncovered"])
    if diff is not None:
        _diff_section(doc, diff)
    doc.heading("Every open gap")
    doc.table(snapshot.gaps, GAP_COLUMNS)
    return doc
