"""Evidence integrity: hash local evidence files at load and again on `evidence verify`.

A ``uri`` with a scheme other than ``file:`` is remote (not hashed). A relative path resolves
against the inventory folder and must stay inside it; ``file://`` URIs name absolute paths.
Status: ``ok`` (matches the declared sha256, or none was declared and the file exists),
``changed`` (differs from the declared sha256, or from the hash recorded earlier),
``missing`` (no such file), ``remote``. The declared sha256 is kept as given; the observed one is
recorded in ``file_sha256`` so a later ``verify`` can tell whether the file changed since.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlparse

from graph.file_hash import sha256_file
from graph.models import EvidenceIn


@dataclass(frozen=True)
class FileFacts:
    status: str | None
    local_path: str | None = None
    file_sha256: str | None = None
    checked_on: dt.date | None = None


def local_path(uri: str, base_dir: Path | None) -> Path | None:
    """The file a uri names, or None when it is remote or cannot be resolved safely."""
    parsed = urlparse(uri)
    if parsed.scheme == "file":
        return Path(unquote(parsed.path))
    if parsed.scheme and len(parsed.scheme) > 1:  # http, https, s3 ... (not a Windows drive)
        return None
    if base_dir is None:
        return None
    base = base_dir.resolve()
    path = (base / uri).resolve()
    return path if path.is_relative_to(base) else None


def check_file(declared: str | None, path: Path, today: dt.date) -> FileFacts:
    if not path.is_file():
        return FileFacts("missing", str(path), None, today)
    observed = sha256_file(path)
    status = "ok" if declared in (None, observed) else "changed"
    return FileFacts(status, str(path), observed, today)


def inspect_evidence(
    evidence: Iterable[EvidenceIn], base_dir: Path | None, today: dt.date | None = None
) -> dict[str, FileFacts]:
    today = today or dt.date.today()
    out: dict[str, FileFacts] = {}
    for e in evidence:
        if not e.uri:
            out[e.id] = FileFacts(None)
            continue
        if base_dir is None and not urlparse(e.uri).scheme:
            out[e.id] = FileFacts(None)  # a relative path with no folder to resolve it in
            continue
        path = local_path(e.uri, base_dir)
        out[e.id] = FileFacts("remote") if path is None else check_file(e.sha256, path, today)
    return out
