"""LadybugDB's keyed write path: a batch below the bulk size costs what the batch is, not the store.

:class:`~graph.stores.ladybug_store.LadybugStore` writes a batch smaller than
:data:`~graph.stores.bulk_thresholds.BULK_MIN_ROWS` here, in one transaction. What the batch
touches is read by primary-key lookups only (:func:`graph.audit.diff.read_state`: the rows of the
keys it upserts or deletes, the edges leaving the source keys it links or unlinks), and the same
reads give both the audit events and the delta written:

* a node that does not exist is ``CREATE``-d, one whose properties differ is updated by a keyed
  ``MATCH … SET``, an unchanged one is not written (``MERGE`` on LadybugDB 0.22 hash-joins a scan
  of the whole label: 0.17 s per statement at 100k systems); rows travel as Arrow tables read by
  ``LOAD FROM`` (about 7x faster than an ``UNWIND`` of the same rows as a list parameter);
* per relationship group, only the sources whose edge set changes are rewritten: their stored
  edges deleted (keyed), the edges the batch leaves them created between ends found by key;
* deletes are keyed ``DETACH DELETE``.

Every statement is a primary-key lookup per row (checked with ``EXPLAIN`` in
tests/queries/test_plans.py) and the result is the graph the ``MERGE`` statements gave
(tests/scale/test_keyed.py compares exports).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from graph import cypher_gen
from graph.audit import AUDIT_LABEL
from graph.audit.diff import EdgeId, State
from graph.errors import WriteFailed
from graph.schema import SCHEMA, NodeType, RelType
from graph.stores.base import WriteBatch, key_list, row_chunks

Run = Callable[[str, dict[str, Any]], list[dict[str, Any]]]
CHUNK = 5_000  # rows per statement


def apply(run: Run, batch: WriteBatch, state: State) -> None:
    """Write the batch's delta against ``state`` (read in this transaction, before any write)."""
    deleted = {(d.label, str(k)) for d in batch.delete for k in key_list(d.keys)}
    for d in batch.delete:
        if len(d.keys):
            run(cypher_gen.node_delete(SCHEMA.node(d.label)), {"keys": key_list(d.keys)})
    for n in batch.nodes:
        node = SCHEMA.node(n.label)
        if n.label == AUDIT_LABEL:  # an export's log restored onto a log that survived a clear
            for chunk in row_chunks(n.rows, CHUNK):
                run(cypher_gen.node_upsert("ladybug", node), {"rows": chunk})
            continue
        have = state.nodes.get(n.label, {})
        rows: dict[str, dict[str, Any]] = {}
        for chunk in row_chunks(n.rows, CHUNK):
            rows.update((str(r[node.key]), r) for r in chunk)  # the last row of a key wins
        create: list[dict[str, Any]] = []
        update: dict[frozenset[str], list[dict[str, Any]]] = {}  # changed properties -> rows
        for key, row in rows.items():
            old = have.get(key)
            if old is None or (n.label, key) in deleted:
                create.append(row)
                continue
            changed = frozenset(p for p in node.prop_names if old.get(p) != row.get(p))
            if changed:
                update.setdefault(changed, []).append(row)
        schema = node_columns(node)
        if create:
            _counted(run, cypher_gen.node_create_from(node), create, schema, f"{n.label}: create")
        for changed, group in sorted(update.items(), key=lambda u: sorted(u[0])):
            # only the changed columns: LadybugDB's checkpoint rewrites every column a SET
            # touches, in every node group it touches (1% of 2M evidence items, every column
            # SET: 4 s of checkpoint; only the changed one: see docs/performance.md)
            query = cypher_gen.node_update_from(node, changed)
            cols = _columns(schema, node.key, changed)
            _counted(run, query, group, cols, f"{n.label}: update")
    for (rel_type, src, dst), (stored, edges) in _changed_sources(state, deleted).items():
        rel = SCHEMA.rel(rel_type)
        if stored:
            run(cypher_gen.edge_delete_from(rel, src, dst), {"keys": sorted(stored)})
        if edges:
            query = cypher_gen.edge_create_from(rel, src, dst)
            got = _run_counted(run, query, edges, edge_columns(rel))
            if got != len(edges):
                raise WriteFailed(
                    f"{rel_type} ({src})->({dst}): {len(edges) - got} of {len(edges)} rows name "
                    "an endpoint that does not exist"
                )


def node_keys(n: Any) -> list[Any]:
    """The keys of a NodeRows group (list rows or an Arrow table)."""
    key = SCHEMA.node(n.label).key
    return [r[key] for chunk in row_chunks(n.rows, CHUNK) for r in chunk]


def create_nodes(run: Run, node: NodeType, rows: list[dict[str, Any]]) -> None:
    """Create nodes the caller knows are new (the read model's cells) from Arrow, in chunks."""
    if rows:
        _counted(run, cypher_gen.node_create_from(node), rows, node_columns(node), node.label)


def node_columns(node: NodeType) -> Any:
    from graph.stores.arrow_tables import node_schema

    return node_schema(node)


def edge_columns(rel: RelType) -> Any:
    from graph.stores.arrow_tables import edge_schema

    return edge_schema(rel)


def load_from(rows: list[dict[str, Any]], schema: Any) -> Any:
    """Rows as the Arrow table ``LOAD FROM $data`` reads: typed columns named c0, c1, …"""
    import pyarrow as pa  # type: ignore[import-untyped]  # only when a batch is written

    try:
        table = pa.Table.from_pylist(rows, schema)
    except (pa.ArrowException, OverflowError) as e:  # a value Arrow cannot hold, like the engine
        raise WriteFailed(f"LadybugDB refused the write; nothing was written: {e}") from None
    return table.rename_columns([f"c{i}" for i in range(table.num_columns)])


def _columns(schema: Any, key: str, changed: frozenset[str]) -> Any:
    """The Arrow schema of an update of ``changed``: the key and those columns, in schema order."""
    import pyarrow as pa

    return pa.schema([f for f in schema if f.name == key or f.name in changed])


def _changed_sources(
    state: State, deleted: set[tuple[str, str]]
) -> dict[tuple[str, str, str], tuple[set[str], list[dict[str, Any]]]]:
    """Per relationship group: the sources whose edges change and have stored edges (to delete),
    and the rows of every edge those sources have after the write (to create)."""
    changed: dict[tuple[str, str, str], set[str]] = {}
    for i in set(state.before) | set(state.after):
        # an edge at a node deleted in this batch went with the node: rewrite its source too
        moved = state.before.get(i) != state.after.get(i)
        if moved or (i[1], i[3]) in deleted or (i[2], i[4]) in deleted:
            changed.setdefault(_group(i), set()).add(i[3])
    out: dict[tuple[str, str, str], tuple[set[str], list[dict[str, Any]]]] = {}
    for g, sources in sorted(changed.items()):
        out[g] = ({i[3] for i in state.before if _group(i) == g and i[3] in sources}, [])
    for i, props in sorted(state.after.items()):
        g = _group(i)
        if g in out and i[3] in changed[g]:
            out[g][1].append({"src": i[3], "dst": i[4], **props})
    return out


def _group(i: EdgeId) -> tuple[str, str, str]:
    return i[0], i[1], i[2]


def _run_counted(run: Run, query: str, rows: list[dict[str, Any]], schema: Any) -> int:
    got = 0
    for start in range(0, len(rows), CHUNK * 10):
        result = run(query, {"data": load_from(rows[start : start + CHUNK * 10], schema)})
        got += int(result[0]["n"]) if result else 0
    return got


def _counted(run: Run, query: str, rows: list[dict[str, Any]], schema: Any, what: str) -> None:
    if _run_counted(run, query, rows, schema) != len(rows):
        raise WriteFailed(f"{what}: rows changed while the batch was written")
