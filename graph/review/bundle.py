"""Evidence bundle for a regulator: one AI system's trace chain, evidence files and open gaps.

``write_bundle`` produces a folder (or a ``.zip`` of the same files)::

    manifest.json        the machine-readable record (docs/schemas/bundle-manifest.schema.json)
    summary.md/.html     the same content for people
    view.html            the asset's graph view, when graph.views provides ``asset_view``
    audit.json           the audit log's head and every event concerning the system
                         (graph/review/bundle_audit.py)
    evidence/<id>/<file> copies of local evidence files

Every file but the manifest is listed in ``manifest.files`` with its sha256 and size, so
:func:`graph.review.bundle_verify.verify_bundle` can re-hash a bundle later.
"""

from __future__ import annotations

import datetime as dt
import importlib
import json
import shutil
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from graph.coverage import NotFound, article_key, coverage
from graph.coverage_answer import EVIDENCE_STATES as STATE_ORDER
from graph.file_hash import sha256_file
from graph.gaps import Gap
from graph.review.bundle_audit import AUDIT_FILE, audit_section
from graph.review.bundle_summary import summary_document
from graph.review.errors import ReviewError
from graph.review.snapshots import jsonable
from graph.stores import Store

Row = dict[str, Any]
FORMAT, VERSION, MANIFEST = "clausegraph-evidence-bundle", 1, "manifest.json"
PATH_KEYS = ("control", "name", "status", "via", "clause", "relation", "paragraph", "coverage",
             "state", "owner")  # fmt: skip
EVIDENCE_KEYS = ("id", "kind", "title", "uri", "sha256", "collected_on", "valid_until", "version",
                 "owner", "freshness", "why")  # fmt: skip
ZIP_TIME = (2020, 1, 1, 0, 0, 0)


def _chain_entry(c: Row) -> Row:
    controls = [
        {k: p.get(k) for k in PATH_KEYS}
        | {"evidence": [{k: e[k] for k in ("id", "freshness", "why")} for e in p["evidence"]]}
        for p in c["paths"]
    ]
    art = c["article"]
    return {"article": art["id"], "number": art["number"], "title": art["title"],
            "verdict": c["verdict"], "reason": c["reason"],
            "applicability": c.get("applicability"), "applies_from": c["applies_from"],
            "in_force": c["in_force"], "weakest_link": c["weakest_link"], "controls": controls,
            "unimplemented_clauses": c["unimplemented_clauses"]}  # fmt: skip


def _evidence(answers: list[Row]) -> list[Row]:
    """Each evidence item once; stale on any path it supports makes it stale."""
    items: dict[str, Row] = {}
    for c in answers:
        for p in c["paths"]:
            for e in p["evidence"]:
                item = items.setdefault(e["id"], {k: e.get(k) for k in EVIDENCE_KEYS})
                item.setdefault("controls", [])
                item["controls"] = sorted({*item["controls"], p["control"]})
                if STATE_ORDER.index(e["freshness"]) > STATE_ORDER.index(item["freshness"]):
                    item["freshness"], item["why"] = e["freshness"], e["why"]  # worst path wins
    return sorted(items.values(), key=lambda e: e["id"])


def _answers(store: Store, asset: str, article: str | None, as_of: dt.date) -> list[Row]:
    if article:
        return [coverage(store, asset, article_key(article), as_of)]
    arts = [r["article"] for r in store.read("coverage.subject_to", asset=asset)]
    return [coverage(store, asset, a, as_of) for a in arts]


def build_manifest(
    store: Store, asset: str, *, as_of: dt.date, gaps: list[Gap], article: str | None = None
) -> Row:
    """The manifest without ``files`` (those are added once the files are written)."""
    found = store.read("coverage.asset", asset=asset)
    if not found:
        raise NotFound(f"no asset {asset!r} in the graph")
    answers = _answers(store, asset, article, as_of)
    evidence = _evidence(answers)
    linked = {e["id"] for e in evidence} | {
        p["control"] for c in answers for p in c["paths"]}  # fmt: skip
    open_gaps = [g.to_dict() for g in gaps if g.asset == asset or g.subject in linked]
    return {"format": FORMAT, "version": VERSION, "as_of": as_of, "scope": {"article": article},
            "asset": found[0], "trace": [_chain_entry(c) for c in answers], "evidence": evidence,
            "gaps": open_gaps}  # fmt: skip


def _copy_evidence(store: Store, manifest: Row, root: Path) -> list[Row]:
    local = {r["id"]: r["local_path"] for r in store.read("evidence.local_files")}
    files = []
    for item in manifest["evidence"]:
        item["file"], item["file_note"] = None, "remote" if item["uri"] else "no uri"
        src = Path(local[item["id"]]) if item["id"] in local else None
        if src is None:
            continue
        if not src.is_file():
            item["file_note"] = f"local file {src.name} missing when the bundle was made"
            continue
        rel = Path("evidence") / item["id"] / src.name
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, root / rel)
        digest = sha256_file(root / rel)
        matches = None if item["sha256"] is None else digest == item["sha256"]
        item["file"] = {"path": rel.as_posix(), "sha256": digest, "matches_declared": matches}
        item["file_note"] = "copied"
        files.append({"path": rel.as_posix(), "role": "evidence", "sha256": digest,
                      "bytes": (root / rel).stat().st_size})  # fmt: skip
    return files


def _view(store: Store, asset: str, as_of: dt.date) -> str | None:
    """graph.views.asset_view's HTML when that module exists; None otherwise."""
    try:
        views = importlib.import_module("graph.views")
    except ImportError:
        return None
    fn: Callable[[Store, str, dt.date], str] | None = getattr(views, "asset_view", None)
    return fn(store, asset, as_of) if fn is not None else None


def _write_files(store: Store, manifest: Row, root: Path) -> None:
    files = _copy_evidence(store, manifest, root)
    view = _view(store, manifest["asset"]["id"], manifest["as_of"])
    if view is not None:
        (root / "view.html").write_text(view, encoding="utf-8")
    manifest["view"] = "view.html" if view is not None else None
    audit = audit_section(store, manifest["asset"]["id"])
    (root / AUDIT_FILE).write_text(json.dumps(audit, indent=1, ensure_ascii=False) + "\n",
                                   encoding="utf-8")  # fmt: skip
    manifest["audit"] = {"file": AUDIT_FILE, "head": audit["head"], "events": len(audit["events"])}
    md, page = summary_document(manifest).write(root, "summary")
    paths = ((md, "summary"), (page, "summary"), (root / "view.html", "view"),
             (root / AUDIT_FILE, "audit"))  # fmt: skip
    for path, role in paths:
        if path.is_file():
            files.append({"path": path.name, "role": role, "sha256": sha256_file(path),
                          "bytes": path.stat().st_size})  # fmt: skip
    manifest["files"] = sorted(files, key=lambda f: f["path"])
    text = json.dumps(jsonable(manifest), indent=2, ensure_ascii=False)
    (root / MANIFEST).write_text(text + "\n", encoding="utf-8")


def write_bundle(
    store: Store,
    asset: str,
    out: Path,
    *,
    as_of: dt.date,
    gaps: list[Gap],
    article: str | None = None,
    generated_at: dt.datetime | None = None,
    replace: bool = False,
) -> Row:
    """Write the bundle to a new folder, or to ``out`` as a zip when it ends in ``.zip``.

    With ``replace``, a folder that already holds a bundle (it has a manifest) is replaced
    whole; any other non-empty folder is still refused, so no unrelated files are deleted.
    """
    manifest = build_manifest(store, asset, as_of=as_of, gaps=gaps, article=article)
    when = generated_at or dt.datetime.now(dt.UTC).replace(microsecond=0)
    manifest["generated_at"] = when.isoformat()
    if out.suffix.lower() != ".zip":
        if out.exists() and (not out.is_dir() or any(out.iterdir())):
            if not (replace and (out / MANIFEST).is_file()):
                raise ReviewError(f"{out} exists and is not an empty folder; choose a new path")
            _replace_folder(store, manifest, out)
            return manifest
        out.mkdir(parents=True, exist_ok=True)
        _write_files(store, manifest, out)
        return manifest
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=out.parent, prefix=".bundle-") as tmp:
        _write_files(store, manifest, Path(tmp))
        _zip(Path(tmp), out)
    return manifest


def _replace_folder(store: Store, manifest: Row, out: Path) -> None:
    """Write the new bundle beside the old one, then swap: a failure leaves the old one whole."""
    with tempfile.TemporaryDirectory(dir=out.parent, prefix=".bundle-") as tmp:
        new, old = Path(tmp) / "new", Path(tmp) / "old"
        new.mkdir()
        _write_files(store, manifest, new)
        out.rename(old)
        new.rename(out)


def _zip(folder: Path, out: Path) -> None:
    partial = out.with_name(f".{out.name}.tmp")
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            info = zipfile.ZipInfo(path.relative_to(folder).as_posix(), ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, path.read_bytes())
    partial.replace(out)
