"""The quarterly review over real HTTP (FastAPI's client on a real store): snapshots taken and
listed, their diff, what starts to apply, and a system's evidence bundle downloaded as a zip
that `bundle verify` accepts. No server path ever reaches the client."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from graph.review import verify_bundle


def _h(keys: dict[str, str], role: str) -> dict[str, str]:
    return {"X-API-Key": keys[role]}


@pytest.fixture
def api_with_reports(
    fresh_api: tuple[TestClient, dict[str, str]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> tuple[TestClient, dict[str, str]]:
    monkeypatch.setenv("CLAUSEGRAPH_REPORTS", str(tmp_path / "reports"))
    return fresh_api


def test_snapshots_are_taken_by_an_analyst_listed_and_diffed(api_with_reports: Any) -> None:
    client, keys = api_with_reports
    assert client.get("/snapshots", headers=_h(keys, "reader")).json() == []
    body = {"label": "2026-Q3", "as_of": "2026-09-30", "coverage": False}
    assert client.post("/snapshots", json=body, headers=_h(keys, "reader")).status_code == 403
    q3 = client.post("/snapshots", json=body, headers=_h(keys, "editor"))
    assert q3.status_code == 201, q3.text
    assert q3.json()["label"] == "2026-Q3" and q3.json()["gaps"] > 0
    again = client.post("/snapshots", json=body, headers=_h(keys, "editor"))
    assert again.status_code == 409 and "/" not in again.json()["detail"].replace("2026-Q3", "")
    q4 = {"label": "2026-Q4", "as_of": "2026-11-25", "coverage": False}
    assert client.post("/snapshots", json=q4, headers=_h(keys, "editor")).status_code == 201
    listed = client.get("/snapshots", headers=_h(keys, "reader")).json()
    assert [s["label"] for s in listed] == ["2026-Q3", "2026-Q4"]
    d = client.get("/snapshots/diff", params={"before": "Q3", "after": "Q4"},
                   headers=_h(keys, "reader"))  # fmt: skip
    assert d.status_code == 200, d.text
    summary = d.json()["summary"]
    assert summary["new_gaps"] + summary["persisting_gaps"] == listed[1]["gaps"]
    missing = client.get("/snapshots/diff", params={"before": "Q1", "after": "Q4"},
                         headers=_h(keys, "reader"))  # fmt: skip
    assert missing.status_code == 404 and "reports" not in missing.json()["detail"]
    traversal = client.get("/snapshots/diff", params={"before": "../x.json", "after": "Q4"},
                           headers=_h(keys, "reader"))  # fmt: skip
    assert traversal.status_code == 422


def test_what_starts_to_apply_between_two_dates(api_with_reports: Any) -> None:
    client, keys = api_with_reports
    r = client.get("/applies", params={"from": "2027-12-01", "to": "2027-12-02"},
                   headers=_h(keys, "reader"))  # fmt: skip
    assert r.status_code == 200, r.text
    rows = r.json()
    assert rows and all(x["applies_from"] == "2027-12-02" for x in rows)
    assert {"cv-screening", "credit-scoring"} <= {x["asset"] for x in rows}
    one = client.get(
        "/applies",
        params={"from": "2027-12-01", "to": "2027-12-02", "asset": "cv-screening"},
        headers=_h(keys, "reader"),
    )
    assert {x["asset"] for x in one.json()} == {"cv-screening"}
    backwards = client.get("/applies", params={"from": "2027-12-02", "to": "2027-12-01"},
                           headers=_h(keys, "reader"))  # fmt: skip
    assert backwards.status_code == 200 and backwards.json() == []  # nothing starts
    nobody = client.get(
        "/applies",
        params={"from": "2027-12-01", "to": "2027-12-02", "asset": "nope"},
        headers=_h(keys, "reader"),
    )
    assert nobody.status_code == 404


def test_the_evidence_bundle_downloads_as_a_zip_that_verifies(
    api_with_reports: Any, tmp_path: Path
) -> None:
    client, keys = api_with_reports
    r = client.get("/assets/cv-screening/bundle", params={"as_of": "2026-11-25"},
                   headers=_h(keys, "reader"))  # fmt: skip
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/zip"
    assert 'filename="bundle-cv-screening.zip"' in r.headers["content-disposition"]
    path = tmp_path / "got.zip"
    path.write_bytes(r.content)
    rows = verify_bundle(path)
    assert rows and all(x["status"] == "ok" for x in rows), rows
    assert client.get("/assets/nope/bundle", headers=_h(keys, "reader")).status_code == 404
    assert client.get("/assets/cv-screening/bundle").status_code == 401
