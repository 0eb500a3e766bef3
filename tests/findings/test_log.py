"""The findings' view of the change log: a recent range read by key equals the scan of the log's
seq column it replaces, on the same store (no-ops and the findings' own events left out)."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.findings import log
from graph.findings.model import LABEL
from graph.stores import Store
from tests.findings.conftest import EVIDENCE_C31, ingest


def test_keyed_range_equals_the_scan(
    acme: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    mark = log.mark_seq(acme)
    ingest(acme, tmp_path, "ana", EVIDENCE_C31)
    ingest(acme, tmp_path, "ana", EVIDENCE_C31)  # unchanged: one no-op event
    head = log.head_seq(acme)
    for since in (0, mark // 2, mark, head - 3, head):
        keyed = log.changes_since(acme, since, head)
        monkeypatch.setattr(log, "KEYED_RANGE", -1)  # every range through the scan
        scanned = log.changes_since(acme, since, head)
        monkeypatch.undo()
        assert keyed == scanned, since
        assert all(since < e.seq <= head for e in keyed)
    recent = log.changes_since(acme, mark)
    assert "E-900" in {e.key for e in recent} and recent == sorted(recent, key=lambda e: e.seq)
    every = log.changes_since(acme, 0)
    assert (
        every and not {e.kind for e in every} & {LABEL} and "noop" not in {e.change for e in every}
    )
