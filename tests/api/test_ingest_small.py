"""One evidence row through POST /ingest: exactly its own events in the log (one creation, one
link per reference, nothing else read or rewritten; besides them only the reconcile's findings
events), and the very next coverage read shows it."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from api.app import create_app
from graph import cypher_gen
from graph.audit import AUDIT_LABEL
from graph.audit.events import ChangeEvent, verify_chain
from graph.schema import SCHEMA
from graph.stores.ladybug_store import LadybugStore
from tests.api.conftest import build

ROW = {"id": "EV-NEW", "title": "Log shard", "kind": "log", "uri": "https://logs.example/1",
       "collected_on": "2026-12-01", "owner": "anna.kowalska", "supports": ["C-16"],
       "concerns": ["cv-screening"]}  # fmt: skip


def _events(db: Path) -> list[ChangeEvent]:
    store = LadybugStore(db, read_only=True)
    try:
        rows = store.dump(cypher_gen.dump_nodes(SCHEMA.node(AUDIT_LABEL)))
    finally:
        store.close()
    return sorted((ChangeEvent.from_row(r) for r in rows), key=lambda e: e.seq)


def test_one_row_ingest_logs_exactly_its_changes_and_the_next_read_sees_it(
    tmp_path: Path,
) -> None:
    settings, keys = build(tmp_path)
    before = len(_events(settings.db))
    with TestClient(create_app(settings)) as client:
        r = client.post("/ingest", json={"evidence": [ROW]}, headers={"X-API-Key": keys["editor"]})
        assert r.status_code == 200, r.text
        assert r.json()["new"] == {"evidence": 1}
        cov = client.get("/assets/cv-screening/coverage/12", headers={"X-API-Key": keys["reader"]})
        assert "EV-NEW" in {e["id"] for p in cov.json()["paths"] for e in p["evidence"]}
        again = client.post("/ingest", json={"evidence": [ROW]},
                            headers={"X-API-Key": keys["editor"]})  # fmt: skip
        assert again.json()["new"] == {"evidence": 0}
    events = _events(settings.db)
    # POST /ingest reconciles the findings after each load: those events are the reconciler's;
    # the server's start dates the read model to today: one store-wide refresh event
    refreshes = [e for e in events[before:] if e.change == "refresh"]
    assert [(e.entity_kind, e.command) for e in refreshes] == [("", "serve: refresh read model")]
    loads = [e for e in events[before:] if e.command == "POST /ingest"]
    others = {(e.entity_kind, e.command) for e in events[before:]
              if e not in loads and e not in refreshes}  # fmt: skip
    assert {k for k, _ in others} <= {"Finding", "ReconcileMark"}
    assert {c for _, c in others} == {"reconcile (POST /ingest)"}
    first, second = loads[:-1], loads[-1:]
    assert [(e.entity_kind, e.entity_key, e.change, e.fields) for e in first] == [
        ("Evidence", "EV-NEW", "created", {
            "id": [None, "EV-NEW"], "title": [None, "Log shard"], "kind": [None, "log"],
            "uri": [None, "https://logs.example/1"], "collected_on": [None, "2026-12-01"],
            "file_status": [None, "remote"]}),
        ("CONCERNS(Evidence->Asset)", "EV-NEW->cv-screening", "linked", {}),
        ("OWNED_BY(Evidence->Owner)", "EV-NEW->anna.kowalska", "linked", {}),
        ("SUPPORTS(Evidence->Control)", "EV-NEW->C-16", "linked", {}),
    ]  # fmt: skip
    assert {(e.actor, e.command) for e in first} == {("editor-key", "POST /ingest")}
    assert len({e.batch_id for e in first}) == 1
    # the same row again changes nothing: its one no-op event
    assert [(e.entity_kind, e.change) for e in second] == [("", "noop")]
    assert verify_chain(events).ok
