"""Every store write records exactly what it changed, in its own transaction (real LadybugDB)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from graph import cypher_gen
from graph.audit import AUDIT_LABEL
from graph.audit.events import ChangeEvent, Source, verify_chain
from graph.errors import WriteFailed
from graph.schema import SCHEMA
from graph.stores import Store
from graph.stores.base import DeleteNodes, EdgeRows, NodeRows, Unlink, WriteBatch

SRC = Source(actor="alice", command="load inventory", batch_id="b-1", input_file="inv.yaml",
             input_sha256="ab" * 32)  # fmt: skip


def _events(store: Store) -> list[ChangeEvent]:
    rows = store.dump(cypher_gen.dump_nodes(SCHEMA.node(AUDIT_LABEL)))
    return [ChangeEvent.from_row(r) for r in rows]


def _org(tier: str = "high", owner: str = "o-1") -> WriteBatch:
    return WriteBatch(
        nodes=[
            NodeRows("Owner", [{"id": "o-1", "name": "Ola"}, {"id": "o-2", "name": "Per"}]),
            NodeRows("Asset", [{"id": "sys-1", "name": "Triage", "risk_tier": tier}]),
        ],
        edges=[EdgeRows("OWNED_BY", "Asset", "Owner", [{"src": "sys-1", "dst": owner}])],
        unlink=[Unlink("OWNED_BY", "Asset", "Owner", ["sys-1"])],
        source=SRC,
    )


def _summary(events: list[ChangeEvent]) -> list[tuple[str, str, str, dict[str, Any]]]:
    return [(e.entity_kind, e.entity_key, e.change, e.fields) for e in events]


def test_first_load_records_creations_and_links_with_source(store: Store) -> None:
    store.write(_org())
    events = _events(store)
    assert _summary(events) == [
        ("Owner", "o-1", "created", {"id": [None, "o-1"], "name": [None, "Ola"]}),
        ("Owner", "o-2", "created", {"id": [None, "o-2"], "name": [None, "Per"]}),
        ("Asset", "sys-1", "created",
         {"id": [None, "sys-1"], "name": [None, "Triage"], "risk_tier": [None, "high"]}),
        ("OWNED_BY(Asset->Owner)", "sys-1->o-1", "linked", {}),
    ]  # fmt: skip
    assert {(e.actor, e.command, e.batch_id, e.input_file) for e in events} == {
        ("alice", "load inventory", "b-1", "inv.yaml")
    }
    assert [e.seq for e in events] == [1, 2, 3, 4] and verify_chain(events).ok


def test_unchanged_reload_records_one_noop_event(store: Store) -> None:
    store.write(_org())
    before = len(_events(store))
    store.write(_org())
    new = _events(store)[before:]
    assert _summary(new) == [("", "", "noop", {})]


def test_changed_reload_records_only_changed_fields_and_relinks(store: Store) -> None:
    store.write(_org())
    before = len(_events(store))
    store.write(_org(tier="limited", owner="o-2"))
    assert _summary(_events(store)[before:]) == [
        ("Asset", "sys-1", "updated", {"risk_tier": ["high", "limited"]}),
        ("OWNED_BY(Asset->Owner)", "sys-1->o-1", "unlinked", {}),
        ("OWNED_BY(Asset->Owner)", "sys-1->o-2", "linked", {}),
    ]


def test_delete_records_the_fields_it_removed(store: Store) -> None:
    store.write(_org())
    before = len(_events(store))
    store.write(WriteBatch(delete=[DeleteNodes("Owner", ["o-2", "no-such"])], source=SRC))
    assert _summary(_events(store)[before:]) == [
        ("Owner", "o-2", "deleted", {"id": ["o-2", None], "name": ["Per", None]})
    ]


def test_dates_diff_as_iso_strings(store: Store) -> None:
    for day in (dt.date(2026, 1, 2), dt.date(2026, 3, 4)):
        store.write(WriteBatch(nodes=[NodeRows("Evidence", [{"id": "e-1", "collected_on": day}])]))
    last = _events(store)[-1]
    assert (last.change, last.fields) == ("updated", {"collected_on": ["2026-01-02", "2026-03-04"]})


def test_a_refused_write_records_nothing(store: Store) -> None:
    store.write(_org())
    before = _events(store)
    rows = [{"src": "sys-1", "dst": "nobody"}]
    bad = WriteBatch(edges=[EdgeRows("OWNED_BY", "Asset", "Owner", rows)])
    with pytest.raises(WriteFailed):
        store.write(bad)
    assert _events(store) == before


def test_bulk_path_records_the_same_events(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(store, "bulk_min_rows", 1)
    monkeypatch.setattr(store, "keyed_share", 0.0)
    store.write(_org())
    store.write(_org())
    store.write(_org(tier="limited"))
    events = _events(store)
    assert [e.change for e in events][-2:] == ["noop", "updated"]
    assert events[-1].fields == {"risk_tier": ["high", "limited"]} and verify_chain(events).ok


def test_stage_and_swap_writes_the_events_into_the_staged_copy(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in (("bulk_min_rows", 1), ("keyed_share", 0.0), ("live_max_rows", 0),
                        ("live_share", 0.0)):  # fmt: skip
        monkeypatch.setattr(store, name, value)
    store.write(_org())
    store.write(_org(owner="o-2"))
    events = _events(store)
    assert _summary(events)[-2:] == [
        ("OWNED_BY(Asset->Owner)", "sys-1->o-1", "unlinked", {}),
        ("OWNED_BY(Asset->Owner)", "sys-1->o-2", "linked", {}),
    ]
    assert verify_chain(events).ok and store.counts()["OWNED_BY(Asset->Owner)"] == 1
