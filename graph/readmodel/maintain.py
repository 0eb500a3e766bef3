"""Keeping the cells current: in the write's transaction (:func:`before` / :func:`after`), on
a date move (:func:`refresh`) and from scratch (:func:`rebuild`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from graph import cypher_gen
from graph.audit.diff import draft
from graph.audit.events import current_source, utc_now
from graph.audit.log import default_source
from graph.readmodel.cells import compute_cells
from graph.readmodel.codec import MARK, article_of, cell_key
from graph.readmodel.reach import Reach, reach, touched
from graph.readmodel.tx import Tx
from graph.schema import COVERAGE_CELL, READMODEL_MARK

if TYPE_CHECKING:
    from graph.stores.base import WriteBatch

Row = dict[str, Any]
CELLS_DROP = cypher_gen.clear_label(COVERAGE_CELL)
MARK_DROP = cypher_gen.clear_label(READMODEL_MARK)
_CELLS_BY_KEY = cypher_gen.nodes_by_keys(COVERAGE_CELL)
_CELLS_DELETE = cypher_gen.node_delete(COVERAGE_CELL)
# Systems per step of a rebuild: their evidence and answers held at once (about 20 evidence rows
# and 2 cells of 7 KB a system in the synthetic organisation), never the whole store's.
REBUILD_CHUNK = 2_000


@dataclass
class Pending:
    """What :func:`before` read for :func:`after`: the model's mark, the keys the batch touches,
    the systems they reach before the write and the cell keys those systems have."""

    mark: Row
    keys: dict[str, set[str]]
    reach: Reach
    stored: set[str]


@dataclass
class Written:
    """What one maintenance wrote: cells recomputed, and created/deleted because they changed."""

    recomputed: int = 0
    written: int = 0
    deleted: int = 0
    rebuilt: bool = False


def mark(tx: Tx) -> Row | None:
    rows = tx.named("readmodel.mark", mark=MARK)
    return rows[0] if rows else None


def before(tx: Tx, batch: WriteBatch, new: dict[str, set[str]] | None = None) -> Pending | None:
    """Call in the write's transaction before the batch is applied (None: nothing to do).
    ``new``: label -> keys the batch creates (known to the caller): nodes that do not exist
    yet reach nothing before the write, so they are not looked up."""
    keys = touched(batch)
    if not keys:
        return None
    m = mark(tx)
    if m is None:  # no read model in this store: readers compute from scratch
        return None
    existing = {k: v - (new or {}).get(k, set()) for k, v in keys.items()}
    r = reach(tx, {k: v for k, v in existing.items() if v})
    return Pending(m, keys, r, set() if r.everything else _cell_keys(tx, r.assets))


def after(tx: Tx, pending: Pending | None) -> Written:
    """Call in the same transaction after the batch is applied: recompute the reached cells."""
    if pending is None:
        return Written()
    r = pending.reach | reach(tx, pending.keys)
    as_of, reading = pending.mark["as_of"], pending.mark["date_reading"]
    if r.everything:
        return rebuild_in(tx, as_of, reading)
    # Restricted to the articles the write can change (evidence alone: its controls' articles),
    # so the cells of other articles are neither recomputed nor taken for stale.
    stored = {k for k in pending.stored if r.covers(article_of(k))}
    return _update(tx, sorted(r.assets), stored, as_of, reading, r.articles)


def rebuild_in(tx: Tx, as_of: dt.date, date_reading: str, *, split: bool = False) -> Written:
    """Every cell from scratch (set-based), and the mark for ``as_of``. ``split``: commit per
    chunk of systems (a rebuild of its own, not one inside a data write): the mark goes
    first, so until the last commit sets it readers compute from scratch."""
    tx.run(MARK_DROP, {})
    tx.run(CELLS_DROP, {})
    n = 0
    for chunk in subject_chunks(tx.named):
        if split:
            tx.split()
        cells = compute_cells(tx.named, chunk, as_of, date_reading)
        tx.create(COVERAGE_CELL.label, list(cells.values()))
        n += len(cells)
    _set_mark(tx, as_of, date_reading, n)
    return Written(n, n, 0, rebuilt=True)


def subject_chunks(named: Callable[..., list[Row]]) -> Iterator[list[str]]:
    """The systems that have cells, ``REBUILD_CHUNK`` at a time."""
    assets = [r["asset"] for r in named("readmodel.subject_assets")]
    for start in range(0, len(assets), REBUILD_CHUNK):
        yield assets[start : start + REBUILD_CHUNK]


def refresh_in(tx: Tx, day: dt.date, date_reading: str) -> Written:
    """Re-date the model to ``day``: a later day recomputes only the cells whose
    ``changes_on`` has come; an earlier day, another reading or no model rebuild. Logged."""
    m = mark(tx)
    if m is not None and m["as_of"] == day and m["date_reading"] == date_reading:
        return Written()
    if m is None or m["date_reading"] != date_reading or day < m["as_of"]:
        done = rebuild_in(tx, day, date_reading, split=True)
    else:
        assets = sorted(r["asset"] for r in tx.named("readmodel.due", day=day))
        done = _update(tx, assets, set(), day, date_reading)
        _set_mark(tx, day, date_reading, int(m["cells"] or 0))
    source = current_source() or default_source("refresh")
    fields = {"as_of": [m["as_of"] if m else None, day], "cells": [None, done.written]}
    tx.log([draft(source, utc_now(), "", "", "refresh", fields)])
    return done


def _update(
    tx: Tx,
    assets: list[str],
    before: set[str],
    as_of: dt.date,
    date_reading: str,
    articles: set[str] | None = None,
) -> Written:
    """Recompute the cells of these systems (of these articles only, if given); write only
    those that differ."""
    if not assets or articles == set():
        return Written()
    new = compute_cells(tx.named, assets, as_of, date_reading, articles)
    candidates = sorted(before | set(new))
    stored = {r["id"]: r for r in tx.run(_CELLS_BY_KEY, {"keys": candidates})} if candidates else {}
    stale = sorted(k for k, row in stored.items() if new.get(k) != row)
    fresh = [row for k, row in new.items() if stored.get(k) != row]
    if stale:
        tx.run(_CELLS_DELETE, {"keys": stale})
    if fresh:
        tx.create(COVERAGE_CELL.label, fresh)
    return Written(len(new), len(fresh), sum(1 for k in stale if k not in new))


def _cell_keys(tx: Tx, assets: set[str]) -> set[str]:
    """The cell keys these systems have now (one per SUBJECT_TO edge: the model's invariant)."""
    if not assets:
        return set()
    rows = tx.named("readmodel.subject_keys", assets=sorted(assets))
    return {cell_key(r["asset"], r["article"]) for r in rows if r["article"] is not None}


def _set_mark(tx: Tx, as_of: dt.date, date_reading: str, cells: int) -> None:
    tx.run(MARK_DROP, {})
    row = {"id": MARK, "as_of": as_of, "date_reading": date_reading, "cells": cells}
    tx.create(READMODEL_MARK.label, [row])
