"""Re-hash an evidence bundle (folder or zip) against its manifest."""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path
from typing import Any

from graph.review.bundle import FORMAT, MANIFEST
from graph.review.bundle_audit import AUDIT_FILE, check_audit
from graph.review.errors import BundleInvalid

Row = dict[str, Any]


def _read_folder(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def _read_zip(path: Path) -> dict[str, bytes]:
    try:
        with zipfile.ZipFile(path) as zf:
            return {n: zf.read(n) for n in zf.namelist() if not n.endswith("/")}
    except zipfile.BadZipFile as e:
        raise BundleInvalid(f"{path} is not a readable zip file: {e}") from None


def read_bundle(path: Path) -> dict[str, bytes]:
    """Every file of the bundle by its relative path."""
    if path.is_dir():
        return _read_folder(path)
    if path.is_file():
        return _read_zip(path)
    raise BundleInvalid(f"no bundle at {path}")


def _manifest(path: Path, contents: dict[str, bytes]) -> Row:
    if MANIFEST not in contents:
        raise BundleInvalid(f"{path} has no {MANIFEST}")
    try:
        data = json.loads(contents[MANIFEST])
    except json.JSONDecodeError as e:
        raise BundleInvalid(f"{path}/{MANIFEST} is not JSON: {e}") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise BundleInvalid(f"{path}/{MANIFEST} is not a clausegraph evidence bundle manifest")
    return data


def verify_bundle(path: Path) -> list[Row]:
    """One row per file: ok, changed, missing, or unexpected (present but not in the manifest);
    and, when the bundle has an audit section, one row ``audit.json#events``: ok or broken."""
    contents = read_bundle(path)
    manifest = _manifest(path, contents)
    rows = []
    listed = set()
    for f in manifest.get("files", []):
        listed.add(f["path"])
        data = contents.get(f["path"])
        actual = hashlib.sha256(data).hexdigest() if data is not None else None
        status = "missing" if data is None else "ok" if actual == f["sha256"] else "changed"
        rows.append({"path": f["path"], "role": f["role"], "status": status,
                     "expected": f["sha256"], "actual": actual})  # fmt: skip
    for extra in sorted(set(contents) - listed - {MANIFEST}):
        actual = hashlib.sha256(contents[extra]).hexdigest()
        rows.append({"path": extra, "role": None, "status": "unexpected", "expected": None,
                     "actual": actual})  # fmt: skip
    if "audit" in manifest:
        rows.append(_audit_row(manifest["audit"], contents.get(AUDIT_FILE)))
    return rows


def _audit_row(recorded: Row, data: bytes | None) -> Row:
    head = recorded.get("head") if isinstance(recorded, dict) else None
    try:
        ok, what = check_audit(json.loads(data), head) if data is not None else (False, "missing")
    except json.JSONDecodeError as e:
        ok, what = False, f"audit.json is not JSON: {e}"
    return {
        "path": f"{AUDIT_FILE}#events",
        "role": "audit",
        "status": "ok" if ok else "broken",
        "expected": head.get("hash") if isinstance(head, dict) else None,
        "actual": what,
    }
