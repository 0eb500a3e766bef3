"""A gap filter on an AI system that does not exist is an error, never a clean report: a CI
gate with a mistyped id must not pass on "0 gaps" (CLI exit code, HTTP 404)."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from api.cli.common import exit_code_for
from graph.coverage import NotFound
from tests.api.conftest import ACME
from tests.audit.test_cli import cli


def test_cli_gaps_for_an_unknown_asset_fails(tmp_path: Path) -> None:
    db = tmp_path / "g.db"
    assert cli(db, "load", "catalog").exit_code == 0
    assert cli(db, "load", "inventory", str(ACME)).exit_code == 0
    known = cli(db, "gaps", "--asset", "cv-screening", "--format", "json")
    assert known.exit_code in (0, 4) and "cv-screening" in known.stdout
    typo = cli(db, "gaps", "--asset", "cv-screenin", "--format", "json")
    # (the console entry point turns it into one line on stderr and exit_code_for's code)
    assert isinstance(typo.exception, NotFound) and "no asset 'cv-screenin'" in str(typo.exception)
    assert exit_code_for(typo.exception) not in (0, 4)


def test_http_gaps_for_an_unknown_asset_is_404(api: tuple[TestClient, dict[str, str]]) -> None:
    client, keys = api
    reader = {"X-API-Key": keys["reader"]}
    assert client.get("/gaps", params={"asset": "cv-screening"}, headers=reader).status_code == 200
    r = client.get("/gaps", params={"asset": "cv-screenin"}, headers=reader)
    assert r.status_code == 404 and "cv-screenin" in r.json()["detail"]
