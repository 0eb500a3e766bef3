"""Snapshots on the sample organisation: the gap set, metrics, hash, files, labels."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from collections import Counter
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from api.session import Clausegraph
from graph.review import (
    ReviewError,
    SnapshotExists,
    SnapshotNotFound,
    build_snapshot,
    check_label,
    reports_dir,
    resolve_snapshot,
    save_snapshot,
    settings_reports_dir,
)
from graph.review.state import ORG_QUERIES, inventory_hash, read_org
from graph.schema import SCHEMA
from graph.settings import Settings
from graph.stores import NodeRows, Store, WriteBatch
from loaders.inventory import load_inventory
from tests.review.conftest import ACME, REVIEW_DAY, ROOT, SCHEMAS


def schema_validator(name: str) -> jsonschema.Draft202012Validator:
    schema = json.loads((SCHEMAS / name).read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    checker = jsonschema.Draft202012Validator.FORMAT_CHECKER
    return jsonschema.Draft202012Validator(schema, format_checker=checker)


def planted_rules() -> Counter[str]:
    text = (ROOT / "tests" / "expected" / "acme_planted_gaps.yaml").read_text(encoding="utf-8")
    entries: list[dict[str, Any]] = yaml.safe_load(text)
    return Counter(e["rule"] for e in entries if e.get("reading", "practical") == "practical")


def test_snapshot_records_the_gap_set_and_metrics(acme: Clausegraph, tmp_path: Path) -> None:
    snap = acme.snapshot("2026-Q4", REVIEW_DAY, coverage=False, reports=tmp_path)
    gaps = acme.gaps(REVIEW_DAY)
    assert snap.gap_ids == {g.id for g in gaps}
    assert [g["id"] for g in snap.gaps] == [g.id for g in gaps]  # report order kept
    m = snap.metrics
    assert m["gaps"] == 47 and Counter(m["by_rule"]) == planted_rules()
    assert m["by_severity"] == {"critical": 1, "high": 35, "medium": 7, "low": 4}
    # Red-line counts what `gaps` gates on: critical or high AND in force on the review day.
    # By hand: Art. 5 and Art. 53 applied by then; the other 27 high rows are Chapter III duties
    # that start on 2 Dec 2027 (upcoming), and the tier, owner and hash rules bind at once, as
    # does personal data without a legal basis (GDPR Art. 6, in force since 25 May 2018).
    red_now = {(g.rule, g.subject) for g in gaps if g.red_line and g.in_force}
    assert red_now == {("prohibited_practice_in_use", "emotion-monitor"),
                       ("prohibited_practice_not_yet_in_use", "interview-emotion-pilot"),
                       ("asset_without_risk_tier", "shadow-meeting-notes"),
                       ("asset_without_risk_tier", "demand-forecast"),
                       ("risk_tier_contradicts_facts", "agv-people-detection"),
                       ("discovered_asset_unowned", "shadow-meeting-notes"),
                       ("gpai_without_technical_documentation", "embed-model"),
                       ("evidence_hash_mismatch", "E-031"),
                       ("dataset_without_provenance", "ds-workforce-metrics")}  # fmt: skip
    assert m["red_line"] == len(red_now) == snap.headline["red_line"]
    assert snap.headline == {"in_force": 20, "red_line": 9, "upcoming": 27} and m["in_force"] == 20
    assert m["by_owner"]["(no owner)"] == sum(g.owner is None for g in gaps)
    assert sum(m["by_owner"].values()) == 47
    # Stale on the review day, worked out by hand from examples/acme/evidence.csv:
    # E-031 file changed since hashed; E-073 older than C-20's 180-day review (newest for
    # triage-assist); E-085 expired 2026-10-31. E-071 (2026-03-02) is superseded by E-072.
    stale = {e["id"]: e["why"] for e in snap.evidence if e["freshness"] in ("stale", "expired")}
    assert stale == {
        "E-031": "file changed since it was hashed",
        "E-073": "collected 2026-04-20, older than the 180-day review",
        "E-085": "expired on 2026-10-31",
    }
    assert m["stale_evidence"] == 3
    assert m["stale_evidence_by_owner"] == {"anna.kowalska": 1, "elena.rossi": 2}
    by_id = {e["id"]: e["freshness"] for e in snap.evidence}
    assert by_id["E-071"] == "superseded"
    assert snap.coverage is None


def test_snapshot_file_is_atomic_and_matches_its_schema(
    acme_ro: Clausegraph, tmp_path: Path
) -> None:
    reports = tmp_path / "reports"
    snap = acme_ro.snapshot("2026-Q4", REVIEW_DAY, coverage=False, reports=reports)
    assert snap.path == reports / "2026-Q4.json"
    assert [p.name for p in reports.iterdir()] == ["2026-Q4.json"]  # no temp file left
    data = json.loads(snap.path.read_text(encoding="utf-8"))
    assert list(schema_validator("snapshot.schema.json").iter_errors(data)) == []


def test_a_failed_write_leaves_the_old_snapshot(
    acme_ro: Clausegraph, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    old = acme_ro.snapshot("Q4", REVIEW_DAY, coverage=False, reports=tmp_path / "r")
    assert old.path is not None
    before = old.path.read_bytes()

    def crash(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr("graph.review.snapshots.os.replace", crash)
    with pytest.raises(OSError, match="disk full"):
        acme_ro.snapshot(
            "Q4", dt.date(2026, 12, 1), coverage=False, reports=tmp_path / "r", force=True
        )
    assert old.path.read_bytes() == before
    assert sorted(p.name for p in (tmp_path / "r").iterdir()) == ["Q4.json"]


def test_evidence_collected_after_the_review_day_is_not_yet(acme_ro: Clausegraph) -> None:
    snap = build_snapshot(acme_ro.store, "early", [], dt.date(2026, 9, 30), coverage=False)
    by_id = {e["id"]: e for e in snap.evidence}
    assert by_id["E-072"]["freshness"] == "not_yet"  # collected 2026-10-12
    assert by_id["E-071"]["freshness"] == "stale"  # not yet superseded on 2026-09-30


def test_snapshots_are_not_overwritten_silently(acme_ro: Clausegraph, tmp_path: Path) -> None:
    acme_ro.snapshot("Q4", REVIEW_DAY, coverage=False, reports=tmp_path)
    with pytest.raises(SnapshotExists, match="use --force"):
        acme_ro.snapshot("Q4", REVIEW_DAY, coverage=False, reports=tmp_path)
    again = acme_ro.snapshot(
        "Q4", dt.date(2026, 12, 1), coverage=False, reports=tmp_path, force=True
    )
    assert again.as_of == dt.date(2026, 12, 1)
    assert [s.label for s in acme_ro.snapshots(tmp_path)] == ["Q4"]


@pytest.mark.parametrize("label", ["", "-x", "a/b", "Q3 2026", "x" * 65, "../up"])
def test_bad_labels(label: str) -> None:
    with pytest.raises(ReviewError, match="snapshot label"):
        check_label(label)


def test_resolving_labels(acme_ro: Clausegraph, tmp_path: Path) -> None:
    for label, day in (("2026-Q3", dt.date(2026, 9, 30)), ("2025-Q3", dt.date(2025, 9, 30)),
                       ("2026-Q4", REVIEW_DAY)):  # fmt: skip
        save_snapshot(build_snapshot(acme_ro.store, label, [], day, coverage=False), tmp_path)
    assert [s.label for s in acme_ro.snapshots(tmp_path)] == ["2025-Q3", "2026-Q3", "2026-Q4"]
    assert resolve_snapshot(tmp_path, "Q4").label == "2026-Q4"
    assert resolve_snapshot(tmp_path, "2025-Q3").label == "2025-Q3"
    assert resolve_snapshot(tmp_path, str(tmp_path / "2026-Q3.json")).label == "2026-Q3"
    with pytest.raises(SnapshotNotFound, match="ambiguous"):
        resolve_snapshot(tmp_path, "Q3")
    with pytest.raises(SnapshotNotFound, match=r"not found .*2025-Q3, 2026-Q3, 2026-Q4"):
        resolve_snapshot(tmp_path, "Q1")


def test_inventory_hash_is_stable_and_sensitive(store: Store, tmp_path: Path) -> None:
    load_inventory(store, ACME)
    first = inventory_hash(read_org(store))
    copy = tmp_path / "acme"
    shutil.copytree(ACME, copy)
    load_inventory(store, copy)  # same content; local paths differ (not hashed)
    assert inventory_hash(read_org(store)) == first
    owner = {"id": "tomas.garcia", "name": "Tomás García", "email": "tomas@acme.example",
             "team": "Marketing Operations"}  # fmt: skip
    store.write(WriteBatch(nodes=[NodeRows("Owner", [owner])]))
    assert inventory_hash(read_org(store)) != first


def test_review_queries_return_every_schema_property(acme_ro: Clausegraph) -> None:
    """If the schema gains a property, the snapshot queries (and the hash) must include it."""
    for label, (query, links) in ORG_QUERIES.items():
        row = acme_ro.store.read(query)[0]
        assert set(row) == set(SCHEMA.node(label).prop_names) | set(links), label
    sub = acme_ro.store.read("review.subject_to", asset="cv-screening")
    assert {r["asset"] for r in sub} == {"cv-screening"}
    assert set(SCHEMA.rel("SUBJECT_TO").prop_names) <= set(sub[0])


def test_where_snapshots_live(
    acme: Clausegraph, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CLAUSEGRAPH_REPORTS", raising=False)
    settings = Settings(store="ladybug", db=tmp_path / "x.db")
    assert settings_reports_dir(settings) == tmp_path / "x.db.snapshots"
    if acme.store.kind == "ladybug":
        db = getattr(acme.store, "path")  # noqa: B009
        assert reports_dir(acme.store) == db.with_name(db.name + ".snapshots")
    monkeypatch.setenv("CLAUSEGRAPH_REPORTS", str(tmp_path / "reports"))
    assert settings_reports_dir(settings) == tmp_path / "reports"
    assert acme.reports_dir() == tmp_path / "reports"
    assert acme.reports_dir(tmp_path / "explicit") == tmp_path / "explicit"
