""" "What covers Article X for system Y": the paths article → clause → control → evidence, their
freshness, the owners, a verdict and the weakest link. One function serves the CLI, the API and
the views.

Verdict, for an AI system subject to the article:

* ``covered`` — some path claims full coverage (a control addressing the article directly, or
  implementing an ISO element that is ``equal``/``superset`` to it), the control is implemented,
  and it has fresh evidence for this system;
* ``partial`` — some implemented control is on a path that claims coverage (full or partial),
  but its evidence is stale or missing, or the mapping covers only part of the article;
* ``uncovered`` — no implemented control on a path that claims any coverage;
* ``not_applicable`` — the system is not subject to the article (with the reason).

Each evidence item is ``fresh``, ``stale`` (past its control's review period, or its file
changed), ``expired`` (past its ``valid_until``), ``future`` (collected after the as-of date) or
``unverifiable`` (a record kind without the sha256 or version graph/evidence_policy.py requires).
Only fresh evidence supports full coverage: anything else makes the control's state that word for
the system, and the article at most partial, with the item as the weakest link.

Art. 73 (serious incidents) also reads the system's incidents: one notified late, or not notified
by its deadline, makes the article at most partial, with that incident as the weakest link
(graph/incident_clock.py, the clock the ``incident_not_notified`` gap rule reads); ``incidents``
lists each clock.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from graph.coverage_answer import (
    answer_from,
    evidence_freshness,
    not_applicable,
    paths_from,
    why_no_articles,
)
from graph.errors import ClausegraphError
from graph.incident_clock import NOTIFICATION_ARTICLE
from graph.readmodel.codec import cell_key
from graph.readmodel.lookup import readmodel_answer, readmodel_answers, readmodel_json_now
from graph.stores import Store

Row = dict[str, Any]
__all__ = [
    "NotFound", "article_key", "compute", "coverage", "evidence_freshness", "trace", "traces",
]  # fmt: skip


class NotFound(ClausegraphError):
    """An asset or article id that is not in the graph."""


def article_key(ref: str) -> str:
    """'14', 'Art. 14', 'AIA-14', 'Annex III', 'AIA-ANNEX-III' -> the Article node id."""
    text = ref.strip()
    if text.upper().startswith("AIA-"):
        return "AIA-" + text[4:].upper()
    text = text.removeprefix("Art.").removeprefix("Article").strip()
    if text.lower().startswith("annex"):
        return "AIA-ANNEX-" + text[5:].strip().upper()
    return f"AIA-{text}"


def _evidence(store: Store, asset: str, controls: list[str]) -> list[Row]:
    """The evidence of ``controls`` for the system, ordered by control, newest first, id."""
    rows = store.read("coverage.evidence", asset=asset, controls=controls) if controls else []
    rows.sort(key=lambda e: e["id"])
    rows.sort(key=lambda e: e["collected_on"], reverse=True)
    rows.sort(key=lambda e: e["control"])
    return rows


def _paths(store: Store, asset: str, article: str, as_of: dt.date) -> tuple[list[Row], list[Row]]:
    found = store.read("coverage.controls", asset=asset, article=article)
    return paths_from(found, lambda controls: _evidence(store, asset, controls), as_of)


def _one(rows: list[Row], what: str) -> Row:
    if not rows:
        raise NotFound(f"no {what} in the graph")
    return rows[0]


def coverage(
    store: Store,
    asset: str,
    article: str,
    as_of: dt.date | None = None,
    date_reading: str = "practical",
) -> Row:
    """The full answer for one AI system and one article; see the module docstring."""
    as_of = as_of or dt.date.today()
    kept = readmodel_answer(store, asset, article_key(article), as_of, date_reading)
    if kept is not None:
        return kept
    return compute(store, asset, article, as_of, date_reading)


def kept_answer_json(
    store: Store, asset: str, article: str, as_of: dt.date, date_reading: str = "practical"
) -> str | None:
    """The read model's answer as JSON text if it can be read at once in process (one keyed
    read on an idle connection: ``Store.read_now``), else None and the caller asks
    :func:`coverage`."""
    return readmodel_json_now(store, asset, article_key(article), as_of, date_reading)


def compute(
    store: Store, asset: str, article: str, as_of: dt.date, date_reading: str = "practical"
) -> Row:
    """The from-scratch answer (the reference the read model is checked against)."""
    key = article_key(article)
    found = _one(store.read("coverage.subject", asset=asset, article=key), f"asset {asset!r}")
    art = _one(store.read("coverage.article", article=key), f"article {article!r}")
    if found["subject_to"] is None:
        return not_applicable(found, art, as_of)
    incidents = store.read("coverage.incidents", asset=asset) if key == NOTIFICATION_ARTICLE else []
    return answer_from(
        found, art, lambda: _paths(store, asset, key, as_of), as_of, date_reading, incidents
    )


def no_articles_reason(store: Store, asset: str) -> str:
    """Why the system's trace is empty (retired, out of scope, or no article binds it)."""
    found = _one(store.read("coverage.subject", asset=asset, article=""), f"asset {asset!r}")
    return why_no_articles(found)


def trace(
    store: Store, asset: str, as_of: dt.date | None = None, date_reading: str = "practical"
) -> list[Row]:
    """Everything the system is subject to, and how each is covered (one row per article)."""
    _one(store.read("coverage.asset", asset=asset), f"asset {asset!r}")
    return traces(store, [asset], as_of, date_reading)[asset]


def traces(
    store: Store, assets: list[str], as_of: dt.date | None = None, date_reading: str = "practical"
) -> dict[str, list[Row]]:
    """:func:`trace` for several systems at once: the applicable pairs in one read, the read
    model's answers for all of them in two more, and a computed answer only for a pair the
    model does not hold (no model for the day, or a cell missing). Unknown ids get no rows."""
    as_of = as_of or dt.date.today()
    wanted = sorted(set(assets))  # a system asked twice is traced once
    pairs = store.read("coverage.subject_to_of", assets=wanted) if wanted else []
    kept = readmodel_answers(store, [cell_key(p["asset"], p["article"]) for p in pairs],
                             as_of, date_reading)  # fmt: skip
    out: dict[str, list[Row]] = {a: [] for a in assets}
    for s in pairs:
        c = kept.get(cell_key(s["asset"], s["article"]))
        if c is None:
            c = compute(store, s["asset"], s["article"], as_of, date_reading)
        out[s["asset"]].append({
            "article": s["number"], "title": s["title"], "verdict": c["verdict"],
            "applies_from": c["applies_from"], "in_force": c["in_force"],
            "dated_by": c["dated_by"], "controls": sorted({p["control"] for p in c["paths"]}),
            "weakest_link": c["weakest_link"], "reason": s["reason"],
        })  # fmt: skip
    return out
