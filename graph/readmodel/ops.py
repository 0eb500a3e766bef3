"""The read model on a store: refresh (build or re-date) and the consistency check."""

from __future__ import annotations

import datetime as dt
from typing import Any

from graph.readmodel.cells import compute_cells
from graph.readmodel.codec import MARK
from graph.readmodel.maintain import Written, rebuild_in, refresh_in, subject_chunks
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
    return store.in_transaction(lambda tx: rebuild_in(tx, when, date_reading, split=True))


def mark(store: Store) -> Row | None:
    rows = store.read("readmodel.mark", mark=MARK)
    return rows[0] if rows else None


def differences(store: Store) -> list[str]:
    """How the stored cells differ from the from-scratch computation for the model's day and
    reading (empty: consistent). No model is a difference: there is nothing to trust. Each
    chunk is read on its own, so a write committed meanwhile can show as a difference: run it
    again (the property test and the bench run it with no writer)."""
    m = mark(store)
    if m is None:
        return ["there is no read model in this store (run `clausegraph refresh`)"]

    def named(name: str, **params: Any) -> list[Row]:
        return store.read(name, **params)

    out: list[str] = []
    expected: set[str] = set()
    for chunk in subject_chunks(named):
        want = compute_cells(named, chunk, m["as_of"], m["date_reading"])
        have = {r["id"]: r for r in store.read("readmodel.cells_of", keys=sorted(want))}
        out += [f"missing cell {k}" for k in sorted(set(want) - set(have))]
        for k in sorted(set(want) & set(have)):
            fields = [f for f in want[k] if want[k][f] != have[k].get(f)]
            if fields:
                out.append(f"cell {k} differs in {', '.join(fields)}")
        expected |= set(want)
    stored = {r["id"] for r in store.read("readmodel.cell_keys")}
    return out + [f"extra cell {k}" for k in sorted(stored - expected)]
