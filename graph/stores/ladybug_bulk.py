"""LadybugDB bulk write path for large batches: diff against the store, write only the delta.

:class:`~graph.stores.ladybug_store.LadybugStore` routes a batch of at least
:data:`BULK_MIN_ROWS` rows here. The work is split in two:

* :func:`plan` only *reads* the store. Per node label, the store's rows are read as Arrow and
  compared with the incoming ones (every property, nulls included): new keys, changed rows, and
  unchanged rows (not touched). Per relationship endpoint pair, for every source node the batch
  unlinks or links, the desired edge set (the batch's rows, plus the store's other edges where the
  batch only adds) is compared with the stored one; only sources whose set differs are rewritten.
  Rows are deduplicated first (a duplicate relationship in a COPY silently becomes a parallel
  edge; duplicate nodes: the last row wins), and an edge naming a node that will not exist fails
  the whole batch (``WriteFailed``) before anything is written.
* The :class:`Delta` is then written either by :func:`apply_copy` (``COPY`` new rows, a keyed
  ``LOAD FROM … SET`` for changed ones, delete and re-``COPY`` changed edge sets), which the
  store runs in a *staged copy* of the database and swaps in atomically (a ``COPY`` inside a
  LadybugDB 0.22 transaction rolls back on error but is not crash-atomic), or, for a small delta,
  by :func:`apply_live` in one ordinary transaction on the live store (``LOAD FROM`` the same
  Arrow tables, a keyed ``CREATE`` or ``SET`` per row).

An unchanged re-load therefore writes nothing at all.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.compute as pc  # type: ignore[import-untyped]

from graph import cypher_gen
from graph.errors import WriteFailed
from graph.schema import SCHEMA, NodeType, RelType
from graph.stores.arrow_tables import ARROW, edge_schema, last_per_key, node_schema
from graph.stores.base import DeleteNodes, WriteBatch, key_list
from graph.stores.bulk_thresholds import BULK_MIN_ROWS, LIVE_MAX_ROWS, LIVE_SHARE

NULL, SEP = "\x00", "\x1f"
EdgeKey = tuple[str, str, str]
Run = Callable[[str, dict[str, Any]], list[list[Any]]]
__all__ = ["ARROW", "BULK_MIN_ROWS", "LIVE_MAX_ROWS", "LIVE_SHARE", "Delta", "apply_copy",
           "apply_live", "plan"]  # fmt: skip


@dataclass
class EdgeDelta:
    rel: RelType
    src: str
    dst: str
    sources: list[str]  # every edge of these sources is deleted, then ``rows`` written
    rows: Any  # Arrow table: src, dst, properties


@dataclass
class Delta:
    delete: list[DeleteNodes] = field(default_factory=list)
    new: list[tuple[NodeType, Any]] = field(default_factory=list)
    changed: list[tuple[NodeType, Any]] = field(default_factory=list)
    edges: list[EdgeDelta] = field(default_factory=list)
    stored: int = 0  # rows (nodes and edges) the plan read from the store

    def size(self) -> int:
        return int(
            sum(len(d.keys) for d in self.delete)
            + sum(t.num_rows for _, t in self.new + self.changed)
            + sum(len(e.sources) + e.rows.num_rows for e in self.edges)
        )


class _Reader:
    """The store's connection, read-only: run a statement as Arrow."""

    def __init__(self, conn: Any) -> None:
        self.conn = conn
        self.keys: dict[str, Any] = {}
        self.rows_read = 0

    def arrow(self, text: str, schema: Any) -> Any:
        table = self.conn.execute(text).get_as_arrow(chunk_size=0)
        self.rows_read += table.num_rows
        return table.cast(schema) if table.num_rows else schema.empty_table()

    def node_keys(self, label: str) -> Any:
        return self.index(label)[0]

    def index(self, label: str) -> tuple[Any, Any]:
        """(every key of the label, as Arrow; numpy array: row offset -> position in keys)."""
        if label not in self.keys:
            node = SCHEMA.node(label)
            schema = pa.schema([("k", pa.string()), ("o", pa.int64())])
            table = self.arrow(cypher_gen.node_offsets(node), schema)
            offsets = table["o"].to_numpy()
            where = np.full(int(offsets.max()) + 1 if len(offsets) else 0, -1, dtype=np.int64)
            where[offsets] = np.arange(len(offsets))
            self.keys[label] = (_flat(table["k"]), where)
        return self.keys[label]  # type: ignore[no-any-return]


def _wrap_arrow_errors(fn: Callable[[], Any]) -> Any:
    try:
        return fn()
    except (pa.ArrowException, OverflowError) as e:  # a value Arrow cannot hold, like the engine
        raise WriteFailed(f"LadybugDB refused the write; nothing was written: {e}") from None


def plan(conn: Any, batch: WriteBatch) -> Delta:
    """What a prepared batch (:func:`graph.stores.base.prepared_batch`) changes; reads only."""
    return _wrap_arrow_errors(lambda: _plan(_Reader(conn), batch))  # type: ignore[no-any-return]


def _plan(db: _Reader, batch: WriteBatch) -> Delta:
    delta = Delta(delete=[d for d in batch.delete if len(d.keys)])
    gone: dict[str, Any] = {}
    for d in delta.delete:
        gone[d.label] = pa.array(key_list(d.keys), pa.string())
    for group in batch.nodes:
        table = _as_table(group.rows, node_schema(SCHEMA.node(group.label)))
        if table.num_rows:
            _diff_nodes(db, delta, SCHEMA.node(group.label), table, gone.get(group.label))
    after: dict[str, Any] = {}

    def keys_after(label: str) -> Any:
        if label not in after:
            keys = db.node_keys(label)
            if label in gone:
                keys = keys.filter(pc.invert(pc.is_in(keys, value_set=gone[label])))
            added = [_flat(t[SCHEMA.node(label).key]) for n, t in delta.new if n.label == label]
            after[label] = pa.concat_arrays([keys, *added])
        return after[label]

    for (rel_type, src, dst), (unlink, rows) in _edge_groups(batch).items():
        edge = _diff_edges(db, SCHEMA.rel(rel_type), src, dst, unlink, rows, gone.get(src))
        if edge is not None:
            _check_endpoints(edge, keys_after(src), keys_after(dst))
            delta.edges.append(edge)
    delta.stored = db.rows_read
    return delta


def _as_table(rows: Any, schema: Any) -> Any:
    if isinstance(rows, pa.Table):
        return rows.select(schema.names).cast(schema)
    return pa.Table.from_pylist(rows, schema)


def _edge_groups(batch: WriteBatch) -> dict[EdgeKey, tuple[list[Any], list[Any]]]:
    groups: dict[EdgeKey, tuple[list[Any], list[Any]]] = {}
    for u in batch.unlink:
        groups.setdefault((u.type, u.src, u.dst), ([], []))[0].append(u.keys)
    for e in batch.edges:
        groups.setdefault((e.type, e.src, e.dst), ([], []))[1].append(e.rows)
    return groups


def _flat(values: Any) -> Any:
    return values.combine_chunks() if isinstance(values, pa.ChunkedArray) else values


def _strings(keys: Any) -> Any:
    if isinstance(keys, pa.ChunkedArray | pa.Array):
        return _flat(keys).cast(pa.string())
    return pa.array(keys, pa.string())


def _text(column: Any) -> Any:
    """A column as comparable text: null is NULL, lists joined (null list = empty list)."""
    if pa.types.is_list(column.type):
        return pc.fill_null(pc.binary_join(column, "\x1e"), "")
    if not pa.types.is_string(column.type):
        column = pc.cast(column, pa.string())
    return pc.fill_null(column, NULL)


def _composite(table: Any, columns: list[str]) -> Any:
    """One comparable string per row from several columns (a relationship's identity)."""
    if len(columns) == 1 and pa.types.is_string(table.schema.field(columns[0]).type):
        return _flat(table[columns[0]])
    parts = [_text(table[c]) for c in columns]
    joined = pc.binary_join_element_wise(*parts, SEP) if len(parts) > 1 else parts[0]
    return _flat(joined)


def _differs(left: Any, right: Any, columns: list[str]) -> Any:
    """Row-aligned tables: True where any of the columns differs (null = null, [] = null)."""
    out = pa.array(np.zeros(left.num_rows, dtype=bool))
    for c in columns:
        a, b = _flat(left[c]), _flat(right[c])
        if pa.types.is_list(a.type):
            a, b = _text(a), _text(b)
        ne = pc.fill_null(pc.not_equal(a, b), False)
        ne = pc.or_(ne, pc.xor(pc.is_null(a), pc.is_null(b)))
        out = pc.or_(out, ne)
    return out


def _diff_nodes(db: _Reader, delta: Delta, node: NodeType, table: Any, gone: Any) -> None:
    names = list(node_schema(node).names)
    incoming = last_per_key(table, [node.key])
    existing = db.arrow(cypher_gen.dump_nodes(node, ordered=False), node_schema(node))
    if gone is not None:  # deleted first, so their keys are new again
        existing = existing.filter(pc.invert(pc.is_in(existing[node.key], value_set=gone)))
    pos = pc.index_in(incoming[node.key], value_set=_flat(existing[node.key]))
    known = pc.is_valid(pos)
    new = incoming.filter(pc.invert(known))
    both = incoming.filter(known)
    stored = existing.take(pc.filter(pos, known))
    changed = both.filter(_differs(both, stored, names))
    if new.num_rows:
        delta.new.append((node, new))
    if changed.num_rows:
        delta.changed.append((node, changed))


def _diff_edges(
    db: _Reader,
    rel: RelType,
    src: str,
    dst: str,
    unlinks: list[Any],
    row_sets: list[Any],
    gone: Any,
) -> EdgeDelta | None:
    schema = edge_schema(rel)
    identity = ["src", "dst", *rel.key]
    others = [p.name for p in rel.props if p.name not in rel.key]
    parts = [_as_table(r, schema) for r in row_sets]
    incoming = pa.concat_tables(parts) if parts else schema.empty_table()
    unlink = pa.concat_arrays([pa.array([], pa.string())] + [_strings(u) for u in unlinks])
    if rel.key:  # the identity includes key properties: compare (target, key) as text
        existing = db.arrow(cypher_gen.dump_edges(rel, src, dst, ordered=False), schema)
        (ex_s, in_s, un_s), sources = _codes([existing["src"], incoming["src"], unlink])
        (ex_d, in_d), targets = _codes([_composite(existing, identity[1:]),
                                        _composite(incoming, identity[1:])])  # fmt: skip

        def stored_table(rows: Any) -> Any:
            return existing.take(pa.array(rows))
    else:  # endpoints read as row offsets, mapped to positions in the labels' key arrays
        props = pa.schema([f for f in schema if f.name not in ("src", "dst")])
        offsets = pa.schema([("src", pa.int64()), ("dst", pa.int64()), *props])
        existing = db.arrow(cypher_gen.edge_offsets(rel, src, dst), offsets)
        skeys, swhere = db.index(src)
        dkeys, dwhere = db.index(dst)
        ex_s = swhere[existing["src"].to_numpy()]
        ex_d = dwhere[existing["dst"].to_numpy()]
        (in_s, un_s), sources = _codes_in(skeys, [incoming["src"], unlink])
        (in_d,), targets = _codes_in(dkeys, [incoming["dst"]])

        def stored_table(rows: Any) -> Any:
            picked = existing.take(pa.array(rows))
            ends = {"src": sources.take(pa.array(ex_s[rows])),
                    "dst": targets.take(pa.array(ex_d[rows]))}  # fmt: skip
            return pa.table({**ends, **{p.name: picked[p.name] for p in props}}, schema=schema)

    if gone is not None:  # a deleted source's edges go with it
        deleted = pc.is_in(sources, value_set=gone).to_numpy(zero_copy_only=False)
        keep = np.flatnonzero(~deleted[ex_s])
        existing, ex_s, ex_d = existing.take(pa.array(keep)), ex_s[keep], ex_d[keep]
    ns, nd = len(sources), max(len(targets), 1)
    ex_id, in_id = ex_s.astype(np.int64) * nd + ex_d, in_s.astype(np.int64) * nd + in_d
    unique, last = np.unique(in_id[::-1], return_index=True)
    if len(unique) < len(in_id):  # duplicates would be parallel edges in a COPY: last row wins
        keep = np.sort(len(in_id) - 1 - last)
        incoming = incoming.take(pa.array(keep))
        in_s, in_id = in_s[keep], in_id[keep]
    unlinked, linking = np.zeros(ns, dtype=bool), np.zeros(ns, dtype=bool)
    unlinked[un_s], linking[in_s] = True, True
    adds_only = linking & ~unlinked  # sources the batch links but does not unlink
    stored_rows = np.flatnonzero((unlinked | linking)[ex_s])
    st_s, st_id = ex_s[stored_rows], ex_id[stored_rows]
    desired, de_s, de_id = incoming, in_s, in_id
    if adds_only.any():  # ... keep their other stored edges
        kept = stored_rows[adds_only[st_s]]
        kept = kept[~np.isin(ex_id[kept], in_id)]
        desired = pa.concat_tables([incoming, stored_table(kept)])
        de_s, de_id = np.concatenate([in_s, ex_s[kept]]), np.concatenate([in_id, ex_id[kept]])
    order = np.argsort(st_id, kind="stable")
    pos = np.minimum(np.searchsorted(st_id[order], de_id), max(len(order) - 1, 0))
    found = (st_id[order][pos] == de_id) if len(order) else np.zeros(len(de_id), dtype=bool)
    match = order[pos[found]] if len(order) else np.zeros(0, dtype=np.int64)
    added = ~found
    if others and found.any():
        same = desired.filter(pa.array(found))
        moved = _differs(same, existing.take(pa.array(stored_rows[match])), others)
        added[np.flatnonzero(found)] |= moved.to_numpy(zero_copy_only=False)
    matched = np.zeros(len(st_id), dtype=bool)
    matched[match] = True
    changed = np.zeros(ns, dtype=bool)
    changed[de_s[added]] = True
    changed[st_s[~matched]] = True
    if not changed.any():
        return None
    rows = desired.filter(pa.array(changed[de_s]))
    has_edges = np.zeros(ns, dtype=bool)
    has_edges[st_s] = True  # the others have no edges to delete yet
    linked = sources.take(pa.array(np.flatnonzero(changed & has_edges))).to_pylist()
    return EdgeDelta(rel, src, dst, linked, rows)


def _codes_in(keys: Any, arrays: list[Any]) -> tuple[list[Any], Any]:
    """Codes for string arrays: a key's position in ``keys``, or a new code past the end for a
    value that is not a key (one dictionary for all arrays): (codes, keys + new values)."""
    flat = [_flat(a).cast(pa.string()) for a in arrays]
    codes = [pc.fill_null(pc.index_in(a, value_set=keys), -1).to_numpy(zero_copy_only=False)
             for a in flat]  # fmt: skip
    missing = [a.filter(pa.array(c < 0)) for a, c in zip(flat, codes, strict=True)]
    if not sum(len(m) for m in missing):
        return [c.astype(np.int64) for c in codes], keys
    extra_codes, new = _codes(missing)
    out = []
    for c, e in zip(codes, extra_codes, strict=True):
        c = c.astype(np.int64)
        c[c < 0] = len(keys) + e
        out.append(c)
    return out, pa.concat_arrays([keys, new])


def _codes(arrays: list[Any]) -> tuple[list[Any], Any]:
    """Dense integer codes for several string arrays, in one hash pass: (codes, dictionary)."""
    flat = [_flat(a).cast(pa.string()) for a in arrays]
    encoded = pc.dictionary_encode(pa.concat_arrays([pa.array([], pa.string()), *flat]))
    codes = encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64)
    return np.split(codes, np.cumsum([len(a) for a in flat])[:-1]), encoded.dictionary


def _check_endpoints(edge: EdgeDelta, src_keys: Any, dst_keys: Any) -> None:
    edges = edge.rows
    if not edges.num_rows:
        return
    ok = pc.and_(
        pc.is_in(edges["src"], value_set=src_keys), pc.is_in(edges["dst"], value_set=dst_keys)
    )
    bad = edges.num_rows - pc.sum(ok).as_py()
    if bad:
        raise WriteFailed(
            f"{edge.rel.type} ({edge.src})->({edge.dst}): {bad} of {edges.num_rows} rows name an "
            "endpoint that does not exist"
        )


def apply_copy(run: Run, delta: Delta) -> None:
    """Write a delta with COPY (run it on a staged copy of the store: see LadybugStore)."""
    _apply_deletes(run, delta)
    for node, table in delta.new:
        run(cypher_gen.copy_from(node.label), {"data": table})
    for node, table in delta.changed:
        data = table.rename_columns([f"c{i}" for i in range(table.num_columns)])
        got = run(cypher_gen.node_update_from(node), {"data": data})[0][0]
        if got != table.num_rows:
            raise WriteFailed(f"{node.label}: {table.num_rows - got} rows vanished mid-write")
    for e in delta.edges:
        if e.sources:
            run(cypher_gen.edge_delete_from(e.rel, e.src, e.dst), {"keys": e.sources})
        if e.rows.num_rows:
            data = e.rows.rename_columns(["from", "to", *e.rows.column_names[2:]])
            run(cypher_gen.copy_from(e.rel.type, e.src, e.dst), {"data": data})


def apply_live(run: Run, delta: Delta, chunk: int = 50_000) -> None:
    """Write a delta in the caller's transaction on the live store: new nodes ``CREATE``-d,
    changed ones ``SET`` and edge sets re-created, every row read from Arrow by ``LOAD FROM``
    with a keyed ``MATCH`` per row (graph/stores/ladybug_keyed.py writes the same way). ``MERGE``
    of an ``UNWIND``-ed list, which this used to run, hash-joins a scan of the whole label on
    LadybugDB 0.22 and sends every row as a Python value: 13,019 new findings took 4.4 s that
    way (docs/performance.md, "Findings")."""
    _apply_deletes(run, delta)
    for node, table in delta.new:
        _counted(run, cypher_gen.node_create_from(node), table, chunk, f"{node.label}: create")
    for node, table in delta.changed:
        _counted(run, cypher_gen.node_update_from(node), table, chunk, f"{node.label}: update")
    for e in delta.edges:
        if e.sources:
            run(cypher_gen.edge_delete_from(e.rel, e.src, e.dst), {"keys": e.sources})
        if e.rows.num_rows:
            query = cypher_gen.edge_create_from(e.rel, e.src, e.dst)
            what = f"{e.rel.type} ({e.src})->({e.dst}): rows name an endpoint that does not exist"
            _counted(run, query, e.rows, chunk, what)


def _counted(run: Run, query: str, table: Any, chunk: int, what: str) -> None:
    """Run ``query`` over ``table`` (columns renamed c0, c1, … as ``LOAD FROM`` reads them) in
    slices of ``chunk`` rows; every row must be written (``RETURN count(…)``)."""
    data = table.rename_columns([f"c{i}" for i in range(table.num_columns)])
    for start in range(0, data.num_rows, chunk):
        part = data.slice(start, chunk)
        got = run(query, {"data": part})[0][0]
        if got != part.num_rows:
            raise WriteFailed(f"{what} ({part.num_rows - got} of {part.num_rows} rows)")


def _apply_deletes(run: Run, delta: Delta) -> None:
    for d in delta.delete:
        run(cypher_gen.node_delete(SCHEMA.node(d.label)), {"keys": key_list(d.keys)})
