"""Reconcile the stored findings with the current gaps (the graph's verdict).

* a gap with no finding → ``open``, routed and dated (graph/findings/policy.py);
* a ``resolved`` or ``verified`` finding whose gap fires again → ``reopened``, count + 1;
* an ``accepted`` finding past its expiry → ``open`` again (the acceptance lapsed);
* a finding whose gap no longer fires → ``resolved``, naming the change-log events since the
  last reconcile that touched its subject or systems (the change that removed the condition).

Only this module sets those states. The reconcile mark (``ReconcileMark``) records the log's
head it had seen; a reconcile with nothing new writes nothing. Every write names the versions
it read, so a transition made meanwhile is never overwritten (the reconcile re-reads instead).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, replace

from graph.audit.events import Source, current_source, new_batch_id
from graph.errors import StaleWrite
from graph.findings import io, log
from graph.findings.model import Finding
from graph.findings.policy import Facts, due, legal_deadline, read_facts, route
from graph.gap_context import GapContext
from graph.gaps import Gap, rank
from graph.settings import FindingsSettings
from graph.stores.base import Store

RECONCILER = "clausegraph"  # the actor of the graph's own transitions
MAX_CAUSES = 50


@dataclass(frozen=True)
class ReconcileReport:
    opened: tuple[str, ...] = ()
    reopened: tuple[str, ...] = ()
    resolved: tuple[str, ...] = ()
    reactivated: tuple[str, ...] = ()

    def summary(self) -> str:
        parts = [f"{len(v)} {k}" for k, v in self.__dict__.items() if v]
        return "findings: " + (", ".join(parts) if parts else "no change")


def reconcile(
    store: Store,
    gaps: Iterable[Gap] | Mapping[str, Gap],
    ctx: GapContext,
    policy: FindingsSettings | None = None,
    *,
    today: dt.date | None = None,
    attempts: int = 3,
    only: Collection[str] | None = None,
) -> ReconcileReport:
    """Bring the findings in line with ``gaps`` (ALL current gaps, unfiltered; a mapping by id
    is taken as it is). ``only``: the gap ids that came or went since the last reconcile, when
    the caller knows them (graph/gapreport): the findings of every other id already match, so
    only these and the lapsed acceptances are read and compared."""
    current = gaps if isinstance(gaps, Mapping) else {g.id: g for g in gaps}
    for attempt in range(attempts):
        try:
            return _once(store, current, ctx, policy or FindingsSettings(), today or ctx.as_of,
                         None if only is None else set(only))  # fmt: skip
        except StaleWrite:  # a transition landed between our read and write: read again
            if attempt == attempts - 1:
                raise
    raise AssertionError("unreachable")  # pragma: no cover


def _source() -> Source:
    cur = current_source()
    command = f"reconcile ({cur.command})" if cur and cur.command else "reconcile"
    return Source(RECONCILER, command, cur.batch_id if cur else new_batch_id())


def _once(
    store: Store, current: Mapping[str, Gap], ctx: GapContext, policy: FindingsSettings,
    today: dt.date, only: set[str] | None,
) -> ReconcileReport:  # fmt: skip
    head = log.head_seq(store)
    changes = log.changes_since(store, log.mark_seq(store), head)
    if only is None:
        stored = io.stored(store, today)
    else:  # every other id has its active finding already: compare these and the lapsed only
        stored = io.stored_of(store, only, today)
        current = {i: current[i] for i in only | stored.lapsed if i in current}
    gone = sorted(stored.active - current.keys())
    again = sorted(stored.closed & current.keys())
    lapsed = sorted(stored.lapsed & current.keys())
    full = io.by_ids(store, sorted({*gone, *again, *lapsed}))
    fresh = sorted(
        (g for g in current.values() if g.id not in stored.active), key=lambda g: rank(g, ctx.as_of)
    )  # new, or closed and firing again
    facts = read_facts(store, fresh)
    out: list[tuple[Finding, int | None]] = []
    report: dict[str, list[str]] = {"opened": [], "reopened": [], "resolved": [],
                                    "reactivated": []}  # fmt: skip
    for g in fresh:
        if g.id not in stored.closed:
            out.append((_opened(g, facts, ctx, policy, today), None))
            report["opened"].append(g.id)
    for fid in again:
        f = full[fid]
        out.append((_reopened(f, current[fid], facts, ctx, policy, today), f.version))
        report["reopened"].append(fid)
    for fid in lapsed:
        out.append((_reactivated(full[fid], today), full[fid].version))
        report["reactivated"].append(fid)
    for fid in gone:
        out.append((_resolved(full[fid], changes, today), full[fid].version))
        report["resolved"].append(fid)
    if out or changes:
        io.write(store, out, _source(), mark=(head, today))
    return ReconcileReport(**{k: tuple(v) for k, v in report.items()})


def _opened(
    g: Gap, facts: Facts, ctx: GapContext, policy: FindingsSettings, today: dt.date
) -> Finding:
    assignee, routed_by = route(g, facts, policy)
    legal = legal_deadline(g, facts, ctx)
    when, source = due(g, today, legal, policy)
    return Finding(
        id=g.id, rule=g.rule, severity=g.severity, subject=g.subject, state="open", version=1,
        assignee=assignee, routed_by=routed_by, due=when, due_source=source, opened_at=today,
        asset=g.asset, article=g.article, systems=g.systems, title=g.title, message=g.message,
        legal_deadline=legal, transition="open", actor=RECONCILER,
        note=f"gap found; routed to {assignee} ({routed_by}); due {when} ({source})",
    )  # fmt: skip


def _reopened(
    f: Finding, g: Gap, facts: Facts, ctx: GapContext, policy: FindingsSettings, today: dt.date
) -> Finding:
    new = _opened(g, facts, ctx, policy, today)
    return replace(
        new, state="reopened", version=f.version + 1, reopen_count=f.reopen_count + 1,
        transition="reopen",
        note=f"regression: the gap fires again after {f.state} (reopened "
             f"{f.reopen_count + 1}x); routed to {new.assignee}; due {new.due} ({new.due_source})",
    )  # fmt: skip


def _reactivated(f: Finding, today: dt.date) -> Finding:
    return replace(
        f, state="open", version=f.version + 1, transition="reactivate", actor=RECONCILER,
        note=f"risk acceptance expired on {f.expires} (approved by {f.approver}); active again",
        expires=None, approver=None, requested_by=None, justification=None, compensating=None,
    )  # fmt: skip


def _keys(f: Finding) -> set[str]:
    keys = {f.subject, *f.systems} | ({f.asset} if f.asset else set())
    if f.subject.startswith("org:"):  # an organisation's duty: changes of the article's links
        keys.add(f.subject.removeprefix("org:"))
    return keys


def _resolved(f: Finding, changes: list[log.LogEvent], today: dt.date) -> Finding:
    found = log.causes(changes, _keys(f))
    if found:
        note = "the graph no longer reports it; removed by " + _describe(found)
    elif changes:
        found = changes[:MAX_CAUSES]
        note = ("the graph no longer reports it; no change touched its subject directly, "
                f"candidates: {_describe(found)}")  # fmt: skip
    else:
        note = "the graph no longer reports it; no change in the log (its date or rule lapsed)"
    return replace(
        f, state="resolved", version=f.version + 1, resolved_at=today, transition="resolve",
        resolved_by_seq=tuple(e.seq for e in found),
        resolved_by=tuple(sorted({e.actor for e in found})), actor=RECONCILER, note=note,
    )  # fmt: skip


def _describe(events: list[log.LogEvent]) -> str:
    shown = ", ".join(f"#{e.seq} {e.change} {e.kind} {e.key}" for e in events[:5])
    more = f" and {len(events) - 5} more" if len(events) > 5 else ""
    who = ", ".join(sorted({f"{e.actor} ({e.command})" for e in events}))
    return f"{shown}{more} by {who}"


def expire_acceptances(store: Store, today: dt.date) -> tuple[str, ...]:
    """Reactivate the accepted findings whose acceptance has expired, without a gap run (the
    findings list does this; the next reconcile resolves those whose gap is gone)."""
    expired = list(io.by_ids(store, sorted(io.stored(store, today).lapsed)).values())
    if expired:
        try:
            io.write(store, [(_reactivated(f, today), f.version) for f in expired], _source())
        except StaleWrite:  # a transition won; the next read or reconcile sees it
            return ()
    return tuple(f.id for f in expired)
