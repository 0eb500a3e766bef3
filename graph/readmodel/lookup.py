"""Coverage read from the model: one keyed read, used when the model answers for the day and
reading asked (else the caller computes from scratch, graph/coverage.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from graph.errors import QueryFailed
from graph.readmodel.codec import MARK, cell_key, decode, with_as_of
from graph.stores import Store


def readmodel_answer(
    store: Store, asset: str, article: str, as_of: dt.date, date_reading: str
) -> dict[str, Any] | None:
    """The kept answer, or None: no model, another day or reading, or no cell (a pair the
    system is not subject to, or an unknown id: the caller's computation says which)."""
    text = _cell(store.read, asset, article, as_of, date_reading)
    return decode(text, as_of) if text is not None else None


def readmodel_json_now(
    store: Store, asset: str, article: str, as_of: dt.date, date_reading: str
) -> str | None:
    """The kept answer as JSON text (``as_of`` included), only if it can be read at once
    (``Store.read_now``: an idle read connection), else None, as :func:`readmodel_answer`.
    For an HTTP route: the text goes to the response model's JSON validator as it is."""
    text = _cell(store.read_now, asset, article, as_of, date_reading)
    return with_as_of(text, as_of) if text is not None else None


def _cell(
    read: Callable[..., list[dict[str, Any]] | None], asset: str, article: str, as_of: dt.date,
    date_reading: str,
) -> str | None:  # fmt: skip
    try:
        rows = read("readmodel.cell", key=cell_key(asset, article), mark=MARK)
    except QueryFailed:  # a read-only store made before the read model: no tables
        return None
    if not rows or rows[0]["answer"] is None:
        return None
    if rows[0]["as_of"] != as_of or rows[0]["date_reading"] != date_reading:
        return None
    text: str = rows[0]["answer"]
    return text


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
