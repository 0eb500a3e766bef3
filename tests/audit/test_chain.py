"""The hash chain over ChangeEvent nodes in a real LadybugDB store."""

from __future__ import annotations

from typing import Any

from graph import cypher_gen
from graph.audit import AUDIT_LABEL
from graph.audit.events import (
    ChangeEvent,
    canonical_json,
    chain,
    resolve_actor,
    verify_chain,
)
from graph.schema import SCHEMA
from graph.stores import Store
from graph.stores.base import NodeRows, WriteBatch
from tests.raw import raw_write


def _draft(key: str, change: str, fields: dict[str, list[Any]]) -> ChangeEvent:
    return ChangeEvent(
        0, "2026-12-04T10:00:00.000000Z", "alice", "load inventory", "Asset", key, change, fields
    )


def _stored(store: Store) -> list[ChangeEvent]:
    rows = store.dump(cypher_gen.dump_nodes(SCHEMA.node(AUDIT_LABEL)))
    return [ChangeEvent.from_row(r) for r in rows]


def _write(store: Store, events: list[ChangeEvent]) -> None:
    store.write(WriteBatch(nodes=[NodeRows(AUDIT_LABEL, [e.row() for e in events])]))


def test_canonical_json_is_order_independent_and_compact() -> None:
    assert canonical_json({"b": 1, "a": ["é", None]}) == '{"a":["é",null],"b":1}'


def test_chain_round_trips_through_the_store_and_verifies(store: Store) -> None:
    events = chain(
        [
            _draft("sys-1", "created", {"name": [None, "Triage"]}),
            _draft("sys-1", "updated", {"risk_tier": ["limited", "high"]}),
            _draft("sys-2", "deleted", {}),
        ],
        0,
        "",
    )
    _write(store, events)
    stored = _stored(store)
    assert stored == events
    result = verify_chain(stored)
    assert result.ok and result.checked == 3 and result.head_seq == 3
    assert result.head_hash == events[-1].hash
    assert [e.prev_hash for e in events[1:]] == [e.hash for e in events[:-1]]


def test_editing_one_event_in_the_store_names_it(store: Store) -> None:
    _write(store, chain([_draft(f"sys-{i}", "created", {"i": [None, i]}) for i in range(4)], 0, ""))
    raw_write(  # raw Cypher, as an attacker would
        store, "MATCH (e:ChangeEvent {seq: 3}) SET e.fields = $f", {"f": '{"i":[null,99]}'}
    )
    result = verify_chain(_stored(store))
    assert not result.ok and result.bad_seq == 3 and result.checked == 2
    assert "edited" in result.reason


def test_deleting_an_event_breaks_the_chain_at_the_next_one(store: Store) -> None:
    _write(store, chain([_draft(f"sys-{i}", "created", {}) for i in range(4)], 0, ""))
    raw_write(store, "MATCH (e:ChangeEvent {seq: 2}) DELETE e")
    result = verify_chain(_stored(store))
    assert not result.ok and result.bad_seq == 3 and "deleted" in result.reason


def test_log_survives_clear(store: Store) -> None:
    _write(store, chain([_draft("sys-1", "created", {})], 0, ""))
    store.write(WriteBatch(nodes=[NodeRows("Owner", [{"id": "o-1", "name": "Ola"}])]))
    store.clear()
    counts = store.counts()
    assert counts["Owner"] == 0 and AUDIT_LABEL not in counts  # counts are the data's
    events = _stored(store)
    assert [e.change for e in events] == ["created", "created", "clear"]
    assert verify_chain(events).ok


def test_actor_precedence() -> None:
    env = {"CLAUSEGRAPH_ACTOR": "ci-bot"}
    assert resolve_actor("carol", env) == "carol"
    assert resolve_actor(None, env) == "ci-bot"
    assert resolve_actor(None, {}) not in ("", "ci-bot")


def test_chain_rows_equal_the_chained_events_rows() -> None:
    from graph.audit.columns import chain_rows

    tricky = [
        _draft("sys-1", "created", {"name": [None, 'say "fields":null here'], "n": [None, 1]}),
        ChangeEvent(
            0,
            "2026-12-04T10:00:00.000000Z",
            '"fields":null',
            "load",
            "Asset",
            "é-2",
            "updated",
            {"tags": [["a"], ["b", "ü"]]},
        ),
        _draft("sys-3", "deleted", {}),
    ]
    assert chain_rows(tricky, 7, "ab" * 32) == [e.row() for e in chain(tricky, 7, "ab" * 32)]
