"""Evidence bundles: the manifest validates against its published schema, files are hashed,
and `verify` notices any change."""

from __future__ import annotations

import datetime as dt
import json
import sys
import types
import zipfile
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from api.session import Clausegraph
from graph.coverage import NotFound
from graph.review import ReviewError, verify_bundle
from graph.review.errors import BundleInvalid
from graph.stores import Store
from tests.review.conftest import ACME, REVIEW_DAY, SCHEMAS

Row = dict[str, Any]
# Local evidence files that cv-screening's trace reaches (examples/acme/evidence.csv, by hand):
CV_FILES = {
    "E-001": "evidence/E-001/ai-policy-v3.md",  # C-01 AI policy, organisation-wide
    "E-034": "evidence/E-034/log-retention-policy-v1.md",  # C-17 log retention
    "E-048": "evidence/E-048/oversight-procedure-talentlens-v2.md",  # C-28 human oversight
}


@pytest.fixture
def no_views(monkeypatch: pytest.MonkeyPatch) -> None:
    """As if graph/views did not exist (yet)."""
    monkeypatch.setitem(sys.modules, "graph.views", None)


@pytest.fixture
def fake_views(monkeypatch: pytest.MonkeyPatch) -> None:
    module = types.ModuleType("graph.views")

    def asset_view(store: Store, asset_id: str, as_of: dt.date | None = None) -> str:
        return f"<html><body>{asset_id} as of {as_of}</body></html>"

    module.asset_view = asset_view  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "graph.views", module)


def validate(manifest: Row) -> list[str]:
    schema = json.loads((SCHEMAS / "bundle-manifest.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    checker = jsonschema.Draft202012Validator.FORMAT_CHECKER
    validator = jsonschema.Draft202012Validator(schema, format_checker=checker)
    return [f"{list(e.path)}: {e.message}" for e in validator.iter_errors(manifest)]


def statuses(rows: list[Row]) -> dict[str, str]:
    return {r["path"]: r["status"] for r in rows}


def test_bundle_folder(acme_ro: Clausegraph, tmp_path: Path, no_views: None) -> None:
    out = tmp_path / "cv"
    acme_ro.bundle("cv-screening", out, as_of=REVIEW_DAY)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert validate(manifest) == []
    assert manifest["view"] is None and not (out / "view.html").exists()
    copied = {e["id"]: e["file"]["path"] for e in manifest["evidence"] if e["file"]}
    assert copied == CV_FILES
    for ev_id, rel in CV_FILES.items():
        assert (out / rel).read_bytes() == (ACME / "evidence" / Path(rel).name).read_bytes(), ev_id
    item = next(e for e in manifest["evidence"] if e["id"] == "E-001")
    assert item["file"]["matches_declared"] is True and item["owner"] == "clara.weber"
    assert {f["path"] for f in manifest["files"]} == {*CV_FILES.values(), "summary.md",
                                                      "summary.html", "audit.json"}  # fmt: skip
    arts = [t["number"] for t in manifest["trace"]]
    assert arts[0] == "4" and "14" in arts
    assert {g["id"] for g in manifest["gaps"]} >= {"article_without_control:cv-screening:AIA-16"}
    assert all(g["asset"] == "cv-screening" or g["asset"] is None for g in manifest["gaps"])
    summary = (out / "summary.md").read_text(encoding="utf-8")
    assert summary.startswith("# Evidence bundle: TalentLens CV screening (cv-screening)")
    assert "| 14 | Human oversight | covered |" in summary
    assert "<table>" in (out / "summary.html").read_text(encoding="utf-8")
    assert set(statuses(verify_bundle(out)).values()) == {"ok"}


def test_verify_detects_changes(acme_ro: Clausegraph, tmp_path: Path, no_views: None) -> None:
    out = tmp_path / "cv"
    acme_ro.bundle("cv-screening", out, as_of=REVIEW_DAY, article="14")
    (out / CV_FILES["E-048"]).write_text("edited after bundling\n", encoding="utf-8")
    (out / "summary.md").unlink()
    (out / "evidence" / "extra.txt").write_text("slipped in\n", encoding="utf-8")
    assert statuses(acme_ro.verify_bundle(out)) == {
        CV_FILES["E-048"]: "changed",
        "summary.md": "missing",
        "summary.html": "ok",
        "evidence/extra.txt": "unexpected",
        "audit.json": "ok",
        "audit.json#events": "ok",
    }


def test_bundle_zip_one_article(acme_ro: Clausegraph, tmp_path: Path, no_views: None) -> None:
    out = tmp_path / "chatbot.zip"
    manifest = acme_ro.bundle("customer-chatbot", out, article="Art. 50", as_of=REVIEW_DAY)
    assert [t["number"] for t in manifest["trace"]] == ["50"]
    with zipfile.ZipFile(out) as zf:
        names = set(zf.namelist())
        stored = json.loads(zf.read("manifest.json"))
    assert names == {"manifest.json", "summary.md", "summary.html", "audit.json",
                     "evidence/E-061/chatbot-disclosure-v2.txt"}  # fmt: skip
    assert validate(stored) == []
    e061 = next(e for e in stored["evidence"] if e["id"] == "E-061")
    assert e061["sha256"] is None and e061["file"]["matches_declared"] is None  # no declared hash
    assert set(statuses(verify_bundle(out)).values()) == {"ok"}
    tampered = tmp_path / "tampered.zip"
    with zipfile.ZipFile(out) as src, zipfile.ZipFile(tampered, "w") as dst:
        for name in src.namelist():
            data = b"changed" if name.startswith("evidence/") else src.read(name)
            dst.writestr(name, data)
    assert statuses(verify_bundle(tampered))["evidence/E-061/chatbot-disclosure-v2.txt"] == (
        "changed"
    )


def test_view_is_included_when_views_exist(
    acme_ro: Clausegraph, tmp_path: Path, fake_views: None
) -> None:
    out = tmp_path / "b"
    manifest = acme_ro.bundle("cv-screening", out, article="14", as_of=REVIEW_DAY)
    assert manifest["view"] == "view.html"
    assert (
        out / "view.html"
    ).read_text() == "<html><body>cv-screening as of 2026-11-25</body></html>"
    assert {f["path"]: f["role"] for f in manifest["files"]}["view.html"] == "view"
    assert validate(json.loads((out / "manifest.json").read_text())) == []


def test_bundle_errors(acme_ro: Clausegraph, tmp_path: Path, no_views: None) -> None:
    with pytest.raises(NotFound, match="asset 'nope'"):
        acme_ro.bundle("nope", tmp_path / "x", as_of=REVIEW_DAY)
    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "keep.txt").write_text("x")
    with pytest.raises(ReviewError, match="not an empty folder"):
        acme_ro.bundle("cv-screening", busy, as_of=REVIEW_DAY)
    with pytest.raises(BundleInvalid, match=r"no manifest\.json"):
        verify_bundle(busy)
    with pytest.raises(BundleInvalid, match="no bundle"):
        verify_bundle(tmp_path / "missing")


def _audit(out: Path) -> Row:
    data: Row = json.loads((out / "audit.json").read_text(encoding="utf-8"))
    return data


def _rewrite_audit(out: Path, data: Row) -> None:
    """Edit audit.json and re-hash it in the manifest: only the event check can notice."""
    import hashlib

    text = json.dumps(data, indent=1) + "\n"
    (out / "audit.json").write_text(text, encoding="utf-8")
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    for f in manifest["files"]:
        if f["path"] == "audit.json":
            f["sha256"], f["bytes"] = hashlib.sha256(text.encode()).hexdigest(), len(text.encode())
    (out / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")


def test_bundle_carries_the_systems_events_and_verify_checks_them(
    acme_ro: Clausegraph, tmp_path: Path, no_views: None
) -> None:
    from graph.audit import read

    out = tmp_path / "cv"
    manifest = acme_ro.bundle("cv-screening", out, as_of=REVIEW_DAY)
    audit = _audit(out)
    head = read.head(acme_ro.store)
    assert manifest["audit"] == {"file": "audit.json", "head": head, "events": len(audit["events"])}
    kinds = {(e["entity_kind"], e["entity_key"]) for e in audit["events"]}
    assert ("Asset", "cv-screening") in kinds and ("Control", "C-11") in kinds
    assert ("Evidence", "E-021") in kinds and ("Asset", "credit-scoring") not in kinds
    assert any(k.startswith("SUPPORTS(") and key.startswith("E-021->") for k, key in kinds)
    seqs = [e["seq"] for e in audit["events"]]
    assert seqs == sorted(seqs) and len(seqs) < head["seq"]
    assert statuses(verify_bundle(out))["audit.json#events"] == "ok"
    edited = json.loads(json.dumps(audit))
    edited["events"][3]["actor"] = "mallory"
    _rewrite_audit(out, edited)
    rows = {r["path"]: r for r in verify_bundle(out)}
    assert rows["audit.json"]["status"] == "ok"  # re-hashed: the file check alone passes
    bad = rows["audit.json#events"]
    assert bad["status"] == "broken" and f"event {audit['events'][3]['seq']}" in bad["actual"]
    other_head = json.loads(json.dumps(audit))
    other_head["head"]["hash"] = "0" * 64
    _rewrite_audit(out, other_head)
    assert (
        "differs from the manifest"
        in {r["path"]: r for r in verify_bundle(out)}["audit.json#events"]["actual"]
    )
