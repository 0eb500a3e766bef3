"""Change events as columns: many ``created`` / ``linked`` events drafted straight from the Arrow
table of their rows, and any events numbered and hash-chained into chunks of columns (what a
store writes), a chunk at a time so a first import never holds every event at once.

The bytes are those of :meth:`ChangeEvent.row` and :func:`~graph.audit.events.chain` (checked
by tests/audit/test_columns.py): the canonical content is assembled from pre-encoded pieces in
sorted key order instead of re-sorting a dict per event, and ``fields`` is encoded once.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import orjson

from graph.audit.events import (
    _ORJSON,
    ChangeEvent,
    Source,
    _plain,
    canonical_bytes,
    event_id,
)

# The columns of a chunk: the ChangeEvent node's properties (graph/schema.py).
COLUMNS = ("id", "seq", "at", "actor", "command", "batch_id", "input_file", "input_sha256",
           "entity_kind", "entity_key", "change", "fields", "prev_hash", "hash")  # fmt: skip
CHUNK = 50_000
"""Events per chunk: the Python objects built before the store takes them as Arrow columns."""


@dataclass(frozen=True)
class Rows:
    """One ``change`` event (``created`` or ``linked``) per row of ``table``, for entities of
    ``kind`` (a label, or ``TYPE(Src->Dst)``). Fields: each column of ``fields`` holding a value,
    ``[None, value]`` — for a node, empty lists are left out too (as graph/audit/diff.py does).
    A node's key is column ``key``; a link's is ``src->dst``, plus ``#`` and its ``link_key``
    properties joined by ``|`` if it has any."""

    source: Source
    at: str
    kind: str
    change: str
    table: Any  # Arrow table
    fields: tuple[str, ...]
    key: str = ""
    link_key: tuple[str, ...] = ()

    def __len__(self) -> int:
        return int(self.table.num_rows)


Draft = ChangeEvent | Rows

# The content's keys in sorted order (canonical JSON sorts them): the text of one event is
# HEAD change MID key KIND kind FIELDS fields TAIL prev_hash SEQ seq "}".
_ORDER = ("actor", "at", "batch_id", "change", "command", "entity_key", "entity_kind", "fields",
          "input_file", "input_sha256", "prev_hash", "seq")  # fmt: skip
if tuple(sorted(ChangeEvent.__dataclass_fields__.keys() - {"hash"})) != _ORDER:
    raise RuntimeError("ChangeEvent's properties changed: update graph/audit/columns.py")
_KIND, _FIELDS, _SEQ = b',"entity_kind":', b',"fields":', b',"seq":'
# Arrow types whose Python values orjson writes as json does (no floats, no decimals).
_SAFE = ("string", "large_string", "bool", "int8", "int16", "int32", "int64", "uint8",
         "uint16", "uint32", "date32[day]", "null", "list<item: string>",
         "large_list<item: string>")  # fmt: skip


class Chain:
    """Numbers and hashes drafts after the head (``seq``, ``prev``); after a chunk is taken,
    ``seq`` and ``prev`` are its last event's."""

    def __init__(self, seq: int, prev: str) -> None:
        self.seq, self.prev = seq, prev
        self._prev_json = canonical_bytes(prev)
        self._templates: dict[tuple[str, ...], tuple[bytes, bytes, bytes]] = {}

    def chunks(self, drafts: Iterable[Draft], size: int = CHUNK) -> Iterator[dict[str, list[Any]]]:
        """Column chunks of about ``size`` events (a chunk closes after the draft that fills it;
        a large ``Rows`` is split)."""
        cols = _empty()
        for d in drafts:
            if isinstance(d, ChangeEvent):
                self._event(cols, d)
            else:
                for start in range(0, len(d), size):
                    self._rows(cols, d, d.table.slice(start, size))
                    if len(cols["seq"]) >= size:
                        yield cols
                        cols = _empty()
            if len(cols["seq"]) >= size:
                yield cols
                cols = _empty()
        if cols["seq"]:
            yield cols

    def _template(self, values: tuple[str, ...]) -> tuple[bytes, bytes, bytes]:
        if values not in self._templates:
            actor, at, batch_id, command, input_file, input_sha256 = map(canonical_bytes, values)
            self._templates[values] = (
                b'{"actor":' + actor + b',"at":' + at + b',"batch_id":' + batch_id + b',"change":',
                b',"command":' + command + b',"entity_key":',
                b',"input_file":' + input_file + b',"input_sha256":' + input_sha256
                + b',"prev_hash":',
            )  # fmt: skip
        return self._templates[values]

    def _append(
        self, cols: dict[str, list[Any]], parts: tuple[bytes, bytes, bytes],
        values: tuple[str, ...], kind: tuple[str, bytes], key: str, change: tuple[str, bytes],
        fields: bytes,
    ) -> None:  # fmt: skip
        """One event: ``kind`` and ``change`` as (text, JSON); ``fields`` canonical JSON."""
        head, mid, tail = parts
        self.seq += 1
        text = b"".join((head, change[1], mid, orjson.dumps(key), _KIND, kind[1], _FIELDS,
                         fields, tail, self._prev_json, _SEQ, str(self.seq).encode()))  # fmt: skip
        digest = hashlib.sha256(text + b"}").hexdigest()
        for name, v in zip(COLUMNS, (event_id(self.seq), self.seq, *values), strict=False):
            cols[name].append(v)
        cols["entity_kind"].append(kind[0])
        cols["entity_key"].append(key)
        cols["change"].append(change[0])
        cols["fields"].append(fields.decode("utf-8"))
        cols["prev_hash"].append(self.prev)
        cols["hash"].append(digest)
        self.prev, self._prev_json = digest, b'"' + digest.encode() + b'"'

    def _event(self, cols: dict[str, list[Any]], e: ChangeEvent) -> None:
        values = (e.at, e.actor, e.command, e.batch_id, e.input_file, e.input_sha256)
        parts = self._template(_sorted_source(values))
        fields = canonical_bytes(e.fields)
        kind, change = _json(e.entity_kind), _json(e.change)
        self._append(cols, parts, values, kind, e.entity_key, change, fields)

    def _rows(self, cols: dict[str, list[Any]], d: Rows, table: Any) -> None:
        s = d.source
        values = (d.at, s.actor, s.command, s.batch_id, s.input_file, s.input_sha256)
        parts = self._template(_sorted_source(values))
        names = d.fields
        safe = all(str(table.schema.field(n).type) in _SAFE for n in names)
        columns = [table[n].to_pylist() for n in names]
        kind, change = _json(d.kind), _json(d.change)
        rows = zip(*columns, strict=True) if columns else [()] * table.num_rows
        for key, row in zip(_keys(d, table), rows, strict=True):
            if d.key:  # a node: null and empty lists left out
                f = {
                    n: [None, v]
                    for n, v in zip(names, row, strict=True)
                    if v is not None and v != []
                }
            else:
                f = {n: [None, v] for n, v in zip(names, row, strict=True) if v is not None}
            text = orjson.dumps(f, default=_plain, option=_ORJSON) if safe else canonical_bytes(f)
            self._append(cols, parts, values, kind, key, change, text)


def _json(text: str) -> tuple[str, bytes]:
    return text, canonical_bytes(text)


def _sorted_source(values: tuple[str, ...]) -> tuple[str, ...]:
    """(at, actor, command, batch_id, input_file, input_sha256) in the content's key order."""
    at, actor, command, batch_id, input_file, input_sha256 = values
    return (actor, at, batch_id, command, input_file, input_sha256)


def _keys(d: Rows, table: Any) -> list[str]:
    if d.key:
        return [str(k) for k in table[d.key].to_pylist()]
    ends = zip(table["src"].to_pylist(), table["dst"].to_pylist(), strict=True)
    if not d.link_key:
        return [f"{s}->{t}" for s, t in ends]
    parts = zip(*(table[k].to_pylist() for k in d.link_key), strict=True)
    out = []
    for (s, t), values in zip(ends, parts, strict=True):
        part = "|".join(str(v) for v in values)
        out.append(f"{s}->{t}" + (f"#{part}" if part else ""))
    return out


def _empty() -> dict[str, list[Any]]:
    return {name: [] for name in COLUMNS}


def chain_rows(drafts: Iterable[Draft], head_seq: int, head_hash: str) -> list[dict[str, Any]]:
    """What :func:`~graph.audit.events.chain` computes, straight as node rows
    (``ChangeEvent.row()``), by the column builder."""
    out: list[dict[str, Any]] = []
    for cols in Chain(head_seq, head_hash).chunks(drafts):
        out += [
            dict(zip(COLUMNS, r, strict=True))
            for r in zip(*(cols[c] for c in COLUMNS), strict=True)
        ]
    return out
