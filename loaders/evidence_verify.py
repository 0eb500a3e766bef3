"""`clausegraph evidence verify`: re-hash every local evidence file and record what changed.

A file is compared with its declared sha256, or, when none was declared, with the hash recorded
when it was loaded. Changed and missing files become `evidence_hash_mismatch` gaps; the baseline
itself is never overwritten (re-load the evidence with a new version and hash to accept a change).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from graph.stores import Store
from loaders.evidence_files import check_file


@dataclass(frozen=True)
class VerifyResult:
    evidence: str
    path: str
    status: str  # ok | changed | missing
    previous: str | None
    expected_sha256: str | None


def verify_evidence(store: Store, today: dt.date | None = None) -> list[VerifyResult]:
    today = today or dt.date.today()
    results = []
    for row in store.read("evidence.local_files"):
        expected = row["sha256"] or row["file_sha256"]
        facts = check_file(expected, Path(row["local_path"]), today)
        status = facts.status or "missing"
        results.append(
            VerifyResult(row["id"], row["local_path"], status, row["file_status"], expected)
        )
    if results:
        rows = [{"id": r.evidence, "status": r.status, "checked_on": today} for r in results]
        store.run_write("evidence.set_file_status", rows=rows)
    return results
