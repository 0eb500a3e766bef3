"""`changes --since`: what changed, grouped by entity, including what reached a system through its
controls and evidence (real LadybugDB; the CLI and the HTTP API over the same store)."""

from __future__ import annotations

import csv
import json
import shutil
import tempfile
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.session import Clausegraph
from graph.audit import read
from graph.stores import Store
from loaders.inventory import load_inventory
from tests.api.conftest import build, fresh_api  # noqa: F401  # the fixture
from tests.audit.test_cli import cli
from tests.raw import raw_write

ACME = Path(__file__).resolve().parents[2] / "examples" / "acme"


def _edit(path: Path, row_id: str, **values: str) -> None:
    """Change one row of a CSV file (``id`` renames it)."""
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    for r in rows:
        if r["id"] == row_id:
            r.update(values)
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)


def _acme_copy(tmp_path: Path) -> Path:
    inv = tmp_path / "inv"
    shutil.copytree(ACME, inv)
    return inv


def _rescope_and_replace(inv: Path) -> None:
    """C-11 no longer applies to cv-screening; E-021 (evidence of C-11 about cv-screening) is
    replaced by E-021b; an unrelated system's description changes."""
    scope = "triage-assist;life-health-pricing;acme-legal-llm"
    _edit(inv / "controls.csv", "C-11", applies_to=scope)
    _edit(inv / "evidence.csv", "E-021", id="E-021b", version="4.0")
    _edit(inv / "assets.csv", "credit-scoring", description="Vendor system, re-described.")


def test_changes_since_a_snapshot_reach_the_system_through_controls_and_evidence(
    store: Store, tmp_path: Path
) -> None:
    inv, reports = _acme_copy(tmp_path), tmp_path / "reports"
    load_inventory(store, inv)
    cg = Clausegraph(store)
    snap = cg.snapshot("2026-Q3", reports=reports)
    assert snap.audit_seq == read.head(store)["seq"] > 0
    _rescope_and_replace(inv)
    load_inventory(store, inv, prune=True)
    rows = cg.changes("2026-Q3", asset="cv-screening", reports=reports)
    got = {(r["entity"], r["key"]): r for r in rows}
    assert got[("Control", "C-11")]["summary"] == "unlinked APPLIES_TO->cv-screening"
    assert got[("Evidence", "E-021")]["summary"] == "deleted"
    # it also supported C-11, which still applies; the first link in name order is shown
    assert got[("Evidence", "E-021")]["via"] == "CONCERNS E-021->cv-screening (until deleted)"
    assert got[("Evidence", "E-021b")]["summary"].startswith("created; linked ")
    assert ("Asset", "credit-scoring") not in got
    assert all(r["events"] and r["last_seq"] > snap.audit_seq for r in rows)
    everything = {(r["entity"], r["key"]) for r in cg.changes("2026-Q3", reports=reports)}
    assert ("Asset", "credit-scoring") in everything and set(got) < everything
    assert cg.changes("2026-Q3", "2026-Q3", reports=reports) == []  # an empty window
    by_article = {(r["entity"], r["key"]) for r in cg.changes("2026-Q3", article="Art. 11",
                                                              reports=reports)}  # fmt: skip
    assert ("Asset", "credit-scoring") not in by_article
    owned = cg.changes("2026-Q3", owner="sofia.marino", reports=reports)
    assert [(r["entity"], r["key"]) for r in owned] == [("Asset", "credit-scoring")]
    frame = cg.changes_frame("2026-Q3", asset="cv-screening", reports=reports)
    assert len(frame) == sum(r["n_events"] for r in rows)


def test_dates_and_datetimes_bound_the_window(store: Store, tmp_path: Path) -> None:
    load_inventory(store, ACME)
    cg = Clausegraph(store)
    assert cg.changes("2000-01-01") and cg.changes("2000-01-01T00:00:00+02:00")
    assert cg.changes("9999-01-01") == [] and cg.changes("2000-01-01", "2000-01-02") == []
    with pytest.raises(Exception, match="not found"):
        cg.changes("no-such-label", reports=tmp_path / "none")


def test_a_recent_range_read_by_key_equals_the_scan(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Short seq ranges are read by key, long ones by a scan: the same events either way, also
    past the head and with events missing from the range."""
    from graph.audit import read
    from graph.audit.events import event_id

    load_inventory(store, ACME)
    top = read.head(store)["seq"]
    ranges = [(0, read.MAX_SEQ), (top - 30, top), (top - 5, top + 100), (3, 40), (top, top)]

    def every(limit: int) -> list[list[tuple[int, str]]]:
        monkeypatch.setattr(read, "KEYED_RANGE", limit)
        return [[(e.seq, e.hash) for e in read.events(store, a, b)] for a, b in ranges]

    keyed, scanned = every(10**9), every(-1)
    assert keyed == scanned and len(keyed[0]) == top and len(keyed[1]) == 30
    assert keyed[2] == keyed[1][-5:] and keyed[4] == []
    # an event gone from the middle (an operator archived it badly): both skip it alike
    raw_write(  # raw Cypher, as an operator's mistake would
        store, "MATCH (e:ChangeEvent {id: $id}) DELETE e", {"id": event_id(top - 2)}
    )
    keyed, scanned = every(10**9), every(-1)
    assert keyed == scanned and len(keyed[1]) == 29


def test_changes_cli_formats(tmp_path: Path) -> None:
    inv, db = _acme_copy(tmp_path), tmp_path / "g.db"
    assert cli(db, "load", "inventory", str(inv)).exit_code == 0
    assert cli(db, "snapshot", "--label", "base", "--no-coverage").exit_code in (0, 4)
    _rescope_and_replace(inv)
    assert cli(db, "load", "inventory", str(inv), "--prune").exit_code == 0
    out = cli(db, "changes", "--since", "base", "--asset", "cv-screening", "--format", "json")
    assert out.exit_code == 0, out.output
    rows = json.loads(out.stdout)
    assert {"Control", "Evidence"} <= {r["entity"] for r in rows}
    assert rows[0]["events"][0]["command"] == "load inventory --prune"
    csv_out = cli(db, "changes", "--since", "base", "--asset", "cv-screening", "--format", "csv")
    lines = list(csv.DictReader(csv_out.stdout.splitlines()))
    assert len(lines) == sum(len(r["events"]) for r in rows)
    assert cli(db, "changes", "--since", "base").exit_code == 0
    assert cli(db, "changes", "--since", "nope").exit_code != 0


Api = tuple[TestClient, dict[str, str]]


def test_changes_and_verify_over_http(fresh_api: Api) -> None:  # noqa: F811
    client, keys = fresh_api
    reader, admin = {"X-API-Key": keys["reader"]}, {"X-API-Key": keys["admin"]}
    rows = client.get("/changes", params={"since": "2000-01-01"}, headers=reader).json()
    assert any(r["entity"] == "Asset" and r["key"] == "cv-screening" for r in rows)
    scoped = client.get("/changes", params={"since": "2000-01-01", "asset": "cv-screening"},
                        headers=reader).json()  # fmt: skip
    assert 0 < len(scoped) < len(rows)
    bad = client.get("/changes", params={"since": "no-such-snapshot"}, headers=reader)
    assert bad.status_code == 404 and bad.headers["content-type"] == "application/problem+json"
    assert bad.json()["title"] == "Not Found" and "no-such-snapshot" in bad.json()["detail"]
    assert client.get("/changes", params={"since": "2000-01-01"}).status_code == 401
    assert client.post("/audit/verify", headers=reader).status_code == 403
    ok = client.post("/audit/verify", headers=admin).json()
    assert ok["ok"] is True and ok["checked"] == ok["head_seq"] > 0 and ok["bad_seq"] is None


def test_http_takes_snapshot_labels_never_server_paths(tmp_path: Path) -> None:
    """Over HTTP ``since`` names a snapshot of this store by label: a path to a snapshot file
    elsewhere on the server is not opened, and no error names a folder of the server."""
    settings, keys = build(tmp_path)
    with Clausegraph.open(settings) as cg:
        q3 = cg.snapshot("2026-Q3")
        cg.snapshot("2027-Q3")
        folder = cg.reports_dir()
    short = Path(tempfile.mkdtemp(prefix="cg", dir="/tmp"))  # `since` is at most 64 characters
    outside = short / "copy.json"
    shutil.copy(folder / f"{q3.label}.json", outside)
    reader = {"X-API-Key": keys["reader"]}
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:

        def get(since: str) -> tuple[int, str]:
            r = client.get("/changes", params={"since": since}, headers=reader)
            return r.status_code, r.text

        assert get("2026-Q3")[0] == 200
        status, body = get(str(outside))
        assert status == 404 and str(folder) not in body, body
        status, body = get("Q3")  # two labels end with it
        assert status == 422 and "ambiguous" in body and str(folder) not in body
    with Clausegraph.open(settings) as cg:  # the CLI and notebooks still take a path
        assert cg.load_snapshot(str(outside)).label == "2026-Q3"
    shutil.rmtree(short)
