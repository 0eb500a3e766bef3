"""Appending to the log inside a store's open write transaction (both stores call this)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from graph import cypher_gen
from graph.audit import AUDIT_LABEL
from graph.audit.columns import chain_rows
from graph.audit.diff import Read, State, batch_events, draft
from graph.audit.events import (
    ChangeEvent,
    Source,
    current_source,
    event_id,
    resolve_actor,
    utc_now,
)
from graph.schema import SCHEMA
from queries.registry import default_registry

if TYPE_CHECKING:
    from graph.stores.base import WriteBatch

Write = Callable[[str, dict[str, Any]], object]


def default_source(command: str = "") -> Source:
    """The source set by :func:`~graph.audit.events.acting` (CLI, API), else the resolved actor
    with no command (library use)."""
    return current_source() or Source(actor=resolve_actor(), command=command)


def head(read: Read, store: cypher_gen.StoreKind) -> tuple[int, str]:
    """(seq, hash) of the newest event; (0, '') for an empty log (queries ``audit.last_seq``,
    then ``audit.event`` by key: no sort of the whole log on every write)."""
    registry = default_registry()
    top = read(registry.get("audit.last_seq", store).text, {})
    if not top or top[0]["seq"] is None:
        return (0, "")
    seq = int(top[0]["seq"])
    rows = read(registry.get("audit.event", store).text, {"id": event_id(seq)})
    return (seq, str(rows[0]["hash"])) if rows else (seq, "")


def chained(
    read: Read, drafts: list[ChangeEvent], store: cypher_gen.StoreKind
) -> list[dict[str, Any]]:
    """Number and hash-chain ``drafts`` after the current head, as node rows (not yet written)."""
    if not drafts:
        return []
    seq, prev = head(read, store)
    return chain_rows(drafts, seq, prev)


def append(
    read: Read, write: Write, drafts: list[ChangeEvent], store: cypher_gen.StoreKind
) -> list[dict[str, Any]]:
    """Number, hash-chain and write ``drafts`` after the current head (CREATE: always new);
    the event rows written (the last one is the new head)."""
    rows = chained(read, drafts, store)
    if rows:
        write(cypher_gen.node_create(store, SCHEMA.node(AUDIT_LABEL)), {"rows": rows})
    return rows


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
