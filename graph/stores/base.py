"""The one small interface both graph stores implement, and the write batch they accept."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol, TypeAlias, TypeVar

from graph import cypher_gen
from graph.audit.events import Source
from graph.errors import InvalidParameters, StaleWrite, WriteFailed
from graph.schema import SCHEMA, PropType, Schema
from queries.registry import Query

if TYPE_CHECKING:
    from graph.readmodel.tx import Tx

T = TypeVar("T")

Row = dict[str, Any]
# Rows of a batch: a list of dicts, or (for large batches) an Arrow table with the same columns.
Rows: TypeAlias = list[Row] | Any  # Any: a pyarrow Table (pyarrow has no type stubs)
Keys: TypeAlias = list[str] | Any  # Any: a pyarrow Array


def row_chunks(rows: Rows, size: int) -> Iterator[list[Row]]:
    """The rows as lists of plain dicts, ``size`` at a time (Arrow tables converted lazily)."""
    for start in range(0, len(rows), size):
        part = rows[start : start + size] if isinstance(rows, list) else rows.slice(start, size)
        yield part if isinstance(part, list) else part.to_pylist()


def is_table(rows: object) -> bool:
    """Whether rows are an Arrow table, without importing pyarrow (no table exists before)."""
    pa = sys.modules.get("pyarrow")
    return pa is not None and isinstance(rows, pa.Table)


def key_list(keys: Keys) -> list[str]:
    return keys if isinstance(keys, list) else keys.to_pylist()


@dataclass
class NodeRows:
    """Upsert these nodes (MERGE by key; every declared property is set, missing ones to null)."""

    label: str
    rows: Rows


@dataclass
class EdgeRows:
    """Upsert these edges; each row has ``src`` and ``dst`` keys plus the edge's properties."""

    type: str
    src: str
    dst: str
    rows: Rows


@dataclass
class Unlink:
    """Remove every ``type`` edge from these source keys to ``dst`` nodes (links are replaced)."""

    type: str
    src: str
    dst: str
    keys: Keys


@dataclass
class DeleteNodes:
    """Delete these nodes and their edges."""

    label: str
    keys: Keys


@dataclass(frozen=True)
class Expect:
    """A precondition: when the batch is applied, node ``label`` ``key`` must hold ``value`` in
    ``prop`` (None: the node must not exist), else the batch fails with StaleWrite. Checked in
    the write's transaction, so two writers that read the same version cannot both win."""

    label: str
    key: str
    prop: str
    value: Any


@dataclass
class WriteBatch:
    """One atomic write: deletes and unlinks first, then node upserts, then edge upserts."""

    nodes: list[NodeRows] = field(default_factory=list)
    edges: list[EdgeRows] = field(default_factory=list)
    unlink: list[Unlink] = field(default_factory=list)
    delete: list[DeleteNodes] = field(default_factory=list)
    # Who and what made the write, for the audit log (graph/audit); None: the OS user, no command.
    source: Source | None = None
    # Preconditions checked inside the write's transaction (optimistic concurrency).
    expect: list[Expect] = field(default_factory=list)
    # Input-file fingerprints to record with the write (graph.schema.FINGERPRINT rows without
    # ``seq``): the store stamps them with the change-log head after the write's events, in the
    # same transaction (loaders/inventory/fingerprints.py).
    stamps: list[Row] = field(default_factory=list)
    # Per-row fingerprints of the entity files the load read (graph.schema.ROW_DIGESTS rows
    # without ``seq``): stamped like ``stamps``, replacing those entities' parts.
    digests: list[Row] = field(default_factory=list)

    def size(self) -> int:
        return (
            sum(len(n.rows) for n in self.nodes)
            + sum(len(e.rows) for e in self.edges)
            + sum(len(u.keys) for u in self.unlink)
            + sum(len(d.keys) for d in self.delete)
        )


class Store(Protocol):
    """A graph store. Reads return plain dicts; a write batch lands whole or not at all."""

    kind: str

    def apply_schema(self, schema: Schema = SCHEMA) -> None:
        """Create tables/constraints from the schema; idempotent; raise SchemaMismatch."""

    def read(self, name: str, /, **params: Any) -> list[Row]:
        """Run the named read query with parameters; rows as plain dicts."""
        ...

    def read_now(self, name: str, /, **params: Any) -> list[Row] | None:
        """``read`` if it can run at once in process, else None (the caller reads through
        ``read`` on a worker thread). A server store (Neo4j: a network round trip) says None."""
        ...

    def read_column(self, name: str, column: str, /, **params: Any) -> list[Any]:
        """One column of the named read query's rows, for answers of a million rows or more
        (LadybugDB reads it as Arrow: no Python row per result)."""
        ...

    def write(self, batch: WriteBatch) -> None:
        """Apply the batch in one transaction."""

    def run_write(self, name: str, /, **params: Any) -> list[Row]:
        """Run a named write query in its own transaction."""
        ...

    def in_transaction(self, work: Callable[[Tx], T]) -> T:
        """Run ``work`` in one write transaction (the read model: graph/readmodel)."""
        ...

    def dump(self, query: str) -> list[Row]:
        """Run one statement generated from the schema (graph/cypher_gen.py), read-only."""
        ...

    def keys(self, label: str) -> set[str]:
        """Every key of the label's nodes (for diffs and reference checks)."""
        ...

    def present(self, label: str, keys: list[str]) -> set[str]:
        """Those of ``keys`` that the label's nodes have (keyed lookups: the cost of a small
        batch's reference checks grows with the batch, not with the store)."""
        ...

    def counts(self) -> dict[str, int]:
        """Node count per label and edge count per ``TYPE(Src->Dst)``."""
        ...

    def clear(self, source: Source | None = None) -> None:
        """Delete every node and edge; the schema stays."""

    def close(self) -> None: ...


def check_params(query: Query, params: Mapping[str, Any]) -> None:
    """The caller must pass exactly the declared parameters."""
    missing = [p for p in query.params if p not in params]
    extra = [p for p in params if p not in query.params]
    if missing or extra:
        parts = []
        if missing:
            parts.append("missing " + ", ".join(f"${p}" for p in missing))
        if extra:
            parts.append("unexpected " + ", ".join(f"${p}" for p in extra))
        raise InvalidParameters(f"query {query.qualified}: {'; '.join(parts)}")


def normalise_rows(
    label_or_type: str,
    props: Sequence[tuple[str, PropType]],
    rows: list[Row],
    extra_keys: tuple[str, ...] = (),
) -> list[Row]:
    """Give every row every declared property (null when absent); refuse unknown keys/types."""
    allowed = {name for name, _ in props} | set(extra_keys)
    out = []
    for i, row in enumerate(rows):
        unknown = set(row) - allowed
        if unknown:
            raise WriteFailed(f"{label_or_type} row {i}: unknown properties {sorted(unknown)}")
        clean: Row = {k: row[k] for k in extra_keys}
        for name, ptype in props:
            value = row.get(name)
            if ptype is PropType.STRINGS and value is None:
                value = []
            if value is not None and not _type_ok(value, ptype):
                raise WriteFailed(f"{label_or_type} row {i}: {name}={value!r} is not {ptype.value}")
            clean[name] = value
        out.append(clean)
    return out


def _type_ok(value: object, ptype: PropType) -> bool:
    match ptype:
        case PropType.STRING:
            return isinstance(value, str)
        case PropType.INT:
            return isinstance(value, int) and not isinstance(value, bool)
        case PropType.FLOAT:
            return isinstance(value, int | float) and not isinstance(value, bool)
        case PropType.BOOL:
            return isinstance(value, bool)
        case PropType.DATE:
            return isinstance(value, dt.date) and not isinstance(value, dt.datetime)
        case PropType.STRINGS:
            return isinstance(value, list) and all(isinstance(v, str) for v in value)


def prepared_batch(batch: WriteBatch, schema: Schema = SCHEMA) -> WriteBatch:
    """Validate a batch against the schema and fill in nulls; raise WriteFailed before writing."""
    nodes = []
    for group in batch.nodes:
        try:
            node = schema.node(group.label)
        except KeyError as e:
            raise WriteFailed(str(e)) from None
        if is_table(group.rows):
            from graph.stores import arrow_tables as at

            table = at.normalise_table(node.label, at.node_schema(node), group.rows)
            at.check_table_keys(node.label, table, [node.key], f"key {node.key!r} is missing", True)
            nodes.append(NodeRows(node.label, table))
            continue
        props = [(p.name, p.type) for p in node.props]
        rows = normalise_rows(node.label, props, group.rows)
        for i, r in enumerate(rows):
            if not isinstance(r[node.key], str) or not r[node.key]:
                raise WriteFailed(f"{node.label} row {i}: key {node.key!r} is missing")
        nodes.append(NodeRows(node.label, rows))
    edges = []
    for eg in batch.edges:
        try:
            rel = schema.rel(eg.type)
        except KeyError as e:
            raise WriteFailed(str(e)) from None
        if (eg.src, eg.dst) not in rel.endpoints:
            raise WriteFailed(f"{rel.type} does not connect ({eg.src})->({eg.dst})")
        if is_table(eg.rows):
            from graph.stores import arrow_tables as at

            table = at.normalise_table(rel.type, at.edge_schema(rel), eg.rows)
            at.check_table_keys(rel.type, table, ["src", "dst"], "src/dst is missing", False)
            null_key = "key property is null (use '')"
            at.check_table_keys(rel.type, table, list(rel.key), null_key, False)
            # Not de-duplicated here (a hash over millions of rows): the LadybugDB bulk planner
            # does it before any COPY, and the MERGE paths call last_per_key (ladybug) or are
            # idempotent for repeated rows within a statement (Neo4j MERGE, last SET wins).
            edges.append(EdgeRows(rel.type, eg.src, eg.dst, table))
            continue
        props = [(p.name, p.type) for p in rel.props]
        rows = normalise_rows(rel.type, props, eg.rows, extra_keys=("src", "dst"))
        for i, r in enumerate(rows):
            if any(r[k] is None for k in rel.key):
                raise WriteFailed(f"{rel.type} row {i}: key property is null (use '')")
        edges.append(EdgeRows(rel.type, eg.src, eg.dst, _dedupe_edges(rows, rel.key)))
    return WriteBatch(
        nodes,
        edges,
        batch.unlink,
        batch.delete,
        batch.source,
        batch.expect,
        batch.stamps,
        batch.digests,
    )


def check_expectations(read: Any, batch: WriteBatch) -> None:
    """Raise StaleWrite unless every :class:`Expect` of the batch holds (call inside the write's
    transaction; ``read(text, params)`` runs a statement in it). One read per label."""
    by_label: dict[str, list[Expect]] = {}
    for e in batch.expect:
        by_label.setdefault(e.label, []).append(e)
    for label, wanted in by_label.items():
        node = SCHEMA.node(label)
        keys = sorted({e.key for e in wanted})
        rows = {r[node.key]: r for r in read(cypher_gen.nodes_by_keys(node), {"keys": keys})}
        for e in wanted:
            actual = rows[e.key][e.prop] if e.key in rows else None
            if actual != e.value:
                raise StaleWrite(
                    f"{e.label} {e.key!r} changed since it was read: {e.prop} is {actual!r}, "
                    f"the write expected {e.value!r}; nothing was written"
                )


def stamped(stamps: list[Row], seq: int) -> list[Row]:
    """Fingerprint rows as written: taken at change-log seq ``seq``."""
    return [s | {"seq": seq} for s in stamps]


def _dedupe_edges(rows: list[Row], key: tuple[str, ...]) -> list[Row]:
    """Last row wins per (src, dst, key): duplicates would be parallel edges on bulk paths."""
    seen: dict[tuple[Any, ...], Row] = {}
    for r in rows:
        seen[(r["src"], r["dst"], *(r[k] for k in key))] = r
    return list(seen.values())
