"""Export and import the whole graph as canonical JSON lines: the backup/restore story.

One line per node (``{"node": "Asset", "props": {...}}``) and per edge (``{"edge": "OWNED_BY",
"src": ["Asset", "a1"], "dst": ["Owner", "o1"], "props": {...}}``), keys sorted, dates as ISO
strings, lines sorted — so two exports of equal graphs are byte-identical, and a diff of two
exports is a readable diff of the graphs. The first line records the schema it was written with.
Import validates every line against the schema before writing, then writes one batch.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Iterator
from typing import Any

from graph import cypher_gen
from graph.audit import AUDIT_LABEL
from graph.errors import LoadValidationError, RowError
from graph.schema import SCHEMA, PropType
from graph.stores import DeleteNodes, EdgeRows, NodeRows, Store, WriteBatch

FORMAT = "clausegraph-export/1"


def schema_fingerprint() -> str:
    return hashlib.sha256(
        json.dumps(cypher_gen.lint_schema(), sort_keys=True).encode()
    ).hexdigest()[:16]


def _line(obj: dict[str, Any]) -> str:
    return json.dumps(obj, sort_keys=True, ensure_ascii=False, default=str, separators=(",", ":"))


def export_lines(store: Store, change_log: bool = True) -> Iterator[str]:
    """The canonical export, header first. ``change_log=False`` leaves the ChangeEvent nodes
    out: the register's contents alone, to compare two stores whose logs differ in time."""
    yield _line({"format": FORMAT, "schema": schema_fingerprint()})
    body: list[str] = []
    for n in SCHEMA.nodes:
        if n.label == AUDIT_LABEL and not change_log:
            continue
        for row in store.dump(cypher_gen.dump_nodes(n)):
            body.append(_line({"node": n.label, "props": row}))
    for r in SCHEMA.rels:
        for src, dst in r.endpoints:
            for row in store.dump(cypher_gen.dump_edges(r, src, dst)):
                props = {k: v for k, v in row.items() if k not in ("src", "dst")}
                ends = {"src": [src, row["src"]], "dst": [dst, row["dst"]]}
                body.append(_line({"edge": r.type, **ends, "props": props}))
    yield from sorted(body)


def _typed(ptype: PropType, value: Any) -> Any:
    if value is None or ptype is not PropType.DATE:
        return value
    return dt.date.fromisoformat(value)


def parse_lines(lines: Iterable[str], source: str) -> WriteBatch:
    """Validate every line; raise LoadValidationError listing all problems (file, line, field)."""
    nodes: dict[str, list[dict[str, Any]]] = {}
    edges: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
    errors: list[RowError] = []
    for n, text in enumerate(lines, 1):
        if not text.strip():
            continue
        try:
            obj = json.loads(text)
            if n == 1:
                if obj.get("format") != FORMAT:
                    raise ValueError(f"not a {FORMAT} file")
                continue
            if "node" in obj:
                node = SCHEMA.node(obj["node"])
                types = {p.name: p.type for p in node.props}
                unknown = set(obj["props"]) - set(types)
                if unknown:
                    raise ValueError(f"unknown properties {sorted(unknown)}")
                row = {k: _typed(types[k], v) for k, v in obj["props"].items()}
                nodes.setdefault(node.label, []).append(row)
            else:
                rel = SCHEMA.rel(obj["edge"])
                (src, s_key), (dst, d_key) = obj["src"], obj["dst"]
                types = {p.name: p.type for p in rel.props}
                row = {k: _typed(types[k], v) for k, v in obj["props"].items()}
                edges.setdefault((rel.type, src, dst), []).append(
                    row | {"src": s_key, "dst": d_key}
                )
        except (ValueError, KeyError, TypeError, AttributeError) as e:
            errors.append(RowError(source, n, None, f"bad line: {e}"))
    if errors:
        raise LoadValidationError(errors)
    return WriteBatch(
        nodes=[NodeRows(label, rows) for label, rows in nodes.items()],
        edges=[EdgeRows(t, s, d, rows) for (t, s, d), rows in edges.items()],
    )


def import_lines(store: Store, lines: Iterable[str], source: str, *, replace: bool = True) -> int:
    """Load an export; with ``replace`` the store ends up equal to it (deletes in the batch)."""
    batch = parse_lines(lines, source)
    _derive_supports_org(batch)
    _restore_or_drop_log(store, batch)
    if replace:  # never the log: events are never deleted (docs/audit.md)
        batch.delete = [
            DeleteNodes(n.label, sorted(store.keys(n.label)))
            for n in SCHEMA.nodes
            if n.label != AUDIT_LABEL
        ]
    store.write(batch)
    return batch.size()


def _restore_or_drop_log(store: Store, batch: WriteBatch) -> None:
    """The export's log is restored as is when the store's own log is a prefix of it (a fresh
    store: the round trip is identical, and the restored events are the import's record).
    Otherwise the export's events are dropped and the import is logged as ordinary changes."""
    theirs = [r for n in batch.nodes if n.label == AUDIT_LABEL for r in n.rows]
    if not theirs:
        return
    ours = {r["id"]: r["hash"] for r in store.dump(cypher_gen.dump_nodes(SCHEMA.node(AUDIT_LABEL)))}
    by_id = {r["id"]: r["hash"] for r in theirs}
    if any(by_id.get(k) != h for k, h in ours.items()):
        batch.nodes = [n for n in batch.nodes if n.label != AUDIT_LABEL]


def _derive_supports_org(batch: WriteBatch) -> None:
    """An export made before the derived ``SUPPORTS_ORG`` edge existed: derive it as the loader
    does (the ``SUPPORTS`` edges of evidence that concerns no AI system), in the same batch."""
    if any(e.type == "SUPPORTS_ORG" for e in batch.edges):
        return
    concerning = {r["src"] for e in batch.edges if e.type == "CONCERNS" for r in e.rows}
    rows = [{"src": r["src"], "dst": r["dst"]} for e in batch.edges if e.type == "SUPPORTS"
            for r in e.rows if r["src"] not in concerning]  # fmt: skip
    if rows:
        batch.edges.append(EdgeRows("SUPPORTS_ORG", "Evidence", "Control", rows))
