"""Re-loads that read only the changed rows: per-line fingerprints of each entity's CSV file.

A load of a folder records, in the same transaction as its write (``WriteBatch.digests``), for
each entity CSV file of at least :data:`MIN_BYTES` whose records are its lines, a 64-bit keyed
blake2b digest of every line and of the line's id, taken at the change-log seq after the load's
events (:data:`graph.schema.ROW_DIGESTS`, keyed by entity: whichever file of that entity was
loaded last). When a later load's file of that entity differs (its file fingerprint,
loaders/inventory/fingerprints.py, is not current), its lines are hashed and

* a line whose digest is recorded is a row the store holds as the file says: it is not parsed,
  validated or written;
* the other lines, and only they, go through the loader (read as columns, validated, batched,
  written by the store's usual paths, which diff them against the keyed rows they touch), so
  the store and the change events are those of the full path.

The record is used only when, as for file fingerprints, no change-log event after its seq is of
one of the entity's kinds, a ``clear`` or a ``prune`` (another writer: the full path), its context
(header line, schema, catalogs, this hashing; for evidence the folder, which relative uris
resolve against) is the file's, and for evidence the local evidence
files are unchanged. The full path is also taken when a changed line's id is also an unchanged
line's (a duplicate the full path reports), when a quoted cell holds a line break (records are
not lines), when more than :data:`MAX_CHANGED_SHARE` of the lines changed (the bulk diff is
cheaper), and with ``--prune`` (it needs every id). Writes outside the logged path and ``clear``
drop every record.
"""

from __future__ import annotations

import base64
import csv
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from graph.errors import QueryFailed
from graph.stores import Store
from loaders.inventory import fingerprints
from loaders.inventory.read import MAX_FILE_BYTES
from loaders.inventory.validate_columnar import Columns, read_csv_columns

ALGO = "row-prints/1"  # part of the context: a change of the hashing matches no stored line
MIN_BYTES = 1 << 20  # smaller files: the full path costs little (and they are read row by row)
MAX_CHANGED_SHARE = 0.25
PART = 1 << 16  # lines per stored row
_KEY = b"clausegraph/rows"
_U64 = np.dtype("<u8")


def _digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=8, key=_KEY).digest()


def digests(items: list[bytes]) -> Any:
    """One 64-bit digest per item (numpy uint64)."""
    return np.frombuffer(b"".join(map(_digest, items)), dtype=_U64)


@dataclass
class FileLines:
    """An entity file as lines: header cells, the records after the header, their digests."""

    entity: str
    path: Path
    head: bytes  # the header line as in the file
    header: list[str]
    lines: list[bytes]
    hashes: Any  # numpy uint64, one per line
    context: str
    _order: Any = None

    def order(self) -> Any:
        """The lines' positions by digest (computed once)."""
        if self._order is None:
            self._order = np.argsort(self.hashes, kind="stable")
        return self._order

    def ids(self, which: Any = None) -> list[bytes]:
        """The id cell of each line (all, or those at the indices ``which``); b"" if blank."""
        k = self.header.index("id")
        out = []
        for i in range(len(self.lines)) if which is None else which:
            line = self.lines[i]
            if b'"' in line:
                cells = next(csv.reader([line.decode("utf-8", "replace")]), [])
                out.append(cells[k].strip().encode() if k < len(cells) else b"")
            else:
                parts = line.split(b",", k + 1)
                out.append(parts[k].strip() if k < len(parts) else b"")
        return out


def split(entity: str, path: Path) -> FileLines | None:
    """The file as lines, or None when it is too small, too large, not UTF-8 in its header,
    has no id column, or has a quoted cell that spans lines."""
    try:
        if not MIN_BYTES <= path.stat().st_size <= MAX_FILE_BYTES:
            return None
        data = path.read_bytes()
    except OSError:
        return None
    lines = data.split(b"\n")
    if b'"' in data and any(line.count(b'"') % 2 for line in lines):
        return None  # a line break inside quotes: records are not lines
    head, body = lines[0], lines[1:]
    if body and not body[-1]:
        body.pop()
    try:
        header = [h.strip() for h in next(csv.reader([head.decode("utf-8-sig")]))]
    except (UnicodeDecodeError, StopIteration, csv.Error):
        return None
    if "id" not in header:
        return None
    # evidence rows resolve relative uris against the folder: another folder, other rows
    where = str(path.parent.resolve()) if entity == "evidence" else ""
    context = hashlib.sha256(
        f"{ALGO}\n{fingerprints.salt()}\n{entity}\n{where}\n".encode() + head
    ).hexdigest()
    return FileLines(entity, path, head, header, body, digests(body), context)


@dataclass
class Record:
    """The stored per-line fingerprints of one entity: sorted line digests, each line's id
    digest and (assets) SUBJECT_TO count."""

    seq: int
    kinds: list[str]
    context: str
    lines: Any
    ids: Any
    derived: Any


def _part_id(entity: str, part: int) -> str:
    return f"{entity}#{part:04d}"


def stored(store: Store, entities: list[str]) -> dict[str, Record] | None:
    """The complete, current records of these entities (stale ones left out); None when the
    store has no such table (created before it and opened without ``apply_schema``)."""
    if not entities:
        return {}
    try:
        first = store.read("fingerprints.row_digests", ids=[_part_id(e, 0) for e in entities])
    except QueryFailed:
        return None
    rest = [_part_id(r["entity"], p) for r in first for p in range(1, int(r["parts"]))]
    rows = first + (store.read("fingerprints.row_digests", ids=rest) if rest else [])
    parts: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        parts.setdefault(str(r["entity"]), []).append(r)
    out = {}
    for entity, got in parts.items():
        got.sort(key=lambda r: int(r["part"]))
        head = got[0]
        same = all((r["seq"], r["context"]) == (head["seq"], head["context"]) for r in got)
        if not same or len(got) != int(head["parts"]):
            continue  # never written so (one transaction writes every part); ignored if seen

        def cat(name: str, dtype: Any, rows: list[dict[str, Any]] = got) -> Any:
            chunks = [np.frombuffer(base64.b64decode(r[name] or ""), dtype=dtype) for r in rows]
            return np.concatenate(chunks) if chunks else np.zeros(0, dtype)

        kinds, context = list(head["kinds"] or []), str(head["context"])
        lines, ids, derived = cat("lines", _U64), cat("ids", _U64), cat("derived", "<u2")
        out[entity] = Record(int(head["seq"]), kinds, context, lines, ids, derived)
    return _fresh(store, out)


def _fresh(store: Store, records: dict[str, Record]) -> dict[str, Record]:
    """The records no later event makes stale (the file fingerprints' rule)."""
    if not records:
        return {}
    events = fingerprints.events_after(store, min(r.seq for r in records.values()))
    if events is None:
        return {}

    def stale(r: Record) -> bool:
        return any(
            seq > r.seq and (change in ("clear", "prune") or kind in r.kinds)
            for seq, kind, change in events
        )

    return {e: r for e, r in records.items() if not stale(r)}


@dataclass
class RowDelta:
    """What a changed file adds to a load: its changed rows as columns (None: no changed row),
    and what the unchanged lines contribute."""

    lines: FileLines
    changed: Any  # numpy int64: indices of the changed lines
    columns: Columns | None
    rows: int  # the file's rows (blank lines not counted)
    unchanged_ids: Any  # numpy uint64 per line: the record's id digest (blank's where changed)
    unchanged_derived: Any  # numpy uint16 per line (0 where changed)


def delta(fl: FileLines, record: Record | None) -> RowDelta | None:
    """The file's changed rows against the record, or None: take the full path."""
    if record is None or record.context != fl.context or not len(record.lines):
        return None
    n = len(fl.lines)
    order = fl.order()  # sorted queries: searchsorted walks the record in order (cache-friendly)
    in_order = fl.hashes[order]
    pos = np.empty(n, dtype=np.int64)
    pos[order] = np.minimum(np.searchsorted(record.lines, in_order), len(record.lines) - 1)
    found = record.lines[pos] == fl.hashes
    changed = np.flatnonzero(~found)
    if len(changed) > MAX_CHANGED_SHARE * max(n, 1):
        return None
    blank_id = np.frombuffer(_digest(b""), dtype=_U64)[0]
    ids = np.full(n, blank_id, dtype=_U64)
    ids[found] = record.ids[pos[found]]
    derived = np.zeros(n, dtype="<u2")
    if len(record.derived):
        derived[found] = record.derived[pos[found]]
    kept = found & (ids != blank_id)
    both = kept[order]
    if ((in_order[1:] == in_order[:-1]) & both[1:] & both[:-1]).any():
        return None  # the same row twice: the full path reports the duplicate id
    new_ids = fl.ids(changed.tolist())
    rows_at = [int(i) for i, k in zip(changed, new_ids, strict=True) if k]
    if rows_at:
        changed_ids = np.sort(digests([k for k in new_ids if k]))
        unchanged = ids[kept]
        at = np.minimum(np.searchsorted(changed_ids, unchanged), len(changed_ids) - 1)
        if (changed_ids[at] == unchanged).any():
            return None  # a changed row's id is an unchanged row's too: a duplicate
    cols = None
    if rows_at:
        data = b"\n".join([fl.head] + [fl.lines[i] for i in rows_at])
        numbers = [i + 2 for i in rows_at]  # the header is row 1
        cols = read_csv_columns(fl.path, fl.entity, data + b"\n", lambda: numbers)
        if cols is None or cols.table.num_rows != len(rows_at):
            return None  # something unusual in a changed row: the full path reports it
    return RowDelta(fl, changed, cols, int(kept.sum()) + len(rows_at), ids, derived)


def record_rows(
    fl: FileLines, id_digests: Any, derived: Any, kinds: list[str]
) -> list[dict[str, Any]]:
    """The stored rows (without seq) of the file's per-line fingerprints, in parts."""
    order = fl.order()
    lines, ids, counts = fl.hashes[order], id_digests[order], derived[order]
    parts = max(1, -(-len(lines) // PART))

    def enc(a: Any, p: int) -> str:
        return base64.b64encode(a[p * PART : (p + 1) * PART].tobytes()).decode()

    return [
        {"id": _part_id(fl.entity, p), "entity": fl.entity, "kinds": kinds, "context": fl.context,
         "part": p, "parts": parts, "lines": enc(lines, p), "ids": enc(ids, p),
         "derived": enc(counts, p) if fl.entity == "assets" else ""}
        for p in range(parts)
    ]  # fmt: skip


def line_ids(fl: FileLines, d: RowDelta | None, parsed: list[str] | None = None) -> Any:
    """Each line's id digest: from the record for unchanged lines, hashed for the others.
    ``parsed``: the ids the load validated, in file order; when there is one per line (no
    blank line), they are the lines' id cells (an id has no blanks, quotes or commas)."""
    if d is None and parsed is not None and len(parsed) == len(fl.lines):
        return digests([k.encode() for k in parsed])
    if d is None:
        return digests(fl.ids())
    ids = d.unchanged_ids.copy()
    if len(d.changed):
        ids[d.changed] = digests(fl.ids(d.changed.tolist()))
    return ids


def line_derived(fl: FileLines, d: RowDelta | None, per_id: dict[bytes, int]) -> Any:
    """Each line's SUBJECT_TO count: the record's for unchanged lines, ``per_id`` (this load's
    derivation, by id) for the others."""
    n = len(fl.lines)
    out = np.zeros(n, dtype="<u2") if d is None else d.unchanged_derived.copy()
    if fl.entity != "assets":
        return out
    which = range(n) if d is None else d.changed.tolist()
    ids = fl.ids(list(which))
    for i, k in zip(which, ids, strict=True):
        out[i] = per_id.get(k, 0)
    return out


def size_bytes(rows: list[dict[str, Any]]) -> int:
    """Bytes of text the rows store (for the bench's report)."""
    return sum(len(r["lines"]) + len(r["ids"]) + len(r["derived"]) for r in rows)
