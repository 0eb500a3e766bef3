"""HTTP through FastAPI's TestClient: every route, the auth matrix, problem details, ingest."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.schemas import CoverageOut
from api.session import Clausegraph
from graph.settings import Settings
from graph.stores import open_store

Api = tuple[TestClient, dict[str, str]]
DAY = "2026-11-25"
READ_ROUTES = [
    "/articles", "/articles/14", "/clauses", "/crosswalk?article=14", "/assets",
    "/assets/cv-screening", f"/assets/cv-screening/coverage/14?as_of={DAY}",
    f"/assets/cv-screening/trace?as_of={DAY}", f"/gaps?as_of={DAY}",
    f"/metrics/compliance?as_of={DAY}",
    "/views/crosswalk?chapter=III", f"/views/assets/cv-screening?as_of={DAY}",
    f"/views/owners/jonas.becker?as_of={DAY}",
]  # fmt: skip
ACME = Path(__file__).resolve().parents[2] / "examples" / "acme"


def get(api: Api, url: str, role: str | None = "reader") -> Any:
    client, keys = api
    headers = {"X-API-Key": keys[role]} if role else {}
    return client.get(url, headers=headers)


@pytest.mark.parametrize("url", READ_ROUTES)
@pytest.mark.parametrize("role", ["reader", "editor", "admin"])
def test_every_read_route_answers_every_role(api: Api, url: str, role: str) -> None:
    r = get(api, url, role)
    assert r.status_code == 200, r.text


@pytest.mark.parametrize("url", [*READ_ROUTES, "/ingest"])
def test_no_key_and_wrong_key_are_401_problems(api: Api, url: str) -> None:
    client, _ = api
    method = client.post if url == "/ingest" else client.get
    for headers in ({}, {"X-API-Key": "cg_not-a-real-key"}, {"Authorization": "Bearer nope"}):
        r = method(url, headers=headers)
        assert r.status_code == 401
        assert r.headers["content-type"] == "application/problem+json"
        body = r.json()
        assert body["status"] == 401 and body["title"] == "Unauthorized"
        assert body["detail"] in ("missing API key: send it as X-API-Key", "invalid API key")


def test_bearer_header_is_accepted(api: Api) -> None:
    client, keys = api
    r = client.get("/articles/4", headers={"Authorization": f"Bearer {keys['reader']}"})
    assert r.status_code == 200 and r.json()["title"] == "AI literacy"


def test_reader_cannot_ingest(api: Api) -> None:
    client, keys = api
    r = client.post("/ingest", json={"owners": []}, headers={"X-API-Key": keys["reader"]})
    assert r.status_code == 403
    assert r.json()["detail"] == "this needs the editor role; key 'reader-key' is reader"


def test_health_needs_no_key(api: Api) -> None:
    client, _ = api
    assert client.get("/healthz").json() == {"status": "ok"}
    assert client.get("/readyz").json() == {"status": "ok"}


def test_coverage_answer_equals_the_python_api(api: Api, tmp_path: Path) -> None:
    """The API and the CLI/Python API compute the same answer (nothing computed twice)."""
    body = get(api, f"/assets/cv-screening/coverage/Art. 14?as_of={DAY}").json()
    store = open_store(Settings(store="ladybug", db=tmp_path / "g.db"))
    store.apply_schema()
    from loaders.inventory import load_inventory

    load_inventory(store, ACME)
    import datetime as dt

    direct = Clausegraph(store).coverage("cv-screening", "14", dt.date(2026, 11, 25))
    store.close()
    assert body == CoverageOut.model_validate(direct).model_dump(mode="json")
    assert body["verdict"] == "covered"


def test_lists_are_paginated_and_filtered(api: Api) -> None:
    page = get(api, "/articles?limit=10&offset=5").json()
    assert page["count"] == 126 and page["offset"] == 5 and len(page["data"]) == 10
    assert page["data"][0]["number"] == 6
    gaps = get(api, f"/gaps?as_of={DAY}&severity=critical").json()
    assert [g["subject"] for g in gaps["data"]] == ["emotion-monitor"]
    owned = get(api, f"/gaps?as_of={DAY}&owner=luc.dubois&rule=prohibited_practice_in_use").json()
    assert owned["count"] == 1
    tiers = get(api, "/assets?tier=none").json()
    assert {a["id"] for a in tiers["data"]} == {"demand-forecast", "shadow-meeting-notes"}


def test_metrics_shape(api: Api) -> None:
    m = get(api, f"/metrics/compliance?as_of={DAY}").json()
    assert {"key": "critical", "count": 1} in m["gaps_by_severity"]
    high = next(g for g in m["by_tier"] if g["group"] == "high")
    assert 0 < high["addressed"] < high["pairs"]


@pytest.mark.parametrize(
    "url",
    [
        "/assets/x' OR 1=1 --/coverage/14",
        "/assets/a%7D)%20MATCH%20(n)%20DETACH%20DELETE%20n%20//",
        "/assets/cv-screening/coverage/14; DROP",
        "/articles/999",
        "/gaps?asset=' OR '1'='1",
        "/crosswalk?clause=A.6.2.8') RETURN 1 //",
        "/assets/no-such-system",
    ],
)
def test_injection_attempts_are_unknown_ids(api: Api, url: str) -> None:
    before = get(api, "/assets").json()["count"]
    r = get(api, url)
    assert r.status_code in (404, 422), r.text
    assert r.headers["content-type"] == "application/problem+json"
    assert "Traceback" not in r.text and "MATCH" not in r.json()["detail"]
    assert get(api, "/assets").json()["count"] == before


def test_views_are_self_contained_html(api: Api) -> None:
    r = get(api, f"/views/assets/cv-screening?as_of={DAY}")
    assert r.headers["content-type"].startswith("text/html")
    assert '<script src="http' not in r.text and '<link href="http' not in r.text
    assert get(api, "/views/owners/nobody").status_code == 404


def test_openapi_has_stable_unique_operation_ids(api: Api) -> None:
    spec = get(api, "/openapi.json", None).json()
    ids = [op["operationId"] for path in spec["paths"].values() for op in path.values()]
    assert len(ids) == len(set(ids))
    assert "assets-asset_coverage" in ids and "ingest-ingest" in ids


def test_ingest_valid_batch(fresh_api: Api) -> None:
    client, keys = fresh_api
    bot = {"id": "new-bot", "name": "New bot", "role": "deployer", "risk_tier": "limited",
           "lifecycle": "planned", "owner": "new.owner"}  # fmt: skip
    body = {"owners": [{"id": "new.owner", "name": "New Owner"}], "assets": [bot]}
    r = client.post("/ingest", json=body, headers={"X-API-Key": keys["editor"]})
    assert r.status_code == 200, r.text
    assert r.json() == {"loaded": {"owners": 1, "assets": 1}, "new": {"owners": 1, "assets": 1},
                        "subject_to": 2}  # fmt: skip
    again = client.post("/ingest", json=body, headers={"X-API-Key": keys["editor"]})
    assert again.json()["new"] == {"owners": 0, "assets": 0}


def test_ingest_invalid_batch_lists_every_error_with_json_paths(fresh_api: Api) -> None:
    client, keys = fresh_api
    before = client.get("/assets", headers={"X-API-Key": keys["reader"]}).json()["count"]
    body = {"assets": [{"id": "ok-1", "name": "A", "role": "deployer", "lifecycle": "planned"},
                       {"id": "bad", "name": "B", "role": "deployer", "lifecycle": "live"}],
            "evidence": [{"id": "E-x", "title": "T", "kind": "log", "collected_on": "2026-01-01",
                          "supports": ["C-404"]}]}  # fmt: skip
    r = client.post("/ingest", json=body, headers={"X-API-Key": keys["editor"]})
    assert r.status_code == 422
    paths = {e["path"] for e in r.json()["errors"]}
    assert "body:$.assets[1].lifecycle" in paths
    after = client.get("/assets", headers={"X-API-Key": keys["reader"]}).json()["count"]
    assert after == before


def test_ingest_cross_reference_errors_carry_json_paths(fresh_api: Api) -> None:
    client, keys = fresh_api
    body = {"evidence": [{"id": "E-x", "title": "T", "kind": "log", "collected_on": "2026-01-01",
                          "supports": ["C-404"]}]}  # fmt: skip
    r = client.post("/ingest", json=body, headers={"X-API-Key": keys["editor"]})
    assert r.status_code == 422
    [err] = r.json()["errors"]
    assert err["path"] == "$.evidence[0].supports"
    assert err["message"] == "evidence E-x names unknown control C-404"


def test_ingest_body_limit(fresh_api: Api) -> None:
    client, keys = fresh_api
    huge = {"owners": [{"id": f"o{i}", "name": "x" * 200} for i in range(2000)]}
    r = client.post("/ingest", json=huge, headers={"X-API-Key": keys["editor"]})
    assert r.status_code == 413
    assert r.json()["title"] == "Payload Too Large"
