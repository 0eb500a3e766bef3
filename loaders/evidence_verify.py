"""`clausegraph evidence verify`: re-hash every local evidence file and record what changed.

A file is compared with its declared sha256, or, when none was declared, with the hash recorded
when it was loaded. Changed and missing files become `evidence_hash_mismatch` gaps; the baseline
itself is never overwritten (re-load the evidence with a new version and hash to accept a change).
The statuses are written through the store's write path, so the audit log records them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from graph import cypher_gen
from graph.schema import SCHEMA
from graph.stores import NodeRows, Store, WriteBatch
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
        store.write(_status_batch(store, results, today))
    return results


def _status_batch(store: Store, results: list[VerifyResult], today: dt.date) -> WriteBatch:
    """The checked items' whole rows with the new status, through the store's write path, so
    the audit log records each changed ``file_status``/``file_checked_on`` (an upsert sets every
    property: the others are written back as they are)."""
    node = SCHEMA.node("Evidence")
    found = {r.evidence: r for r in results}
    rows = [row | {"file_status": found[row["id"]].status, "file_checked_on": today}
            for row in store.dump(cypher_gen.dump_nodes(node)) if row["id"] in found]  # fmt: skip
    return WriteBatch(nodes=[NodeRows("Evidence", rows)])
