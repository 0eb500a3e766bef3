"""The organisation's side of the graph, read whole: what snapshots record and hash.

Six named queries (``queries/review/``) return every node of the organisation's labels with
every schema property and its outgoing links as id lists; a seventh returns the derived
``SUBJECT_TO`` edges. Together they cover every organisation node and edge, so
:func:`inventory_hash` changes exactly when the loaded inventory (or its derived applicability)
changes, and stays the same when the same inventory is loaded again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from graph.stores import Store

Row = dict[str, Any]

# label -> (named query, link-list columns)
ORG_QUERIES: dict[str, tuple[str, tuple[str, ...]]] = {
    "Owner": ("review.owners", ()),
    "Asset": ("review.assets", ("owners", "datasets")),
    "Control": ("review.controls", ("owners", "implements", "addresses", "applies_to")),
    "Dataset": ("review.datasets", ("owners",)),
    "Evidence": ("review.evidence", ("owners", "supports", "concerns", "reports")),
    "Incident": ("review.incidents", ("involves",)),
}
# Bookkeeping that differs between machines or runs, not inventory content: the resolved
# absolute path of a local evidence file and the day it was last re-hashed.
VOLATILE: dict[str, tuple[str, ...]] = {"Evidence": ("local_path", "file_checked_on")}


def _clean(row: Row, links: tuple[str, ...]) -> Row:
    out = dict(row)
    for col in links:
        out[col] = sorted({v for v in row[col] if v is not None})
    if "owners" in links:
        out["owner"] = out["owners"][0] if out["owners"] else None
    return out


@dataclass(frozen=True)
class OrgState:
    """Every organisation node (by label, sorted by id) and every SUBJECT_TO edge."""

    nodes: dict[str, list[Row]]
    subject_to: list[Row]

    def by_id(self, label: str) -> dict[str, Row]:
        return {r["id"]: r for r in self.nodes[label]}

    def counts(self) -> dict[str, int]:
        out = {label: len(rows) for label, rows in self.nodes.items()}
        return out | {"SUBJECT_TO": len(self.subject_to)}


def read_org(store: Store) -> OrgState:
    """Read the organisation's nodes, links and applicability (seven queries, no per-row trips)."""
    nodes = {
        label: [_clean(r, links) for r in store.read(query)]
        for label, (query, links) in ORG_QUERIES.items()
    }
    return OrgState(nodes=nodes, subject_to=store.read("review.subject_to", asset=""))


def _canonical(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return sorted((_canonical(v) for v in value), key=lambda v: json.dumps(v, sort_keys=True))
    if isinstance(value, dict):
        return {k: _canonical(v) for k, v in value.items()}
    return value


def inventory_hash(state: OrgState) -> str:
    """sha256 of the canonical JSON of the organisation's nodes and edges (see module doc)."""
    doc: dict[str, Any] = {}
    for label, rows in state.nodes.items():
        drop = set(VOLATILE.get(label, ())) | {"owner"}
        doc[label] = [_canonical({k: v for k, v in r.items() if k not in drop}) for r in rows]
    doc["SUBJECT_TO"] = _canonical(
        [
            {k: r[k] for k in ("asset", "article", "reason", "applies_from")}
            for r in state.subject_to
        ]
    )
    text = json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
