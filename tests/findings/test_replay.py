"""Property: after random loads, ingests, deletions, transitions and reconciles, every finding
equals the fold of its change-log events (its state is exactly what the log says)."""

from __future__ import annotations

import datetime as dt
import json
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from api.session import Clausegraph
from graph.audit.events import Source, acting
from graph.errors import ClausegraphError
from graph.findings import io
from graph.findings.log import story
from graph.findings.transitions import Request, transition
from graph.settings import Settings
from graph.stores import DeleteNodes, Store, WriteBatch, open_store
from tests.findings.conftest import ACME, DAY, EVIDENCE_C31, ingest, run

C31 = "control_without_evidence:C-31"
STALE = "evidence_stale:E-073"
OPS = st.lists(st.sampled_from(["fix", "break", "start", "accept", "verify", "reconcile",
                                "later"]), min_size=1, max_size=8)  # fmt: skip


def replayed(store: Store, fid: str) -> dict[str, Any]:
    state: dict[str, Any] = {}
    for e in story(store, fid):
        state.update({k: v[1] for k, v in e["fields"].items()})
    return {k: v for k, v in state.items() if v is not None and v != []}


def _plain(row: dict[str, Any]) -> dict[str, Any]:
    """As the log's canonical JSON holds it (dates as ISO strings; nulls and [] left out)."""
    return {k: v for k, v in json.loads(json.dumps(row, default=str)).items()
            if v is not None and v != []}  # fmt: skip


def _apply(store: Store, op: str, day: dt.date, tmp: Path) -> dt.date:
    try:
        if op == "fix":
            ingest(store, tmp, "alice", EVIDENCE_C31)
        elif op == "break":
            with acting(Source("mallory", "manual delete")):
                store.write(WriteBatch(delete=[DeleteNodes("Evidence", ["E-900"])]))
        elif op == "start":
            transition(store, C31, "start", Request(actor="luc.dubois"), today=day)
        elif op == "accept":
            req = Request(actor="bob", justification="j", compensating="c",
                          expires=day + dt.timedelta(days=3))  # fmt: skip
            transition(store, STALE, "accept", req, today=day)
        elif op == "verify":
            transition(store, C31, "verify", Request(actor="bob", note="ok"), today=day)
        elif op == "later":
            day += dt.timedelta(days=5)
        run(store, day)
    except ClausegraphError:  # a transition its state does not allow: refused, nothing written
        pass
    return day


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ops=OPS)
def test_findings_equal_the_replay_of_their_log(ops: list[str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(Settings(store="ladybug", db=Path(tmp) / "g.db"))
        store.apply_schema()
        try:
            Clausegraph(store).load_catalogs()
            Clausegraph(store).load_inventory(ACME)
            run(store, DAY)
            day = DAY
            for op in ops:
                day = _apply(store, op, day, Path(tmp))
            for fid, f in io.all_findings(store).items():
                assert replayed(store, fid) == _plain(f.row()), (fid, ops)
        finally:
            store.close()
