"""Reading and writing findings through the store's audited write path."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

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
    rows = store.read("findings.by_ids", ids=[finding_id])
    if not rows:
        raise FindingNotFound(f"no finding {finding_id!r} (ids are 'rule:subject'; see findings)")
    return Finding.from_row(rows[0])


def by_ids(store: Store, ids: list[str]) -> dict[str, Finding]:
    rows = store.read("findings.by_ids", ids=ids) if ids else []
    return {r["id"]: Finding.from_row(r) for r in rows}


@dataclass(frozen=True)
class Brief:
    """What a reconcile compares: a finding's state, version and acceptance expiry."""

    state: str
    version: int
    expires: dt.date | None


def states(store: Store) -> dict[str, Brief]:
    return {r["id"]: Brief(r["state"], int(r["version"]), r["expires"])
            for r in store.read("findings.states")}  # fmt: skip


FAR = dt.date(9999, 12, 31)


def matching(
    store: Store, states: tuple[str, ...], assignee: str, severity: str, due_before: dt.date | None
) -> list[Finding]:
    """The findings the filters select, filtered in the store (``()``/``''``/None: any)."""
    rows = store.read("findings.list", any_state=not states, states=list(states) or ["-"],
                      assignee=assignee, severity=severity,
                      due_before=due_before or FAR)  # fmt: skip
    return [Finding.from_row(r) for r in rows]


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
