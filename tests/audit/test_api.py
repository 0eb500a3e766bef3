"""GET /audit/head and GET /history/{kind}/{id}; POST /ingest logs the API key's name."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.api.conftest import fresh_api  # noqa: F401  # the fixture

Api = tuple[TestClient, dict[str, str]]


def test_ingest_is_logged_with_the_key_name(fresh_api: Api) -> None:  # noqa: F811
    client, keys = fresh_api
    reader = {"X-API-Key": keys["reader"]}
    before = client.get("/audit/head", headers=reader).json()
    owners = [{"id": "new.owner", "name": "New Owner"}]
    assets = [{"id": "new-sys", "name": "New", "role": "deployer", "risk_tier": "minimal",
               "lifecycle": "planned", "owner": "new.owner"}]  # fmt: skip
    body = {"owners": owners, "assets": assets}
    assert (
        client.post("/ingest", json=body, headers={"X-API-Key": keys["editor"]}).status_code == 200
    )
    after = client.get("/audit/head", headers=reader).json()
    assert after["seq"] > before["seq"] and after["hash"] != before["hash"]
    rows = client.get("/history/Asset/new-sys", headers=reader).json()
    assert rows[-1]["change"] == "created" and rows[-1]["actor"] == "editor-key"
    assert rows[-1]["command"] == "POST /ingest"
    assert client.get("/audit/head").status_code == 401
    assert client.get("/history/Robot/x", headers=reader).status_code == 422
