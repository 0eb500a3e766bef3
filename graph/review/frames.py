"""pandas DataFrames for notebooks. pandas is optional (extra ``notebook``): imported lazily."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import fields
from typing import TYPE_CHECKING, Any

from graph.gap_rules import SEVERITY_RANK
from graph.gaps import Gap
from graph.review.errors import ReviewError
from graph.review.snapshots import Snapshot

if TYPE_CHECKING:
    import pandas as pd

Row = dict[str, Any]
GAP_COLUMNS = [f.name for f in fields(Gap)]
TRACE_COLUMNS = ["article", "title", "verdict", "applies_from", "in_force", "controls",
                 "weakest_link", "reason"]  # fmt: skip


def _pandas() -> Any:
    try:
        import pandas
    except ImportError:
        raise ReviewError("data frames need pandas: pip install 'clausegraph[notebook]'") from None
    return pandas


def frame(rows: Sequence[Row], columns: Sequence[str] | None = None) -> pd.DataFrame:
    """Rows as a DataFrame; ``columns`` fixes the columns (kept even with no rows)."""
    pandas = _pandas()
    df: pd.DataFrame = pandas.DataFrame(list(rows), columns=list(columns) if columns else None)
    return df


def trend_frame(snapshots: Sequence[Snapshot]) -> pd.DataFrame:
    """One row per snapshot, oldest first: totals (all gaps; in force; red-line in force), gaps
    per severity, stale evidence."""
    rows = []
    for s in sorted(snapshots, key=lambda s: (s.as_of, s.taken_at)):
        m = s.metrics
        head = s.headline
        row: Row = {"label": s.label, "as_of": s.as_of, "gaps": m["gaps"]}
        row |= {"in_force": head["in_force"], "red_line": head["red_line"]}
        row |= {sev: m["by_severity"].get(sev, 0) for sev in SEVERITY_RANK}
        row |= {"stale_evidence": m["stale_evidence"], "inventory_hash": s.inventory_hash}
        rows.append(row)
    columns = ["label", "as_of", "gaps", "in_force", "red_line", *SEVERITY_RANK, "stale_evidence",
               "inventory_hash"]  # fmt: skip
    return frame(rows, columns)


def coverage_frame(snapshot: Snapshot, by: str = "chapter") -> pd.DataFrame:
    """Coverage verdict counts: one row per chapter (or tier), one column per verdict."""
    data = (snapshot.coverage or {}).get(f"by_{by}", {})
    verdicts = ["covered", "partial", "uncovered"]
    rows = [{by: key, **{v: counts.get(v, 0) for v in verdicts}} for key, counts in data.items()]
    return frame(rows, [by, *verdicts])


def gaps_frame(gaps: Sequence[Gap]) -> pd.DataFrame:
    """One row per gap, most severe first; the columns of :class:`graph.gaps.Gap`."""
    return frame([g.to_dict() for g in gaps], GAP_COLUMNS)
