"""A reconcile larger than one write's share is written in parts, the reconcile mark with the
last, and a failure between parts loses nothing the next reconcile would not redo."""

from __future__ import annotations

import pytest

from api.session import Clausegraph
from graph.audit.events import Source, acting
from graph.findings import io
from graph.findings.model import LABEL, MARK_LABEL
from graph.stores import Store
from graph.stores.base import WriteBatch
from tests.findings.conftest import ACME, DAY, run

PART = 7


def _loaded(store: Store) -> Store:
    cg = Clausegraph(store)
    with acting(Source("loader", "load inventory")):
        cg.load_catalogs()
        cg.load_inventory(ACME)
    return store


def _spy(store: Store, monkeypatch: pytest.MonkeyPatch, fail_at: int = 0) -> list[WriteBatch]:
    """Record every batch the store writes; the ``fail_at``-th (1-based) raises instead."""
    seen: list[WriteBatch] = []
    real = store.write

    def write(batch: WriteBatch) -> None:
        seen.append(batch)
        if len(seen) == fail_at:
            raise OSError("disk gone between two parts")
        real(batch)

    monkeypatch.setattr(store, "write", write)
    return seen


def _labels(batch: WriteBatch) -> list[tuple[str, int]]:
    return [(n.label, len(n.rows)) for n in batch.nodes]


def test_parts_then_the_mark(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    _loaded(store)
    gaps = Clausegraph(store).gaps(DAY)
    assert len(gaps) > 2 * PART, "the sample organisation must need at least three parts"
    monkeypatch.setattr(io, "WRITE_CHUNK", PART)
    writes = _spy(store, monkeypatch)
    report = run(store, DAY)
    assert len(report.opened) == len(gaps)
    assert len(writes) == -(-len(gaps) // PART)
    assert all(_labels(b) == [(LABEL, PART)] for b in writes[:-1])
    assert _labels(writes[-1])[-1] == (MARK_LABEL, 1)
    assert io.stored(store, DAY).active == {g.id for g in gaps}
    assert run(store, DAY).summary() == "findings: no change"


def test_a_failure_between_parts_is_redone(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    _loaded(store)
    gaps = Clausegraph(store).gaps(DAY)
    monkeypatch.setattr(io, "WRITE_CHUNK", PART)
    _spy(store, monkeypatch, fail_at=2)
    with pytest.raises(OSError, match="between two parts"):
        run(store, DAY)
    assert len(io.stored(store, DAY).active) == PART  # the first part landed, nothing after it
    monkeypatch.undo()
    again = run(store, DAY)
    assert len(again.opened) == len(gaps) - PART and not again.resolved
    assert io.stored(store, DAY).active == {g.id for g in gaps}
    assert run(store, DAY).summary() == "findings: no change"


def test_a_column_read_equals_the_rows(store: Store) -> None:
    """``read_column`` (Arrow on LadybugDB) gives what ``read`` gives, empty answers included."""
    _loaded(store)
    assert store.read_column("findings.ids_in_states", "id", states=["open"]) == []
    run(store, DAY)
    rows = store.read("findings.ids_in_states", states=["open", "reopened"])
    column = store.read_column("findings.ids_in_states", "id", states=["open", "reopened"])
    assert rows and sorted(column) == sorted(r["id"] for r in rows)
