"""Change events, their canonical serialisation and the hash chain (see docs/audit.md)."""

from __future__ import annotations

import datetime as dt
import getpass
import hashlib
import json
import os
import uuid
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field, replace
from typing import Any

import orjson

CHANGES = (
    "created", "updated", "deleted", "linked", "unlinked", "noop", "clear", "prune", "refresh",
)  # fmt: skip
ACTOR_ENV = "CLAUSEGRAPH_ACTOR"


@dataclass(frozen=True)
class Source:
    """Where a write came from; passed down from the CLI/API to the store."""

    actor: str
    command: str
    batch_id: str = ""
    input_file: str = ""
    input_sha256: str = ""


_CURRENT: ContextVar[Source | None] = ContextVar("clausegraph_audit_source", default=None)


@contextmanager
def acting(source: Source) -> Iterator[Source]:
    """Every store write in this block (this thread/task) is logged with ``source``, unless its
    batch names its own: the CLI and the API set it once, loaders need not pass it along."""
    token = _CURRENT.set(source)
    try:
        yield source
    finally:
        _CURRENT.reset(token)


def current_source() -> Source | None:
    return _CURRENT.get()


def resolve_actor(cli_actor: str | None = None, env: Mapping[str, str] | None = None) -> str:
    """``--actor``, else ``$CLAUSEGRAPH_ACTOR``, else the OS user."""
    if cli_actor:
        return cli_actor
    env = os.environ if env is None else env
    if env.get(ACTOR_ENV):
        return env[ACTOR_ENV]
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry (containers)
        return "unknown"


@dataclass(frozen=True)
class ChangeEvent:
    """One entry of the log. ``fields`` maps a field to ``[before, after]``."""

    seq: int
    at: str
    actor: str
    command: str
    entity_kind: str
    entity_key: str
    change: str
    fields: dict[str, list[Any]] = field(default_factory=dict)
    batch_id: str = ""
    input_file: str = ""
    input_sha256: str = ""
    prev_hash: str = ""
    hash: str = ""

    def __post_init__(self) -> None:
        if self.change not in CHANGES:
            raise ValueError(f"event {self.seq}: unknown change {self.change!r}")

    def content(self) -> dict[str, Any]:
        """Everything the hash covers: every property but ``hash`` itself (a shallow dict:
        ``dataclasses.asdict`` deep-copies ``fields``, the log's hot spot on a large load)."""
        return {name: getattr(self, name) for name in _CONTENT}

    def row(self) -> dict[str, Any]:
        """The ChangeEvent node's properties (``fields`` as canonical JSON)."""
        return self.content() | {"hash": self.hash, "id": event_id(self.seq),
                                 "fields": canonical_json(self.fields)}  # fmt: skip

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> ChangeEvent:
        fields = json.loads(row["fields"]) if row.get("fields") else {}
        values = {k: ("" if row.get(k) is None else row[k]) for k in _STRING_PROPS}
        return cls(seq=int(row["seq"]), fields=fields, **values)


_CONTENT = tuple(n for n in ChangeEvent.__dataclass_fields__ if n != "hash")
_STRING_PROPS = tuple(n for n in ChangeEvent.__dataclass_fields__ if n not in ("seq", "fields"))


def event_id(seq: int) -> str:
    """The node key: zero-padded so string order is seq order."""
    return f"{seq:012d}"


def canonical_json(value: Any) -> str:
    """The one serialisation hashes are computed over: sorted keys, no spaces, UTF-8 as is,
    dates as ISO strings. Changing it invalidates every stored chain."""
    return canonical_bytes(value).decode("utf-8")


def canonical_bytes(value: Any) -> bytes:
    """:func:`canonical_json` as UTF-8 bytes (what is hashed).

    The definition is ``json.dumps(value, sort_keys=True, ensure_ascii=False,
    separators=(",", ":"))``; orjson writes the same bytes about ten times faster for the values
    events hold (str, int, bool, None, dates, lists, dicts with str keys) but not for floats
    (``1e-05`` is ``0.00001`` to orjson), ints past 64 bits or non-str keys: a value holding
    any of those, or of another type, is written by ``json`` itself (tests/audit/test_canonical.py
    checks the two agree)."""
    if _orjson_safe(value):
        try:
            return orjson.dumps(value, default=_plain, option=_ORJSON)
        except TypeError:  # an int past 64 bits, a non-str key: the reference decides
            pass
    return _reference(value).encode("utf-8")


def _reference(value: Any) -> str:
    return json.dumps(
        value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=_plain
    )


# Dates go to _plain (isoformat), as they do for json; dataclasses would be serialised natively.
_ORJSON = orjson.OPT_SORT_KEYS | orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS
_CONTAINERS = (list, tuple, set, frozenset)
_DATES = (dt.date, dt.datetime)


def _orjson_safe(value: Any) -> bool:
    """Whether orjson writes ``value`` byte for byte as json does: no float anywhere and only
    the exact types both treat alike (subclasses, numpy, enums, UUIDs: json decides). Loops,
    not ``all()``: this runs once per event."""
    t = type(value)
    if t is str or t is int or t is bool or value is None or t in _DATES:
        return True
    if t is dict:
        items = value.values()
    elif t in _CONTAINERS:
        items = value
    else:
        return False
    for v in items:
        tv = type(v)
        if tv is str or v is None or tv is int or tv is bool:
            continue
        if tv is float or not _orjson_safe(v):
            return False
    return True


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, set | frozenset | tuple):
        return sorted(value, key=str)
    raise TypeError(f"cannot serialise {type(value).__name__} in a change event")


def event_hash(event: ChangeEvent) -> str:
    """sha256 over the canonical content, which includes ``prev_hash`` (the chain link)."""
    return hashlib.sha256(canonical_json(event.content()).encode("utf-8")).hexdigest()


def new_batch_id() -> str:
    return uuid.uuid4().hex


def utc_now() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def chain(drafts: Iterable[ChangeEvent], head_seq: int, head_hash: str) -> list[ChangeEvent]:
    """Number and hash drafts after the current head (seq ``head_seq``, hash ``head_hash``)."""
    out: list[ChangeEvent] = []
    seq, prev = head_seq, head_hash
    for d in drafts:
        seq += 1
        content = d.content() | {"seq": seq, "prev_hash": prev}  # what event_hash covers
        digest = hashlib.sha256(canonical_json(content).encode("utf-8")).hexdigest()
        out.append(replace(d, seq=seq, prev_hash=prev, hash=digest))
        prev = digest
    return out


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    checked: int
    head_seq: int
    head_hash: str
    bad_seq: int | None = None
    reason: str = ""


def verify_chain(events: Iterable[ChangeEvent]) -> VerifyResult:
    """Recompute the chain in seq order; name the first event that does not match."""
    expected_seq, prev, n = 1, "", 0
    for ev in sorted(events, key=lambda e: e.seq):
        problem = _problem(ev, expected_seq, prev)
        if problem:
            return VerifyResult(False, n, expected_seq - 1, prev, ev.seq, problem)
        n, expected_seq, prev = n + 1, ev.seq + 1, ev.hash
    return VerifyResult(True, n, expected_seq - 1, prev)


def _problem(ev: ChangeEvent, expected_seq: int, prev: str) -> str:
    if ev.seq != expected_seq:
        return f"sequence jumps from {expected_seq - 1} to {ev.seq} (event deleted?)"
    if ev.prev_hash != prev:
        return "prev_hash does not match the previous event's hash"
    if event_hash(ev) != ev.hash:
        return "content does not match its hash (event edited)"
    return ""
