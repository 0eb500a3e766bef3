"""Reading and writing findings through the store's audited write path."""

from __future__ import annotations

import datetime as dt

from graph import cypher_gen
from graph.audit.events import Source
from graph.findings.errors import FindingNotFound
from graph.findings.model import LABEL, MARK_LABEL, Finding
from graph.schema import SCHEMA
from graph.stores.base import Expect, NodeRows, Store, WriteBatch


def all_findings(store: Store) -> dict[str, Finding]:
    rows = store.dump(cypher_gen.dump_nodes(SCHEMA.node(LABEL)))
    return {r["id"]: Finding.from_row(r) for r in rows}


def get(store: Store, finding_id: str) -> Finding:
    rows = store.read("findings.one", id=finding_id)
    if not rows:
        raise FindingNotFound(f"no finding {finding_id!r} (ids are 'rule:subject'; see findings)")
    return Finding.from_row(rows[0])


def write(
    store: Store,
    changed: list[tuple[Finding, int | None]],
    source: Source | None,
    mark: tuple[int, dt.date] | None = None,
) -> None:
    """Write findings, each only if the store still holds the version it was read at (None: it
    must not exist yet); and the reconcile mark, in one transaction."""
    nodes = [NodeRows(LABEL, [f.row() for f, _ in changed])] if changed else []
    if mark is not None:
        nodes.append(NodeRows(MARK_LABEL, [{"id": "findings", "seq": mark[0], "as_of": mark[1]}]))
    expect = [Expect(LABEL, f.id, "version", v) for f, v in changed]
    if nodes:
        store.write(WriteBatch(nodes=nodes, source=source, expect=expect))
