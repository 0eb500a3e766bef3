"""What changed in the register between two points of the log, grouped by entity.

A point is a sequence number (a snapshot records the audit head's seq when it is taken) or a UTC
time (an ISO date or datetime, or the ``taken_at`` of an older snapshot without a seq). A link
event (``TYPE(Src->Dst)``, key ``src->dst``) belongs to its source entity. The filters keep the
events that reach one AI system, article or owner: through the entities that reach it now (named
queries ``audit.asset_scope``, ``audit.article_scope``, ``audit.owner_scope``) and through the
link events of the window (a control re-scoped away from the system, an evidence item replaced:
the old item's events count too). Store-wide ``clear`` events are kept; ``noop`` loads are not.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from graph.audit import read
from graph.audit.events import ChangeEvent
from graph.errors import InvalidParameters
from graph.stores.base import Store

Entity = tuple[str, str]


@dataclass(frozen=True)
class Bound:
    """One end of the window: after/at ``seq``, or at/before ``at`` (ISO UTC 'Z')."""

    seq: int | None = None
    at: str | None = None
    label: str = ""


def iso_utc(value: dt.datetime) -> str:
    """The log's time format; a naive datetime is taken as UTC."""
    aware = value if value.tzinfo else value.replace(tzinfo=dt.UTC)
    return aware.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_time(text: str, *, end: bool = False) -> str | None:
    """An ISO date or datetime as the log's time, or None if ``text`` is neither (a label).

    A date as a start means the start of that day (UTC); as an end (``end``), the end of it.
    """
    value = text.strip()
    if len(value) == 10:
        try:
            day = dt.date.fromisoformat(value)
        except ValueError:
            return None
        start = dt.datetime.combine(day + dt.timedelta(days=1 if end else 0), dt.time())
        return iso_utc(start)
    try:
        return iso_utc(dt.datetime.fromisoformat(value))
    except ValueError:
        return None


def window(store: Store, since: Bound, until: Bound | None = None) -> list[ChangeEvent]:
    """Events after ``since`` up to ``until`` (default: the head), in seq order. Seq bounds are
    exclusive below and inclusive above; time bounds inclusive below and exclusive above."""
    upper = until or Bound()
    if since.at is None and upper.at is None:
        evs = read.events(store, since.seq or 0, read.MAX_SEQ if upper.seq is None else upper.seq)
    else:
        evs = read.events_at(store, since.at or "", upper.at or read.END_OF_TIME)
    return [
        e
        for e in evs
        if (since.seq is None or e.seq > since.seq) and (upper.seq is None or e.seq <= upper.seq)
    ]


def link_ends(e: ChangeEvent) -> tuple[str, Entity, Entity] | None:
    """(type, source, target) of a link event; None for a node or store-wide event."""
    if "(" not in e.entity_kind or "->" not in e.entity_key:
        return None
    rel, _, ends = e.entity_kind.partition("(")
    src_kind, _, dst_kind = ends.rstrip(")").partition("->")
    src, _, dst = e.entity_key.partition("->")
    return rel, (src_kind, src), (dst_kind, dst.partition("#")[0])


def entity_of(e: ChangeEvent) -> Entity:
    ends = link_ends(e)
    return ends[1] if ends else (e.entity_kind, e.entity_key)


def links_before(store: Store, entity: Entity, seq: int) -> set[tuple[str, Entity]]:
    """(type, target) of the links leaving ``entity`` just before event ``seq``, replayed from
    its own events (a deleted node's edges are covered by its ``deleted`` event, not unlinks)."""
    state: set[tuple[str, Entity]] = set()
    for e in reversed(read.entity_events(store, *entity)):
        if e.seq >= seq:
            break
        ends = link_ends(e)
        if ends is None:
            if e.change == "deleted":
                state.clear()
        elif ends[1] == entity and e.change in ("linked", "unlinked"):
            (state.add if e.change == "linked" else state.discard)((ends[0], ends[2]))
    return state


@dataclass
class Scope:
    """Entities reaching the subject (with how), and the link types that reach it from their
    target side (``into``: an APPLIES_TO edge into the system) or source side (``out_of``)."""

    subject: Entity
    via: dict[Entity, str]
    into: frozenset[str]
    out_of: frozenset[str]

    def reaches(self, e: ChangeEvent) -> bool:
        if not e.entity_kind:  # clear: every entity
            return True
        ends = link_ends(e)
        if ends is None:
            return (e.entity_kind, e.entity_key) in self.via
        rel, src, dst = ends
        return src in self.via or (rel in self.into and dst in self.via)

    def widen(self, store: Store, events: list[ChangeEvent]) -> None:
        """Add the entities that reached the subject at the window's start or during it: the
        subject's links then (a dataset since dropped), the ends of link events, and the links
        a node deleted in the window had (an evidence item replaced)."""
        if not events:
            return
        for rel, dst in sorted(links_before(store, self.subject, events[0].seq)):
            if rel in self.out_of:
                self.via.setdefault(dst, f"{rel} from {self.subject[1]} (before)")
        deleted = [e for e in events if e.change == "deleted" and link_ends(e) is None]
        for _ in range(2):  # system <- control <- evidence
            for e in events:
                ends = link_ends(e)
                if ends is None:
                    continue
                rel, src, dst = ends
                if rel in self.into and dst in self.via and src not in self.via:
                    self.via[src] = f"{rel} {e.entity_key} ({e.change})"
                if rel in self.out_of and src in self.via and dst not in self.via:
                    self.via[dst] = f"{rel} {e.entity_key} ({e.change})"
            for e in deleted:
                node = (e.entity_kind, e.entity_key)
                links = sorted(links_before(store, node, e.seq)) if node not in self.via else []
                for rel, dst in links:
                    if rel in self.into and dst in self.via:
                        self.via[node] = f"{rel} {node[1]}->{dst[1]} (until deleted)"
                        break


ASSET_INTO = frozenset({"APPLIES_TO", "SUPPORTS", "CONCERNS", "INVOLVES", "REPORTS"})
ASSET_OUT = frozenset({"USES", "OWNED_BY"})
ARTICLE_INTO = frozenset({"ADDRESSES", "SUBJECT_TO", "SUPPORTS"})
OWNER_INTO = frozenset({"OWNED_BY"})
VIA = {"Asset": "the system", "Owner": "owner of {s}", "Control": "control applying to {s}",
       "Evidence": "evidence about {s}", "Dataset": "dataset {s} uses",
       "Incident": "incident involving {s}"}  # fmt: skip


def _sorted(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Scope rows in a fixed order, so ``via`` is the same on every run and store."""
    return sorted(rows, key=lambda r: (r["kind"], r["id"], r["via"] == "", r["via"]))


def asset_scope(store: Store, asset: str) -> Scope:
    via: dict[Entity, str] = {("Asset", asset): "the system"}
    for r in _sorted(store.read("audit.asset_scope", asset=asset)):
        text = f"evidence of control {r['via']}" if r["via"] else VIA[r["kind"]].format(s=asset)
        via.setdefault((r["kind"], r["id"]), text)
    return Scope(("Asset", asset), via, ASSET_INTO, ASSET_OUT)


def article_scope(store: Store, article: str) -> Scope:
    via: dict[Entity, str] = {("Article", article): "the article"}
    for r in _sorted(store.read("audit.article_scope", article=article)):
        text = f"evidence of control {r['via']}" if r["via"] else f"control for {article}"
        via.setdefault((r["kind"], r["id"]), text)
    return Scope(("Article", article), via, ARTICLE_INTO, frozenset())


def owner_scope(store: Store, owner: str) -> Scope:
    via: dict[Entity, str] = {("Owner", owner): "the owner"}
    for r in _sorted(store.read("audit.owner_scope", owner=owner)):
        via.setdefault((r["kind"], r["id"]), f"owned by {owner}")
    return Scope(("Owner", owner), via, OWNER_INTO, frozenset())


def changes(
    store: Store,
    since: Bound,
    until: Bound | None = None,
    *,
    asset: str | None = None,
    article: str | None = None,
    owner: str | None = None,
) -> list[dict[str, Any]]:
    """One row per changed entity, most recently changed first; ``events`` lists its events
    (``read.event_row``), newest first. Filters combine (an event must reach each subject)."""
    if since.seq is None and since.at is None:
        raise InvalidParameters("changes: give a start (a snapshot label, a date or a datetime)")
    events = [e for e in window(store, since, until) if e.change != "noop"]
    scopes = []
    if asset:
        scopes.append(asset_scope(store, asset))
    if article:
        scopes.append(article_scope(store, article))
    if owner:
        scopes.append(owner_scope(store, owner))
    for s in scopes:
        s.widen(store, events)
    kept = [e for e in events if all(s.reaches(e) for s in scopes)]
    groups: dict[Entity, list[ChangeEvent]] = {}
    for e in kept:
        groups.setdefault(entity_of(e), []).append(e)
    rows = [_group_row(k, evs, scopes) for k, evs in groups.items()]
    return sorted(rows, key=lambda r: -int(r["last_seq"]))


def _group_row(key: Entity, evs: list[ChangeEvent], scopes: list[Scope]) -> dict[str, Any]:
    via = "; ".join(dict.fromkeys(s.via[key] for s in scopes if key in s.via))
    return {
        "entity": key[0] or "(store)", "key": key[1], "via": via, "n_events": len(evs),
        "summary": "; ".join(_summary(e) for e in evs),
        "first_seq": evs[0].seq, "last_seq": evs[-1].seq, "last_at": evs[-1].at,
        "actors": ", ".join(sorted({e.actor for e in evs})),
        "events": [read.event_row(e) for e in reversed(evs)],
    }  # fmt: skip


def _summary(e: ChangeEvent) -> str:
    ends = link_ends(e)
    if ends:
        return f"{e.change} {ends[0]}->{ends[2][1]}"
    if e.change == "updated":
        return f"updated {', '.join(sorted(e.fields))}"
    return e.change


def event_rows(groups: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The grouped rows flattened: one row per event with its entity (a DataFrame's shape)."""
    out = []
    for g in groups:
        for ev in g["events"]:
            out.append({"entity": g["entity"], "entity_key": g["key"], "via": g["via"]} | ev)
    return out
