"""The read model on a store: refresh (build or re-date) and the consistency check."""

from __future__ import annotations

import datetime as dt
from typing import Any

from graph.readmodel.cells import compute_cells
from graph.readmodel.maintain import Written, rebuild_in, refresh_in
from graph.stores import Store

Row = dict[str, Any]


def refresh(store: Store, day: dt.date | None = None, date_reading: str = "practical") -> Written:
    """Bring the model to ``day`` (default today) and reading: build it if there is none,
    recompute the cells whose date has come, rebuild for an earlier day. Logged; a no-op when
    the model already answers for that day and reading."""
    when = day or dt.date.today()
    return store.in_transaction(lambda tx: refresh_in(tx, when, date_reading))


def rebuild(store: Store, day: dt.date | None = None, date_reading: str = "practical") -> Written:
    """Every cell from scratch, whatever the model holds (not logged: it changes no answer)."""
    when = day or dt.date.today()
    return store.in_transaction(lambda tx: rebuild_in(tx, when, date_reading))


def mark(store: Store) -> Row | None:
    rows = store.read("readmodel.mark")
    return rows[0] if rows else None


def differences(store: Store) -> list[str]:
    """How the stored cells differ from the from-scratch computation for the model's day and
    reading (empty: consistent). No model is a difference: there is nothing to trust."""
    m = mark(store)
    if m is None:
        return ["there is no read model in this store (run `clausegraph refresh`)"]

    def named(name: str, **params: Any) -> list[Row]:
        return store.read(name, **params)

    want = compute_cells(named, None, m["as_of"], m["date_reading"])
    have = {r["id"]: r for r in store.read("readmodel.cells")}
    out = [f"missing cell {k}" for k in sorted(set(want) - set(have))]
    out += [f"extra cell {k}" for k in sorted(set(have) - set(want))]
    for k in sorted(set(want) & set(have)):
        fields = [f for f in want[k] if want[k][f] != have[k].get(f)]
        if fields:
            out.append(f"cell {k} differs in {', '.join(fields)}")
    return out
