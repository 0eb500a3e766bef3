"""The column builder (graph/audit/columns.py) logs what the per-event path logged, byte for byte:
the same canonical JSON, the same hashes, and on the bulk path the same events as the diff."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pyarrow as pa  # type: ignore[import-untyped]
import pytest

from graph import cypher_gen
from graph.audit import AUDIT_LABEL
from graph.audit.columns import Chain, Rows, chain_rows
from graph.audit.diff import draft
from graph.audit.events import (
    ChangeEvent,
    Source,
    canonical_bytes,
    canonical_json,
    chain,
    verify_chain,
)
from graph.schema import SCHEMA
from graph.stores import ladybug_audit
from graph.stores.base import DeleteNodes, EdgeRows, NodeRows, Unlink, WriteBatch
from graph.stores.ladybug_store import LadybugStore
from tests.factories import tiny_graph

SRC = Source("alice", "load inventory", "b-1", "inv/é.yaml", "ab" * 32)
AT = "2026-12-04T10:00:00.000000Z"


def _reference(value: Any) -> str:
    """The definition in docs/audit.md."""

    def plain(v: Any) -> Any:
        if isinstance(v, dt.date | dt.datetime):
            return v.isoformat()
        if isinstance(v, set | frozenset | tuple):
            return sorted(v, key=str)
        raise TypeError(type(v).__name__)

    return json.dumps(
        value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=plain
    )


TRICKY: list[Any] = [
    {"b": 1, "a": [None, True, False, 0, -5, 2**63 - 1, -(2**63)]},
    {"big": 2**64, "neg": -(2**70)},  # past orjson's 64 bits
    {"f": [1.0, 1e16, 1e-05, 0.1, -0.0, 5e-324, 1e300, float("nan"), float("inf")]},
    {"s": {1.5, 2.5}, "t": (1, 2.0), "fs": frozenset({"b", "a"})},
    {"\U0001f600": 1, "\uffff": 2, "\ue000": 3, "é": "ü", "A": "\u2028\u2029\x7f"},
    {"ctl": "".join(chr(c) for c in range(32)) + '"\\/'},
    {
        "d": dt.date(2026, 1, 2),
        "t": dt.datetime(2026, 1, 2, 3, 4, 5, 6),
        "u": dt.datetime.now(dt.UTC),
    },
    {"nested": {"z": [{"y": [None, []]}, {}], "a": {"c": 1, "b": [True]}}},
    {1: "int key"},
    {"k": "x" * 5000, "list": [["a", "b"], []]},
    "plain string",
    None,
    [],
]


@pytest.mark.parametrize("value", TRICKY, ids=range(len(TRICKY)))
def test_canonical_bytes_are_the_reference_json(value: Any) -> None:
    assert canonical_bytes(value) == _reference(value).encode("utf-8")
    assert canonical_json(value) == _reference(value)


@pytest.mark.parametrize("value", [{"x": b"bytes"}, {"x": dt.time(1, 2)}, {"x": object()}])
def test_what_the_reference_refuses_is_refused(value: Any) -> None:
    with pytest.raises(TypeError):
        _reference(value)
    with pytest.raises(TypeError):
        canonical_bytes(value)


def _node_table() -> Any:
    rows = [
        {"id": "sys-1", "name": 'say "fields":null', "tags": ["a", "ü"], "on": dt.date(2026, 5, 1),
         "n": 3, "ok": False},
        {"id": "é-2", "name": None, "tags": [], "on": None, "n": 0, "ok": True},
        {"id": "sys-3", "name": "", "tags": None, "on": dt.date(2027, 1, 1), "n": None, "ok": None},
    ]  # fmt: skip
    schema = pa.schema([("id", pa.string()), ("name", pa.string()), ("tags", pa.list_(pa.string())),
                        ("on", pa.date32()), ("n", pa.int64()), ("ok", pa.bool_())])  # fmt: skip
    return pa.Table.from_pylist(rows, schema), rows


def _edge_table() -> Any:
    rows = [
        {"src": "sys-1", "dst": "AIA-14", "reason": "annex III",
         "applies_from": dt.date(2027, 8, 2), "applies_from_literal": None},
        {"src": "sys-1", "dst": "AIA-12", "reason": None, "applies_from": None,
         "applies_from_literal": []},
    ]  # fmt: skip
    schema = pa.schema([("src", pa.string()), ("dst", pa.string()), ("reason", pa.string()),
                        ("applies_from", pa.date32()),
                        ("applies_from_literal", pa.list_(pa.string()))])  # fmt: skip
    return pa.Table.from_pylist(rows, schema), rows


def _as_events(rows: list[dict[str, Any]], kind: str, change: str, node: bool) -> list[Any]:
    """What graph/audit/diff.py drafts for these rows."""
    out = []
    for r in rows:
        if node:
            fields = {f: [None, v] for f, v in r.items() if v not in (None, [])}
            key = r["id"]
        else:
            fields = {
                f: [None, v] for f, v in r.items() if f not in ("src", "dst") and v is not None
            }
            key = f"{r['src']}->{r['dst']}"
        out.append(draft(SRC, AT, kind, key, change, fields))
    return out


@pytest.mark.parametrize("size", [1, 2, 100])
def test_rows_chain_to_the_events_they_stand_for(size: int) -> None:
    nodes, node_rows = _node_table()
    edges, edge_rows = _edge_table()
    other = draft(Source("bob", "POST /ingest"), AT, "", "", "noop", {})
    kind = "SUBJECT_TO(Asset->Article)"
    drafts: list[Any] = [
        Rows(SRC, AT, "Asset", "created", nodes, tuple(nodes.column_names), key="id"),
        other,
        Rows(SRC, AT, kind, "linked", edges, ("reason", "applies_from", "applies_from_literal")),
    ]
    expected = [*_as_events(node_rows, "Asset", "created", True), other]
    expected += _as_events(edge_rows, kind, "linked", False)
    want = [e.row() for e in chain(expected, 41, "cd" * 32)]
    got: list[dict[str, Any]] = []
    for cols in Chain(41, "cd" * 32).chunks(drafts, size=size):
        assert len(cols["seq"]) <= 2 * size
        got += [dict(zip(cols, r, strict=True)) for r in zip(*cols.values(), strict=True)]
    assert got == want
    assert verify_chain([ChangeEvent.from_row(r) for r in chain_rows(expected, 0, "")]).ok


def _store(tmp_path: Path, staged: bool) -> LadybugStore:
    store = LadybugStore(tmp_path / "graph.db")
    store.apply_schema()
    store.bulk_min_rows, store.keyed_share = 0, 0.0  # every batch takes the bulk (plan) path
    store.live_max_rows, store.live_share = (0, 0.0) if staged else (10**9, 1.0)
    return store


def _summary(events: list[Any]) -> list[tuple[str, str, str, Any]]:
    rows = []
    for cols in Chain(0, "").chunks(events):
        rows += [dict(zip(cols, r, strict=True)) for r in zip(*cols.values(), strict=True)]
    return [(r["entity_kind"], r["entity_key"], r["change"], r["fields"]) for r in rows]


def _writes() -> list[WriteBatch]:
    first = tiny_graph()
    again = tiny_graph()
    changed = WriteBatch(  # an update, a new node linked from a stored and a new source, unlinks
        nodes=[NodeRows("Asset", [{"id": "A-1", "name": "Renamed"}, {"id": "A-9", "name": "New"}]),
               NodeRows("Owner", [{"id": "O-9", "name": "Nine"}])],
        edges=[EdgeRows("OWNED_BY", "Asset", "Owner", [{"src": "A-9", "dst": "O-9"},
                                                        {"src": "A-1", "dst": "O-9"}])],
        unlink=[Unlink("OWNED_BY", "Asset", "Owner", ["A-1"])],
        source=SRC,
    )  # fmt: skip
    pruned = WriteBatch(delete=[DeleteNodes("Asset", ["A-9"])], source=SRC)
    reimport = WriteBatch(  # deleted and written again in one batch: net updates only
        nodes=[NodeRows("Owner", [{"id": "O-9", "name": "Nine again"}])],
        delete=[DeleteNodes("Owner", ["O-9"])],
        source=SRC,
    )
    return [first, again, changed, pruned, reimport]


@pytest.mark.parametrize("staged", [False, True], ids=["live", "staged"])
def test_bulk_path_logs_what_the_diff_of_its_plan_logs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, staged: bool
) -> None:
    store = _store(tmp_path, staged)
    compared: list[int] = []
    fast = ladybug_audit.delta_drafts

    def checked(conn: Any, delta: Any, source: Source | None) -> list[Any]:
        got = fast(conn, delta, source)
        want = ladybug_audit.drafts(conn, ladybug_audit.delta_batch(delta, source))
        assert _summary(got) == _summary(want)
        compared.append(len(want))
        return got

    monkeypatch.setattr(ladybug_audit, "delta_drafts", checked)
    try:
        for batch in _writes():
            store.write(batch)
        rows = store.dump(cypher_gen.dump_nodes(SCHEMA.node(AUDIT_LABEL)))
    finally:
        store.close()
    assert len(compared) == len(_writes()) and compared[0] > 20  # the first import: every row
    events = [ChangeEvent.from_row(r) for r in rows]
    assert verify_chain(events).ok and len(events) == sum(compared)
