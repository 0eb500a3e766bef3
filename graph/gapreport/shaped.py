"""A gap report kept by (rule, subject), built from every gap query's rows by anchor, and patched
from the anchors a change re-ran. It equals :func:`graph.gaps.find_gaps` with the same rows, gap
for gap and in the same order (tests/gapreport/test_property.py): the same shaping
(:func:`graph.gaps.shape`), suppressions and rank, applied to the subjects that changed.

Why a subject's rows can be rebuilt from a few anchors: a row belongs to one anchor (the node the
query's scoped twin starts from) and to one subject (the gap it makes). Most subjects are their
own anchor; for the others (an evidence item's ``evidence_stale`` rows come from its systems, the
organisation's Art. 4 duty from every system) the report keeps the anchors they came from.
"""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from graph.gap_context import GapContext
from graph.gap_messages import PRESENCE
from graph.gap_relations import SUPPRESSIONS
from graph.gap_rules import RULES, GapRule
from graph.gaprows.model import Anchored, Current
from graph.gaps import ITEM_FINDINGS, Gap, Part, rank, rule_parts, shape, subject_of

Row = dict[str, Any]
Where = tuple[int, str]  # (the part's index in its rule, anchor id)
Pair = tuple[str, str]  # (system, expired evidence id) a presence rule reports
RESORT_AT = 2_000
"""Past this many gaps in or out of the ranked list, sorting it again beats moving each."""

HIDES = {s.hides for s in SUPPRESSIONS}
BY = {s.by for s in SUPPRESSIONS}
if HIDES & (BY | set(PRESENCE)) or set(ITEM_FINDINGS) & (BY | set(PRESENCE)):
    # graph.gaps.suppress applies the suppressions in turn; computing each one's `by` set from
    # every gap of its rule is the same only while no rule that hides is itself hidden
    raise RuntimeError("a suppressing rule is itself suppressed: graph/gapreport needs a look")


@dataclass(frozen=True)
class Delta:
    """What a patch changed in the report: ids that appeared or went, ids still there whose gap
    now reads differently, and the subjects shaped again."""

    added: frozenset[str] = frozenset()
    removed: frozenset[str] = frozenset()
    changed: frozenset[str] = frozenset()
    reshaped: int = 0


@dataclass
class Shaped:
    ctx: GapContext
    parts: dict[str, list[Part]]  # rule -> its queries, in order
    gaps: dict[str, dict[str, Gap]] = field(default_factory=dict)  # rule -> subject -> gap
    # rule -> subject -> the anchors of its rows, kept only when they are not the subject itself
    where: dict[str, dict[str, set[Where]]] = field(default_factory=dict)
    reported: dict[Pair, int] = field(default_factory=Counter)  # pair -> presence gaps naming it
    names: dict[tuple[str, str], frozenset[Pair]] = field(default_factory=dict)  # (rule, subj)
    by_assets: dict[str, Counter[str]] = field(default_factory=dict)  # BY rule -> its assets
    visible: dict[str, Gap] = field(default_factory=dict)  # id -> gap, after suppressions
    ranked: list[Gap] = field(default_factory=list)
    keys: list[tuple[Any, ...]] = field(default_factory=list)  # rank keys of ``ranked``

    # --- building --------------------------------------------------------------------------

    @classmethod
    def build(cls, cur: Current, ctx: GapContext) -> Shaped:
        parts: dict[str, list[Part]] = {}
        for p in rule_parts(cur.store, ctx):
            parts.setdefault(p.rule, []).append(p)
        out = cls(ctx, parts)
        for rule in RULES:
            rows: dict[str, list[tuple[Where, Row]]] = {}
            for i, part in enumerate(parts[rule.id]):
                for a, r in _ordered(cur.anchored.get(part.key, {})):
                    rows.setdefault(subject_of(rule.id, r), []).append(((i, a), r))
            out.gaps[rule.id], out.where[rule.id] = {}, {}
            for s, group in rows.items():
                out._set(rule, s, group)
        out.by_assets = {b: Counter(g.asset for g in out.gaps[b].values() if g.asset) for b in BY}
        out.visible = {g.id: g for rule in RULES for g in out.gaps[rule.id].values()
                       if not out._hidden(g)}  # fmt: skip
        out._resort()
        return out

    def report(self) -> list[Gap]:
        return list(self.ranked)

    # --- patching --------------------------------------------------------------------------

    def patch(self, cur: Current) -> Delta:
        """Apply the anchors ``cur`` re-ran (``cur.changed``: their rows before; ``cur.anchored``:
        after) to the report."""
        redo: dict[str, set[str]] = {}
        for rule in RULES:
            for part in self.parts[rule.id]:
                before = cur.changed.get(part.key, {})
                after = cur.anchored[part.key]
                for a, rows in before.items():
                    redo.setdefault(rule.id, set()).update(
                        _differing(rule.id, rows, after.get(a, []))
                    )
        look: set[tuple[str, str]] = set()  # (rule, subject) whose visibility may have changed
        flipped_pairs: set[Pair] = set()
        flipped_assets: set[str] = set()
        reshaped = 0
        for rule in RULES:
            for s in sorted(redo.get(rule.id, ())):
                group = self._gathered(rule.id, s, cur)
                old = self.gaps[rule.id].get(s)
                new = self._set(rule, s, group, flipped_pairs)
                reshaped += 1
                if rule.id in BY and (old and old.asset) != (new and new.asset):
                    flipped_assets |= self._count(rule.id, old, new)
                look.add((rule.id, s))
        for sup in SUPPRESSIONS:
            look |= {(sup.hides, s) for s in self._subjects_of_assets(sup.hides, flipped_assets)}
        look |= {(r, e) for r in ITEM_FINDINGS for _, e in flipped_pairs}
        return self._revisit(look, reshaped)

    def _revisit(self, look: set[tuple[str, str]], reshaped: int) -> Delta:
        out_old: list[Gap] = []
        in_new: list[Gap] = []
        for rule, s in look:
            gid = f"{rule}:{s}"
            old = self.visible.get(gid)
            g = self.gaps[rule].get(s)
            new = g if g is not None and not self._hidden(g) else None
            if old == new:  # shaped again, the same gap
                continue
            if old is not None:
                out_old.append(old)
                del self.visible[gid]
            if new is not None:
                in_new.append(new)
                self.visible[gid] = new
        if len(out_old) + len(in_new) > RESORT_AT:
            self._resort()
        else:
            for g in out_old:
                k = rank(g, self.ctx.as_of)
                i = bisect.bisect_left(self.keys, k)
                del self.keys[i], self.ranked[i]
            for g in in_new:
                k = rank(g, self.ctx.as_of)
                i = bisect.bisect_left(self.keys, k)
                self.keys.insert(i, k)
                self.ranked.insert(i, g)
        gone = {g.id for g in out_old}
        came = {g.id for g in in_new}
        return Delta(frozenset(came - gone), frozenset(gone - came), frozenset(gone & came),
                     reshaped)  # fmt: skip

    # --- one subject -----------------------------------------------------------------------

    def _gathered(self, rule: str, s: str, cur: Current) -> list[tuple[Where, Row]]:
        """The subject's rows after the change: from the anchors it had (or itself) and from the
        re-run anchors, in the order of the full report (part, then anchor, then row)."""
        parts = self.parts[rule]
        cand = set(self.where[rule].get(s, {(i, s) for i in range(len(parts))}))
        for i, part in enumerate(parts):
            cand |= {(i, a) for a in cur.changed.get(part.key, ())}
        out = []
        for i, a in sorted(cand):
            for r in cur.anchored[parts[i].key].get(a, ()):
                if subject_of(rule, r) == s:
                    out.append(((i, a), r))
        return out

    def _set(
        self, rule: GapRule, s: str, group: list[tuple[Where, Row]],
        flipped: set[Pair] | None = None,
    ) -> Gap | None:  # fmt: skip
        """Shape subject ``s`` of ``rule`` from its rows and keep what depends on them."""
        anchors = {w for w, _ in group}
        if any(a != s for _, a in anchors):
            self.where[rule.id][s] = anchors
        else:
            self.where[rule.id].pop(s, None)
        g = shape(rule, s, [r for _, r in group], self.ctx) if group else None
        if g is None:
            self.gaps[rule.id].pop(s, None)
        else:
            self.gaps[rule.id][s] = g
        if rule.id in PRESENCE:
            named = frozenset((s, e) for _, r in group for e in r["expired"]) \
                if g is not None and g.in_force else frozenset()  # fmt: skip
            self._name(rule.id, s, named, flipped)
        return g

    def _name(self, rule: str, s: str, named: frozenset[Pair], flipped: set[Pair] | None) -> None:
        before = self.names.pop((rule, s), frozenset())
        if named:
            self.names[(rule, s)] = named
        for p in before - named:
            self.reported[p] -= 1
            if not self.reported[p]:
                del self.reported[p]
                if flipped is not None:
                    flipped.add(p)
        for p in named - before:
            self.reported[p] = self.reported.get(p, 0) + 1
            if flipped is not None and self.reported[p] == 1:
                flipped.add(p)

    def _count(self, rule: str, old: Gap | None, new: Gap | None) -> set[str]:
        """Move the BY rule's asset count from ``old`` to ``new``; the assets that flipped."""
        c, out = self.by_assets[rule], set()
        if old is not None and old.asset:
            c[old.asset] -= 1
            if not c[old.asset]:
                del c[old.asset]
                out.add(old.asset)
        if new is not None and new.asset:
            c[new.asset] += 1
            if c[new.asset] == 1:
                out.add(new.asset)
        return out

    def _subjects_of_assets(self, rule: str, assets: set[str]) -> Iterable[str]:
        if not assets:
            return ()
        return [s for s, g in self.gaps[rule].items() if (g.asset or "") in assets]

    def _hidden(self, g: Gap) -> bool:
        for sup in SUPPRESSIONS:
            if (g.rule == sup.hides and (g.asset or "") in self.by_assets[sup.by]
                    and g.article in sup.articles):  # fmt: skip
                return True
        return (g.rule in ITEM_FINDINGS and bool(g.systems) and bool(self.reported)
                and all((s, g.subject) in self.reported for s in g.systems))  # fmt: skip

    def _resort(self) -> None:
        as_of = self.ctx.as_of
        pairs = sorted(((rank(g, as_of), g) for g in self.visible.values()), key=lambda p: p[0])
        self.keys = [k for k, _ in pairs]
        self.ranked = [g for _, g in pairs]


def _ordered(rows: Anchored) -> Iterable[tuple[str, Row]]:
    for a in sorted(rows):
        for r in rows[a]:
            yield a, r


def _differing(rule: str, old: list[Row], new: list[Row]) -> set[str]:
    """The subjects whose rows from one anchor differ between before and after."""
    if old == new:
        return set()
    a: dict[str, list[Row]] = {}
    b: dict[str, list[Row]] = {}
    for r in old:
        a.setdefault(subject_of(rule, r), []).append(r)
    for r in new:
        b.setdefault(subject_of(rule, r), []).append(r)
    return {s for s in a.keys() | b.keys() if a.get(s) != b.get(s)}
