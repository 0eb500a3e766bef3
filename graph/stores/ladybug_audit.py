"""LadybugDB's side of the audit log: the events of a write, read and appended on a connection
inside the write's transaction (small path) or inside the staged copy (stage-and-swap)."""

from __future__ import annotations

import bisect
from typing import Any

from graph import cypher_gen
from graph.audit import AUDIT_LABEL, diff, log
from graph.audit.columns import Chain, Draft, Rows
from graph.audit.diff import Read, State
from graph.audit.events import ChangeEvent, Source, event_id, utc_now
from graph.errors import WriteFailed
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
# Events per COPY (or CREATE) statement: each statement costs far more than its share of rows
# (at 10k systems, 400k events took ~7 s in one COPY and ~14 s in four), so they go in as few
# statements as memory allows: ~0.5 GB of Arrow at ~1 kB an event. Python objects exist for
# one chunk of graph.audit.columns.CHUNK events at a time.
STATEMENT_EVENTS = 500_000


def append(
    conn: Any,
    events: list[Draft],
    write: log.Write | None = None,
    hint: tuple[int, str] | None = None,
) -> tuple[int, str]:
    """Chain and write the events after the head read on ``conn`` (written on ``write``, the
    staged copy, if given, else on ``conn``): the head found by key (:func:`head`), the events
    numbered and hashed a chunk of columns at a time (graph/audit/columns.py) and written
    :data:`STATEMENT_EVENTS` at a time, so a first import's events are never all in memory at
    once. ``hint``: the head this store last wrote, checked by key before it is used. Returns
    the head (seq, hash) after the events."""
    import pyarrow as pa  # type: ignore[import-untyped]  # a write has it loaded already

    from graph.stores.ladybug_keyed import node_columns

    seq, prev = head(reader(conn), hint)
    if not events:
        return seq, prev
    node = SCHEMA.node(AUDIT_LABEL)
    schema = node_columns(node)
    run = write or writer(conn)
    pending: list[Any] = []

    def flush() -> None:
        table = pa.Table.from_batches(pending, schema=schema)
        pending.clear()
        if write is not None and table.num_rows >= COPY_MIN_EVENTS:
            run(cypher_gen.copy_from(AUDIT_LABEL), {"data": table})
        else:
            names = [f"c{i}" for i in range(table.num_columns)]
            run(cypher_gen.node_create_from(node), {"data": table.rename_columns(names)})

    chain = Chain(seq, prev)
    for cols in chain.chunks(events):
        try:
            arrays = [pa.array(cols.pop(p.name), schema.field(p.name).type) for p in node.props]
        except (pa.ArrowException, OverflowError) as e:  # like the engine: nothing written
            raise WriteFailed(f"LadybugDB refused the write; nothing was written: {e}") from None
        pending.append(pa.RecordBatch.from_arrays(arrays, schema=schema))
        if sum(b.num_rows for b in pending) >= STATEMENT_EVENTS:
            flush()
    if pending:
        flush()
    return chain.seq, chain.prev


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


def delta_drafts(conn: Any, delta: Any, source: Source | None) -> list[Draft]:
    """The events of a bulk plan (ladybug_bulk.Delta), to write with :func:`append`.

    Nodes new to the store and the links leaving them are drafted straight from the plan's
    Arrow tables (``created`` / ``linked`` :class:`~graph.audit.columns.Rows`: nothing to read
    or compare, their rows are the fields); the rest — changed rows, deletes, the edges of
    stored sources — is diffed against the rows it touches (only those keys are read).
    The order is the diff's: deleted, created, updated, then links by edge id.
    A label deleted and written again in one plan (an import) goes through the diff whole: its
    rows are net updates. A plan that writes log rows (restoring an export's log) logs nothing."""
    import pyarrow as pa
    import pyarrow.compute as pc  # type: ignore[import-untyped]

    if any(n.label == AUDIT_LABEL for n, _ in delta.new + delta.changed):
        return []
    src = source or log.default_source()
    at = utc_now()
    deleted = {d.label for d in delta.delete}
    fresh = [(n, t) for n, t in delta.new if n.label not in deleted]
    new_keys: dict[str, Any] = {}
    for n, t in fresh:
        new_keys.setdefault(n.label, []).append(t[n.key])
    fast: dict[tuple[str, str, str], Any] = {}
    slow_edges: list[EdgeRows] = []
    for e in delta.edges:
        rows = e.rows
        if e.src in new_keys and rows.num_rows:
            keys = pa.chunked_array(new_keys[e.src]).combine_chunks()
            mine = pc.is_in(rows["src"], value_set=keys)
            fast[(e.rel.type, e.src, e.dst)] = rows.filter(mine)
            rows = rows.filter(pc.invert(mine))
        if rows.num_rows:
            slow_edges.append(EdgeRows(e.rel.type, e.src, e.dst, rows.to_pylist()))
    rest = WriteBatch(
        [NodeRows(n.label, t.to_pylist()) for n, t in delta.new if n.label in deleted]
        + [NodeRows(n.label, t.to_pylist()) for n, t in delta.changed],
        slow_edges,
        [Unlink(e.rel.type, e.src, e.dst, list(e.sources)) for e in delta.edges if e.sources],
        [DeleteNodes(d.label, d.keys) for d in delta.delete],
        source,
    )
    state = diff.read_state(reader(conn), rest)
    nodes = diff.node_events(state, rest, src, at)
    out: list[Draft] = [e for e in nodes if e.change == "deleted"]
    for n, t in fresh:
        out.append(Rows(src, at, n.label, "created", t, tuple(t.column_names), key=n.key))
    out += [e for e in nodes if e.change != "deleted"]
    out += _link_drafts(fast, diff.edge_events(state, src, at), src, at)
    return out or [diff.draft(src, at, "", "", "noop", {})]


def _link_drafts(
    fast: dict[tuple[str, str, str], Any],
    diffed: list[tuple[diff.EdgeId, ChangeEvent]],
    source: Source,
    at: str,
) -> list[Draft]:
    """Link events in edge-id order: per (type, src, dst), the new sources' rows (sorted) merged
    with the diffed events of the group."""
    by_group: dict[tuple[str, str, str], list[tuple[diff.EdgeId, ChangeEvent]]] = {}
    for i, e in diffed:
        by_group.setdefault((i[0], i[1], i[2]), []).append((i, e))
    out: list[Draft] = []
    for group in sorted(set(fast) | set(by_group)):
        events = by_group.get(group, [])
        table = fast.get(group)
        if table is None or not table.num_rows:
            out += [e for _, e in events]
            continue
        rel = SCHEMA.rel(group[0])
        table, ids = _sorted_links(table, rel.key, bool(events))
        kind = f"{group[0]}({group[1]}->{group[2]})"

        def rows(part: Any, kind: str = kind, rel: Any = rel) -> Rows:
            return Rows(source, at, kind, "linked", part, rel.prop_names, link_key=rel.key)

        start = 0
        for i, e in events:  # the diffed events go between the sorted new rows
            stop = bisect.bisect_left(ids, i[3:])
            if stop > start:
                out.append(rows(table.slice(start, stop - start)))
                start = stop
            out.append(e)
        if start < table.num_rows:
            out.append(rows(table.slice(start)))
    return out


def _sorted_links(table: Any, key: tuple[str, ...], ids: bool) -> tuple[Any, list[Any]]:
    """The rows in edge-id order (src, dst, key part as text: what the diff sorts by) and, if
    ``ids``, those ids."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if not key and not ids:  # bytewise (Arrow) and code point (Python) string order agree
        keys = [("src", "ascending"), ("dst", "ascending")]
        return table.take(pc.sort_indices(table, sort_keys=keys)), []
    src, dst = table["src"].to_pylist(), table["dst"].to_pylist()
    parts = [
        "|".join(str(v) for v in vs)
        for vs in zip(*(table[k].to_pylist() for k in key), strict=True)
    ]
    found = [
        (str(s), str(d), p) for s, d, p in zip(src, dst, parts or [""] * len(src), strict=True)
    ]
    order = sorted(range(len(found)), key=found.__getitem__)
    return table.take(pa.array(order, pa.int64())), [found[i] for i in order]


def delta_batch(delta: Any, source: Source | None) -> WriteBatch:
    """A bulk plan (ladybug_bulk.Delta) as the small batch of rows that actually change, so the
    diff reads only the changed keys (1% changed of 100k: 1k rows, not 100k)."""
    nodes = [NodeRows(n.label, t.to_pylist()) for n, t in delta.new + delta.changed]
    edges = [EdgeRows(e.rel.type, e.src, e.dst, e.rows.to_pylist()) for e in delta.edges]
    unlink = [Unlink(e.rel.type, e.src, e.dst, list(e.sources)) for e in delta.edges if e.sources]
    delete = [DeleteNodes(d.label, d.keys) for d in delta.delete]
    return WriteBatch(nodes, edges, unlink, delete, source)
