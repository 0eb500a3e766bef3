"""Appending to the log inside a store's open write transaction (both stores call this)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from graph import cypher_gen
from graph.audit import AUDIT_LABEL
from graph.audit.diff import Read, State, batch_events, draft
from graph.audit.events import (
    ChangeEvent,
    Source,
    chain,
    current_source,
    resolve_actor,
    utc_now,
)
from graph.schema import SCHEMA

if TYPE_CHECKING:
    from graph.stores.base import WriteBatch

Write = Callable[[str, dict[str, Any]], object]


def default_source(command: str = "") -> Source:
    """The source set by :func:`~graph.audit.events.acting` (CLI, API), else the resolved actor
    with no command (library use)."""
    return current_source() or Source(actor=resolve_actor(), command=command)


def head(read: Read) -> tuple[int, str]:
    """(seq, hash) of the newest event; (0, '') for an empty log."""
    rows = read(cypher_gen.AUDIT_HEAD, {})
    return (int(rows[0]["seq"]), str(rows[0]["hash"])) if rows else (0, "")


def append(
    read: Read, write: Write, drafts: list[ChangeEvent], store: cypher_gen.StoreKind
) -> list[ChangeEvent]:
    """Number, hash-chain and write ``drafts`` after the current head (events are always new:
    CREATE, not MERGE)."""
    if not drafts:
        return []
    seq, prev = head(read)
    events = chain(drafts, seq, prev)
    query = cypher_gen.node_create(store, SCHEMA.node(AUDIT_LABEL))
    write(query, {"rows": [e.row() for e in events]})
    return events


def record_batch(read: Read, batch: WriteBatch, state: State | None = None) -> list[ChangeEvent]:
    """Events for one batch, read before it is applied; a batch that changes nothing yields one
    ``noop`` event. Call BEFORE applying the batch, in the same transaction, then ``append``
    (``state``: the touched rows, if the caller has read them already)."""
    if _only_log(batch):
        return []
    source = batch.source or default_source()
    at = utc_now()
    drafts = batch_events(read, batch, source, at, state)
    if not drafts:
        drafts = [draft(source, at, "", "", "noop", {})]
    return drafts


def store_wide(change: str, source: Source | None = None) -> ChangeEvent:
    """A ``clear`` or ``prune`` event for the whole store."""
    source = source or default_source(change)
    return draft(source, utc_now(), "", "", change, {})


def _only_log(batch: WriteBatch) -> bool:
    """A batch that writes log rows restores a log (import of an export): those rows are its
    record, so it adds none (graph/backup.py decides when an export's log may be restored)."""
    return any(n.label == AUDIT_LABEL for n in batch.nodes)
