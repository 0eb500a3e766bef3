"""The MCP server, driven by the official SDK's client: over stdio (`clausegraph mcp` as a real
subprocess) and over streamable HTTP (`clausegraph serve` under uvicorn, behind the API keys).
Its answers must equal the HTTP API's for the same question."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import httpx2
import pytest
from fastapi.testclient import TestClient
from mcp.client.client import Client
from mcp.client.stdio import StdioServerParameters
from mcp.client.streamable_http import streamable_http_client

from api.app import create_app
from graph.settings import Settings
from tests.api.conftest import build
from tests.api.test_uvicorn import free_port

EXE = str(Path(sys.executable).parent / "clausegraph")
DAY = "2026-11-25"


def _env(settings: Settings) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "CLAUSEGRAPH_"))}
    return env | {"CLAUSEGRAPH_DB": str(settings.db),
                  "CLAUSEGRAPH_API_KEYS_FILE": str(settings.api_keys_file)}  # fmt: skip


@pytest.fixture(scope="module")
def org(tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, dict[str, str]]:
    return build(tmp_path_factory.mktemp("mcp"))


def _http_answer(settings: Settings, key: str, path: str) -> Any:
    with TestClient(create_app(settings)) as client:
        r = client.get(path, params={"as_of": DAY}, headers={"X-API-Key": key})
        assert r.status_code == 200, r.text
        return r.json()


async def _ask(client: Client) -> dict[str, Any]:
    tools = await client.list_tools()
    cov = await client.call_tool(
        "coverage", {"asset": "cv-screening", "article": "14", "as_of": DAY}
    )
    missing = await client.call_tool("coverage", {"asset": "no-such-system", "article": "14"})
    gaps = await client.call_tool("gaps", {"asset": "credit-scoring", "as_of": DAY, "limit": 3})
    article = await client.read_resource("clausegraph://articles/14")
    return {"tools": sorted(t.name for t in tools.tools), "coverage": cov, "missing": missing,
            "gaps": gaps, "article": article}  # fmt: skip


def _check(got: dict[str, Any], expected: Any) -> None:
    """``expected``: the HTTP API's answer to GET /assets/cv-screening/coverage/14."""
    assert got["tools"] == ["applies", "coverage", "crosswalk", "findings", "gaps", "history",
                            "trace"]  # fmt: skip
    assert not got["coverage"].is_error
    assert expected["verdict"] == "covered"
    assert got["coverage"].structured_content == expected
    assert got["missing"].is_error
    assert "no asset 'no-such-system'" in got["missing"].content[0].text
    assert "Traceback" not in got["missing"].content[0].text
    gaps = got["gaps"].structured_content
    assert gaps["count"] >= len(gaps["data"]) > 0
    assert all(g["asset"] == "credit-scoring" or "credit-scoring" in g["systems"]
               for g in gaps["data"])  # fmt: skip
    article = json.loads(got["article"].contents[0].text)
    assert (article["id"], article["title"]) == ("AIA-14", "Human oversight")


@pytest.mark.slow
def test_stdio_server_answers_like_the_http_api(org: tuple[Settings, dict[str, str]]) -> None:
    settings, keys = org
    params = StdioServerParameters(command=EXE, args=["mcp"], env=_env(settings))

    async def run() -> dict[str, Any]:
        async with Client(params) as client:
            return await _ask(client)

    expected = _http_answer(settings, keys["reader"], "/assets/cv-screening/coverage/14")
    _check(asyncio.run(run()), expected)


@pytest.fixture
def server(org: tuple[Settings, dict[str, str]]) -> Iterator[str]:
    with serving(org[0]) as base:
        yield base


@contextmanager
def serving(settings: Settings) -> Iterator[str]:
    """`clausegraph serve` under uvicorn on a free loopback port, ready; its base URL."""
    port = free_port()
    proc = subprocess.Popen(
        [EXE, "serve", "--host", "127.0.0.1", "--port", str(port), "--no-access-log"],
        env=_env(settings), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_ready(proc, base)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        if proc.stdout:
            proc.stdout.close()


def _wait_ready(proc: subprocess.Popen[bytes], base: str) -> None:
    deadline = time.monotonic() + 30
    while True:
        try:
            if httpx.get(f"{base}/readyz", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        assert proc.poll() is None, proc.stdout.read().decode() if proc.stdout else "exited"
        assert time.monotonic() < deadline, "server did not become ready"
        time.sleep(0.2)


@pytest.mark.slow
def test_http_mcp_answers_behind_the_keys(
    org: tuple[Settings, dict[str, str]], server: str
) -> None:
    _, keys = org

    async def run(key: str) -> dict[str, Any]:
        async with httpx2.AsyncClient(headers={"X-API-Key": key}, timeout=30) as http:
            transport = streamable_http_client(f"{server}/mcp", http_client=http)
            async with Client(transport) as client:
                return await _ask(client)

    reader = {"X-API-Key": keys["reader"]}
    r = httpx.get(f"{server}/assets/cv-screening/coverage/14", params={"as_of": DAY},
                  headers=reader, timeout=10)  # fmt: skip
    _check(asyncio.run(run(keys["reader"])), r.json())
    body = {"jsonrpc": "2.0", "id": 1, "method": "tools/list", "params": {}}
    accept = {"Accept": "application/json, text/event-stream"}
    for headers, status in (({}, 401), ({"X-API-Key": "cg_wrong"}, 401)):
        r = httpx.post(f"{server}/mcp", json=body, headers=accept | headers, timeout=10)
        assert r.status_code == status, r.text
        assert r.headers["content-type"].startswith("application/problem+json")
