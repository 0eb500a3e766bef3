"""The reference: raw ``COPY … FROM`` Arrow tables into an empty LadybugDB, nothing else.

The rows are exactly those our loader writes (its validated, normalised write batch), turned
into one Arrow table per node label and per relationship endpoint pair before the clock starts.
This is the engine's ceiling for the same data: no reading, no validation, no diffing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import ladybug  # noqa: TID251  (the bench talks to the engine directly, on purpose)
import pyarrow as pa  # type: ignore[import-untyped]

from graph import cypher_gen
from graph.schema import SCHEMA, PropType
from graph.stores import WriteBatch
from graph.stores.base import prepared_batch
from loaders.inventory import validate
from loaders.inventory.batch import evidence_files, inventory_batch
from loaders.inventory.read import read_inventory

ARROW = {PropType.STRING: pa.string(), PropType.INT: pa.int64(), PropType.FLOAT: pa.float64(),
         PropType.BOOL: pa.bool_(), PropType.DATE: pa.date32(),
         PropType.STRINGS: pa.list_(pa.string())}  # fmt: skip


def write_batch(folder: Path, existing: dict[str, Any]) -> WriteBatch:
    """What ``load_inventory`` would write for this folder (validated and normalised)."""
    raw = read_inventory(folder)
    parsed = validate(raw, existing)
    files = evidence_files(parsed.table("evidence"), raw.base_dir)
    batch, _ = inventory_batch(parsed, files)
    return prepared_batch(batch)


def arrow_tables(batch: WriteBatch) -> list[tuple[str, dict[str, str], Any]]:
    """(table, COPY options, Arrow table) for every node label, then every edge group."""
    out: list[tuple[str, dict[str, str], Any]] = []
    for group in batch.nodes:
        node = SCHEMA.node(group.label)
        schema = pa.schema([(p.name, ARROW[p.type]) for p in node.props])
        rows = group.rows
        table = rows if isinstance(rows, pa.Table) else pa.Table.from_pylist(rows, schema)
        out.append((group.label, {}, table))
    for eg in batch.edges:
        rel = SCHEMA.rel(eg.type)
        fields = [("from", pa.string()), ("to", pa.string())]
        fields += [(p.name, ARROW[p.type]) for p in rel.props]
        data = eg.rows if isinstance(eg.rows, pa.Table) else pa.Table.from_pylist(eg.rows)
        data = data.select(["src", "dst", *[p.name for p in rel.props]])
        data = data.rename_columns(["from", "to", *data.column_names[2:]]).cast(pa.schema(fields))
        out.append((eg.type, {"from": eg.src, "to": eg.dst}, data))
    return out


def copy_all(db_path: Path, tables: list[tuple[str, dict[str, str], Any]]) -> int:
    """COPY every table into the (schema-only or catalog-only) database; return rows copied."""
    db = ladybug.Database(str(db_path))
    conn = ladybug.Connection(db)
    rows = 0
    try:
        for table, opts, data in tables:
            if data.num_rows == 0:
                continue
            stmt = cypher_gen.copy_from(table, opts.get("from"), opts.get("to"))
            conn.execute(stmt, {"data": data})
            rows += data.num_rows
    finally:
        conn.close()
        db.close()
    return rows
