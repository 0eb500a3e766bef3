"""What changed between two review snapshots.

New gaps are in the later snapshot only, closed gaps in the earlier only, persisting gaps in
both; a persisting gap's age counts from the first snapshot of its current unbroken run in the
history (a gap that closed and came back counts from its return). Evidence that became stale was
fresh (or not yet collected) before; owner changes compare the owner of every asset, control,
dataset and evidence item present in both; coverage compares verdict counts per chapter.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

from graph.gap_rules import SEVERITY_RANK
from graph.review.snapshots import Snapshot

Row = dict[str, Any]
SECTIONS = ("new_gaps", "closed_gaps", "persisting_gaps", "evidence_stale", "owner_changes",
            "assets_added", "assets_removed", "assets_retired", "coverage")  # fmt: skip


@dataclass(frozen=True)
class SnapshotDiff:
    before: str
    after: str
    before_as_of: dt.date
    after_as_of: dt.date
    inventory_changed: bool
    summary: Row
    new_gaps: list[Row]
    closed_gaps: list[Row]
    persisting_gaps: list[Row]
    evidence_stale: list[Row]
    owner_changes: list[Row]
    assets_added: list[Row]
    assets_removed: list[Row]
    assets_retired: list[Row]
    coverage: list[Row]

    def to_dict(self) -> Row:
        out = asdict(self)
        out["before_as_of"], out["after_as_of"] = str(self.before_as_of), str(self.after_as_of)
        return out

    def rows(self) -> list[Row]:
        """One flat row per change (CSV, tables, data frames); the same columns in every row."""
        out: list[Row] = []
        for section in SECTIONS:
            for r in getattr(self, section):
                out.append(_flat(section, r))
        return out


def _flat(section: str, r: Row) -> Row:
    row: Row = {"change": section, "id": r.get("id"), "detail": r.get("detail", ""),
                "severity": None, "owner": r.get("owner"), "before": r.get("before"),
                "after": r.get("after"), "first_seen": None, "age_days": None}  # fmt: skip
    if section.endswith("_gaps"):
        row |= {"detail": r["message"], "severity": r["severity"],
                "first_seen": r.get("first_seen"), "age_days": r.get("age_days")}  # fmt: skip
    elif section == "coverage":
        row |= {"id": f"{r['chapter']}:{r['verdict']}", "detail": f"{r['delta']:+d}"}
    elif section == "assets_removed":
        row |= {"before": r["lifecycle"], "after": None}
    elif section.startswith("assets_"):
        row |= {"before": r.get("lifecycle_before"), "after": r["lifecycle"]}
    return row


def _gap_sort(g: Row) -> tuple[int, str, str]:
    return (SEVERITY_RANK.get(g["severity"], 9), g["rule"], g["id"])


def _first_seen(gap_id: str, after: Snapshot, history: Sequence[Snapshot]) -> Snapshot:
    """The first snapshot of the unbroken run of snapshots holding the gap, ending at ``after``."""
    earlier = [s for s in history if s.as_of <= after.as_of and s.label != after.label]
    earlier = sorted(earlier, key=lambda s: (s.as_of, s.taken_at))
    first = after
    for snap in reversed(earlier):
        if gap_id not in snap.gap_ids:
            break
        first = snap
    return first


def _gaps(before: Snapshot, after: Snapshot, history: Sequence[Snapshot]) -> tuple[list[Row], ...]:
    old = {g["id"]: g for g in before.gaps}
    new = {g["id"]: g for g in after.gaps}
    known = [*history, before]
    persisting = []
    for gid in sorted(new.keys() & old.keys()):
        first = _first_seen(gid, after, known)
        age = (after.as_of - first.as_of).days
        persisting.append(new[gid] | {"first_seen": first.label, "age_days": age})
    opened = [new[g] for g in new.keys() - old.keys()]
    closed = [old[g] for g in old.keys() - new.keys()]
    return tuple(sorted(x, key=_gap_sort) for x in (opened, closed, persisting))


# Evidence that no longer supports anything on the day (what a reviewer must chase).
UNUSABLE = frozenset({"stale", "expired"})


def _evidence(before: Snapshot, after: Snapshot) -> list[Row]:
    old = {e["id"]: e for e in before.evidence}
    out = []
    for e in after.evidence:
        was = old.get(e["id"])
        if e["freshness"] in UNUSABLE and was is not None and was["freshness"] not in UNUSABLE:
            out.append(
                {"id": e["id"], "title": e["title"], "owner": e["owner"],
                 "before": was["freshness"], "after": e["freshness"], "detail": e["why"]}
            )  # fmt: skip
    return sorted(out, key=lambda r: r["id"])


def _owners(before: Snapshot, after: Snapshot) -> list[Row]:
    old = {(o["entity"], o["id"]): o["owner"] for o in before.owners}
    out = []
    for o in after.owners:
        key = (o["entity"], o["id"])
        if key in old and old[key] != o["owner"]:
            out.append({"entity": o["entity"], "id": o["id"], "before": old[key],
                        "after": o["owner"], "owner": o["owner"],
                        "detail": f"{o['entity']} owner changed"})  # fmt: skip
    return sorted(out, key=lambda r: (r["entity"], r["id"]))


def _assets(before: Snapshot, after: Snapshot) -> tuple[list[Row], list[Row], list[Row]]:
    old = {a["id"]: a for a in before.assets}
    new = {a["id"]: a for a in after.assets}
    added = [new[a] | {"detail": "added to the inventory"} for a in sorted(new.keys() - old.keys())]
    removed = [old[a] | {"detail": "no longer in the inventory"}
               for a in sorted(old.keys() - new.keys())]  # fmt: skip
    retired = [new[a] | {"lifecycle_before": old[a]["lifecycle"], "detail": "retired"}
               for a in sorted(new.keys() & old.keys())
               if new[a]["lifecycle"] == "retired" != old[a]["lifecycle"]]  # fmt: skip
    return added, removed, retired


def _coverage(before: Snapshot, after: Snapshot) -> list[Row]:
    if before.coverage is None or after.coverage is None:
        return []
    old, new = before.coverage["by_chapter"], after.coverage["by_chapter"]
    chapters = list(new) + [c for c in old if c not in new]
    out = []
    for ch in chapters:
        verdicts = list(new.get(ch, {})) + [v for v in old.get(ch, {}) if v not in new.get(ch, {})]
        for v in verdicts:
            b, a = old.get(ch, {}).get(v, 0), new.get(ch, {}).get(v, 0)
            if a != b:
                out.append({"chapter": ch, "verdict": v, "before": b, "after": a, "delta": a - b})
    return out


def diff_snapshots(
    before: Snapshot, after: Snapshot, history: Sequence[Snapshot] = ()
) -> SnapshotDiff:
    """Compare two snapshots; ``history`` (all known snapshots) only dates persisting gaps."""
    opened, closed, persisting = _gaps(before, after, history)
    added, removed, retired = _assets(before, after)
    parts = {"new_gaps": opened, "closed_gaps": closed, "persisting_gaps": persisting,
             "evidence_stale": _evidence(before, after), "owner_changes": _owners(before, after),
             "assets_added": added, "assets_removed": removed, "assets_retired": retired,
             "coverage": _coverage(before, after)}  # fmt: skip
    summary: Row = {k: len(v) for k, v in parts.items()}
    summary["gaps_before"], summary["gaps_after"] = len(before.gaps), len(after.gaps)
    summary["days"] = (after.as_of - before.as_of).days
    return SnapshotDiff(
        before=before.label, after=after.label, before_as_of=before.as_of,
        after_as_of=after.as_of, inventory_changed=before.inventory_hash != after.inventory_hash,
        summary=summary, **parts,
    )  # fmt: skip
