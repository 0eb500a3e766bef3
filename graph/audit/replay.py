"""The register as it stood at a past time, rebuilt by replaying the log; and the same view of
the store now, so the two compare field for field.

Replay applies each event's ``after`` values in seq order: ``created`` sets a node's fields,
``updated`` changes some, ``deleted`` removes the node and every edge touching it (the log
records a DETACH DELETE once, on the node), ``linked`` / ``unlinked`` / link ``updated`` do the
same for edges, ``clear`` empties everything. Values are compared as the log holds them:
canonical JSON (dates as ISO strings), with null and empty lists left out.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

from graph import cypher_gen
from graph.audit import read
from graph.audit.changes import Entity, iso_utc, link_ends
from graph.audit.events import ChangeEvent, canonical_json
from graph.schema import SCHEMA, PropType
from graph.stores.base import EdgeRows, NodeRows, Store, WriteBatch

EdgeKey = tuple[str, str, str, str, str, str]  # type, src label, dst label, src, dst, key part
ORG_LABELS = ("Asset", "Control", "Dataset", "Evidence", "Owner", "Incident")


def plain(value: Any) -> Any:
    """A value as the log stores it (canonical JSON round trip: dates become ISO strings)."""
    return json.loads(canonical_json(value))


def _kept(values: dict[str, Any]) -> dict[str, Any]:
    return {k: plain(v) for k, v in sorted(values.items()) if v is not None and v != []}


@dataclass
class State:
    nodes: dict[Entity, dict[str, Any]] = field(default_factory=dict)
    edges: dict[EdgeKey, dict[str, Any]] = field(default_factory=dict)

    def apply(self, e: ChangeEvent) -> None:
        if e.change == "clear":
            self.nodes.clear()
            self.edges.clear()
            return
        ends = link_ends(e)
        if ends is None:
            self._node(e)
            return
        rel, (sk, src), (dk, dst) = ends
        key = (rel, sk, dk, src, dst, e.entity_key.partition("#")[2])
        if e.change == "unlinked":
            self.edges.pop(key, None)
        elif e.change in ("linked", "updated"):
            props = self.edges.setdefault(key, {}) if e.change == "updated" else {}
            self.edges[key] = _kept(props | {f: v[1] for f, v in e.fields.items()})

    def _node(self, e: ChangeEvent) -> None:
        node = (e.entity_kind, e.entity_key)
        if e.change == "deleted":
            self.nodes.pop(node, None)
            self.edges = {k: v for k, v in self.edges.items()
                          if (k[1], k[3]) != node and (k[2], k[4]) != node}  # fmt: skip
        elif e.change in ("created", "updated"):
            props = self.nodes.get(node, {}) if e.change == "updated" else {}
            self.nodes[node] = _kept(props | {f: v[1] for f, v in e.fields.items()})

    def view(self, kind: str, key: str) -> dict[str, Any]:
        """One entity and the links leaving it (``show``'s shape)."""
        links = [{"type": k[0], "to_kind": k[2], "to": k[4], "props": p}
                 for k, p in self.edges.items() if (k[1], k[3]) == (kind, key)]  # fmt: skip
        return _view(kind, key, self.nodes.get((kind, key)), links)


def _view(
    kind: str, key: str, props: dict[str, Any] | None, links: list[dict[str, Any]]
) -> dict[str, Any]:
    ordered = sorted(links, key=lambda x: (x["type"], x["to_kind"], x["to"], canonical_json(x)))
    return {"kind": kind, "id": key, "exists": props is not None, "properties": props or {},
            "links": ordered if props is not None else []}  # fmt: skip


def replay(events: list[ChangeEvent]) -> State:
    state = State()
    for e in sorted(events, key=lambda x: x.seq):
        state.apply(e)
    return state


def state_at(store: Store, at: str) -> State:
    """The register after every event with ``at`` <= the given time (ISO UTC 'Z')."""
    after = dt.datetime.fromisoformat(at) + dt.timedelta(microseconds=1)
    return replay(read.events_at(store, "", iso_utc(after)))


def show_as_of(store: Store, kind: str, key: str, at: str) -> dict[str, Any]:
    """``show --as-of``: the entity and its outgoing links as they stood at ``at``."""
    return state_at(store, at).view(kind, key)


def show_now(store: Store, kind: str, key: str) -> dict[str, Any]:
    """``show``: the entity and its outgoing links as the store holds them now."""
    node = SCHEMA.node(kind)
    rows = [r for r in store.dump(cypher_gen.dump_nodes(node)) if r[node.key] == key]
    props = _kept(rows[0]) if rows else None
    links = []
    for rel in SCHEMA.rels:
        for src, dst in rel.endpoints:
            if src != node.label:
                continue
            for r in _edge_rows(store, rel.type, src, dst, key):
                p = _kept({k: v for k, v in r.items() if k not in ("src", "dst")})
                links.append({"type": rel.type, "to_kind": dst, "to": r["dst"], "props": p})
    return _view(kind, key, props, links)


def _edge_rows(store: Store, rel: str, src: str, dst: str, key: str) -> list[dict[str, Any]]:
    q = cypher_gen.dump_edges(SCHEMA.rel(rel), src, dst)
    return [r for r in store.dump(q) if r["src"] == key]


def _typed(label_or_type: str, props: dict[str, Any], is_node: bool) -> dict[str, Any]:
    """Back from the log's JSON values to the schema's types (ISO strings to dates)."""
    declared = SCHEMA.node(label_or_type).props if is_node else SCHEMA.rel(label_or_type).props
    dates = {p.name for p in declared if p.type is PropType.DATE}
    return {k: dt.date.fromisoformat(v) if k in dates and v is not None else v
            for k, v in props.items()}  # fmt: skip


def state_batch(state: State) -> WriteBatch:
    """The whole replayed state as one write (to build a temporary store from it)."""
    nodes: dict[str, list[dict[str, Any]]] = {}
    for (label, _), props in sorted(state.nodes.items()):
        nodes.setdefault(label, []).append(_typed(label, props, True))
    edges: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
    for (rel, sk, dk, src, dst, _), props in sorted(state.edges.items()):
        edges.setdefault((rel, sk, dk), []).append(
            {"src": src, "dst": dst} | _typed(rel, props, False)
        )
    return WriteBatch(
        nodes=[NodeRows(label, rows) for label, rows in nodes.items()],
        edges=[EdgeRows(t, s, d, rows) for (t, s, d), rows in edges.items()],
    )


def current_state(store: Store, labels: tuple[str, ...] = ORG_LABELS) -> State:
    """The store's nodes of ``labels`` and the edges leaving them, in replay's shape."""
    state = State()
    for label in labels:
        node = SCHEMA.node(label)
        for r in store.dump(cypher_gen.dump_nodes(node)):
            state.nodes[(label, str(r[node.key]))] = _kept(r)
    for rel in SCHEMA.rels:
        for src, dst in rel.endpoints:
            if src not in labels:
                continue
            for r in store.dump(cypher_gen.dump_edges(rel, src, dst)):
                part = "|".join(str(r.get(k, "")) for k in rel.key)
                props = _kept({k: v for k, v in r.items() if k not in ("src", "dst")})
                state.edges[(rel.type, src, dst, str(r["src"]), str(r["dst"]), part)] = props
    return state


def restricted(state: State, labels: tuple[str, ...] = ORG_LABELS) -> State:
    """Only the nodes of ``labels`` and the edges leaving them (to compare with the store)."""
    return State(
        {k: v for k, v in state.nodes.items() if k[0] in labels},
        {k: v for k, v in state.edges.items() if k[1] in labels},
    )
