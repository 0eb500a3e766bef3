"""Closure rates per month, replayed from the change log (docs/remediation.md, "Metrics").

The findings' own fields keep only their latest resolution; the log keeps every transition, so a
finding resolved in March and reopened in April counts as closed in March here. Replaying the
state changes in sequence order gives, per calendar month (UTC) of the events: the findings to
act on when it began, those that opened, reopened, were resolved by the graph, accepted or marked
false positive in it, the closure rate: resolved / (to act on at the start + opened + reopened),
and the median days from opening (or reopening) to resolution of the findings resolved in it.
"""

from __future__ import annotations

import datetime as dt
import json
import statistics
from typing import Any

from graph.findings.model import ACTIVE
from graph.stores.base import Store

Row = dict[str, Any]
COUNTED = {"open": "opened", "reopened": "reopened", "resolved": "resolved",
           "accepted": "accepted", "false_positive": "false_positive"}  # fmt: skip
COLUMNS = ("month", "to_act_on_at_start", *COUNTED.values(), "closure_rate",
           "median_days_to_close")  # fmt: skip


def _next_month(month: str) -> str:
    year, m = int(month[:4]), int(month[5:7])
    return f"{year + m // 12}-{m % 12 + 1:02d}"


def closure_by_month(store: Store) -> list[Row]:
    """One row per month from the first finding event to the last (months without any too)."""
    state: dict[str, str] = {}
    since: dict[str, dt.date] = {}  # when each finding last opened or reopened
    took: dict[str, list[int]] = {}  # month -> days to close of those resolved in it
    months: dict[str, Row] = {}

    def month_row(month: str) -> Row:
        if months and month < max(months):  # a clock set back: count it in the latest month
            month = max(months)
        while month not in months:  # open every month up to this one, carrying the active count
            new = _next_month(max(months)) if months else month
            active = sum(s in ACTIVE for s in state.values())
            months[new] = {"month": new, "to_act_on_at_start": active,
                           **dict.fromkeys(COUNTED.values(), 0)}  # fmt: skip
        return months[month]

    for e in store.read("findings.state_changes"):
        row = month_row(str(e["at"])[:7])
        if e["change"] == "deleted":
            state.pop(e["key"], None)
            continue
        after = json.loads(e["fields"]).get("state", [None, None])[1]
        if after is None or after == state.get(e["key"]):
            continue
        state[e["key"]] = after
        day = dt.date.fromisoformat(str(e["at"])[:10])
        if after in ("open", "reopened"):
            since[e["key"]] = day
        elif after == "resolved" and e["key"] in since:
            took.setdefault(row["month"], []).append((day - since[e["key"]]).days)
        if after in COUNTED:
            row[COUNTED[after]] += 1
    for row in months.values():
        base = row["to_act_on_at_start"] + row["opened"] + row["reopened"]
        row["closure_rate"] = round(row["resolved"] / base, 3) if base else None
        days = took.get(row["month"])
        row["median_days_to_close"] = statistics.median(days) if days else None
    return [months[m] for m in sorted(months)]
