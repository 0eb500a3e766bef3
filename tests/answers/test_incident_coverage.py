"""Art. 73 coverage reads the incidents: a system whose serious incident was notified late, or
not by its deadline, is not "covered" by its incident-reporting control. On an organisation of
our own (Harbourview, a port operator), through the real loader into a real LadybugDB store,
from scratch, from the maintained read model and over HTTP."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.auth import create_key
from api.session import Clausegraph
from graph.coverage import compute
from graph.readmodel import ops
from graph.readmodel.lookup import readmodel_answer
from graph.settings import Settings
from tests.factories import organisation

D1 = dt.date(2028, 3, 1)  # Annex III obligations (and so Art. 73, practical reading) bind
H = "ef" * 32
SYSTEMS = ("hv-late", "hv-ontime", "hv-open", "hv-early")


def _incident(
    id: str, asset: str, aware: str, reported: str | None, severity: str = "serious"
) -> dict[str, Any]:
    return {"id": id, "assets": [asset], "severity": severity, "occurred_on": aware,
            "aware_on": aware, "reported_on": reported}  # fmt: skip


HARBOURVIEW: dict[str, Any] = {
    "owners": [{"id": "kai", "name": "Kai Moen"}],
    "assets": [
        {
            "id": s,
            "name": s,
            "role": "provider",
            "risk_tier": "high",
            "annex_iii_area": "4(a)",
            "lifecycle": "production",
            "owner": "kai",
        }
        for s in SYSTEMS
    ],
    "controls": [
        {
            "id": "C-INC",
            "name": "Serious incident reporting",
            "status": "implemented",
            "review_every_days": 3650,
            "owner": "kai",
            "addresses": ["73"],
            "applies_to": list(SYSTEMS),
        },
    ],
    "evidence": [
        {
            "id": f"E-{s}",
            "title": "Reporting runbook",
            "kind": "document",
            "sha256": H,
            "version": "1",
            "collected_on": "2027-12-10",
            "owner": "kai",
            "supports": ["C-INC"],
            "concerns": [s],
        }
        for s in SYSTEMS
    ],
    "incidents": [
        _incident("I-LATE", "hv-late", "2028-01-05", "2028-01-25"),  # deadline 2028-01-20
        _incident("I-ONTIME", "hv-ontime", "2028-01-05", "2028-01-10", "death"),  # by 01-15
        _incident("I-OPEN", "hv-open", "2028-02-20", None),  # deadline 2028-03-06
        _incident("I-EARLY", "hv-early", "2027-06-01", None),  # before Art. 73 bound it
    ],
}


@pytest.fixture
def hv(tmp_path: Path) -> Any:
    cg = organisation(tmp_path, HARBOURVIEW, "hv")
    yield cg, tmp_path
    cg.store.close()


def cov(cg: Clausegraph, asset: str, day: dt.date = D1) -> dict[str, Any]:
    return cg.coverage(asset, "73", day)


def test_a_late_notification_leaves_art_73_partial_with_the_gaps_words(hv: Any) -> None:
    cg, _ = hv
    late = cov(cg, "hv-late")
    assert late["verdict"] == "partial"
    said = "serious incident notified 2028-01-25, after the 15-day deadline 2028-01-20"
    assert late["weakest_link"] == f"incident I-LATE: {said}"
    assert late["reason"].startswith("control C-INC covers Art. 73") and said in late["reason"]
    assert [i["status"] for i in late["incidents"]] == ["late"]
    gap = {g.id: g for g in cg.gaps(D1)}["incident_not_notified:I-LATE"]
    assert gap.message == said  # one clock for both answers


def test_notified_in_time_or_before_the_duty_stays_covered(hv: Any) -> None:
    cg, _ = hv
    ontime, early = cov(cg, "hv-ontime"), cov(cg, "hv-early")
    assert ontime["verdict"] == early["verdict"] == "covered"
    assert ontime["incidents"][0] | {} == {
        "id": "I-ONTIME", "severity": "death", "aware_on": dt.date(2028, 1, 5),
        "deadline": dt.date(2028, 1, 15), "reported_on": dt.date(2028, 1, 10),
        "status": "notified",
    }  # fmt: skip
    assert early["incidents"][0]["status"] == "before_duty"
    assert early["incidents"][0]["deadline"] is None
    # as of a day before it was known, as evidence collected later is "future"
    assert cov(cg, "hv-ontime", dt.date(2028, 1, 4))["incidents"][0]["status"] == "future"


def test_the_literal_reading_dates_the_duty_by_art_113(
    hv: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    cg, _ = hv
    monkeypatch.setenv("CLAUSEGRAPH_DATE_READING", "literal")
    early = cov(cg, "hv-early")  # Art. 73 binds from 2 Aug 2026 in this reading
    assert early["verdict"] == "partial" and early["incidents"][0]["status"] == "overdue"
    assert "not notified; deadline 2027-06-16 (15 days) passed" in early["weakest_link"]


def test_a_running_clock_turns_overdue_the_day_after_its_deadline(hv: Any) -> None:
    cg, _ = hv
    assert cov(cg, "hv-open")["verdict"] == "covered"
    assert cov(cg, "hv-open")["incidents"][0]["status"] == "running"
    assert cov(cg, "hv-open", dt.date(2028, 3, 6))["verdict"] == "covered"
    after = cov(cg, "hv-open", dt.date(2028, 3, 7))
    assert after["verdict"] == "partial" and "deadline 2028-03-06" in after["weakest_link"]


def test_the_read_model_redates_the_cell_when_the_deadline_passes(hv: Any) -> None:
    cg, _ = hv
    ops.refresh(cg.store, D1)

    def due(day: dt.date) -> set[str]:
        return {r["asset"] for r in cg.store.read("readmodel.due", day=day)}

    assert "hv-open" not in due(dt.date(2028, 3, 6)) and "hv-open" in due(dt.date(2028, 3, 7))
    kept = readmodel_answer(cg.store, "hv-open", "AIA-73", D1, "practical")
    assert kept is not None and kept["verdict"] == "covered"
    ops.refresh(cg.store, dt.date(2028, 3, 7))
    kept = readmodel_answer(cg.store, "hv-open", "AIA-73", dt.date(2028, 3, 7), "practical")
    assert kept == compute(cg.store, "hv-open", "73", dt.date(2028, 3, 7))
    assert kept is not None and kept["verdict"] == "partial"
    assert ops.differences(cg.store) == []


def test_an_incident_written_later_updates_the_maintained_cell(hv: Any) -> None:
    cg, folder = hv
    ops.refresh(cg.store, D1)
    before = readmodel_answer(cg.store, "hv-ontime", "AIA-73", D1, "practical")
    assert before is not None and before["verdict"] == "covered"
    delta = folder / "delta"
    delta.mkdir()
    with (delta / "incidents.csv").open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["id", "assets", "severity", "occurred_on", "aware_on", "reported_on"])
        w.writerow(["I-LATE-2", "hv-ontime", "serious", "2028-02-01", "2028-02-01", "2028-02-28"])
    cg.load_inventory(delta)
    kept = readmodel_answer(cg.store, "hv-ontime", "AIA-73", D1, "practical")
    assert kept is not None  # answered by the maintained model, not recomputed
    assert kept["verdict"] == "partial" and "incident I-LATE-2" in kept["weakest_link"]
    assert ops.differences(cg.store) == []


def test_the_http_answer_lists_the_clocks(hv: Any) -> None:
    cg, folder = hv
    cg.store.close()
    keys = folder / "keys.json"
    key = create_key(keys, "auditor", "reader")
    settings = Settings(store="ladybug", db=folder / "hv.db", api_keys_file=keys)
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        r = client.get(
            "/assets/hv-late/coverage/73", params={"as_of": "2028-03-01"},
            headers={"X-API-Key": key},
        )  # fmt: skip
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["verdict"] == "partial"
    assert body["incidents"] == [{
        "id": "I-LATE", "severity": "serious", "aware_on": "2028-01-05",
        "deadline": "2028-01-20", "reported_on": "2028-01-25", "status": "late",
    }]  # fmt: skip
