"""Re-loads that do not re-read what did not change: one fingerprint per input file, in the store.

A load of a folder records, in the same transaction as its write (``WriteBatch.stamps``), one
:data:`graph.schema.FINGERPRINT` per entity file: the file's absolute path, a digest (sha256 of
its bytes and of what the loader derives rows with: the schema and the shipped catalogs), the
change-log seq after the load's events, the entity kinds the file's rows write or refer to, and
its row count. The next load of the folder hashes each file (the floor of a re-load) and skips
the file, without parsing or validating it, when

* its digest equals the stored one, and
* no event after the stored seq is of one of its kinds, a ``clear`` or a ``prune`` (another
  writer changed what the file wrote: the file takes the full path), looking at most
  :data:`MAX_EVENTS_AFTER` events ahead (more: the full path), and
* for evidence, every local evidence file still has the facts the store recorded today (the full
  path would re-hash it and record the day it was checked).

Writes outside the logged path (``run_write``) and ``clear`` drop every fingerprint, and
``--prune`` never skips (it needs every id of the input). A skipped file's rows are in the store
as the file says (that is what "current" means), so the other files' references to them are
checked against the store. A load whose files are all skipped writes its one ``noop`` event.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from graph.audit.events import event_id
from graph.errors import QueryFailed
from graph.file_hash import sha256_file
from graph.models import ENTITIES
from graph.stores import Store
from loaders.evidence_files import check_file
from loaders.inventory.batch import LABELS, LINKS
from loaders.inventory.read import EXTENSIONS

MAX_EVENTS_AFTER = 10_000
_PROBE = 1_000
# Kinds of rows a file writes beyond its links: derived edges.
_DERIVED = {"assets": ["SUBJECT_TO(Asset->Article)"],
            "evidence": ["SUPPORTS_ORG(Evidence->Control)"]}  # fmt: skip


@dataclass(frozen=True)
class Fingerprint:
    entity: str
    path: Path
    digest: str
    sha256: str  # of the file's bytes alone (the load's input_sha256 is made of these)

    @property
    def key(self) -> str:
        return str(self.path.resolve())


def kinds(entity: str) -> list[str]:
    """The entity kinds whose events make a fingerprint of this entity's file stale: its label,
    its links, derived edges, and the labels it refers to (their deletes remove its links)."""
    out = {LABELS[entity], *_DERIVED.get(entity, [])}
    for _, rel, src, dst in LINKS.get(entity, []):
        out |= {f"{rel}({src}->{dst})", dst}
    return sorted(out)


@cache
def salt() -> str:
    """What rows are derived with besides the file: the schema and the shipped catalogs."""
    from graph.backup import schema_fingerprint
    from loaders.catalog import shipped_article_facts

    facts = repr(sorted(_canonical(f) for f in shipped_article_facts()))
    return hashlib.sha256(f"{schema_fingerprint()}\n{facts}".encode()).hexdigest()


def _canonical(value: Any) -> str:
    """repr with every set sorted: a frozenset's repr follows string hashing, which differs
    from process to process (PYTHONHASHSEED), and so would every digest made with it."""
    if isinstance(value, frozenset | set):
        return "{" + ", ".join(sorted(_canonical(v) for v in value)) + "}"
    if isinstance(value, tuple | list):
        return "(" + ", ".join(_canonical(v) for v in value) + ")"
    if isinstance(value, dict):
        items = sorted((_canonical(k), _canonical(v)) for k, v in value.items())
        return "{" + ", ".join(f"{k}: {v}" for k, v in items) + "}"
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = (
            f"{f.name}={_canonical(getattr(value, f.name))}" for f in dataclasses.fields(value)
        )
        return f"{type(value).__name__}({', '.join(fields)})"
    return repr(value)


def folder_files(folder: Path) -> dict[str, Path]:
    """The entity files of an inventory folder (as read_folder finds them; none if doubled)."""
    out = {}
    for entity in ENTITIES:
        found = [folder / f"{entity}{ext}" for ext in EXTENSIONS]
        found = [p for p in found if p.is_file()]
        if len(found) == 1:
            out[entity] = found[0]
    return out


def take(files: dict[str, Path]) -> dict[str, Fingerprint]:
    """Hash every file (the part of a re-load that cannot be skipped)."""
    derived_with = salt()
    out = {}
    for e, p in files.items():
        file_sha = sha256_file(p)
        digest = hashlib.sha256(f"{file_sha}\n{derived_with}".encode()).hexdigest()
        out[e] = Fingerprint(e, p, digest, file_sha)
    return out


def current(store: Store, prints: dict[str, Fingerprint]) -> dict[str, dict[str, Any]] | None:
    """The entities whose file may be skipped, with their stored fingerprint row; None when the
    store has no fingerprint table (created before it existed and opened without
    ``apply_schema``, which the CLI and the API run): nothing is skipped or recorded."""
    if not prints:
        return {}
    keys = [f.key for f in prints.values()]
    try:
        stored = {r["id"]: r for r in store.read("fingerprints.by_files", keys=keys)}
    except QueryFailed:
        return None
    same = {e: stored[f.key] for e, f in prints.items() if stored.get(f.key, {}).get("digest")
            == f.digest}  # fmt: skip
    if not same:
        return {}
    oldest = min(int(r["seq"]) for r in same.values())
    events = events_after(store, oldest)
    if events is None:
        return {}
    out = {}
    for entity, row in same.items():
        watched = set(row["kinds"] or [])
        stale = any(
            seq > int(row["seq"]) and (change in ("clear", "prune") or kind in watched)
            for seq, kind, change in events
        )
        if not stale and (entity != "evidence" or local_files_unchanged(store)):
            out[entity] = row
    return out


def stamps(
    prints: dict[str, Fingerprint], rows: dict[str, int], derived: int
) -> list[dict[str, Any]]:
    """The fingerprint rows a load writes with its batch (the store adds the seq)."""
    return [
        {"id": f.key, "digest": f.digest, "kinds": kinds(e), "rows": rows.get(e, 0),
         "derived": derived if e == "assets" else 0}
        for e, f in prints.items()
    ]  # fmt: skip


def events_after(store: Store, seq: int) -> list[tuple[int, str, str]] | None:
    """(seq, entity kind, change) of every event after ``seq``, by key; None if more than
    MAX_EVENTS_AFTER."""
    out: list[tuple[int, str, str]] = []
    start = seq + 1
    while True:
        ids = [event_id(n) for n in range(start, start + _PROBE)]
        rows = store.read("fingerprints.events", ids=ids)
        out += [(int(r["seq"]), str(r["kind"] or ""), str(r["change"])) for r in rows]
        if len(rows) < _PROBE:
            return out
        start += _PROBE
        if start - seq > MAX_EVENTS_AFTER:
            return None


def local_files_unchanged(store: Store) -> bool:
    """Whether re-checking every local evidence file today would record what the store has."""
    today = dt.date.today()
    for r in store.read("fingerprints.local_evidence"):
        facts = check_file(r["sha256"] or r["file_sha256"], Path(r["local_path"]), today)
        if (facts.status, facts.file_sha256, facts.checked_on) != (
            r["file_status"],
            r["file_sha256"],
            r["checked_on"],
        ):
            return False
    return True
