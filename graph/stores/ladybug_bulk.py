"""LadybugDB bulk write path for large batches: diff against the store, COPY what is new.

:class:`~graph.stores.ladybug_store.LadybugStore` routes a batch of at least
:data:`BULK_MIN_ROWS` rows here, inside the same ``BEGIN TRANSACTION … COMMIT`` as the MERGE
path (LadybugDB runs ``COPY`` inside a transaction and rolls it back with it), so the guarantees
of ``Store.write`` hold unchanged: the batch was validated against the schema before, and it
lands whole or not at all. Per node label and per relationship endpoint pair:

* nodes: the store's rows are read as Arrow and compared with the incoming ones (every property,
  nulls included); new keys are ``COPY``-ed, changed rows updated by a keyed ``LOAD FROM … MATCH
  … SET``, unchanged rows not touched (duplicates in the batch: the last row wins, as with MERGE);
* edges: for every source node the batch unlinks or links, the desired edge set (the batch's rows,
  plus the store's other edges where the batch only adds) is compared with the stored one; only
  sources whose set differs are unlinked and their edges ``COPY``-ed. Rows are deduplicated first
  (a duplicate relationship in a COPY silently becomes a parallel edge), and an edge naming a
  node that does not exist fails the whole batch, as on the MERGE path.

The engine's errors (a duplicate key, a COPY that fails) reach the store's transaction wrapper,
which rolls back and raises ``WriteFailed``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.compute as pc  # type: ignore[import-untyped]

from graph import cypher_gen
from graph.errors import WriteFailed
from graph.schema import SCHEMA, NodeType, PropType, RelType
from graph.stores.base import Row, WriteBatch

BULK_MIN_ROWS = 5_000
NULL, SEP = "\x00", "\x1f"
ARROW: dict[PropType, Any] = {
    PropType.STRING: pa.string(), PropType.INT: pa.int64(), PropType.FLOAT: pa.float64(),
    PropType.BOOL: pa.bool_(), PropType.DATE: pa.date32(),
    PropType.STRINGS: pa.list_(pa.string()),
}  # fmt: skip
EdgeKey = tuple[str, str, str]


class _Conn:
    """The store's connection, seen as: run a statement, or run one and read it as Arrow."""

    def __init__(self, conn: Any) -> None:
        self.conn = conn
        self.keys: dict[str, Any] = {}

    def run(self, text: str, params: dict[str, Any] | None = None) -> list[list[Any]]:
        return self.conn.execute(text, params or {}).get_all()  # type: ignore[no-any-return]

    def arrow(self, text: str, schema: Any) -> Any:
        table = self.conn.execute(text).get_as_arrow(chunk_size=0)
        return table.cast(schema) if table.num_rows else schema.empty_table()

    def node_keys(self, label: str) -> Any:
        if label not in self.keys:
            node = SCHEMA.node(label)
            schema = pa.schema([("k", pa.string())])
            self.keys[label] = self.arrow(cypher_gen.list_keys(node), schema)["k"]
        return self.keys[label]


def bulk_write(conn: Any, batch: WriteBatch) -> None:
    """Apply a prepared batch (see :func:`graph.stores.base.prepared_batch`) in the caller's
    transaction: deletes, then node upserts, then unlinks and edge upserts."""
    try:
        _apply(_Conn(conn), batch)
    except (pa.ArrowException, OverflowError) as e:  # a value Arrow cannot hold, like the engine
        raise WriteFailed(f"LadybugDB refused the write; nothing was written: {e}") from None


def _apply(db: _Conn, batch: WriteBatch) -> None:
    for d in batch.delete:
        if d.keys:
            db.run(cypher_gen.node_delete(SCHEMA.node(d.label)), {"keys": d.keys})
    for group in batch.nodes:
        if group.rows:
            _upsert_nodes(db, SCHEMA.node(group.label), group.rows)
    db.keys.clear()
    for (rel_type, src, dst), (unlink, rows) in _edge_groups(batch).items():
        _replace_edges(db, SCHEMA.rel(rel_type), src, dst, unlink, rows)


def _edge_groups(batch: WriteBatch) -> dict[EdgeKey, tuple[list[str], list[Row]]]:
    groups: dict[EdgeKey, tuple[list[str], list[Row]]] = {}
    for u in batch.unlink:
        groups.setdefault((u.type, u.src, u.dst), ([], []))[0].extend(u.keys)
    for e in batch.edges:
        groups.setdefault((e.type, e.src, e.dst), ([], []))[1].extend(e.rows)
    return groups


def _flat(values: Any) -> Any:
    return values.combine_chunks() if isinstance(values, pa.ChunkedArray) else values


def _text(column: Any) -> Any:
    """A column as comparable text: null is NULL, lists joined (null list = empty list)."""
    if pa.types.is_list(column.type):
        return pc.fill_null(pc.binary_join(column, "\x1e"), "")
    if not pa.types.is_string(column.type):
        column = pc.cast(column, pa.string())
    return pc.fill_null(column, NULL)


def _with_sig(table: Any, columns: list[str]) -> Any:
    """The table plus a ``_sig`` column: every given column's value, joined."""
    parts = [_text(table[c]) for c in columns]
    sig = pc.binary_join_element_wise(*parts, SEP) if len(parts) > 1 else parts[0]
    return table.append_column("_sig", sig)


def _anti(left: Any, right: Any, keys: list[str]) -> Any:
    """Rows of ``left`` with no row of ``right`` equal on ``keys`` (order kept)."""
    if right.num_rows == 0 or left.num_rows == 0:
        return left
    probe = left.select(keys).append_column("_row", pa.array(np.arange(left.num_rows)))
    kept = probe.join(right.select(keys), keys=keys, join_type="left anti", use_threads=False)
    rows = _flat(kept["_row"])
    return left.take(pc.take(rows, pc.array_sort_indices(rows)))


def _upsert_nodes(db: _Conn, node: NodeType, rows: list[Row]) -> None:
    schema = pa.schema([(p.name, ARROW[p.type]) for p in node.props])
    last = list({r[node.key]: r for r in rows}.values())
    names = list(schema.names)
    incoming = _with_sig(pa.Table.from_pylist(last, schema), names)
    existing = _with_sig(db.arrow(cypher_gen.dump_nodes(node), schema), names)
    fresh = _anti(incoming, existing, [node.key, "_sig"]).drop_columns(["_sig"])
    known = pc.is_in(fresh[node.key], value_set=existing[node.key])
    new, changed = fresh.filter(pc.invert(known)), fresh.filter(known)
    if new.num_rows:
        db.run(cypher_gen.copy_from(node.label), {"data": new})
    if changed.num_rows:
        data = changed.rename_columns([f"c{i}" for i in range(len(names))])
        got = db.run(cypher_gen.node_update_from(node), {"data": data})[0][0]
        if got != changed.num_rows:
            raise WriteFailed(f"{node.label}: {changed.num_rows - got} rows vanished mid-write")


def _edge_schema(rel: RelType) -> Any:
    fields = [("src", pa.string()), ("dst", pa.string())]
    return pa.schema(fields + [(p.name, ARROW[p.type]) for p in rel.props])


def _desired(rel: RelType, existing: Any, incoming: Any, unlink: Any) -> tuple[Any, Any]:
    """(the desired edges of every source in scope, the stored edges of those sources)."""
    scope = pa.concat_arrays([unlink, _flat(pc.unique(incoming["src"]))])
    kept = existing.filter(pc.invert(pc.is_in(existing["src"], value_set=unlink)))
    kept = kept.filter(pc.is_in(kept["src"], value_set=incoming["src"]))
    kept = _anti(kept, incoming, ["src", "dst", *rel.key])
    desired = pa.concat_tables([incoming, kept])
    return desired, existing.filter(pc.is_in(existing["src"], value_set=scope))


def _replace_edges(
    db: _Conn, rel: RelType, src: str, dst: str, unlink: list[str], rows: list[Row]
) -> None:
    schema = _edge_schema(rel)
    names = list(schema.names)
    incoming = pa.Table.from_pylist(rows, schema)
    existing = db.arrow(cypher_gen.dump_edges(rel, src, dst), schema)
    desired, stored = _desired(rel, existing, incoming, pa.array(unlink, pa.string()))
    desired, stored = _with_sig(desired, names), _with_sig(stored, names)
    removed = _anti(stored, desired, ["src", "_sig"])["src"]
    added = _anti(desired, stored, ["src", "_sig"])["src"]
    changed = pc.unique(pa.concat_arrays([_flat(removed), _flat(added)]))
    if len(changed) == 0:
        return
    copy = desired.filter(pc.is_in(desired["src"], value_set=changed)).drop_columns(["_sig"])
    _check_endpoints(db, rel, src, dst, copy)
    db.run(cypher_gen.edge_delete_from(rel, src, dst), {"keys": changed.to_pylist()})
    if copy.num_rows:
        data = copy.rename_columns(["from", "to", *names[2:]])
        db.run(cypher_gen.copy_from(rel.type, src, dst), {"data": data})


def _check_endpoints(db: _Conn, rel: RelType, src: str, dst: str, edges: Any) -> None:
    ok = pc.and_(
        pc.is_in(edges["src"], value_set=db.node_keys(src)),
        pc.is_in(edges["dst"], value_set=db.node_keys(dst)),
    )
    bad = edges.num_rows - pc.sum(ok).as_py() if edges.num_rows else 0
    if bad:
        raise WriteFailed(
            f"{rel.type} ({src})->({dst}): {bad} of {edges.num_rows} rows name an endpoint "
            "that does not exist"
        )
