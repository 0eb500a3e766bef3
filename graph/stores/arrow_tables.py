"""Arrow tables of a write batch: the schema's column types, normalising, de-duplicating.

Only large batches (bulk loads, Parquet inventories) are Arrow tables, so this module is
imported when one is seen, not when a store opens: a read-only command never pays pyarrow's
import (about 0.2 s).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.compute as pc  # type: ignore[import-untyped]

from graph.errors import WriteFailed
from graph.schema import NodeType, PropType, RelType

ARROW: dict[PropType, Any] = {
    PropType.STRING: pa.string(), PropType.INT: pa.int64(), PropType.FLOAT: pa.float64(),
    PropType.BOOL: pa.bool_(), PropType.DATE: pa.date32(),
    PropType.STRINGS: pa.list_(pa.string()),
}  # fmt: skip


def node_schema(node: NodeType) -> Any:
    """The Arrow schema of a node label's rows (the schema's property order)."""
    return pa.schema([(p.name, ARROW[p.type]) for p in node.props])


def edge_schema(rel: RelType) -> Any:
    """The Arrow schema of a relationship's rows: ``src``, ``dst``, then its properties."""
    fields = [("src", pa.string()), ("dst", pa.string())]
    return pa.schema(fields + [(p.name, ARROW[p.type]) for p in rel.props])


def normalise_table(label_or_type: str, schema: Any, table: Any) -> Any:
    """An Arrow table with exactly the schema's columns (missing ones null, lists never null)."""
    unknown = set(table.column_names) - set(schema.names)
    if unknown:
        raise WriteFailed(f"{label_or_type}: unknown properties {sorted(unknown)}")
    cols = []
    for f in schema:
        if f.name in table.column_names:
            try:
                col = table[f.name].cast(f.type)
            except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as e:
                raise WriteFailed(f"{label_or_type}: {f.name} is not {f.type}: {e}") from None
        else:
            col = pa.nulls(table.num_rows, f.type)
        if pa.types.is_list(f.type):
            col = pc.fill_null(col, pa.scalar([], f.type))
        cols.append(col)
    return pa.Table.from_arrays(cols, schema=schema)


def check_table_keys(
    label_or_type: str, table: Any, columns: list[str], message: str, non_empty: bool
) -> None:
    for c in columns:
        bad = pc.is_null(table[c])
        if non_empty:
            bad = pc.or_(bad, pc.equal(pc.fill_null(table[c], ""), ""))
        hits = pc.indices_nonzero(pc.fill_null(bad, True).combine_chunks())
        if len(hits):
            raise WriteFailed(f"{label_or_type} row {hits[0].as_py()}: {message}")


def last_per_key(table: Any, keys: list[str]) -> Any:
    """One row per key, the last one (what MERGE-ing the rows in order leaves); order kept."""
    if table.num_rows < 2:
        return table
    if len(keys) == 1 and pc.count_distinct(table[keys[0]]).as_py() == table.num_rows:
        return table
    probe = table.select(keys).append_column("_row", pa.array(np.arange(table.num_rows)))
    last = probe.group_by(keys, use_threads=False).aggregate([("_row", "max")])
    rows = last["_row_max"].combine_chunks()
    if len(rows) == table.num_rows:
        return table
    return table.take(pc.take(rows, pc.array_sort_indices(rows)))
