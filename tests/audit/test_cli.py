"""`audit verify`, `audit head`, `history` and the actor on a real store through the CLI."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner, Result

from api.cli import app
from graph.settings import Settings
from graph.stores import open_store
from tests.raw import raw_write

ACME = Path(__file__).resolve().parents[2] / "examples" / "acme"
ENV: dict[str, str | None] = {"NEO4J_URI": None, "CLAUSEGRAPH_ACTOR": None, "COLUMNS": "200"}


def cli(db: Path, *args: str, env: dict[str, str | None] = ENV) -> Result:
    return CliRunner().invoke(app, ["--db", str(db), *args], env=env)


def test_actor_history_head_and_tamper(tmp_path: Path) -> None:
    db = tmp_path / "g.db"
    assert cli(db, "--actor", "carol", "load", "inventory", str(ACME)).exit_code == 0
    env = ENV | {"CLAUSEGRAPH_ACTOR": "ci-bot"}
    assert cli(db, "load", "inventory", str(ACME), env=env).exit_code == 0
    head = json.loads(cli(db, "audit", "head", "--format", "json").stdout)[0]
    assert head["seq"] > 2 and len(head["hash"]) == 64
    out = cli(db, "history", "Asset", "cv-screening", "--format", "json")
    rows = json.loads(out.stdout)
    assert rows and rows[-1]["change"] == "created" and rows[-1]["actor"] == "carol"
    assert rows[-1]["command"] == "load inventory"
    assert [r["seq"] for r in rows] == sorted((r["seq"] for r in rows), reverse=True)
    ok = cli(db, "audit", "verify")
    assert ok.exit_code == 0 and f"head {head['seq']} " in ok.stdout
    store = open_store(Settings(store="ladybug", db=db))
    store.apply_schema()
    raw_write(store, "MATCH (e:ChangeEvent {seq: 2}) SET e.actor = 'mallory'")
    store.close()
    bad = cli(db, "audit", "verify")
    assert bad.exit_code == 10 and "event 2" in bad.stderr
