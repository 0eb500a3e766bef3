"""One kept gap report per store, brought to the change log's head on each use, and the findings
reconcile scoped to the gap ids that came or went since the last one.

The report is kept in this process only (weakly, per store object), for one :class:`GapContext`
at a time: a report for another day or other legal numbers is built afresh. Each use reads the
log's head; when events came since, they are followed (:func:`graph.gaprows.model.advance`) and
the report patched (:meth:`Shaped.patch`); what the events cannot bound rebuilds it from the
stored gap rows. The stored rows are written back (``save``) from the reconcile path only: a read
never writes, and the buckets it changed are written by the next save.
"""

from __future__ import annotations

import datetime as dt
import threading
import weakref
from dataclasses import dataclass, field

from graph.findings import log as findings_log
from graph.findings.reconcile import ReconcileReport, reconcile
from graph.gap_context import GapContext
from graph.gapreport.shaped import Delta, Shaped
from graph.gaprows import model
from graph.gaprows.codec import BUCKETS
from graph.gaps import Gap
from graph.gc_pause import gc_paused
from graph.settings import FindingsSettings
from graph.stores.base import Store


@dataclass
class Kept:
    ctx: GapContext
    cur: model.Current
    shaped: Shaped
    saved: int | None  # the stored mark's seq these rows and ``unsaved`` build on (None: none)
    unsaved: dict[str, set[int]] = field(default_factory=dict)  # part -> buckets not yet written
    # gap ids that came or went since the reconcile that left the findings mark ``reconciled``
    # (None: not known, e.g. after a rebuild: the next reconcile compares everything)
    moved: set[str] | None = None
    reconciled: int | None = None
    last: Delta | None = None  # what the last use changed (None: built)
    patched: int = 0  # uses that patched the report (the rest built it)
    scoped: int = 0  # reconciles that compared only the ids that moved


_KEPT: weakref.WeakKeyDictionary[Store, Kept] = weakref.WeakKeyDictionary()
_LOCKS: weakref.WeakKeyDictionary[Store, threading.RLock] = weakref.WeakKeyDictionary()
_GUARD = threading.Lock()


def _lock(store: Store) -> threading.RLock:
    with _GUARD:
        return _LOCKS.setdefault(store, threading.RLock())


def gaps(store: Store, ctx: GapContext) -> list[Gap]:
    """Every gap for ``ctx`` (ranked, as :func:`graph.gaps.find_gaps`), from the kept report."""
    with _lock(store):
        return _use(store, ctx, save=False).shaped.report()


def holds(store: Store, ctx: GapContext) -> bool:
    """Whether a report for ``ctx`` is kept for ``store`` (then a filtered question reads it)."""
    k = _KEPT.get(store)
    return k is not None and k.ctx == ctx


def kept(store: Store) -> Kept | None:
    """The kept report of ``store`` as it stands (for benches and tests)."""
    return _KEPT.get(store)


def reconciled(
    store: Store, ctx: GapContext, policy: FindingsSettings | None, today: dt.date
) -> tuple[list[Gap], ReconcileReport]:
    """Every gap for ``ctx``, with the findings reconciled to them. When this process's kept
    report was reconciled last (the findings mark is the one that reconcile left), only the gap
    ids that came or went since are compared; otherwise every finding is."""
    with _lock(store):
        k = _use(store, ctx, save=True)
        only = k.moved if k.reconciled == findings_log.mark_seq(store) else None
        k.scoped += only is not None
        report = reconcile(store, k.shaped.visible, ctx, policy, today=today, only=only)
        k.moved, k.reconciled = set(), findings_log.mark_seq(store)
        _skip_own_events(store, k)
        return k.shaped.report(), report


def _skip_own_events(store: Store, k: Kept) -> None:
    """Move the kept rows' seq past the findings' own events when nothing else came since:
    they change no gap row, and a first reconcile writes one per gap (1.3M at 100k systems,
    which the next use would otherwise read only to skip)."""
    head = findings_log.head_seq(store)  # before the read below: a later event is seen next time
    if head > k.cur.seq and not findings_log.changes_since(store, k.cur.seq, head):
        k.cur.seq = head


@gc_paused
def _use(store: Store, ctx: GapContext, *, save: bool) -> Kept:
    k = _KEPT.get(store)
    nxt = model.advance(k.cur, ctx) if k is not None and k.ctx == ctx else None
    if k is None or nxt is None:
        k = _build(store, ctx)
    else:
        try:
            k.last = k.shaped.patch(nxt)
        except Exception:
            _KEPT.pop(store, None)  # half-patched: never used again
            raise
        k.cur, k.patched = nxt, k.patched + 1
        for part, buckets in nxt.rewrite.items():
            k.unsaved.setdefault(part, set()).update(buckets)
        if k.moved is not None:
            k.moved |= k.last.added | k.last.removed
    if save and not getattr(store, "read_only", False):
        _save(store, k)
    return k


def _build(store: Store, ctx: GapContext) -> Kept:
    cur = model.current(store, ctx, keep=True)
    if cur is None:  # keep=True never gives up on the events
        raise RuntimeError("the gap rows could not be built")
    k = Kept(ctx, cur, Shaped.build(cur, ctx), cur.base, dict(cur.rewrite))
    _KEPT[store] = k
    return k


def _save(store: Store, k: Kept) -> None:
    if not k.unsaved and k.saved == k.cur.seq:
        return
    cur = k.cur
    cur.base, cur.rewrite = k.saved, k.unsaved
    if model.save(store, cur):
        k.saved, k.unsaved = cur.seq, {}
    else:  # another process saved since: write every bucket on top of its mark next time
        m = model.mark(store)
        k.saved = int(m["seq"]) if m is not None else None
        k.unsaved = {p: set(range(BUCKETS)) for p in cur.anchored}
