"""Replaying the log rebuilds the register: `show --as-of T` later equals what `show` printed at
T; and (property test) after any sequence of loads, ingests and prunes, replay equals the store."""

from __future__ import annotations

import datetime as dt
import json
import tempfile
import time
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph.audit import read, replay
from graph.settings import Settings
from graph.stores import open_store
from loaders.inventory import load_inventory
from loaders.inventory.read import RawInventory, RawRow
from tests.audit.test_changes import _acme_copy, _rescope_and_replace
from tests.audit.test_cli import cli


def _show(db: Path, *args: str) -> dict[str, Any]:
    out = cli(db, "show", *args, "--format", "json")
    assert out.exit_code == 0, out.output
    view: dict[str, Any] = json.loads(out.stdout)[0]
    return view


def test_show_as_of_equals_what_show_printed_then(tmp_path: Path) -> None:
    inv, db = _acme_copy(tmp_path), tmp_path / "g.db"
    assert cli(db, "load", "inventory", str(inv)).exit_code == 0
    then = {k: _show(db, *k) for k in (("Control", "C-11"), ("Evidence", "E-021"))}
    time.sleep(0.01)  # the log's clock must move past T
    moment = dt.datetime.now(dt.UTC).isoformat()
    time.sleep(0.01)
    _rescope_and_replace(inv)
    assert cli(db, "load", "inventory", str(inv), "--prune").exit_code == 0
    for (kind, key), view in then.items():
        assert view["exists"] and _show(db, kind, key, "--as-of", moment) == view
        assert _show(db, kind, key) != view  # it did change afterwards
    assert not _show(db, "Evidence", "E-021")["exists"]
    assert not _show(db, "Evidence", "E-021b", "--as-of", moment)["exists"]
    assert not _show(db, "Asset", "cv-screening", "--as-of", "2000-01-01")["exists"]
    table = cli(db, "show", "Control", "C-11", "--as-of", moment)
    assert table.exit_code == 0 and "cv-screening" in table.stdout
    assert cli(db, "show", "Robot", "x").exit_code == 2


IDS = ["a", "b", "c"]
OWNERS = ["o1", "o2"]


def _owner(i: str, name: str) -> dict[str, Any]:
    return {"id": i, "name": name}


def _asset(i: str, tier: str, owner: str) -> dict[str, Any]:
    return {"id": i, "name": f"System {i}", "role": "deployer", "risk_tier": tier,
            "lifecycle": "production", "owner": owner}  # fmt: skip


step = st.tuples(
    st.sampled_from(["load", "ingest", "prune"]),
    st.lists(st.tuples(st.sampled_from(OWNERS), st.sampled_from(["Ola", "Per"])), min_size=1,
             max_size=2, unique_by=lambda t: t[0]),
    st.lists(st.tuples(st.sampled_from(IDS), st.sampled_from(["minimal", "limited", "high"]),
                       st.sampled_from(OWNERS)), max_size=3, unique_by=lambda t: t[0]),
)  # fmt: skip


def _raw(owners: list[tuple[str, str]], assets: list[tuple[str, str, str]]) -> RawInventory:
    have = {o for o, _ in owners}
    rows = {
        "owners": [RawRow("owners", _owner(*o), "$.owners", n + 1, f"owners[{n}]")
                   for n, o in enumerate(owners)],
        "assets": [RawRow("assets", _asset(*a), "$.assets", n + 1, f"assets[{n}]")
                   for n, a in enumerate(assets) if a[2] in have],
    }  # fmt: skip
    return RawInventory(rows, None, dict.fromkeys(rows, "body"))


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(step, min_size=1, max_size=4))
def test_replaying_the_log_reproduces_every_organisation_entity(steps: list[Any]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(Settings(store="ladybug", db=Path(tmp) / "g.db"))
        store.apply_schema()
        try:
            for op, owners, assets in steps:
                load_inventory(store, _raw(owners, assets), prune=op == "prune")
            rebuilt = replay.restricted(replay.replay(read.events(store)))
            assert rebuilt == replay.current_state(store)
            assert read.verify(store).ok
        finally:
            store.close()


def test_evidence_verify_is_logged_and_replay_still_matches(tmp_path: Path) -> None:
    from api.session import Clausegraph

    inv = _acme_copy(tmp_path)
    store = open_store(Settings(store="ladybug", db=tmp_path / "g.db"))
    store.apply_schema()
    try:
        load_inventory(store, inv)
        seq = int(read.head(store)["seq"])
        (inv / "evidence" / "ai-policy-v3.md").write_text("edited after loading\n")
        day = dt.date(2026, 11, 25)
        Clausegraph(store).verify_evidence(day)
        new = {e.entity_key: e for e in read.events(store, seq) if e.entity_kind == "Evidence"}
        e001 = new["E-001"]
        assert e001.change == "updated"
        assert e001.fields["file_status"] == ["ok", "changed"]
        assert e001.fields["file_checked_on"][1] == "2026-11-25"
        rebuilt = replay.restricted(replay.replay(read.events(store)))
        assert rebuilt == replay.current_state(store)
    finally:
        store.close()


def test_gaps_as_of_state_equals_the_report_of_then(tmp_path: Path) -> None:
    from api.session import Clausegraph

    inv, db, day = _acme_copy(tmp_path), tmp_path / "g.db", "2026-11-25"
    assert cli(db, "load", "inventory", str(inv)).exit_code == 0
    then = cli(db, "gaps", "--as-of", day, "--format", "json")
    time.sleep(0.01)
    moment = dt.datetime.now(dt.UTC).isoformat()
    time.sleep(0.01)
    _rescope_and_replace(inv)
    (inv / "assets.csv").write_text(
        (inv / "assets.csv").read_text(encoding="utf-8").replace(",jonas.becker,", ",,", 1),
        encoding="utf-8",
    )  # cv-screening loses its owner: a new gap
    assert cli(db, "load", "inventory", str(inv), "--prune").exit_code == 0
    now = cli(db, "gaps", "--as-of", day, "--format", "json")
    past = cli(db, "gaps", "--as-of", day, "--as-of-state", moment, "--format", "json")
    ids = [{g["id"] for g in json.loads(r.stdout)} for r in (then, now, past)]
    assert ids[0] != ids[1] and ids[2] == ids[0]
    assert past.exit_code == then.exit_code
    store = open_store(
        Settings(
            store="ladybug",
            db=db,
        )
    )
    store.apply_schema()
    try:
        at = dt.datetime.fromisoformat(moment).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        gaps = Clausegraph(store).gaps_as_of_state(at, dt.date(2026, 11, 25))
        assert {g.id for g in gaps} == ids[0]
    finally:
        store.close()
