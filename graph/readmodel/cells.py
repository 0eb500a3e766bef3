"""Coverage cells computed set-based: a handful of queries for any number of AI systems (or
all of them), then the same assembly as the per-call answer (graph/coverage.py
``answer_from``/``paths_from``), so a cell equals :func:`graph.coverage.compute` for its pair.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from graph.coverage_answer import answer_from, paths_from
from graph.incident_clock import NOTIFICATION_ARTICLE, changes_after
from graph.readmodel.codec import cell_key, encode

Row = dict[str, Any]
# Runs one named query (queries/readmodel/) in the caller's transaction or on the store.
Named = Callable[..., list[Row]]
_EVIDENCE = ("control", "id", "kind", "title", "uri", "sha256", "collected_on", "valid_until",
             "version", "file_status", "owner")  # fmt: skip
_CONTROL = ("clause", "clause_title", "relation", "paragraph", "rationale", "control", "name",
            "status", "review_every_days", "owner")  # fmt: skip


def compute_cells(
    named: Named,
    assets: list[str],
    as_of: dt.date,
    date_reading: str,
    articles: set[str] | None = None,
) -> dict[str, Row]:
    """Cell rows by key for these AI systems, as of ``as_of`` (keyed queries: a rebuild calls
    it per chunk of systems, so memory stays bounded); only those of ``articles`` if given."""
    if not assets:
        return {}
    subjects = named("readmodel.subjects", assets=assets)
    found: dict[tuple[str, str], Row] = {}
    for s in subjects:
        if s["subject_to"] is not None and (articles is None or s["subject_to"] in articles):
            found.setdefault((s["id"], s["subject_to"]), s)
    if not found:
        return {}
    wanted = sorted({art for _, art in found})
    arts = {r["id"]: r for r in named("readmodel.articles", articles=wanted)}
    direct, via = _catalog_paths(named("readmodel.paths", articles=wanted))
    scoped: dict[str, set[str]] = defaultdict(set)
    for r in named("readmodel.scope", assets=assets):
        if r["control"] is not None:
            scoped[r["asset"]].add(r["control"])
    own: dict[str, list[Row]] = defaultdict(list)
    for r in named("readmodel.evidence", assets=assets):
        if r["control"] is not None and r["id"] is not None:
            own[r["asset"]].append({k: r[k] for k in _EVIDENCE})
    controls = sorted(
        {r["control"] for rows in direct.values() for r in rows}
        | {r["control"] for groups in via.values() for g in groups for r in g if r["control"]}
    )
    org: dict[str, list[Row]] = defaultdict(list)
    for r in named("readmodel.org_evidence", controls=controls) if controls else []:
        if r["id"] is not None:
            org[r["control"]].append({k: r[k] for k in _EVIDENCE})
    incidents: dict[str, list[Row]] = defaultdict(list)
    if NOTIFICATION_ARTICLE in wanted:
        for r in named("readmodel.incidents", assets=assets):
            incidents[r["asset"]].append(r)
    out = {}
    for (asset, article), subject in sorted(found.items()):
        rows = _controls(direct.get(article, []), via.get(article, []), scoped[asset])
        answer = answer_from(
            subject, arts[article],
            lambda rows=rows, asset=asset: paths_from(  # type: ignore[misc]
                rows, lambda cs: _evidence(own[asset], org, cs), as_of),
            as_of, date_reading, incidents.get(asset, ()),
        )  # fmt: skip
        out[cell_key(asset, article)] = cell_row(asset, article, answer, as_of)
    return out


def cell_row(asset: str, article: str, answer: Row, as_of: dt.date) -> Row:
    """The stored cell of one answer."""
    claims = [p for p in answer["paths"] if p["coverage"] in ("full", "partial")]
    states = [e["freshness"] for p in claims for e in p["evidence"]]
    order = ("fresh", "unverifiable", "stale", "expired", "future")
    return {
        "id": cell_key(asset, article), "asset": asset, "article": article,
        "verdict": answer["verdict"], "weakest_link": answer["weakest_link"],
        "freshness": min(states, key=order.index) if states else "none",
        "owners": sorted({o["id"] for o in answer["owners"]}), "answer": encode(answer),
        "changes_on": changes_on(answer, as_of),
    }  # fmt: skip


def changes_on(answer: Row, as_of: dt.date) -> dt.date | None:
    """The first day after ``as_of`` on which the answer can differ: an article's date comes,
    evidence expires, passes its review period or stops being from the future (whose text
    names the day, so it changes daily), an incident's notification deadline passes. None: no
    date ahead changes it."""
    day = dt.timedelta(days=1)
    ahead: list[dt.date] = []
    if answer["applies_from"] is not None:
        ahead.append(answer["applies_from"])
    for p in answer["paths"]:
        for e in p["evidence"]:
            if e["valid_until"] is not None:
                ahead.append(e["valid_until"] + day)
            if e["collected_on"] > as_of:
                ahead.append(as_of + day)
            if p["review_every_days"]:
                ahead.append(e["collected_on"] + dt.timedelta(days=p["review_every_days"]) + day)
    for i in answer["incidents"]:
        if (when := changes_after(i, as_of)) is not None:
            ahead.append(when)
    later = [d for d in ahead if d > as_of]
    return min(later) if later else None


def _catalog_paths(
    rows: list[Row],
) -> tuple[dict[str, list[Row]], dict[str, list[list[Row]]]]:
    """Per article: the direct control rows, and the via-clause rows grouped per MAPS_TO edge
    (clause, paragraph), in the order the query gave them."""
    direct: dict[str, list[Row]] = defaultdict(list)
    groups: dict[str, dict[tuple[str, str], list[Row]]] = defaultdict(dict)
    for r in rows:
        if r["clause_id"] == "":
            if r["control"] is not None:
                direct[r["article"]].append(r)
        elif r["clause_id"] is not None:
            groups[r["article"]].setdefault((r["clause_id"], r["paragraph"]), []).append(r)
    return direct, {a: list(g.values()) for a, g in groups.items()}


def _controls(direct: list[Row], via: list[list[Row]], scoped: set[str]) -> list[Row]:
    """The coverage.controls rows of one pair: controls that are organisation-wide or scoped to
    the system; a mapped clause no such control implements gives one row without a control."""

    def applies(r: Row) -> bool:
        return bool(r["org_wide"]) or r["control"] in scoped

    out = [{k: r[k] for k in _CONTROL} for r in direct if applies(r)]
    for group in via:
        kept = [r for r in group if r["control"] is not None and applies(r)]
        if kept:
            out += [{k: r[k] for k in _CONTROL} for r in kept]
        else:
            none = dict.fromkeys(_CONTROL)
            out.append(none | {k: group[0][k] for k in _CONTROL[:5]})
    return out


def _evidence(own: list[Row], org: dict[str, list[Row]], controls: list[str]) -> list[Row]:
    """As graph/coverage.py ``_evidence``: by control, newest first, id."""
    wanted = set(controls)
    rows = [e for e in own if e["control"] in wanted]
    rows += [e for c in controls for e in org.get(c, [])]
    rows.sort(key=lambda e: e["id"])
    rows.sort(key=lambda e: e["collected_on"], reverse=True)
    rows.sort(key=lambda e: e["control"])
    return rows
