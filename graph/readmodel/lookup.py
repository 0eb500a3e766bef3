"""Coverage read from the model: one keyed read, used when the model answers for the day and
reading asked (else the caller computes from scratch, graph/coverage.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from graph.errors import QueryFailed
from graph.readmodel.codec import MARK, cell_key, decode
from graph.stores import Store


def readmodel_answer(
    store: Store, asset: str, article: str, as_of: dt.date, date_reading: str, *,
    now: bool = False,
) -> dict[str, Any] | None:  # fmt: skip
    """The kept answer, or None: no model, another day or reading, or no cell (a pair the
    system is not subject to, or an unknown id: the caller's computation says which).
    ``now``: only if it can be read at once (``Store.read_now``), else None."""
    try:
        read = store.read_now if now else store.read
        rows = read("readmodel.cell", key=cell_key(asset, article), mark=MARK)
    except QueryFailed:  # a read-only store made before the read model: no tables
        return None
    if not rows or rows[0]["answer"] is None:
        return None
    if rows[0]["as_of"] != as_of or rows[0]["date_reading"] != date_reading:
        return None
    return decode(rows[0]["answer"], as_of)


def readmodel_answers(
    store: Store, keys: list[str], as_of: dt.date, date_reading: str
) -> dict[str, dict[str, Any]]:
    """The kept answers for many cell keys in two reads; a key without a cell is absent, and
    all are when the model answers for another day or reading (or there is none)."""
    try:
        mark = store.read("readmodel.mark", mark=MARK)
    except QueryFailed:  # a read-only store made before the read model: no tables
        return {}
    if not mark or mark[0]["as_of"] != as_of or mark[0]["date_reading"] != date_reading:
        return {}
    cells = store.read("readmodel.cells_of", keys=keys) if keys else []
    return {c["id"]: decode(c["answer"], as_of) for c in cells if c["answer"] is not None}
