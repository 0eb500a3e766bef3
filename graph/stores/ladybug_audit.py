"""LadybugDB's side of the audit log: the events of a write, read and appended on a connection
inside the write's transaction (small path) or inside the staged copy (stage-and-swap)."""

from __future__ import annotations

from typing import Any

from graph import cypher_gen
from graph.audit import AUDIT_LABEL, log
from graph.audit.diff import Read
from graph.audit.events import ChangeEvent, Source
from graph.schema import SCHEMA
from graph.stores.base import DeleteNodes, EdgeRows, NodeRows, Row, Unlink, WriteBatch


def reader(conn: Any) -> Read:
    def read(text: str, params: dict[str, Any]) -> list[Row]:
        result = conn.execute(text, params)
        result = result[-1] if isinstance(result, list) else result
        names = result.get_column_names()
        return [dict(zip(names, row, strict=True)) for row in result.get_all()]

    return read


def writer(conn: Any) -> log.Write:
    return lambda text, params: conn.execute(text, params)


def drafts(conn: Any, batch: WriteBatch) -> list[ChangeEvent]:
    """The batch's events, from the rows it touches as they stand now (call before writing)."""
    return log.record_batch(reader(conn), batch)


COPY_MIN_EVENTS = 1_000


def append(conn: Any, events: list[ChangeEvent], write: log.Write | None = None) -> None:
    """Chain and write the events after the head read on ``conn`` (written on ``write``).

    On the staged copy (``write`` given) many events go in with one COPY from an Arrow table,
    like the data beside them: a 100k-row first import logs about as many events."""
    if write is None or len(events) < COPY_MIN_EVENTS:
        log.append(reader(conn), write or writer(conn), events, "ladybug")
        return
    import pyarrow as pa  # type: ignore[import-untyped]  # the staged path has it loaded

    from graph.stores.arrow_tables import node_schema

    rows = log.chained(reader(conn), events, "ladybug")
    table = pa.Table.from_pylist(rows, schema=node_schema(SCHEMA.node(AUDIT_LABEL)))
    write(cypher_gen.copy_from(AUDIT_LABEL), {"data": table})


def delta_batch(delta: Any, source: Source | None) -> WriteBatch:
    """A bulk plan (ladybug_bulk.Delta) as the small batch of rows that actually change, so the
    diff reads only the changed keys (1% changed of 100k: 1k rows, not 100k)."""
    nodes = [NodeRows(n.label, t.to_pylist()) for n, t in delta.new + delta.changed]
    edges = [EdgeRows(e.rel.type, e.src, e.dst, e.rows.to_pylist()) for e in delta.edges]
    unlink = [Unlink(e.rel.type, e.src, e.dst, list(e.sources)) for e in delta.edges if e.sources]
    delete = [DeleteNodes(d.label, d.keys) for d in delta.delete]
    return WriteBatch(nodes, edges, unlink, delete, source)
