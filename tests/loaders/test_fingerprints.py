"""Re-loading unchanged files skips them (one no-op event, the same graph); any other writer of
what a file wrote since its fingerprint, a changed file, a changed local evidence file, a write
outside the logged path and --prune all force the full path (a logged evidence verify only when
it records a change), which gives the graph the full path gives without fingerprints (real
LadybugDB)."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from graph import cypher_gen
from graph.audit import AUDIT_LABEL
from graph.backup import export_lines
from graph.schema import SCHEMA
from graph.stores import EdgeRows, NodeRows, Unlink, WriteBatch
from graph.stores.ladybug_store import LadybugStore
from loaders.evidence_verify import verify_evidence
from loaders.inventory import fingerprints, load_inventory
from loaders.inventory.write import input_sha256
from queries.registry import Registry

ACME = Path(__file__).resolve().parents[2] / "examples" / "acme"
ENTITIES = ["assets", "controls", "datasets", "evidence", "incidents", "owners"]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    out = tmp_path / "acme"
    shutil.copytree(ACME, out)
    (out / "inventory.json").unlink()
    return out


@pytest.fixture
def store(tmp_path: Path) -> Iterator[LadybugStore]:
    s = LadybugStore(tmp_path / "g.db")
    s.apply_schema()
    yield s
    s.close()


def _events(store: LadybugStore) -> list[tuple[str, str]]:
    rows = store.dump(cypher_gen.dump_nodes(SCHEMA.node(AUDIT_LABEL)))
    return [(r["entity_kind"], r["change"]) for r in rows]


def _dump(store: LadybugStore) -> list[str]:
    return list(export_lines(store, change_log=False))


def _reference(
    tmp_path: Path, folder: Path, between: WriteBatch, monkeypatch: pytest.MonkeyPatch
) -> list[str]:
    """The same loads and write without fingerprints: every load takes the full path."""
    ref = LadybugStore(tmp_path / "ref.db")
    ref.apply_schema()
    with monkeypatch.context() as m:
        m.setattr(fingerprints, "current", lambda *a: {})
        load_inventory(ref, folder)
        ref.write(between)
        load_inventory(ref, folder)
    out = _dump(ref)
    ref.close()
    return out


def _evidence(key: str) -> WriteBatch:
    row = {"id": key, "title": "Shard", "kind": "log", "uri": "https://logs.example/x"}
    return WriteBatch(
        nodes=[NodeRows("Evidence", [row])],
        edges=[EdgeRows("SUPPORTS", "Evidence", "Control", [{"src": key, "dst": "C-16"}])],
    )


def test_unchanged_reload_skips_every_file_and_logs_one_noop(
    store: LadybugStore, folder: Path
) -> None:
    first = load_inventory(store, folder)
    assert first.skipped == []
    graph, events = _dump(store), len(_events(store))
    again = load_inventory(store, folder)
    assert again.skipped == ENTITIES
    assert again.loaded == first.loaded and again.subject_to == first.subject_to
    assert _dump(store) == graph
    assert _events(store)[events:] == [("", "noop")]
    third = load_inventory(store, folder)  # the no-op load re-stamped them: still current
    assert third.skipped == ENTITIES
    # every load records the input and its sha256, the same whether files were skipped or read
    rows = store.dump(cypher_gen.dump_nodes(SCHEMA.node(AUDIT_LABEL)))
    loads = [r for r in rows if r["command"] == "load inventory"]
    assert {(r["input_file"], r["input_sha256"]) for r in loads} == {
        (str(folder), input_sha256(folder, sorted(folder.glob("*.csv"))))
    }


def test_another_writer_in_between_forces_the_full_path(
    store: LadybugStore, folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    load_inventory(store, folder)
    between = _evidence("EV-OTHER")
    store.write(between)  # another writer: an Evidence row and a SUPPORTS link
    report = load_inventory(store, folder)
    assert "evidence" not in report.skipped
    assert "controls" in report.skipped  # incoming SUPPORTS edges are not the controls file's
    assert _dump(store) == _reference(tmp_path, folder, between, monkeypatch)


def test_a_write_to_what_a_file_refers_to_forces_its_full_path(
    store: LadybugStore, folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    load_inventory(store, folder)
    # Another writer drops a dataset's owner link: datasets.csv must be read again to restore it
    between = WriteBatch(unlink=[Unlink("OWNED_BY", "Dataset", "Owner", ["ds-cv-applications"])])
    store.write(between)
    report = load_inventory(store, folder)
    assert "datasets" not in report.skipped and "evidence" in report.skipped
    assert _dump(store) == _reference(tmp_path, folder, between, monkeypatch)


def test_a_changed_file_is_read_again(store: LadybugStore, folder: Path) -> None:
    load_inventory(store, folder)
    owners = (folder / "owners.csv").read_text().splitlines()
    owners[1] = owners[1].rstrip() + " (new team)"
    (folder / "owners.csv").write_text("\n".join(owners) + "\n")
    events = len(_events(store))
    report = load_inventory(store, folder)
    assert "owners" not in report.skipped and "incidents" in report.skipped
    assert ("Owner", "updated") in _events(store)[events:]


def test_a_changed_local_evidence_file_is_checked_again(store: LadybugStore, folder: Path) -> None:
    first = load_inventory(store, folder).evidence_files
    assert load_inventory(store, folder).skipped == ENTITIES
    local = sorted((folder / "evidence").iterdir())[0]
    local.write_text(local.read_text() + "\nedited after the load\n")
    report = load_inventory(store, folder)
    assert "evidence" not in report.skipped
    assert report.evidence_files["changed"] == first.get("changed", 0) + 1


def test_evidence_verify_is_logged_and_stales_evidence_only_when_it_records_a_change(
    store: LadybugStore, folder: Path
) -> None:
    load_inventory(store, folder)
    verify_evidence(store)  # the audited write path; today's facts are the load's: no change
    assert load_inventory(store, folder).skipped == ENTITIES
    verify_evidence(store, dt.date.today() + dt.timedelta(days=1))  # records a new check date
    report = load_inventory(store, folder)
    assert "evidence" not in report.skipped and "owners" in report.skipped


def test_writes_outside_the_log_and_prune_never_skip(
    store: LadybugStore, folder: Path, tmp_path: Path
) -> None:
    load_inventory(store, folder)
    (tmp_path / "q" / "t").mkdir(parents=True)
    (tmp_path / "q" / "t" / "rename.cypher").write_text(
        "// name: rename\n// params: id\n// An unlogged write.\n"
        "MATCH (o:Owner {id: $id}) SET o.team = 'elsewhere' RETURN o.id AS id\n"
    )
    logged = store.registry
    store.registry = Registry(tmp_path / "q")
    try:
        assert store.run_write("t.rename", id="clara.weber") == [{"id": "clara.weber"}]
    finally:
        store.registry = logged
    assert load_inventory(store, folder).skipped == []  # run_write dropped every fingerprint
    assert load_inventory(store, folder).skipped == ENTITIES
    assert load_inventory(store, folder, prune=True).skipped == []
    store.clear()
    assert load_inventory(store, folder).skipped == []


def test_reconciling_findings_after_a_load_keeps_every_file_current(
    store: LadybugStore, folder: Path
) -> None:
    """Findings writes (Finding and ReconcileMark nodes, what the CLI and POST /ingest run after
    a load) are of no file's kinds: they cannot change what a skipped file would write."""
    from api.session import Clausegraph

    cg = Clausegraph(store)
    load_inventory(store, folder)
    first = cg.reconcile_after_load()
    assert first is not None and first.opened  # findings were written after the fingerprints
    kinds = {k for e in ENTITIES for k in fingerprints.kinds(e)}
    assert not kinds & {"Finding", "ReconcileMark"}
    assert ("Finding", "created") in _events(store)
    assert load_inventory(store, folder).skipped == ENTITIES
    cg.reconcile_after_load()
    assert load_inventory(store, folder).skipped == ENTITIES
