"""LadybugDB's side of the audit log: the events of a write, read and appended on a connection
inside the write's transaction (small path) or inside the staged copy (stage-and-swap)."""

from __future__ import annotations

from typing import Any

from graph import cypher_gen
from graph.audit import AUDIT_LABEL, log
from graph.audit.diff import Read, State
from graph.audit.events import ChangeEvent, Source, chain_rows, event_id
from graph.schema import SCHEMA
from graph.stores.base import DeleteNodes, EdgeRows, NodeRows, Row, Unlink, WriteBatch
from queries.registry import default_registry


def reader(conn: Any) -> Read:
    def read(text: str, params: dict[str, Any]) -> list[Row]:
        result = conn.execute(text, params)
        result = result[-1] if isinstance(result, list) else result
        names = result.get_column_names()
        return [dict(zip(names, row, strict=True)) for row in result.get_all()]

    return read


def writer(conn: Any) -> log.Write:
    return lambda text, params: conn.execute(text, params)


def drafts(conn: Any, batch: WriteBatch, state: State | None = None) -> list[ChangeEvent]:
    """The batch's events, from the rows it touches as they stand now (call before writing;
    ``state``: those rows, if the caller read them already, as the keyed path does)."""
    return log.record_batch(reader(conn), batch, state)


# At least this many events on the staged copy go in with one COPY from an Arrow table, like the
# data beside them (a 100k-row first import logs about as many events); fewer are CREATE-d from
# an Arrow table read by LOAD FROM.
COPY_MIN_EVENTS = 1_000


def append(
    conn: Any,
    events: list[ChangeEvent],
    write: log.Write | None = None,
    hint: tuple[int, str] | None = None,
) -> tuple[int, str]:
    """Chain and write the events after the head read on ``conn`` (written on ``write``, the
    staged copy, if given, else on ``conn``): the head found by key (:func:`head`), the rows
    chained by :func:`~graph.audit.events.chain_rows`. ``hint``: the head this store last wrote,
    checked by key before it is used. Returns the head (seq, hash) after the events."""
    from graph.stores.ladybug_keyed import load_from, node_columns

    seq, prev = head(reader(conn), hint)
    if not events:
        return seq, prev
    node = SCHEMA.node(AUDIT_LABEL)
    rows = chain_rows(events, seq, prev)
    if write is not None and len(rows) >= COPY_MIN_EVENTS:
        import pyarrow as pa  # type: ignore[import-untyped]  # the staged path has it loaded

        table = pa.Table.from_pylist(rows, schema=node_columns(node))
        write(cypher_gen.copy_from(AUDIT_LABEL), {"data": table})
    else:
        query = cypher_gen.node_create_from(node)
        (write or writer(conn))(query, {"data": load_from(rows, node_columns(node))})
    return int(rows[-1]["seq"]), str(rows[-1]["hash"])


# Probing for the head: the candidates of one round, spread over the range still unknown.
_PROBES = 64


def head(read: Read, hint: tuple[int, str] | None = None) -> tuple[int, str]:
    """(seq, hash) of the newest event by primary-key lookups only, whatever the log's size.

    Sequence numbers run 1, 2, 3 … without gaps (the chain's invariant, checked by ``audit
    verify``) and an event's key is its zero-padded seq, so "event n exists" is true up to the
    head and false after it: the head is found by probing keys (query ``audit.events_by_key``),
    64 at a time, first at powers of two, then spread over the interval left (about four round
    trips for ten million events) instead of aggregating the whole log's ``seq`` column
    (``audit.last_seq``, which graph/audit/log.py and the Neo4j store use). With a ``hint`` (the
    head this store wrote last) one round trip confirms it.
    """
    text = default_registry().get("audit.events_by_key", "ladybug").text
    found: dict[int, str] = {}

    def probe(seqs: list[int]) -> None:
        ids = [event_id(n) for n in seqs]
        found.update({int(r["seq"]): str(r["hash"]) for r in read(text, {"ids": ids})})

    if hint and hint[0]:  # one round trip: the hinted event is there and none after it
        probe([hint[0], hint[0] + 1])
        if found == {hint[0]: hint[1]}:
            return hint
        found.clear()

    probe([1 << i for i in range(48)])
    if not found:
        return 0, ""
    lo = max(found)  # exists
    hi = lo * 2  # does not: the powers of two above lo were probed
    while hi - lo > 1:
        step = max(1, (hi - lo) // _PROBES)
        points = list(range(lo + step, hi, step))
        probe(points)
        lo = max([n for n in points if n in found] + [lo])
        hi = min([n for n in points if n > lo and n not in found] + [hi])
    return lo, found[lo]


def delta_batch(delta: Any, source: Source | None) -> WriteBatch:
    """A bulk plan (ladybug_bulk.Delta) as the small batch of rows that actually change, so the
    diff reads only the changed keys (1% changed of 100k: 1k rows, not 100k)."""
    nodes = [NodeRows(n.label, t.to_pylist()) for n, t in delta.new + delta.changed]
    edges = [EdgeRows(e.rel.type, e.src, e.dst, e.rows.to_pylist()) for e in delta.edges]
    unlink = [Unlink(e.rel.type, e.src, e.dst, list(e.sources)) for e in delta.edges if e.sources]
    delete = [DeleteNodes(d.label, d.keys) for d in delta.delete]
    return WriteBatch(nodes, edges, unlink, delete, source)
