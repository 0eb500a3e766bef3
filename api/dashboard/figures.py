"""What each dashboard page shows, computed from the same functions the API and CLI use.

Every figure here is a plain dict or list (JSON-ready after :func:`jsonable`), so a page, its
CSV download and the static export show the same numbers, and a test can compare them with
the API's (``overview()["compliance"]`` is exactly ``GET /metrics/compliance``).
"""

from __future__ import annotations

import datetime as dt
import gc
import threading
import weakref
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar, cast

from api.routes.gaps import compliance_figures
from api.session import Clausegraph
from graph import crosswalk as cw
from graph.gap_rules import RED_LINE
from graph.gaps import Gap

Row = dict[str, Any]
T = TypeVar("T")
SEVERITIES = ("critical", "high", "medium", "low")
VERDICTS = ("covered", "partial", "uncovered", "not_applicable")


@dataclass
class _Report:
    """One state of the register's gap report and the figures derived from it (by name)."""

    gaps: list[Gap]
    figures: dict[str, Any] = field(default_factory=dict)


# store -> {(head seq, date reading, day): report}; weak, so a closed store's reports go with it
_CACHE: weakref.WeakKeyDictionary[Any, dict[tuple[int, str, dt.date], _Report]] = (
    weakref.WeakKeyDictionary()
)
_CACHE_LOCK = threading.Lock()


def _report(graph: Clausegraph, when: dt.date) -> _Report:
    from graph.audit import read
    from graph.settings import date_reading_from_env

    key = (read.head(graph.store)["seq"], date_reading_from_env(), when)
    with _CACHE_LOCK:
        found = _CACHE.get(graph.store, {}).get(key)
    if found is None:
        found = _Report(graph.gaps(when))
        _settle(found.gaps)
        with _CACHE_LOCK:
            mine = _CACHE.setdefault(graph.store, {})
            if len(mine) >= 8:
                mine.pop(next(iter(mine)))
            mine[key] = found
    return found


# a report at least this large is moved out of the collector's generations once it is built
SETTLE_AT = 50_000


def _settle(gaps: list[Gap]) -> None:
    """A kept report is long-lived: at 100k systems its 1.3M gaps made each full collection
    of the cyclic garbage collector walk them, an 820-850 ms pause on a random page view. One
    collection now, then ``gc.freeze`` (unfrozen first, so no cyclic garbage frozen with an
    earlier report outlives this collection)."""
    if len(gaps) >= SETTLE_AT:
        gc.unfreeze()
        gc.collect()
        gc.freeze()


def gap_report(graph: Clausegraph, when: dt.date) -> list[Gap]:
    """The gap report for ``when``, computed once per state of the register: keyed by the
    change log's head (every write advances it, so an entry can never be stale), the store and
    the date reading. A page view after a write recomputes; views in between read the entry."""
    return _report(graph, when).gaps


def _kept(graph: Clausegraph, when: dt.date, name: str, compute: Callable[[list[Gap]], T]) -> T:
    """``compute(gaps)`` once per state of the register, kept with its gap report. Only for
    figures of the store's state (every write advances the head): not for snapshot files."""
    report = _report(graph, when)
    with _CACHE_LOCK:
        if name in report.figures:
            return cast(T, report.figures[name])
    value = compute(report.gaps)
    with _CACHE_LOCK:
        report.figures[name] = value
    if len(report.gaps) >= SETTLE_AT:
        gc.freeze()  # kept as long as the report (cheap: no collection; see _settle)
    return value


def overview(graph: Clausegraph, when: dt.date) -> Row:
    """Coverage shares, gaps by severity (red lines first, in force vs upcoming), the next legal
    dates with the systems each affects, and the trend across recorded snapshots (read on each
    view: snapshots are files, outside the change log)."""
    return {**_kept(graph, when, "overview", lambda gaps: _overview(graph, when, gaps)),
            "trend": trend(graph)}  # fmt: skip


def _overview(graph: Clausegraph, when: dt.date, gaps: list[Gap]) -> Row:
    compliance = compliance_figures(graph, when, gaps)
    now = [g for g in gaps if g.in_force]
    counts = Counter(g.severity for g in now)
    upcoming = Counter(g.severity for g in gaps if not g.in_force)
    return {
        "as_of": when,
        "compliance": compliance,
        "chapters": sorted(compliance["by_chapter"], key=lambda r: roman(r["group"])),
        "gaps": {
            "in_force": len(now),
            "upcoming": len(gaps) - len(now),
            "red_line": sum(g.severity in RED_LINE for g in now),
        },
        "by_severity": [
            {"severity": s, "in_force": counts[s], "upcoming": upcoming[s]} for s in SEVERITIES
        ],
        "red_lines": [_gap_row(g) for g in now if g.severity in RED_LINE][:20],
        "next_dates": next_dates(graph, when),
        "remediation": remediation(graph, when),
    }


def remediation(graph: Clausegraph, when: dt.date) -> Row:
    """The findings' figures (graph/findings/metrics.py) plus the overall median days to close."""
    import statistics

    from graph.findings.model import CLOSED

    m = graph.remediation_metrics(when)
    days = [(r["resolved_at"] - r["opened_at"]).days
            for r in graph.store.read("findings.metric_rows")
            if r["state"] in CLOSED and r["resolved_at"] and r["opened_at"]]  # fmt: skip
    m["median_days_to_close"] = statistics.median(days) if days else None
    m["open"] = sum(r["count"] for r in m["open_by_severity"])
    return m


def _gap_row(g: Gap) -> Row:
    return {"id": g.id, "severity": g.severity, "title": g.title, "asset": g.asset or "",
            "systems": ", ".join(g.systems), "article": g.article or "", "owner": g.owner or "",
            "message": g.message, "due": g.due, "in_force": g.in_force}  # fmt: skip


def next_dates(graph: Clausegraph, when: dt.date, limit: int = 6) -> list[Row]:
    """The next application dates after ``when`` and how many systems and pairs each brings."""
    return graph.store.read("metrics.next_dates", after=when, limit=limit)


def trend(graph: Clausegraph) -> list[Row]:
    """Open gaps per severity in each recorded snapshot (docs/review.md), oldest first."""
    try:
        snaps = graph.snapshots()
    except OSError:
        return []
    out = []
    for s in snaps:
        bys = Counter(g["severity"] for g in s.gaps)
        out.append({"label": s.label, "as_of": s.as_of, **{k: bys[k] for k in SEVERITIES}})
    return out


def heatmap(
    graph: Clausegraph, when: dt.date, *, chapter: str = "", tier: str = "", owner: str = "",
    offset: int = 0, limit: int = 40,
) -> Row:  # fmt: skip
    """AI systems by applicable articles, each cell a coverage verdict (``traces`` of the page)."""
    page = graph.store.read("assets.page", tier=tier, owner=owner, offset=offset, limit=limit)
    systems = graph.store.read("assets.count", tier=tier, owner=owner)[0]["systems"]
    chapters = {r["number"]: r["chapter"] for r in cw.articles(graph.store)}
    rows, articles = [], set()
    traced = graph.traces([a["id"] for a in page], when)
    for a in page:
        cells = {}
        for t in traced[a["id"]]:
            number = int(t["article"]) if str(t["article"]).isdigit() else t["article"]
            if chapter and chapters.get(number) != chapter:
                continue
            cells[str(t["article"])] = {"verdict": t["verdict"], "in_force": t["in_force"],
                                        "weakest_link": t.get("weakest_link") or ""}  # fmt: skip
            articles.add(number)
        rows.append({"asset": a["id"], "name": a["name"], "tier": a["risk_tier"] or "",
                     "owner": a["owner"] or "", "cells": cells})  # fmt: skip
    cols = [str(n) for n in sorted(articles, key=lambda n: (isinstance(n, str), n))]
    totals = Counter(c["verdict"] for r in rows for c in r["cells"].values())
    counts = {v: totals[v] for v in VERDICTS}
    return {"as_of": when, "articles": cols, "rows": rows, "systems": systems,
            "offset": offset, "limit": limit, "totals": counts}  # fmt: skip


def system(graph: Clausegraph, asset: str, when: dt.date) -> Row:
    """One AI system: its facts, applicable articles with verdicts, gaps, evidence, history."""
    from graph.audit import read

    found = graph.store.read("coverage.asset", asset=asset)
    if not found:
        from graph.coverage import NotFound

        raise NotFound(f"no asset {asset!r}")
    trace = graph.trace(asset, when)
    controls = sorted({c for t in trace for c in t.get("controls") or []})
    # the evidence of the system's controls that concerns it or the whole organisation (keyed)
    items = {e["id"]: e for e in graph.store.read("coverage.evidence", asset=asset,
                                                  controls=controls)}  # fmt: skip
    evidence = [{"id": e["id"], "title": e["title"], "kind": e["kind"],
                 "collected_on": e["collected_on"], "valid_until": e["valid_until"],
                 "owner": e["owner"] or ""} for e in items.values()]  # fmt: skip
    mine = _kept(graph, when, "by_system", _by_system).get(asset, [])
    return {
        "as_of": when, "asset": found[0], "trace": trace,
        "gaps": [_gap_row(g) for g in mine],
        "evidence": sorted(evidence, key=lambda e: e["collected_on"]),
        "history": read.history(graph.store, "Asset", asset)[:50],
    }  # fmt: skip


def _by_system(gaps: list[Gap]) -> dict[str, list[Gap]]:
    """Each AI system's gaps, in report order: its own and those of subjects that serve it
    (one pass, kept; walking 1.3M gaps per system view was 270 ms at 100k)."""
    out: defaultdict[str, list[Gap]] = defaultdict(list)
    for g in gaps:
        for a in dict.fromkeys((g.asset, *g.systems) if g.asset else g.systems):
            out[a].append(g)
    return dict(out)


def owners(graph: Clausegraph, when: dt.date, soon_days: int = 90) -> list[Row]:
    """Per owner: what they own, open gaps in force, overdue ones, and those due soon."""
    return list(_kept(graph, when, f"owners/{soon_days}",
                      lambda gaps: _owners(graph, when, gaps, soon_days)))  # fmt: skip


def _owners(graph: Clausegraph, when: dt.date, gaps: list[Gap], soon_days: int) -> list[Row]:
    items: Counter[str] = Counter()
    for row in graph.store.read("views.owner_counts"):
        items[row["owner"]] += row["items"]
    horizon = when + dt.timedelta(days=soon_days)
    by_owner: defaultdict[str, list[Gap]] = defaultdict(list)  # one pass, not one per owner
    for g in gaps:
        by_owner[g.owner or ""].append(g)
    out = []
    for o in graph.store.read("review.owners"):
        mine = by_owner.get(o["id"], [])
        out.append({
            "owner": o["id"], "name": o["name"], "team": o["team"] or "", "items": items[o["id"]],
            "open": sum(g.in_force for g in mine),
            "overdue": sum(g.in_force and g.due is not None and g.due < when for g in mine),
            "due_soon": sum(not g.in_force and g.due is not None and g.due <= horizon
                            for g in mine),
            "red_line": sum(g.in_force and g.severity in RED_LINE for g in mine),
        })  # fmt: skip
    unowned = [g for g in gaps if not g.owner and g.in_force]
    if unowned:
        out.append({"owner": "", "name": "(no owner)", "team": "", "items": 0,
                    "open": len(unowned), "overdue": 0, "due_soon": 0,
                    "red_line": sum(g.severity in RED_LINE for g in unowned)})  # fmt: skip
    return sorted(out, key=lambda r: (-r["red_line"], -r["open"], r["owner"]))


def gap_list(graph: Clausegraph, when: dt.date, *, severity: str = "", owner: str = "",
             asset: str = "", in_force: bool = True) -> list[Row]:  # fmt: skip
    """The gaps behind a number, as rows (the list every figure links to)."""
    return gap_rows(gaps_behind(graph, when, severity=severity, owner=owner, asset=asset,
                                in_force=in_force))  # fmt: skip


def gaps_behind(
    graph: Clausegraph, when: dt.date, *, severity: str = "", owner: str = "", asset: str = "",
    in_force: bool = True, upcoming: bool = False, rules: frozenset[str] = frozenset(),
    red_line: bool = False,
) -> list[Gap]:  # fmt: skip
    """The report's gaps that pass every filter ('' or False: any), in report order; a page
    shapes only the rows it shows (:func:`gap_rows`). A system's or owner's list starts from
    its kept index; the others are kept per filter (each a subset of one report, read only),
    so paging through 1.3M gaps at 100k does not filter them again on every page."""
    where: dict[str, Any] = {"severity": severity, "in_force": in_force, "upcoming": upcoming,
                             "rules": rules, "red_line": red_line}  # fmt: skip
    if asset or owner:
        index = _kept(graph, when, "by_system", _by_system) if asset else _kept(
            graph, when, "by_owner", _by_owner)  # fmt: skip
        return _filtered(index.get(asset or owner, []), owner=owner, **where)
    key = f"behind/{severity}/{in_force}/{upcoming}/{sorted(rules)}/{red_line}"
    return _kept(graph, when, key, lambda gaps: _filtered(gaps, owner="", **where))


def _filtered(
    gaps: list[Gap], *, severity: str, owner: str, in_force: bool, upcoming: bool,
    rules: frozenset[str], red_line: bool,
) -> list[Gap]:  # fmt: skip
    return [g for g in gaps
            if (not severity or g.severity == severity)
            and (not in_force or g.in_force) and (not upcoming or not g.in_force)
            and (not owner or (g.owner or "") == owner)
            and (not rules or g.id.split(":", 1)[0] in rules)
            and (not red_line or g.severity in RED_LINE)]  # fmt: skip


def _by_owner(gaps: list[Gap]) -> dict[str, list[Gap]]:
    out: defaultdict[str, list[Gap]] = defaultdict(list)
    for g in gaps:
        out[g.owner or ""].append(g)
    return dict(out)


def gap_rows(gaps: list[Gap]) -> list[Row]:
    return [_gap_row(g) for g in gaps]


def crosswalk(graph: Clausegraph, article: str = "", clause: str = "") -> list[Row]:
    return cw.pairs(graph.store, article, clause)


def roman(numeral: str) -> int:
    """A chapter's Roman numeral as a number, to list chapters in the Act's order (0: other)."""
    values = {"I": 1, "V": 5, "X": 10, "L": 50}
    if not numeral or set(numeral) - set(values):
        return 0
    total = 0
    for i, ch in enumerate(numeral):
        v = values[ch]
        total += -v if i + 1 < len(numeral) and values[numeral[i + 1]] > v else v
    return total


def jsonable(value: Any) -> Any:
    """Dates as ISO strings, recursively (for the charts' JSON data blocks)."""
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value
