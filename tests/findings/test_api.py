"""The findings over real HTTP (FastAPI TestClient, real LadybugDB): roles, story, 409s."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.auth import RANK, Role, create_key
from api.session import Clausegraph
from graph.findings.transitions import ROLES
from graph.settings import Settings
from graph.stores.ladybug_store import LadybugStore
from tests.findings.conftest import ACME, EVIDENCE_C31

C31 = "control_without_evidence:C-31"
KEYS: dict[str, Role] = {"reader": "reader", "analyst": "analyst", "luc.dubois": "reader",
                         "editor": "editor", "bob": "approver"}  # fmt: skip


def _app(tmp_path: Path, *, reconciled: bool) -> tuple[Settings, dict[str, str]]:
    keys_file = tmp_path / "keys.json"
    keys = {name: create_key(keys_file, name, role) for name, role in KEYS.items()}
    store = LadybugStore(tmp_path / "graph.db")
    store.apply_schema()
    cg = Clausegraph(store)
    cg.load_catalogs()
    cg.load_inventory(ACME)
    if reconciled:
        cg.reconcile()  # today
    store.close()
    return Settings(store="ladybug", db=tmp_path / "graph.db", api_keys_file=keys_file), keys


@pytest.fixture
def client(tmp_path: Path) -> Iterator[tuple[TestClient, dict[str, str]]]:
    settings, keys = _app(tmp_path, reconciled=True)
    with TestClient(create_app(settings), raise_server_exceptions=False) as c:
        yield c, keys


def test_the_gap_route_reconciles(tmp_path: Path) -> None:
    settings, keys = _app(tmp_path, reconciled=False)
    with TestClient(create_app(settings), raise_server_exceptions=False) as c:
        assert c.get("/findings", headers=h(keys, "reader")).json()["count"] == 0
        gaps = c.get("/gaps", params={"limit": 1}, headers=h(keys, "reader")).json()["count"]
        assert c.get("/findings", headers=h(keys, "reader")).json()["count"] == gaps > 0
        # a report for another day is a question: it does not touch the register
        c.get("/gaps", params={"as_of": "2030-01-01"}, headers=h(keys, "reader"))
        assert c.get("/findings", params={"state": "resolved"},
                     headers=h(keys, "reader")).json()["count"] == 0  # fmt: skip


def h(keys: dict[str, str], who: str) -> dict[str, str]:
    return {"X-API-Key": keys[who]}


def test_roles_are_ordered_the_same_in_the_api_and_the_rules() -> None:
    assert tuple(RANK) == ROLES and sorted(RANK.values()) == list(RANK.values())


def test_list_filter_and_page(client: tuple[TestClient, dict[str, str]]) -> None:
    c, keys = client
    r = c.get("/findings", params={"owner": "luc.dubois", "limit": 2}, headers=h(keys, "reader"))
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["count"] > 2 and len(body["data"]) == 2
    assert {f["assignee"] for f in body["data"]} == {"luc.dubois"}
    r = c.get("/findings", params={"severity": "critical"}, headers=h(keys, "reader"))
    assert [f["id"] for f in r.json()["data"]] == ["prohibited_practice_in_use:emotion-monitor"]
    assert r.json()["data"][0]["overdue"] is True
    bad = c.get("/findings", params={"state": "bogus"}, headers=h(keys, "reader"))
    assert bad.status_code == 422


def test_the_loop_over_http(client: tuple[TestClient, dict[str, str]]) -> None:
    c, keys = client
    # a reader who is not the assignee may not start it; the assignee may
    r = c.post(f"/findings/{C31}/start", json={"version": 1}, headers=h(keys, "reader"))
    assert r.status_code == 403, r.text
    r = c.post(f"/findings/{C31}/start", json={"version": 1, "note": "on it"},
               headers=h(keys, "luc.dubois"))  # fmt: skip
    assert r.status_code == 200 and r.json()["state"] == "in_progress", r.text
    # the fix arrives through ingest (editor); the ingest reconciles: resolved, naming it
    r = c.post("/ingest", json=EVIDENCE_C31, headers=h(keys, "editor"))
    assert r.status_code == 200, r.text
    got = c.get(f"/findings/{C31}", headers=h(keys, "reader")).json()
    f = got["finding"]
    assert f["state"] == "resolved" and f["resolved_by"] == ["editor"]
    assert {(e["key"], e["actor"]) for e in got["resolved_by"]} >= {("E-900->C-31", "editor")}
    # sign-off: only an approver; the fixer (editor) is not one; bob is
    r = c.post(f"/findings/{C31}/verify", json={"version": f["version"], "note": "checked"},
               headers=h(keys, "editor"))  # fmt: skip
    assert r.status_code == 403
    r = c.post(f"/findings/{C31}/verify", json={"version": f["version"], "note": "checked"},
               headers=h(keys, "bob"))  # fmt: skip
    assert r.status_code == 200 and r.json()["verified_by"] == "bob", r.text
    story = c.get(f"/findings/{C31}", headers=h(keys, "reader")).json()["story"]
    assert [(s["transition"], s["actor"]) for s in story] == [
        ("open", "clausegraph"), ("start", "luc.dubois"), ("resolve", "clausegraph"),
        ("verify", "bob")]  # fmt: skip
    assert story[1]["note"] == "on it" and story[3]["note"] == "checked"


def test_red_line_acceptance_is_a_422(client: tuple[TestClient, dict[str, str]]) -> None:
    c, keys = client
    body = {"version": 1, "justification": "x", "compensating": "y",
            "expires": (dt.date.today() + dt.timedelta(days=30)).isoformat()}  # fmt: skip
    r = c.post("/findings/prohibited_practice_in_use:emotion-monitor/accept", json=body,
               headers=h(keys, "bob"))  # fmt: skip
    assert r.status_code == 422 and "cannot be risk-accepted" in r.json()["detail"]
    assert c.post("/findings/nope:x/start", json={"version": 1},
                  headers=h(keys, "analyst")).status_code == 404  # fmt: skip


def test_two_clients_racing_one_finding(client: tuple[TestClient, dict[str, str]]) -> None:
    c, keys = client
    barrier, results = threading.Barrier(2), []

    def go(who: str) -> None:
        barrier.wait()
        r = c.post(f"/findings/{C31}/reassign", json={"version": 1, "assignee": who},
                   headers=h(keys, "analyst"))  # fmt: skip
        results.append((r.status_code, r.json()))

    threads = [threading.Thread(target=go, args=(w,)) for w in ("anna", "marta")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    codes = sorted(code for code, _ in results)
    assert codes == [200, 409], results
    loser = next(body for code, body in results if code == 409)
    assert loser["title"] == "Conflict" and "read it again" in loser["detail"]
    winner = next(body for code, body in results if code == 200)
    got = c.get(f"/findings/{C31}", headers=h(keys, "reader")).json()["finding"]
    assert got["assignee"] == winner["assignee"] and got["version"] == 2


def test_remediation_metrics_route(client: tuple[TestClient, dict[str, str]]) -> None:
    c, keys = client
    r = c.get("/metrics/remediation", headers=h(keys, "reader"))
    assert r.status_code == 200, r.text
    m = r.json()
    assert m["findings"] == c.get("/findings", headers=h(keys, "reader")).json()["count"]
    assert m["open_by_severity"][0] == {"key": "critical", "count": 1} and m["overdue"] > 0
    (month,) = m["closure_by_month"]  # every finding opened by the reconcile this month
    assert month["opened"] == m["findings"] and month["to_act_on_at_start"] == 0
    assert c.get("/metrics/remediation", params={"expiring_within": -1},
                 headers=h(keys, "reader")).status_code == 422  # fmt: skip


def test_digest_route(client: tuple[TestClient, dict[str, str]]) -> None:
    c, keys = client
    r = c.get("/digest", params={"owner": "luc.dubois"}, headers=h(keys, "reader"))
    assert r.status_code == 200, r.text
    (entry,) = r.json()
    assert entry["owner"] == "luc.dubois"
    assert "prohibited_practice_in_use:emotion-monitor" in {i["id"] for i in entry["overdue"]}
    wide = c.get("/digest", params={"within": 365}, headers=h(keys, "reader")).json()
    reviews = [r for e in wide for r in e["control_reviews_due"]]
    assert reviews and all(r["review_due"] >= r["newest"] for r in reviews)
