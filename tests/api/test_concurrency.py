"""Concurrent HTTP reads: they run in parallel on the read pool, each answers as if alone, and
reads during an ingest see the inventory before or after it, never part of it."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from fastapi.testclient import TestClient

Api = tuple[TestClient, dict[str, str]]
DAY = "2026-11-25"
URLS = [
    f"/assets/cv-screening/coverage/14?as_of={DAY}",
    f"/assets/cv-screening/coverage/12?as_of={DAY}",
    "/assets/cv-screening",
    f"/assets/cv-screening/trace?as_of={DAY}",
    "/articles/14",
    "/assets?limit=1000",
]


def test_concurrent_reads_answer_as_sequential_ones(api: Api) -> None:
    client, keys = api
    headers = {"X-API-Key": keys["reader"]}
    alone = {u: client.get(u, headers=headers).json() for u in URLS}
    with ThreadPoolExecutor(16) as pool:
        got = list(pool.map(lambda u: (u, client.get(u, headers=headers)), URLS * 8))
    for url, r in got:
        assert r.status_code == 200, r.text
        assert r.json() == alone[url], url


def test_reads_during_an_ingest_see_it_whole_or_not_at_all(fresh_api: Api) -> None:
    client, keys = fresh_api
    reader = {"X-API-Key": keys["reader"]}
    n = 300
    owners = [{"id": f"bulk.owner-{i}", "name": f"Owner {i}"} for i in range(n)]
    assets = [{"id": f"bulk-{i}", "name": f"Bulk {i}", "role": "deployer", "risk_tier": "minimal",
               "lifecycle": "planned", "owner": f"bulk.owner-{i}"} for i in range(n)]  # fmt: skip
    before = client.get("/assets?limit=1000", headers=reader).json()["count"]

    def ingest() -> int:
        body = {"owners": owners, "assets": assets}
        r = client.post("/ingest", json=body, headers={"X-API-Key": keys["editor"]})
        return r.status_code

    def count(_: int) -> int:
        r = client.get("/assets?limit=1000", headers=reader)
        assert r.status_code == 200, r.text
        return int(r.json()["count"])

    with ThreadPoolExecutor(5) as pool:
        writing = pool.submit(ingest)
        seen = set()
        while not writing.done():
            seen |= set(pool.map(count, range(4)))
        assert writing.result() == 200
    seen.add(count(0))
    assert seen <= {before, before + n}, seen
    assert before + n in seen
