"""Reading the maintained gap rows brought up to the log's head (:func:`current`), storing
them back (:func:`save`) and comparing them with the full queries (:func:`differences`).

A read never trusts stored rows further than the events allow: every anchor the events since
the mark touched is re-run with the query's scoped twin, and a query whose text or parameters
differ from the stored ones (another day, another review period in use) runs in full.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import orjson

from graph import cypher_gen
from graph.audit.read import events, head_seq
from graph.gap_context import GapContext
from graph.gaprows.codec import BUCKETS, bucket_id, bucket_of, decode, encode
from graph.gaprows.dirty import Dirty, dirty, touched
from graph.gaps import Part, RowsOf, full_rows, rule_parts
from graph.gc_pause import gc_paused
from graph.readmodel.tx import Tx
from graph.schema import GAP_MARK, GAP_ROWS
from graph.stores.base import Store
from queries.registry import ONE, SCOPED, default_registry

Row = dict[str, Any]
Anchored = dict[str, list[Row]]  # anchor id -> its rows, in the query's order
MAX_EVENTS = 20_000
"""Past this many events since the mark, re-running every query is cheaper than following
them (and a bulk load's events are read in one go)."""
KEYS_PER_READ = 2_000
ONE_BY_ONE = 16
"""Up to this many anchors of a query are re-run with its one-key twin, one statement each
(≈ 1-5 ms at any scale on LadybugDB); more go through the ``UNWIND`` twin, whose cost grows with
the store (≈ 50-280 ms at 100,000 systems, docs/performance.md)."""
_MARK_DROP = cypher_gen.clear_label(GAP_MARK)
_BUCKETS_DELETE = cypher_gen.node_delete(GAP_ROWS)


@dataclass
class Current:
    """Every gap query's rows as of ``seq``. ``anchored``: per query (Part.key), its rows by
    anchor; ``full``: queries whose stored rows are for other texts or parameters (another
    day), read in full from ``store`` when asked for (a one-rule report runs one); ``base``: the
    mark's seq this was built on (None: there was none); ``rewrite``: per query, the buckets a
    save writes (every bucket for a query rebuilt in full)."""

    store: Store
    seq: int
    base: int | None
    as_of: dt.date
    log_max_age_days: int
    digests: dict[str, str] = field(default_factory=dict)
    anchored: dict[str, Anchored] = field(default_factory=dict)
    full: set[str] = field(default_factory=set)
    rewrite: dict[str, set[int]] = field(default_factory=dict)
    recomputed: int = 0  # anchors re-run with a scoped twin
    # per query followed from the events: the anchors re-run, each with its rows before
    changed: dict[str, Anchored] = field(default_factory=dict)
    # per query, its anchors by bucket (built by the first save that needs it, carried along by
    # `advance`): a save of a few buckets need not hash every anchor to find theirs
    members: dict[str, list[set[str]]] = field(default_factory=dict)

    def rows_of(self, part: Part) -> list[Row]:
        if part.key in self.full:
            return full_rows(self.store)(part)
        rows = self.anchored[part.key]
        return [r for a in sorted(rows) for r in rows[a]]  # per anchor, as the full query


def mark(store: Store) -> Row | None:
    rows = store.read("gaprows.mark")
    return rows[0] if rows else None


def digest(store: Store, part: Part) -> str:
    text = default_registry().get(part.query, store.kind).text
    params = orjson.dumps(part.params, option=orjson.OPT_SORT_KEYS)
    return hashlib.sha256(text.encode() + b"\0" + params).hexdigest()[:32]


def current(
    store: Store, ctx: GapContext, *, keep: bool = False, rebuild: bool = False
) -> Current | None:
    """The rows of every gap query for ``ctx``, from the stored rows and the events since.
    None when there are no stored rows (unless ``keep``) or the events cannot be followed:
    the caller runs the full queries. ``keep``: what a save needs, every query's rows by anchor
    (a query that cannot be updated runs in full, its rows grouped by anchor); ``rebuild``:
    every query that way, whatever is stored."""
    m = mark(store)
    if m is None and not keep:
        return None
    base = int(m["seq"]) if m is not None else None
    known: dict[str, str] = orjson.loads(m["parts"]) if m is not None else {}
    return _follow(store, ctx, base, known, lambda: _stored(store), keep=keep, rebuild=rebuild)


def advance(prev: Current, ctx: GapContext) -> Current | None:
    """``prev`` (kept in memory) brought to the log's head for ``ctx`` without decoding the
    stored rows again: the same events, reach and scoped twins as :func:`current`. ``prev`` is
    left as it was (each query's rows are copied before they change). None when the events
    cannot be followed or a query's text or parameters differ from ``prev``'s (another day, a
    new review period): the caller builds afresh."""
    if (prev.as_of, prev.log_max_age_days) != (ctx.as_of, ctx.log_max_age_days):
        return None
    cur = _follow(prev.store, ctx, prev.seq, prev.digests, lambda: prev.anchored, copy=True)
    if cur is None or cur.full:
        return None
    for part, old in prev.members.items():
        if not cur.changed.get(part):
            cur.members[part] = old
            continue
        idx = list(old)
        for b in {bucket_of(a) for a in cur.changed.get(part, ())}:
            idx[b] = {a for a in old[b] if a in cur.anchored[part]}
        for a in cur.changed.get(part, ()):
            if a in cur.anchored[part]:
                idx[bucket_of(a)].add(a)
        cur.members[part] = idx
    return cur


def _follow(
    store: Store, ctx: GapContext, base: int | None, known: dict[str, str],
    stored_rows: Callable[[], dict[str, Anchored]], *, keep: bool = False, rebuild: bool = False,
    copy: bool = False,
) -> Current | None:  # fmt: skip
    """``copy``: the stored rows are another Current's, copied per query before one changes."""
    head = head_seq(store)
    todo: Dirty | None = None
    if base is not None and head - base <= MAX_EVENTS and not rebuild:
        t = touched(events(store, base, head))
        todo = dirty(store, t) if t is not None else None
    if todo is None and not keep:
        return None
    parts = rule_parts(store, ctx)
    out = Current(store, head, base, ctx.as_of, ctx.log_max_age_days)
    out.digests = {p.key: digest(store, p) for p in parts}
    same = {k for k, d in out.digests.items() if known.get(k) == d} if todo is not None else set()
    if not same and not keep:
        return None  # another day: every query in full
    stored = stored_rows() if same else {}
    for part in parts:
        label = _label(store, part)
        if todo is not None and part.key in same:
            rows = stored.get(part.key, {})
            if copy and todo[label]:
                rows = dict(rows)  # shallow: rows are never mutated
            out.changed[part.key] = {a: rows.pop(a, []) for a in todo[label]}
            rows.update(_by_anchor(store, part, todo[label]))
            out.anchored[part.key] = rows
            out.rewrite[part.key] = {bucket_of(a) for a in todo[label]}
            out.recomputed += len(todo[label])
        elif keep:  # the full query once, its rows grouped by anchor (a twin per key is 6x)
            out.anchored[part.key] = grouped(full_rows(store)(part), label)
            out.rewrite[part.key] = set(range(BUCKETS))
            out.recomputed += len(out.anchored[part.key])
        else:
            out.full.add(part.key)
    return out


def rows_source(store: Store, ctx: GapContext) -> RowsOf | None:
    """Where a report for ``ctx`` reads its rows: the maintained ones when there are any."""
    cur = current(store, ctx)
    return cur.rows_of if cur is not None else None


def save(store: Store, cur: Current) -> bool:
    """Store ``cur`` (made with ``keep``) and its mark, unless another save came first since
    ``cur`` read the mark (False: nothing written; the next save catches up)."""

    def work(tx: Tx) -> bool:
        now = tx.named("gaprows.mark")
        if (int(now[0]["seq"]) if now else None) != cur.base:
            return False
        for part, buckets in cur.rewrite.items():
            _write(tx, part, cur.anchored[part], buckets, _members(cur, part, buckets))
        tx.run(_MARK_DROP, {})
        row = {"id": "gaps", "seq": cur.seq, "as_of": cur.as_of,
               "log_max_age_days": cur.log_max_age_days,
               "parts": orjson.dumps(cur.digests).decode()}  # fmt: skip
        tx.create(GAP_MARK.label, [row])
        return True

    return store.in_transaction(work)


@gc_paused
def update(store: Store, ctx: GapContext, *, rebuild: bool = False) -> Current:
    """Bring the stored rows to the log's head for ``ctx`` (build them if there are none, or
    with ``rebuild``: rows changed behind the log's back, which `check-consistency` finds)."""
    cur = current(store, ctx, keep=True, rebuild=rebuild)
    if cur is None:  # keep=True never gives up on the events
        raise RuntimeError("the gap rows could not be built")
    save(store, cur)
    return cur


def differences(store: Store, ctx: GapContext) -> list[str]:
    """How the maintained rows differ from the full queries for ``ctx`` (empty: the same, or
    the events since the mark cannot be followed, so readers run the full queries)."""
    if mark(store) is None:
        return ["there are no maintained gap rows in this store (run `clausegraph refresh`)"]
    cur = current(store, ctx)
    if cur is None:
        return []
    out = []
    for part in rule_parts(store, ctx):
        want, have = full_rows(store)(part), cur.rows_of(part)
        if _canonical(want) != _canonical(have):
            out.append(f"gap rows of {part.key} differ: {len(have)} maintained, {len(want)} "
                       "from the full query")  # fmt: skip
    return out


def _canonical(rows: list[Row]) -> list[bytes]:
    return sorted(orjson.dumps(r, option=orjson.OPT_SORT_KEYS) for r in rows)


def _label(store: Store, part: Part) -> str:
    anchor = default_registry().get(part.query, store.kind).anchor
    if anchor is None:  # tests/queries/test_scoped.py checks that every gap query has one
        raise RuntimeError(f"{part.query} has no '// anchor:'")
    return anchor[1]


def anchor_column(label: str, row: Row) -> str:
    """The column holding a row's anchor id: the one named after the anchor's label (``asset``,
    ``control``) when the row has it, else ``subject`` (tests/gaprows/test_grouping.py checks
    this against every gap query's scoped twin)."""
    col = label.lower()
    return col if col in row else "subject"


def grouped(rows: list[Row], label: str) -> Anchored:
    """A full query's rows by anchor, each anchor's rows in the query's order."""
    out: Anchored = {}
    for r in rows:
        key = r[anchor_column(label, r)]
        if not isinstance(key, str) or not key:
            raise RuntimeError(f"a {label} row without its anchor's id: {r}")
        out.setdefault(key, []).append(r)
    return out


def _by_anchor(store: Store, part: Part, keys: set[str]) -> Anchored:
    ordered = [] if part.empty else sorted(keys)
    out: Anchored = {}
    if len(ordered) <= ONE_BY_ONE:  # a keyed start per key beats one UNWIND for a few keys
        for k in ordered:
            rows = store.read(part.query + ONE, key=k, **part.params)
            for r in rows:
                del r["anchor_key"]
            if rows:
                out[k] = rows
        return out
    for i in range(0, len(ordered), KEYS_PER_READ):
        chunk = ordered[i : i + KEYS_PER_READ]
        for r in store.read(part.query + SCOPED, keys=chunk, **part.params):
            out.setdefault(r.pop("anchor_key"), []).append(r)
    return out


def _stored(store: Store) -> dict[str, Anchored]:
    out: dict[str, Anchored] = {}
    for r in store.read("gaprows.buckets"):
        out.setdefault(r["part"], {}).update(decode(r["rows"]))
    return out


def _members(cur: Current, part: str, buckets: set[int]) -> list[set[str]] | None:
    """The part's anchors by bucket, kept on ``cur`` (None: a save of every bucket, which reads
    every anchor anyway)."""
    if len(buckets) == BUCKETS:
        return None
    idx = cur.members.get(part)
    if idx is None:
        idx = [set() for _ in range(BUCKETS)]
        for a in cur.anchored[part]:
            idx[bucket_of(a)].add(a)
        cur.members[part] = idx
    return idx


def _write(
    tx: Tx, part: str, rows: Anchored, buckets: set[int], members: list[set[str]] | None
) -> None:
    if not buckets:
        return
    grouped: dict[int, Anchored] = {b: {} for b in buckets}
    if members is None:
        for a in sorted(rows):
            if (b := bucket_of(a)) in grouped:
                grouped[b][a] = rows[a]
    else:
        for b in buckets:
            grouped[b] = {a: rows[a] for a in sorted(members[b])}
    tx.run(_BUCKETS_DELETE, {"keys": [bucket_id(part, b) for b in sorted(buckets)]})
    fresh = [{"id": bucket_id(part, b), "part": part, "rows": encode(g)}
             for b, g in sorted(grouped.items()) if g]  # fmt: skip
    if fresh:
        tx.create(GAP_ROWS.label, fresh)
