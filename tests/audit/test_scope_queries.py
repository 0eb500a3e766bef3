"""The named queries behind `changes --asset/--article/--owner` and the log reads, on a small
hand-built graph (real LadybugDB)."""

from __future__ import annotations

from typing import Any

from graph.audit import read
from graph.stores import Store
from graph.stores.base import EdgeRows, NodeRows, WriteBatch


def _edges(t: str, s: str, d: str, *pairs: tuple[str, str], **props: Any) -> EdgeRows:
    return EdgeRows(t, s, d, [{"src": a, "dst": b, **props} for a, b in pairs])


def _graph() -> WriteBatch:
    return WriteBatch(
        nodes=[
            NodeRows("Owner", [{"id": "o1", "name": "Ola"}]),
            NodeRows("Article", [{"id": "AIA-14", "number": "14"}]),
            NodeRows("Clause", [{"id": "k1", "number": "9.1"}]),
            NodeRows("Asset", [{"id": "s1", "name": "S1"}, {"id": "s2", "name": "S2"}]),
            NodeRows("Dataset", [{"id": "d1"}]),
            NodeRows("Control", [{"id": f"c{i}", "org_wide": i == 2} for i in (1, 2, 3)]),
            NodeRows("Evidence", [{"id": f"e{i}"} for i in range(1, 5)]),
            NodeRows("Incident", [{"id": "i1"}]),
        ],
        edges=[
            _edges("OWNED_BY", "Asset", "Owner", ("s1", "o1")),
            _edges("OWNED_BY", "Control", "Owner", ("c1", "o1")),
            _edges("OWNED_BY", "Evidence", "Owner", ("e2", "o1")),
            _edges("USES", "Asset", "Dataset", ("s1", "d1")),
            _edges("APPLIES_TO", "Control", "Asset", ("c1", "s1"), ("c3", "s2")),
            _edges("ADDRESSES", "Control", "Article", ("c1", "AIA-14")),
            _edges(
                "MAPS_TO", "Clause", "Article", ("k1", "AIA-14"), paragraph="", relation="equal"
            ),
            _edges("IMPLEMENTS", "Control", "Clause", ("c3", "k1")),
            _edges("SUPPORTS", "Evidence", "Control", ("e1", "c1"), ("e3", "c3"), ("e4", "c2")),
            _edges("CONCERNS", "Evidence", "Asset", ("e2", "s1")),
            _edges("INVOLVES", "Incident", "Asset", ("i1", "s1")),
        ],
    )


def _rows(store: Store, name: str, **params: str) -> set[tuple[str, str, str]]:
    return {(r["kind"], r["id"], r["via"]) for r in store.read(name, **params)}


def test_scope_queries(store: Store) -> None:
    store.write(_graph())
    assert _rows(store, "audit.asset_scope", asset="s1") == {
        ("Asset", "s1", ""), ("Owner", "o1", ""), ("Control", "c1", ""), ("Control", "c2", ""),
        ("Evidence", "e1", "c1"), ("Evidence", "e4", "c2"), ("Evidence", "e2", ""),
        ("Dataset", "d1", ""), ("Incident", "i1", ""),
    }  # fmt: skip
    assert _rows(store, "audit.article_scope", article="AIA-14") == {
        ("Control", "c1", ""), ("Control", "c3", ""), ("Evidence", "e1", "c1"),
        ("Evidence", "e3", "c3"),
    }  # fmt: skip
    assert _rows(store, "audit.owner_scope", owner="o1") == {
        ("Asset", "s1", ""), ("Control", "c1", ""), ("Evidence", "e2", ""),
    }  # fmt: skip


def test_log_reads(store: Store) -> None:
    assert read.head(store) == {"seq": 0, "hash": ""} and read.events(store) == []
    store.write(_graph())
    head = read.head(store)
    events = read.events(store)
    assert [e.seq for e in events] == list(range(1, head["seq"] + 1))
    assert events[-1].hash == head["hash"]
    assert [e.seq for e in read.events(store, 3, 5)] == [4, 5]
    at = events[0].at
    assert [e.seq for e in read.events_at(store, at)] == [e.seq for e in events]
    assert read.events_at(store, "2000-01-01T00:00:00.000000Z", at) == []
    mine = read.entity_events(store, "Asset", "s1")
    assert {(e.entity_kind, e.entity_key) for e in mine} == {
        ("Asset", "s1"), ("OWNED_BY(Asset->Owner)", "s1->o1"), ("USES(Asset->Dataset)", "s1->d1"),
    }  # fmt: skip
    assert [e.seq for e in mine] == sorted((e.seq for e in mine), reverse=True)
