"""Review snapshots: the gap set and metrics of one day, kept as one JSON file per label.

Where they live: ``$CLAUSEGRAPH_REPORTS`` when set, else a folder next to the LadybugDB store
(``<db>.snapshots/``; for Neo4j ``./neo4j-<database>.snapshots/``). Files, not graph nodes: a
snapshot must survive re-loads, ``--prune`` and ``clear``, must read the same on both stores,
and is a document an auditor can archive. Each is written to a temporary file in the same
folder and renamed into place, so a reader never sees half a snapshot. docs/review.md has more.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graph.audit import read as audit_read
from graph.gap_rules import RED_LINE
from graph.gaps import Gap
from graph.review.errors import ReviewError, SnapshotAmbiguous, SnapshotExists, SnapshotNotFound
from graph.review.metrics import coverage_counts, evidence_status, gap_metrics
from graph.review.state import OrgState, inventory_hash, read_org
from graph.settings import Settings
from graph.stores import Store

Row = dict[str, Any]
FORMAT, VERSION = "clausegraph-snapshot", 1
LABEL = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
OWNED = ("Asset", "Control", "Dataset", "Evidence")


def jsonable(value: Any) -> Any:
    """Dates as ISO strings, recursively; everything else as it is."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    return value


@dataclass(frozen=True)
class Snapshot:
    """One review day. Rows are JSON-ready (dates as ISO strings), as stored in the file."""

    label: str
    as_of: dt.date
    taken_at: dt.datetime
    inventory_hash: str
    counts: dict[str, int]
    gaps: list[Row]
    metrics: Row
    assets: list[Row]
    owners: list[Row]
    evidence: list[Row]
    coverage: Row | None = None
    audit_seq: int | None = None  # the audit head's seq when taken (None: taken before PR 14)
    path: Path | None = field(default=None, compare=False)

    @property
    def gap_ids(self) -> set[str]:
        return {g["id"] for g in self.gaps}

    @property
    def headline(self) -> dict[str, int]:
        """Gaps in force on the review day, the red-line ones among them, and upcoming gaps.

        What `gaps` prints and gates on: an obligation that starts later is not overdue. Read
        from the stored rows, so snapshots taken before this count existed give it too.
        """
        now = [g for g in self.gaps if g.get("in_force", True)]
        red = sum(g["severity"] in RED_LINE for g in now)
        return {"in_force": len(now), "red_line": red, "upcoming": len(self.gaps) - len(now)}

    def to_json(self) -> Row:
        keys = ("inventory_hash", "counts", "metrics", "gaps", "assets", "owners", "evidence",
                "coverage", "audit_seq")  # fmt: skip
        body: Row = {"format": FORMAT, "version": VERSION, "label": self.label,
                     "as_of": self.as_of.isoformat(),
                     "taken_at": self.taken_at.isoformat(timespec="seconds")}  # fmt: skip
        return body | {k: jsonable(getattr(self, k)) for k in keys}

    @classmethod
    def from_json(cls, data: Row, path: Path | None = None) -> Snapshot:
        where = str(path or "snapshot")
        if data.get("format") != FORMAT or data.get("version") != VERSION:
            raise ReviewError(f"{where} is not a clausegraph snapshot (format {FORMAT} v{VERSION})")
        try:
            kw = {k: data[k] for k in ("label", "inventory_hash", "counts", "gaps", "metrics",
                                       "assets", "owners", "evidence", "coverage")}  # fmt: skip
            return cls(**kw, as_of=dt.date.fromisoformat(data["as_of"]),
                       audit_seq=data.get("audit_seq"),
                       taken_at=dt.datetime.fromisoformat(data["taken_at"]), path=path)  # fmt: skip
        except (KeyError, TypeError, ValueError) as e:
            raise ReviewError(f"{where}: malformed snapshot ({e!r})") from None


def check_label(label: str) -> str:
    if not LABEL.match(label):
        raise ReviewError(
            f"snapshot label {label!r}: use letters, digits, '.', '_' or '-' (e.g. 2026-Q3), "
            "starting with a letter or digit, at most 64 characters"
        )
    return label


def _owners(state: OrgState) -> list[Row]:
    return [{"entity": label, "id": r["id"], "owner": r["owner"]}
            for label in OWNED for r in state.nodes[label]]  # fmt: skip


def build_snapshot(
    store: Store,
    label: str,
    gaps: list[Gap],
    as_of: dt.date,
    *,
    coverage: bool = True,
    taken_at: dt.datetime | None = None,
) -> Snapshot:
    """Record the gaps found on ``as_of`` (computed by the caller) and the organisation's state."""
    check_label(label)
    state = read_org(store)
    evidence = evidence_status(state, as_of)
    keep = ("id", "name", "lifecycle", "risk_tier", "role", "owner")
    return Snapshot(
        label=label, as_of=as_of,
        taken_at=taken_at or dt.datetime.now(dt.UTC).replace(microsecond=0),
        inventory_hash=inventory_hash(state), counts=state.counts(),
        gaps=[jsonable(g.to_dict()) for g in gaps], metrics=gap_metrics(gaps, evidence),
        assets=[{k: a[k] for k in keep} for a in state.nodes["Asset"]],
        owners=_owners(state), evidence=evidence,
        coverage=coverage_counts(store, state, as_of) if coverage else None,
        audit_seq=int(audit_read.head(store)["seq"]),
    )  # fmt: skip


def _default_dir(db: Path | None, database: str) -> Path:
    env = os.environ.get("CLAUSEGRAPH_REPORTS")
    if env:
        return Path(env)
    if db is not None:
        return db.with_name(db.name + ".snapshots")
    return Path(f"neo4j-{database}.snapshots")


def reports_dir(store: Store, override: Path | None = None) -> Path:
    """Where snapshots live: override, $CLAUSEGRAPH_REPORTS, or next to the store."""
    if override is not None:
        return override
    db = getattr(store, "path", None)
    return _default_dir(db if isinstance(db, Path) else None, getattr(store, "database", "neo4j"))


def settings_reports_dir(settings: Settings, override: Path | None = None) -> Path:
    """The same folder as :func:`reports_dir`, from the settings (without opening the store)."""
    if override is not None:
        return override
    db = settings.db if settings.store_kind == "ladybug" else None
    return _default_dir(db, settings.neo4j_database)


def save_snapshot(snapshot: Snapshot, folder: Path, *, force: bool = False) -> Path:
    """Write ``<folder>/<label>.json`` atomically (temp file + rename); refuse to overwrite."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{check_label(snapshot.label)}.json"
    if target.exists() and not force:
        raise SnapshotExists(f"snapshot {snapshot.label!r} exists ({target}); use --force")
    text = json.dumps(snapshot.to_json(), indent=1, ensure_ascii=False, sort_keys=False)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{snapshot.label}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text + "\n")
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


def load_snapshot(path: Path) -> Snapshot:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as e:
        raise ReviewError(f"cannot read snapshot {path}: {e}") from None
    if not isinstance(data, dict):
        raise ReviewError(f"{path} is not a clausegraph snapshot")
    return Snapshot.from_json(data, path)


def list_snapshots(folder: Path) -> list[Snapshot]:
    """Every snapshot in the folder, oldest review day first."""
    if not folder.is_dir():
        return []
    snaps = [load_snapshot(p) for p in sorted(folder.glob("*.json")) if not p.name.startswith(".")]
    return sorted(snaps, key=lambda s: (s.as_of, s.taken_at, s.label))


def resolve_snapshot(
    folder: Path, ref: str, known: list[Snapshot] | None = None, *, paths: bool = True
) -> Snapshot:
    """A snapshot by file path, exact label, or unique label suffix ('Q3' for '2026-Q3').

    ``paths=False`` takes labels only and names no folder in its errors: a reference from an
    HTTP client must not open, or reveal, files on the server."""
    if paths and ref.endswith(".json") and Path(ref).is_file():
        return load_snapshot(Path(ref))
    snaps = known if known is not None else list_snapshots(folder)
    exact = [s for s in snaps if s.label == ref]
    found = exact or [s for s in snaps if s.label.lower().endswith(ref.lower())]
    if len(found) == 1:
        return found[0]
    labels = ", ".join(s.label for s in (found or snaps)) or "none"
    where = f" in {folder}" if paths else ""
    if found:
        raise SnapshotAmbiguous(f"snapshot {ref!r} is ambiguous{where} (snapshots: {labels})")
    raise SnapshotNotFound(f"snapshot {ref!r} not found{where} (snapshots: {labels})")
