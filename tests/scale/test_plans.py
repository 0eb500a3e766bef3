"""The bulk path's own statements keep to keyed plans (design brief §8), checked with EXPLAIN."""

from __future__ import annotations

import re
from pathlib import Path

import pyarrow as pa  # type: ignore[import-untyped]

from graph import cypher_gen
from graph.schema import SCHEMA
from graph.stores.arrow_tables import ARROW
from graph.stores.ladybug_store import LadybugStore

OP = re.compile(r"([A-Z][A-Z_]+)\[\d+\]")


def _ops(store: LadybugStore, text: str, params: dict[str, object]) -> list[str]:
    rows = store._execute("EXPLAIN " + text, params)
    return OP.findall(str(next(iter(rows[0].values()))))


def test_update_from_arrow_is_a_primary_key_lookup(tmp_path: Path) -> None:
    store = LadybugStore(tmp_path / "g.db")
    try:
        store.apply_schema()
        for node in SCHEMA.nodes:
            schema = pa.schema([(f"c{i}", ARROW[p.type]) for i, p in enumerate(node.props)])
            ops = _ops(store, cypher_gen.node_update_from(node), {"data": schema.empty_table()})
            assert "QUERY_PRIMARY_KEY_LOOKUP" in ops, (node.label, ops)
            assert "CROSS_PRODUCT" not in ops
            assert "SCAN_NODE_TABLE" not in ops
    finally:
        store.close()


def test_copy_statements_name_the_endpoint_pair() -> None:
    assert cypher_gen.copy_from("Evidence") == "COPY Evidence FROM $data"
    text = cypher_gen.copy_from("OWNED_BY", "Asset", "Owner")
    assert text == "COPY OWNED_BY FROM $data (from='Asset', to='Owner')"
