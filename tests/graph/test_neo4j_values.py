"""What the Neo4j store hands to the layers above is plain Python, whichever way it read it:
routed reads and the write transaction's own reads (the change log's before-state, version
checks). No server here: real driver records, the store's own conversion. A driver ``Date`` in
an event's before-state could not be serialised into the hash chain (graph/audit/events.py),
so a write that changed a stored date failed on Neo4j only."""

from __future__ import annotations

import datetime as dt
from typing import Any

import neo4j  # noqa: TID251  # the driver's own value types, to test the store's conversion
import neo4j.time  # noqa: TID251
import pytest

from graph.audit.diff import draft
from graph.audit.events import Source, canonical_bytes
from graph.stores.neo4j_store import _rows, _tx_read

RECORD = neo4j.Record(  # type: ignore[no-untyped-call]
    {
        "due": neo4j.time.Date(2027, 1, 6),
        "at": neo4j.time.DateTime(2026, 12, 7, 9, 30, 0, tzinfo=dt.UTC),
        "days": [neo4j.time.Date(2026, 1, 1), None],
        "props": {"valid_until": neo4j.time.Date(2026, 6, 30), "n": 3},
    }
)


def _assert_plain(row: dict[str, Any]) -> None:
    assert row["due"] == dt.date(2027, 1, 6) and type(row["due"]) is dt.date
    assert type(row["at"]) is dt.datetime and row["at"].tzinfo is not None
    assert row["days"] == [dt.date(2026, 1, 1), None] and type(row["days"][0]) is dt.date
    assert type(row["props"]["valid_until"]) is dt.date and row["props"]["n"] == 3


class _Tx:
    """Stands in for a managed transaction: ``run`` yields the driver's own Record objects."""

    def run(self, text: str, params: dict[str, Any]) -> list[neo4j.Record]:
        return [RECORD]


def test_routed_reads_give_plain_dates() -> None:
    _assert_plain(_rows([RECORD])[0])


def test_reads_inside_a_write_give_plain_dates_that_an_event_can_carry() -> None:
    read = _tx_read(_Tx())  # type: ignore[arg-type]
    before = read("MATCH (f:Finding {id: $k}) RETURN f.due AS due", {})[0]
    _assert_plain(before)
    source = Source(actor="t", command="test", batch_id="b")
    event = draft(source, "2026-12-07T09:30:00Z", "Finding", "F-1", "updated",
                  {"due": [before["due"], dt.date(2027, 2, 1)]})  # fmt: skip
    assert b"2027-01-06" in canonical_bytes(event.fields)
    with pytest.raises(TypeError):  # what the driver's own value did
        canonical_bytes({"due": [RECORD["due"], None]})


def test_a_read_only_neo4j_store_refuses_every_write_before_the_server() -> None:
    """A reader (CLI read commands, MCP) opened read-only never writes: no reconcile or gap
    rows behind a read, no DDL, so read rights on a replica suffice. A real driver aimed at a
    closed port: the refusal comes before any connection is tried."""
    from graph.errors import WriteFailed
    from graph.stores.base import WriteBatch
    from graph.stores.neo4j_store import Neo4jStore
    from queries.registry import default_registry

    store = object.__new__(Neo4jStore)  # skips the connectivity wait: no server here
    store.uri, store.database, store.read_only = "neo4j://127.0.0.1:9", "neo4j", True
    store.registry, store._driver = default_registry(), neo4j.GraphDatabase.driver(store.uri)
    try:
        for write in (lambda: store.write(WriteBatch()), lambda: store.clear(),
                      lambda: store.run_write("audit.last_seq")):  # fmt: skip
            with pytest.raises(WriteFailed, match="opened read-only"):
                write()
    finally:
        store.close()
