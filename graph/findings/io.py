"""Reading and writing findings through the store's audited write path."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from graph import cypher_gen
from graph.audit.events import Source
from graph.findings.errors import FindingNotFound
from graph.findings.model import CLOSED, LABEL, MARK_LABEL, STATES, Finding
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
class Stored:
    """What a reconcile compares with the current gaps: the ids of the findings whose gap the
    graph reports (``active``: any state but resolved or verified), of the closed ones, and of
    the accepted ones whose acceptance has lapsed."""

    active: set[str]
    closed: set[str]
    lapsed: set[str]


def stored(store: Store, today: dt.date) -> Stored:
    """Read as columns, not rows: 1.3M findings at 100k systems took 12.9 s as Python rows and
    objects (docs/performance.md, "Findings")."""
    others = sorted(set(STATES) - CLOSED)
    return Stored(
        active=set(store.read_column("findings.ids_in_states", "id", states=others)),
        closed=set(store.read_column("findings.ids_in_states", "id", states=sorted(CLOSED))),
        lapsed=set(store.read_column("findings.lapsed", "id", today=today)),
    )


def stored_of(store: Store, ids: set[str], today: dt.date) -> Stored:
    """:func:`stored` for the findings of ``ids`` only, and every lapsed acceptance."""
    found = by_ids(store, sorted(ids))
    return Stored(
        active={i for i, f in found.items() if f.state not in CLOSED},
        closed={i for i, f in found.items() if f.state in CLOSED},
        lapsed=set(store.read_column("findings.lapsed", "id", today=today)),
    )


FAR = dt.date(9999, 12, 31)


def matching(
    store: Store, states: tuple[str, ...], assignee: str, severity: str, due_before: dt.date | None
) -> list[Finding]:
    """The findings the filters select, filtered in the store (``()``/``''``/None: any)."""
    rows = store.read("findings.list", any_state=not states, states=list(states) or ["-"],
                      assignee=assignee, severity=severity,
                      due_before=due_before or FAR)  # fmt: skip
    return [Finding.from_row(r) for r in rows]


# Findings per write. A first reconcile opens one finding per gap (1.29M at 100k systems) and a
# write holds its rows, events and Arrow tables in memory at once (≈ 14 kB a finding measured at
# 10k systems), so a larger reconcile is written in parts; the reconcile mark goes with the last.
WRITE_CHUNK = 250_000


def write(
    store: Store,
    changed: list[tuple[Finding, int | None]],
    source: Source | None,
    mark: tuple[int, dt.date] | None = None,
) -> None:
    """Write findings, each only if the store still holds the version it was read at (None: it
    must not exist yet); and the reconcile mark. Up to :data:`WRITE_CHUNK` findings are one
    transaction with the mark; more are written in parts, the mark with the last, so a crash in
    between leaves findings that the next reconcile keeps (same ids) and no mark that would
    skip the rest."""
    parts = [changed[i : i + WRITE_CHUNK] for i in range(0, len(changed), WRITE_CHUNK)] or [[]]
    for i, part in enumerate(parts):
        last = i == len(parts) - 1
        nodes = [NodeRows(LABEL, [f.row() for f, _ in part])] if part else []
        if last and mark is not None:
            nodes.append(
                NodeRows(MARK_LABEL, [{"id": "findings", "seq": mark[0], "as_of": mark[1]}])
            )
        expect = [Expect(LABEL, f.id, "version", v) for f, v in part]
        if nodes:
            store.write(WriteBatch(nodes=nodes, source=source, expect=expect))
