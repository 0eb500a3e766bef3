"""The keyed write path (graph/stores/ladybug_keyed.py) gives exactly the graph the diff path gives
(byte-identical exports) for creates, updates, relinks, deletes and deletes re-created in one
batch, every statement it runs looks its rows up by primary key, and it refuses a stale version
(WriteBatch.expect) like the diff path."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from graph import cypher_gen
from graph.audit import AUDIT_LABEL
from graph.backup import export_lines
from graph.errors import StaleWrite
from graph.schema import SCHEMA
from graph.stores import DeleteNodes, EdgeRows, NodeRows, Unlink, WriteBatch
from graph.stores.base import Expect
from graph.stores.ladybug_keyed import edge_columns, load_from, node_columns
from graph.stores.ladybug_store import LadybugStore
from loaders.catalog import load_catalogs
from loaders.inventory import load_inventory

ACME = Path(__file__).resolve().parents[2] / "examples" / "acme"


def _store(path: Path, keyed: bool, staged: bool = False) -> LadybugStore:
    store = LadybugStore(path)
    store.bulk_min_rows = 10**12 if keyed else 0
    store.keyed_share = 0.0
    store.live_max_rows = 0 if staged else 10**12
    store.live_share = 0.0 if staged else 1.0
    store.apply_schema()
    return store


@pytest.fixture(params=["live", "staged"])
def stores(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[list[LadybugStore]]:
    keyed = _store(tmp_path / "keyed.db", True)
    diff = _store(tmp_path / "diff.db", False, staged=request.param == "staged")
    yield [keyed, diff]
    keyed.close()
    diff.close()


def _dump(store: LadybugStore) -> list[str]:
    return list(export_lines(store, change_log=False))


def _owner(i: int, team: str | None = None) -> dict[str, Any]:
    return {"id": f"o{i}", "name": f"O {i}", "team": team}


def _asset(i: int, tier: str = "high") -> dict[str, Any]:
    return {"id": f"a{i}", "name": f"A {i}", "risk_tier": tier, "in_eu": True}


def _owned(pairs: list[tuple[int, int]]) -> EdgeRows:
    return EdgeRows(
        "OWNED_BY", "Asset", "Owner", [{"src": f"a{a}", "dst": f"o{o}"} for a, o in pairs]
    )


def _unlink(assets: list[int]) -> Unlink:
    return Unlink("OWNED_BY", "Asset", "Owner", [f"a{a}" for a in assets])


STEPS: list[tuple[str, WriteBatch]] = [
    ("create", WriteBatch(
        nodes=[NodeRows("Owner", [_owner(i) for i in range(4)]),
               NodeRows("Asset", [_asset(i) for i in range(3)])],
        edges=[_owned([(0, 0), (1, 1), (2, 1)])], unlink=[_unlink([0, 1, 2])])),
    ("unchanged", WriteBatch(
        nodes=[NodeRows("Asset", [_asset(i) for i in range(3)])],
        edges=[_owned([(0, 0), (1, 1), (2, 1)])], unlink=[_unlink([0, 1, 2])])),
    ("update", WriteBatch(nodes=[NodeRows("Owner", [_owner(1, "risk")]),
                                 NodeRows("Asset", [_asset(2, "limited")])])),
    ("relink", WriteBatch(edges=[_owned([(1, 2), (1, 3)])], unlink=[_unlink([1])])),
    ("add a link", WriteBatch(edges=[_owned([(0, 3)])])),
    ("unlink", WriteBatch(unlink=[_unlink([2])])),
    ("delete", WriteBatch(delete=[DeleteNodes("Owner", ["o3"])])),
    ("delete and re-create", WriteBatch(
        nodes=[NodeRows("Owner", [_owner(2, "new")]), NodeRows("Asset", [_asset(1)])],
        edges=[_owned([(1, 2)])], delete=[DeleteNodes("Owner", ["o2"]),
                                          DeleteNodes("Asset", ["a1"])])),
    ("delete an asset", WriteBatch(delete=[DeleteNodes("Asset", ["a0"])])),
]  # fmt: skip


def test_each_kind_of_change_gives_the_graph_the_diff_path_gives(
    stores: list[LadybugStore],
) -> None:
    for name, batch in STEPS:
        for store in stores:
            store.write(batch)
        keyed, diff = (_dump(s) for s in stores)
        assert keyed == diff, name


def test_catalogs_and_an_inventory_load_the_same(stores: list[LadybugStore]) -> None:
    """Relationships with key properties (MAPS_TO paragraphs) and every inventory link type."""
    for store in stores:
        load_catalogs(store)
        load_inventory(store, ACME)
    assert _dump(stores[0]) == _dump(stores[1])
    for store in stores:
        load_inventory(store, ACME)  # unchanged: both write only their no-op event
    assert _dump(stores[0]) == _dump(stores[1])


def test_a_small_batch_on_defaults_takes_the_keyed_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from graph.stores import ladybug_bulk, ladybug_keyed

    store = LadybugStore(tmp_path / "g.db")
    store.apply_schema()
    calls: list[str] = []
    monkeypatch.setattr(ladybug_bulk, "plan", lambda *a: calls.append("diff"))
    real = ladybug_keyed.apply

    def keyed(*a: Any) -> None:
        calls.append("keyed")
        real(*a)

    monkeypatch.setattr(ladybug_keyed, "apply", keyed)
    store.write(STEPS[0][1])
    store.close()
    assert calls == ["keyed"]


def _operators(store: LadybugStore, text: str, params: dict[str, Any]) -> list[str]:
    rows = store._execute("EXPLAIN " + text, params)
    return re.findall(r"([A-Z_]{4,})\[", str(next(iter(rows[0].values()))))


def test_keyed_statements_look_rows_up_by_primary_key(tmp_path: Path) -> None:
    store = LadybugStore(tmp_path / "g.db")
    store.apply_schema()
    load_inventory(store, ACME)  # plans are cost-based: an empty store plans differently
    ev, rel = SCHEMA.node("Evidence"), SCHEMA.rel("CONCERNS")
    node_data = {"data": load_from([{"id": "x"}], node_columns(ev))}
    writes = {
        "create": (cypher_gen.node_create_from(ev), node_data),
        "update": (cypher_gen.node_update_from(ev), node_data),
        "delete": (cypher_gen.node_delete(ev), {"keys": ["x"]}),
        "link": (cypher_gen.edge_create_from(rel, "Evidence", "Asset"),
                 {"data": load_from([{"src": "x", "dst": "y"}], edge_columns(rel))}),
        "present": (cypher_gen.keys_present(ev), {"keys": ["x"]}),
    }  # fmt: skip
    for name, (text, params) in writes.items():
        ops = _operators(store, text, params)
        assert "SCAN_NODE_TABLE" not in ops, (name, ops)
        assert name == "create" or "QUERY_PRIMARY_KEY_LOOKUP" in ops, (name, ops)
    # A source's edges: the source by key, its edges by OPTIONAL MATCH, the scans masked to
    # the looked-up nodes (SEMI_MASKER); the one-pattern MATCH form scanned the whole table.
    for text in (
        cypher_gen.edges_from_keys(rel, "Evidence", "Asset"),
        cypher_gen.edge_delete_from(rel, "Evidence", "Asset"),
    ):
        ops = _operators(store, text, {"keys": ["x"]})
        assert "QUERY_PRIMARY_KEY_LOOKUP" in ops and "SEMI_MASKER" in ops, ops
    store.close()


@pytest.mark.parametrize("size", [0, 1, 2, 63, 64, 65, 1000, 123_457])
def test_the_log_head_is_found_by_key_probes(size: int) -> None:
    from graph.audit.events import event_id
    from graph.stores.ladybug_audit import head

    def read(_text: str, params: dict[str, Any]) -> list[dict[str, Any]]:
        return [{"seq": int(k), "hash": f"h{k}"} for k in params["ids"] if 1 <= int(k) <= size]

    want = (size, f"h{event_id(size)}") if size else (0, "")
    assert head(read) == want
    assert head(read, want) == want  # a current hint
    assert head(read, (max(size - 1, 1), "stale")) == want  # another writer appended since


def _findings(versions: dict[int, int], expect: dict[int, int | None]) -> WriteBatch:
    rows = [
        {"id": f"f{i}", "rule": "r", "state": "open", "version": v} for i, v in versions.items()
    ]
    wanted = [Expect("Finding", f"f{i}", "version", v) for i, v in expect.items()]
    return WriteBatch(nodes=[NodeRows("Finding", rows)], expect=wanted)


def _versions(store: LadybugStore) -> dict[str, int]:
    return {
        r["id"]: r["version"] for r in store.dump(cypher_gen.dump_nodes(SCHEMA.node("Finding")))
    }


@pytest.mark.parametrize("route", ["below bulk size", "small next to the store"])
def test_the_keyed_path_refuses_a_stale_finding_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, route: str
) -> None:
    """WriteBatch.expect is checked in the keyed path's transaction: nothing of a stale batch is
    written, not even its events (the diff path is never taken)."""
    from graph.stores import ladybug_bulk, ladybug_keyed

    store = LadybugStore(tmp_path / "g.db")
    store.apply_schema()
    store.write(_findings(dict.fromkeys(range(20), 1), dict.fromkeys(range(20))))
    if route == "small next to the store":
        store.bulk_min_rows = 2  # 2 rows: bulk size, but at most keyed_share of 20 findings
    calls: list[str] = []
    monkeypatch.setattr(ladybug_bulk, "plan", lambda *a: calls.append("diff"))
    real = ladybug_keyed.apply

    def keyed(*a: Any) -> None:
        calls.append("keyed")
        real(*a)

    monkeypatch.setattr(ladybug_keyed, "apply", keyed)
    store.write(_findings({0: 2, 1: 2}, {0: 1, 1: 1}))
    assert calls == ["keyed"]
    events = len(store.dump(cypher_gen.dump_nodes(SCHEMA.node(AUDIT_LABEL))))
    with pytest.raises(StaleWrite, match="expected 1"):
        store.write(_findings({0: 3, 1: 3}, {0: 2, 1: 1}))  # f1 was read at version 1: stale
    with pytest.raises(StaleWrite, match="version is 1, the write expected None"):
        store.write(_findings({5: 1, 30: 1}, {5: None, 30: None}))  # f5 exists already
    assert calls == ["keyed"]
    assert _versions(store) == {f"f{i}": 2 if i < 2 else 1 for i in range(20)}
    assert len(store.dump(cypher_gen.dump_nodes(SCHEMA.node(AUDIT_LABEL)))) == events
    store.close()
