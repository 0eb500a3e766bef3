"""Cypher generated from the schema: DDL, upserts and the linter's view of the schema.

This is the only module that builds Cypher text from identifiers. Every identifier comes from
:data:`graph.schema.SCHEMA` (a label, relationship type or property declared there); values
always travel as ``$parameters``. Keep it that way: a test greps the rest of the code base for
f-strings that contain ``MATCH``/``MERGE``.

Where the stores differ the difference is named here:

* LadybugDB infers the type of a ``$rows`` list from its values; a column that is null in every
  row arrives as STRING and is refused by a DATE/INT64 column, so its SET list casts each value
  (``CAST(r.p AS DATE)``). Neo4j has no ``CAST`` and needs none.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from graph.schema import INTERNAL_NODES, SCHEMA, NodeType, PropType, RelType, Schema

StoreKind = Literal["ladybug", "neo4j"]


def ladybug_ddl(schema: Schema = SCHEMA) -> list[str]:
    """CREATE ... IF NOT EXISTS statements: applying them twice is a no-op."""
    stmts = []
    for n in schema.nodes + INTERNAL_NODES:
        cols = ", ".join(
            f"{p.name} {p.type.value}" + (" PRIMARY KEY" if p.name == n.key else "")
            for p in n.props
        )
        stmts.append(f"CREATE NODE TABLE IF NOT EXISTS {n.label}({cols})")
    for r in schema.rels:
        parts = [f"FROM {src} TO {dst}" for src, dst in r.endpoints]
        parts += [f"{p.name} {p.type.value}" for p in r.props]
        stmts.append(f"CREATE REL TABLE IF NOT EXISTS {r.type}({', '.join(parts)})")
    return stmts


# Neo4j only: each write transaction takes this node's lock first, so writers run one at a time
# as on LadybugDB (one writer). Under read-committed isolation two transactions could otherwise
# read the same change-log head or finding version and both commit (a seq collision, or a lost
# update). The node is store machinery, not the register: no schema type, never exported.
WRITE_LOCK_LABEL = "WriteLock"
NEO4J_WRITE_LOCK = "MERGE (l:WriteLock {id: 'writer'}) SET l.taken = coalesce(l.taken, 0) + 1"


def neo4j_ddl(schema: Schema = SCHEMA) -> list[str]:
    """Uniqueness constraints on every key (and the write lock's), range indexes on indexed
    properties."""
    stmts = [
        "CREATE CONSTRAINT writelock_id_unique IF NOT EXISTS "
        f"FOR (n:{WRITE_LOCK_LABEL}) REQUIRE n.id IS UNIQUE"
    ]
    for n in schema.nodes + INTERNAL_NODES:
        stmts.append(
            f"CREATE CONSTRAINT {n.label.lower()}_{n.key}_unique IF NOT EXISTS "
            f"FOR (n:{n.label}) REQUIRE n.{n.key} IS UNIQUE"
        )
        for p in n.props:
            if p.indexed and p.name != n.key:
                stmts.append(
                    f"CREATE INDEX {n.label.lower()}_{p.name} IF NOT EXISTS "
                    f"FOR (n:{n.label}) ON (n.{p.name})"
                )
    return stmts


def neo4j_constraint_names(schema: Schema = SCHEMA) -> set[str]:
    return {f"{n.label.lower()}_{n.key}_unique" for n in schema.nodes + INTERNAL_NODES}


def _value(store: StoreKind, expr: str, ptype: PropType) -> str:
    if store == "ladybug" and ptype is not PropType.STRING:
        return f"CAST({expr} AS {ptype.value})"
    return expr


def node_upsert(store: StoreKind, node: NodeType) -> str:
    """MERGE by key, then SET every other property one by one (no ``SET n += map``).

    The key is projected with ``WITH`` before MERGE: ``MERGE (n {id: r.id})`` straight after
    UNWIND plans a cross product on LadybugDB (design brief §8).
    """
    sets = ", ".join(
        f"n.{p.name} = {_value(store, 'r.' + p.name, p.type)}"
        for p in node.props
        if p.name != node.key
    )
    return (
        f"UNWIND $rows AS r WITH r.{node.key} AS k, r AS r "
        f"MERGE (n:{node.label} {{{node.key}: k}}) SET {sets} RETURN count(n) AS n"
    )


def node_create(store: StoreKind, node: NodeType) -> str:
    """CREATE every row as a new node (the caller knows they are new: no lookup, no MERGE's scan
    on LadybugDB; the audit log's append, where a duplicate key fails the write instead of
    overwriting an event). Properties in the pattern: about twice as fast as a SET list on
    LadybugDB."""
    props = ", ".join(f"{p.name}: {_value(store, 'r.' + p.name, p.type)}" for p in node.props)
    return f"UNWIND $rows AS r CREATE (n:{node.label} {{{props}}}) RETURN count(n) AS n"


def edge_upsert(store: StoreKind, rel: RelType, src: str, dst: str) -> str:
    """Match both ends by key, one MATCH clause each with a ``WITH`` between them, then MERGE.

    One comma pattern ``MATCH (a {…}), (b {…})`` plans a cross product on LadybugDB (design brief
    §8), and so do two MATCH clauses back to back: the two ends are unconnected patterns. The
    ``WITH`` between them makes each end a primary-key lookup per row (checked with EXPLAIN in
    tests/queries/test_plans.py).
    """
    s, d = SCHEMA.node(src), SCHEMA.node(dst)
    if (src, dst) not in rel.endpoints:
        raise KeyError(f"{rel.type} does not connect ({src})->({dst})")
    key = ", ".join(f"{k}: r.{k}" for k in rel.key)
    pattern = f"[e:{rel.type} {{{key}}}]" if key else f"[e:{rel.type}]"
    others = [p for p in rel.props if p.name not in rel.key]
    sets = ", ".join(f"e.{p.name} = {_value(store, 'r.' + p.name, p.type)}" for p in others)
    return (
        "UNWIND $rows AS r WITH r.src AS src, r.dst AS dst, r AS r "
        f"MATCH (a:{src} {{{s.key}: src}}) WITH a, dst, r MATCH (b:{dst} {{{d.key}: dst}}) "
        f"MERGE (a)-{pattern}->(b)" + (f" SET {sets}" if sets else "") + " RETURN count(e) AS n"
    )


def node_delete(node: NodeType) -> str:
    """Remove nodes by key, with their relationships."""
    return f"UNWIND $keys AS k MATCH (n:{node.label} {{{node.key}: k}}) DETACH DELETE n"


def edge_delete_from(rel: RelType, src: str, dst: str) -> str:
    """Remove every ``rel`` edge leaving the given source nodes (to replace a node's links).

    Each source is found by key and its edges reached with an ``OPTIONAL MATCH`` from it: on
    LadybugDB the one-pattern form ``MATCH (a {…})-[e]->(:D)`` hash-joins a scan of the whole
    relationship table (0.5 to 0.9 s at 100k systems, whatever the number of keys), this one costs
    what the keys' edges are (about 1 ms for 100 keys; tests/queries/test_plans.py).
    """
    s = SCHEMA.node(src)
    return (
        f"UNWIND $keys AS k MATCH (a:{src} {{{s.key}: k}}) "
        f"OPTIONAL MATCH (a)-[e:{rel.type}]->(:{dst}) WITH e WHERE e IS NOT NULL "
        "DELETE e RETURN count(*) AS n"
    )


def copy_from(table: str, src: str | None = None, dst: str | None = None) -> str:
    """LadybugDB bulk load: ``COPY <table> FROM $data`` (an Arrow table passed as a parameter).

    A relationship table with several endpoint pairs names the pair. LadybugDB only: Neo4j has
    no COPY (its bulk path is ``neo4j-admin database import``), so this is not linted for Neo4j.
    """
    if src is None or dst is None:
        SCHEMA.node(table)
        return f"COPY {table} FROM $data"
    if (src, dst) not in SCHEMA.rel(table).endpoints:
        raise KeyError(f"{table} does not connect ({src})->({dst})")
    return f"COPY {table} FROM $data (from='{src}', to='{dst}')"


def node_update_from(node: NodeType, only: frozenset[str] | None = None) -> str:
    """LadybugDB: update existing nodes from an Arrow table ``$data`` (columns c0, c1, … in the
    schema's property order): ``LOAD FROM`` then a keyed MATCH (a primary-key lookup, checked
    with EXPLAIN) and SET of every other property, or only of those in ``only`` (the table then
    holds the key and those columns). Typed Arrow columns need no CAST."""
    names = [p.name for p in node.props if only is None or p.name == node.key or p.name in only]
    proj = ", ".join(f"c{i} AS v{i}" for i in range(len(names)))
    k = names.index(node.key)
    sets = ", ".join(f"n.{name} = v{i}" for i, name in enumerate(names) if name != node.key)
    return (
        f"LOAD FROM $data WITH {proj} MATCH (n:{node.label} {{{node.key}: v{k}}}) "
        f"SET {sets} RETURN count(n) AS n"
    )


def node_create_from(node: NodeType) -> str:
    """LadybugDB: create new nodes from an Arrow table ``$data`` (columns c0, c1, … in the
    schema's property order). No lookup: the caller knows they are new (a duplicate key fails
    the statement). ``LOAD FROM`` an Arrow table writes about 7x faster than ``UNWIND`` of the
    same rows as a list parameter (40,000 change events: 0.4 s against 2.7 s)."""
    props = ", ".join(f"{p.name}: c{i}" for i, p in enumerate(node.props))
    return f"LOAD FROM $data CREATE (n:{node.label} {{{props}}}) RETURN count(n) AS n"


def edge_create_from(rel: RelType, src: str, dst: str) -> str:
    """LadybugDB: create edges from an Arrow table ``$data`` (c0 = source key, c1 = target key,
    then the relationship's properties in schema order), each end found by its primary key
    (checked with EXPLAIN); for edges the caller knows are absent."""
    s, d = SCHEMA.node(src), SCHEMA.node(dst)
    if (src, dst) not in rel.endpoints:
        raise KeyError(f"{rel.type} does not connect ({src})->({dst})")
    values = [f"c{i + 2} AS v{i}" for i in range(len(rel.props))]
    carried = "".join(f", v{i}" for i in range(len(rel.props)))
    sets = ", ".join(f"{p.name}: v{i}" for i, p in enumerate(rel.props))
    pattern = f"[e:{rel.type} {{{sets}}}]" if sets else f"[e:{rel.type}]"
    return (
        f"LOAD FROM $data WITH {', '.join(['c0 AS src', 'c1 AS dst', *values])} "
        f"MATCH (a:{src} {{{s.key}: src}}) WITH a, dst{carried} "
        f"MATCH (b:{dst} {{{d.key}: dst}}) CREATE (a)-{pattern}->(b) RETURN count(e) AS n"
    )


FINGERPRINTS_DROP = "MATCH (f:InputFingerprint) DELETE f"
ROW_DIGESTS_DROP = "MATCH (d:InputRowDigests) DELETE d"
GAP_MARK_DROP = "MATCH (m:GapModelMark) DELETE m"
GAP_ROWS_DROP = "MATCH (g:GapRows) DELETE g"
# What a write outside the logged path (and ``clear``) drops: no event would say what it changed
# (the fingerprints of loaded files; the maintained gap rows, graph/gaprows).
LOAD_MARKS_DROP = (FINGERPRINTS_DROP, ROW_DIGESTS_DROP, GAP_MARK_DROP, GAP_ROWS_DROP)
# A load's new row digests replace every part of the same entities'.
ROW_DIGESTS_REPLACE = "MATCH (d:InputRowDigests) WHERE d.entity IN $entities DELETE d"


def clear_label(node: NodeType) -> str:
    return f"MATCH (n:{node.label}) DETACH DELETE n"


def list_keys(node: NodeType) -> str:
    return f"MATCH (n:{node.label}) RETURN n.{node.key} AS k"


def keys_present(node: NodeType) -> str:
    """Which of these keys exist: one primary-key lookup per key (checked with EXPLAIN), so
    checking a batch's references costs what the batch is, not what the store holds."""
    return f"UNWIND $keys AS k MATCH (n:{node.label} {{{node.key}: k}}) RETURN n.{node.key} AS k"


def count_nodes(node: NodeType) -> str:
    return f"MATCH (n:{node.label}) RETURN count(n) AS n"


def count_edges(rel: RelType, src: str, dst: str) -> str:
    return f"MATCH (:{src})-[e:{rel.type}]->(:{dst}) RETURN count(e) AS n"


def dump_nodes(node: NodeType, *, ordered: bool = True) -> str:
    """Every property of every node of the label, in key order (for export and comparisons;
    ``ordered=False``: in storage order, for the bulk load's diff, which needs no order)."""
    cols = ", ".join(f"n.{p.name} AS {p.name}" for p in node.props)
    order = f" ORDER BY n.{node.key}" if ordered else ""
    return f"MATCH (n:{node.label}) RETURN {cols}{order}"


def node_offsets(node: NodeType) -> str:
    """LadybugDB: every node's key and its row offset in the node table (bulk load diff)."""
    return f"MATCH (n:{node.label}) RETURN n.{node.key} AS k, offset(ID(n)) AS o"


def edge_offsets(rel: RelType, src: str, dst: str) -> str:
    """LadybugDB: every edge as its endpoints' row offsets plus its properties. Reading integers
    instead of the endpoints' string keys is ~6x faster for millions of edges (bulk load diff)."""
    if (src, dst) not in rel.endpoints:
        raise KeyError(f"{rel.type} does not connect ({src})->({dst})")
    cols = "".join(f", e.{p.name} AS {p.name}" for p in rel.props)
    return (
        f"MATCH (a:{src})-[e:{rel.type}]->(b:{dst}) "
        f"RETURN offset(ID(a)) AS src, offset(ID(b)) AS dst{cols}"
    )


def dump_edges(rel: RelType, src: str, dst: str, *, ordered: bool = True) -> str:
    s, d = SCHEMA.node(src), SCHEMA.node(dst)
    cols = "".join(f", e.{p.name} AS {p.name}" for p in rel.props)
    order = " ORDER BY src, dst" + "".join(f", e.{k}" for k in rel.key) if ordered else ""
    return (
        f"MATCH (a:{src})-[e:{rel.type}]->(b:{dst}) "
        f"RETURN a.{s.key} AS src, b.{d.key} AS dst{cols}{order}"
    )


def nodes_by_keys(node: NodeType) -> str:
    """Every property of the nodes with these keys (the audit log's "before")."""
    cols = ", ".join(f"n.{p.name} AS {p.name}" for p in node.props)
    return f"UNWIND $keys AS k MATCH (n:{node.label} {{{node.key}: k}}) RETURN {cols}"


def edges_from_keys(rel: RelType, src: str, dst: str) -> str:
    """The edges leaving these source keys, with their properties (the audit log's "before").
    Keyed like :func:`edge_delete_from`: the source by key, its edges by ``OPTIONAL MATCH``."""
    s, d = SCHEMA.node(src), SCHEMA.node(dst)
    cols = "".join(f", e.{p.name} AS {p.name}" for p in rel.props)
    return (
        f"UNWIND $keys AS k MATCH (a:{src} {{{s.key}: k}}) "
        f"OPTIONAL MATCH (a)-[e:{rel.type}]->(b:{dst}) WITH a, e, b WHERE e IS NOT NULL "
        f"RETURN a.{s.key} AS src, b.{d.key} AS dst{cols}"
    )


@dataclass(frozen=True)
class GeneratedQuery:
    name: str
    text: str


def generated_queries(store: StoreKind, schema: Schema = SCHEMA) -> list[GeneratedQuery]:
    """Every generated statement, so the Neo4j linter can check them like the .cypher files."""
    out = []
    for n in schema.nodes:
        out.append(GeneratedQuery(f"upsert_{n.label}", node_upsert(store, n)))
        out.append(GeneratedQuery(f"create_{n.label}", node_create(store, n)))
        out.append(GeneratedQuery(f"delete_{n.label}", node_delete(n)))
        out.append(GeneratedQuery(f"count_{n.label}", count_nodes(n)))
        out.append(GeneratedQuery(f"keys_{n.label}", list_keys(n)))
        out.append(GeneratedQuery(f"present_{n.label}", keys_present(n)))
        out.append(GeneratedQuery(f"dump_{n.label}", dump_nodes(n)))
        out.append(GeneratedQuery(f"by_keys_{n.label}", nodes_by_keys(n)))
    for r in schema.rels:
        for src, dst in r.endpoints:
            tag = f"{r.type}_{src}_{dst}"
            out.append(GeneratedQuery(f"upsert_{tag}", edge_upsert(store, r, src, dst)))
            out.append(GeneratedQuery(f"from_keys_{tag}", edges_from_keys(r, src, dst)))
            out.append(GeneratedQuery(f"unlink_{tag}", edge_delete_from(r, src, dst)))
            out.append(GeneratedQuery(f"count_{tag}", count_edges(r, src, dst)))
            out.append(GeneratedQuery(f"dump_{tag}", dump_edges(r, src, dst)))
    if store == "neo4j":
        out.append(GeneratedQuery("write_lock", NEO4J_WRITE_LOCK))
    return out


def lint_schema(schema: Schema = SCHEMA, *, write_lock: bool = False) -> dict[str, object]:
    """The schema as Neo4j's linter (``@neo4j-cypher/language-support``) wants it;
    ``write_lock``: with the Neo4j store's lock node too (the linter checks that statement; the
    export fingerprint, graph/backup.py, is the register's schema only)."""
    labels = [n.label for n in schema.nodes + INTERNAL_NODES]
    keys = set(schema.property_keys()) | {p.name for n in INTERNAL_NODES for p in n.props}
    if write_lock:
        labels.append(WRITE_LOCK_LABEL)
        keys.add("taken")  # the lock's counter
    return {
        "labels": labels,
        "relationshipTypes": [r.type for r in schema.rels],
        "propertyKeys": sorted(keys),
        "graphSchema": [
            {"from": src, "to": dst, "relType": r.type}
            for r in schema.rels
            for src, dst in r.endpoints
        ],
        "parameters": {},
    }
