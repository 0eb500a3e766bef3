"""The sample organisation on a real store, reconciled once on a fixed day."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from api.session import Clausegraph, gap_context
from graph.audit.events import Source, acting
from graph.findings import reconcile
from graph.findings.reconcile import ReconcileReport
from graph.settings import FindingsSettings
from graph.stores import Store

ACME = Path(__file__).resolve().parents[2] / "examples" / "acme"
DAY = dt.date(2026, 12, 4)
POLICY = FindingsSettings()


@pytest.fixture
def acme(store: Store) -> Store:
    """Catalogs and the sample organisation loaded, findings reconciled on DAY."""
    cg = Clausegraph(store)
    with acting(Source("loader", "load inventory")):
        cg.load_catalogs()
        cg.load_inventory(ACME)
    run(store, DAY)
    return store


@pytest.fixture
def acme_literal(store: Store, monkeypatch: pytest.MonkeyPatch) -> Store:
    """As ``acme``, in the literal date reading (Art. 73 binds from 2 Aug 2026): the sample's
    incidents are findings there (in the practical reading Art. 73 binds its Annex III systems
    only from 2 Dec 2027, after the incidents became known, so they are not)."""
    monkeypatch.setenv("CLAUSEGRAPH_DATE_READING", "literal")
    cg = Clausegraph(store)
    with acting(Source("loader", "load inventory")):
        cg.load_catalogs()
        cg.load_inventory(ACME)
    run(store, DAY)
    return store


def run(store: Store, day: dt.date, policy: FindingsSettings = POLICY) -> ReconcileReport:
    ctx = gap_context(day)
    gaps = Clausegraph(store).gaps(day)
    return reconcile(store, gaps, ctx, policy, today=day)


def ingest(store: Store, tmp_path: Path, actor: str, doc: dict[str, Any]) -> None:
    """Load a small inventory document as ``actor`` (like `clausegraph --actor A load …`)."""
    path = tmp_path / f"ingest-{actor}-{len(list(tmp_path.glob('ingest-*')))}.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    with acting(Source(actor, "load inventory")):
        Clausegraph(store).load_inventory(path)


EVIDENCE_C31: dict[str, Any] = {
    "evidence": [
        {"id": "E-900", "title": "Marking rollout test report", "kind": "test_report",
         "uri": "https://grc.acme.example/reports/marking-2026-12.pdf", "version": "1.0",
         "collected_on": "2026-12-01", "owner": "luc.dubois", "supports": ["C-31"]}
    ]
}  # fmt: skip
