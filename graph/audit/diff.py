"""What a write changes, computed from the rows of the touched keys read before the write.

Runs inside the write's transaction (the reads see exactly what the write replaces) and turns a
``WriteBatch`` into draft events: nodes created / updated (changed fields only) / deleted, links
linked / unlinked / updated. An edge removed by a node's DETACH DELETE is covered by that node's
``deleted`` event. Store-agnostic: ``read`` runs one statement in the open transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from graph import cypher_gen
from graph.audit import AUDIT_LABEL
from graph.audit.events import ChangeEvent, Source
from graph.schema import SCHEMA

if TYPE_CHECKING:  # graph.stores imports this module; avoid the import cycle at runtime
    from graph.stores.base import WriteBatch

Read = Callable[[str, dict[str, Any]], list[dict[str, Any]]]
EdgeId = tuple[str, str, str, str, str, str]  # type, src label, dst label, src, dst, key props


def draft(source: Source, at: str, kind: str, key: str, change: str, fields: Any) -> ChangeEvent:
    return ChangeEvent(
        0, at, source.actor, source.command, kind, key, change, fields,
        source.batch_id, source.input_file, source.input_sha256,
    )  # fmt: skip


@dataclass
class State:
    """What a write touches, read before it is applied: the current rows of every key it upserts
    or deletes (``nodes``: label -> key -> row, existing keys only), the edges leaving every source
    key it links or unlinks (``before``) and those edges as the write leaves them (``after``).
    The audit diff and LadybugDB's keyed write path (graph/stores/ladybug_keyed.py) share it."""

    nodes: dict[str, dict[str, dict[str, Any]]]
    before: dict[EdgeId, dict[str, Any]]
    after: dict[EdgeId, dict[str, Any]]


def read_state(read: Read, batch: WriteBatch) -> State:
    """Keyed reads only: nodes by key, then the edges of the source keys that exist."""
    keys: dict[str, set[str]] = {}
    for d in batch.delete:
        keys.setdefault(d.label, set()).update(str(k) for k in _as_keys(d.keys))
    for n in batch.nodes:
        if n.label != AUDIT_LABEL:
            key = SCHEMA.node(n.label).key
            keys.setdefault(n.label, set()).update(str(r[key]) for r in _as_rows(n.rows))
    nodes = {label: _before(read, label, sorted(ks)) for label, ks in keys.items()}
    before, after = _edge_state(read, batch, keys, nodes)
    return State(nodes, before, after)


def batch_events(
    read: Read, batch: WriteBatch, source: Source, at: str, state: State | None = None
) -> list[ChangeEvent]:
    """Draft events for ``batch`` (not yet numbered or hashed; see events.chain)."""
    state = state or read_state(read, batch)
    out = node_events(state, batch, source, at)
    out += [e for _, e in edge_events(state, source, at)]
    return out


def _before(read: Read, label: str, keys: list[str]) -> dict[str, dict[str, Any]]:
    node = SCHEMA.node(label)
    rows = read(cypher_gen.nodes_by_keys(node), {"keys": keys}) if keys else []
    return {r[node.key]: r for r in rows}


def node_events(state: State, batch: WriteBatch, source: Source, at: str) -> list[ChangeEvent]:
    """Deleted nodes first, then the batch's node groups in order (created / updated)."""
    out: list[ChangeEvent] = []
    upserted = {
        (n.label, str(r[SCHEMA.node(n.label).key])) for n in batch.nodes for r in _as_rows(n.rows)
    }
    for d in batch.delete:  # deleted and written again in one batch (import): a net update
        keys = {str(k) for k in _as_keys(d.keys)} - {k for label, k in upserted if label == d.label}
        stored = state.nodes.get(d.label, {})
        for key in sorted(k for k in keys if k in stored):
            gone = {f: [v, None] for f, v in stored[key].items() if v not in (None, [])}
            out.append(draft(source, at, d.label, key, "deleted", gone))
    for n in batch.nodes:
        if n.label == AUDIT_LABEL:
            continue
        key_name = SCHEMA.node(n.label).key
        rows = {str(r[key_name]): r for r in _as_rows(n.rows)}
        before = state.nodes.get(n.label, {})
        for key, row in rows.items():
            old = before.get(key)
            if old is None:
                new = {f: [None, v] for f, v in row.items() if v not in (None, [])}
                out.append(draft(source, at, n.label, key, "created", new))
                continue
            changed = {f: [old.get(f), v] for f, v in row.items() if old.get(f) != v}
            if changed:
                out.append(draft(source, at, n.label, key, "updated", changed))
    return out


def _edge_state(
    read: Read,
    batch: WriteBatch,
    asked: dict[str, set[str]],
    nodes: dict[str, dict[str, dict[str, Any]]],
) -> tuple[dict[EdgeId, Any], dict[EdgeId, Any]]:
    """Edges leaving every touched source key, before and after the write. A source the batch
    upserts that does not exist yet has no edges: not read."""
    groups: dict[tuple[str, str, str], set[str]] = {}
    for u in batch.unlink:
        groups.setdefault((u.type, u.src, u.dst), set()).update(str(k) for k in _as_keys(u.keys))
    for e in batch.edges:
        groups.setdefault((e.type, e.src, e.dst), set()).update(
            str(r["src"]) for r in _as_rows(e.rows)
        )
    deleted = {(d.label, str(k)) for d in batch.delete for k in _as_keys(d.keys)}
    unlinked = {(u.type, u.src, u.dst, str(k)) for u in batch.unlink for k in _as_keys(u.keys)}
    before: dict[EdgeId, Any] = {}
    for (t, s, d), keys in groups.items():
        if s in asked:  # a source read above and not found does not exist: it has no edges
            keys = {k for k in keys if k in nodes[s] or k not in asked[s]}
        if not keys:
            continue
        for r in read(cypher_gen.edges_from_keys(SCHEMA.rel(t), s, d), {"keys": sorted(keys)}):
            before[_edge_id(t, s, d, r)] = _edge_props(t, r)
    after = {
        i: p
        for i, p in before.items()
        if (i[0], i[1], i[2], i[3]) not in unlinked
        and (i[1], i[3]) not in deleted
        and (i[2], i[4]) not in deleted
    }
    for e in batch.edges:
        for r in _as_rows(e.rows):
            after[_edge_id(e.type, e.src, e.dst, r)] = _edge_props(e.type, r)
    return before, after


def _as_rows(rows: Any) -> list[dict[str, Any]]:
    """Row dicts from a list or an Arrow table (the store's two row shapes)."""
    return rows if isinstance(rows, list) else rows.to_pylist()


def _as_keys(keys: Any) -> list[Any]:
    """Keys from a list or an Arrow array."""
    return keys if isinstance(keys, list) else keys.to_pylist()


def _edge_id(t: str, s: str, d: str, row: dict[str, Any]) -> EdgeId:
    key = "|".join(str(row.get(k, "")) for k in SCHEMA.rel(t).key)
    return (t, s, d, str(row["src"]), str(row["dst"]), key)


def _edge_props(t: str, row: dict[str, Any]) -> dict[str, Any]:
    return {p: row.get(p) for p in SCHEMA.rel(t).prop_names}


def edge_events(state: State, source: Source, at: str) -> list[tuple[EdgeId, ChangeEvent]]:
    """Link events, sorted by edge id (type, ends' labels, src, dst, key part)."""
    before, after = state.before, state.after
    out: list[tuple[EdgeId, ChangeEvent]] = []
    for i in sorted(set(before) | set(after)):
        label = f"{i[0]}({i[1]}->{i[2]})"
        key = f"{i[3]}->{i[4]}" + (f"#{i[5]}" if i[5] else "")
        old, new = before.get(i), after.get(i)
        if old is None and new is not None:
            fields = {f: [None, v] for f, v in new.items() if v is not None}
            out.append((i, draft(source, at, label, key, "linked", fields)))
        elif new is None and old is not None:
            fields = {f: [v, None] for f, v in old.items() if v is not None}
            out.append((i, draft(source, at, label, key, "unlinked", fields)))
        elif old is not None and new is not None and old != new:
            changed = {f: [old[f], v] for f, v in new.items() if old.get(f) != v}
            out.append((i, draft(source, at, label, key, "updated", changed)))
    return out
