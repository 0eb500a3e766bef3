"""An empty store must not read as "no gaps": reports refuse with a clear message instead."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from api.app import create_app
from api.auth import create_key
from graph.settings import Settings
from tests.api.test_cli import run


def test_cli_gap_report_refuses_an_empty_store(tmp_path: Path) -> None:
    db = str(tmp_path / "empty.db")
    out = run("--db", db, "gaps")
    assert out.returncode == 9, out.stderr
    assert "no catalogs" in out.stderr and "clausegraph load catalog" in out.stderr
    assert run("--db", db, "crosswalk", "--check").returncode == 9

    assert run("--db", db, "load", "catalog").returncode == 0
    out = run("--db", db, "gaps")
    assert out.returncode == 9 and "no AI systems" in out.stderr
    check = run("--db", db, "crosswalk", "--check")  # catalogs alone are enough for the QA
    assert check.returncode == 0, check.stderr
    assert "orphan articles: none" in check.stdout


def test_api_gap_report_on_an_empty_store_is_a_409_problem(tmp_path: Path) -> None:
    keys_file = tmp_path / "keys.json"
    key = create_key(keys_file, "reader-key", "reader")
    settings = Settings(store="ladybug", db=tmp_path / "empty.db", api_keys_file=keys_file)
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        r = client.get("/gaps", headers={"X-API-Key": key})
    assert r.status_code == 409
    assert r.headers["content-type"].startswith("application/problem+json")
    assert "clausegraph load catalog" in r.json()["detail"]
