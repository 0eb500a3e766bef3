"""Reading the log back through the named queries in queries/audit: verification, the head,
one entity's history, the events of a seq or time range."""

from __future__ import annotations

from typing import Any

from graph.audit.events import ChangeEvent, VerifyResult, event_id, verify_chain
from graph.stores.base import Store

MAX_SEQ = 2**62
"""An upper bound past any head (an open-ended seq range)."""
END_OF_TIME = "9999-12-31T23:59:59.999999Z"


KEYED_RANGE = 20_000
"""A seq range up to this long is read by key (one lookup per seq: the log numbers its events
densely, and a missing one is simply not returned, as by the scan), a longer one by a scan of
the log's seq column (LadybugDB has no range index)."""
KEYS_PER_READ = 5_000


def events(store: Store, from_seq: int = 0, to_seq: int = MAX_SEQ) -> list[ChangeEvent]:
    """Events with ``from_seq < seq <= to_seq`` (default: every event), in seq order."""
    top = min(to_seq, head_seq(store))
    if top - from_seq <= KEYED_RANGE:
        ids = [event_id(s) for s in range(from_seq + 1, top + 1)]
        rows: list[dict[str, Any]] = []
        for i in range(0, len(ids), KEYS_PER_READ):
            rows += store.read("audit.events_by_ids", ids=ids[i : i + KEYS_PER_READ])
        return sorted((ChangeEvent.from_row(r) for r in rows), key=lambda e: e.seq)
    rows = store.read("audit.events_between", from_seq=from_seq, to_seq=to_seq)
    return [ChangeEvent.from_row(r) for r in rows]


def head_seq(store: Store) -> int:
    top = store.read("audit.last_seq")
    return 0 if not top or top[0]["seq"] is None else int(top[0]["seq"])


def events_at(store: Store, since: str, until: str = END_OF_TIME) -> list[ChangeEvent]:
    """Events with ``since <= at < until`` (ISO 8601 UTC strings ending in 'Z'), in seq order."""
    rows = store.read("audit.events_at", since=since, until=until)
    return [ChangeEvent.from_row(r) for r in rows]


def verify(store: Store) -> VerifyResult:
    return verify_chain(events(store))


def head(store: Store) -> dict[str, Any]:
    """What an organisation publishes or archives: the newest seq and hash."""
    seq = head_seq(store)
    if not seq:
        return {"seq": 0, "hash": ""}
    rows = store.read("audit.event", id=event_id(seq))
    return {"seq": seq, "hash": rows[0]["hash"] if rows else ""}


def entity_events(store: Store, kind: str, key: str) -> list[ChangeEvent]:
    """Every event about one entity (the node, or links leaving it), newest first."""
    rows = store.read(
        "audit.entity", kind=kind, key=key, link_kind=f"({kind}->", link_prefix=f"{key}->"
    )
    return [ChangeEvent.from_row(r) for r in rows]


def event_row(e: ChangeEvent) -> dict[str, Any]:
    """One event as a report row (history, changes, the API)."""
    return {"seq": e.seq, "at": e.at, "actor": e.actor, "command": e.command,
            "input_file": e.input_file, "entity": e.entity_kind, "key": e.entity_key,
            "change": e.change, "fields": e.fields}  # fmt: skip


def history(store: Store, kind: str, key: str) -> list[dict[str, Any]]:
    """Every event about one entity (a node, or links leaving it), newest first."""
    return [event_row(e) for e in entity_events(store, kind, key)]
