"""A quarter on the real store: snapshot, edit the inventory, load it, snapshot, diff."""

from __future__ import annotations

import csv
import json
import shutil
from collections.abc import Callable
from pathlib import Path

from api.session import Clausegraph
from tests.review.conftest import ACME, REVIEW_DAY
from tests.review.test_snapshots import schema_validator

Row = dict[str, str]
NEW_ASSET: Row = {
    "id": "hr-faq-bot", "name": "HR FAQ bot", "description": "Answers HR policy questions.",
    "role": "deployer", "risk_tier": "minimal", "annex_iii_area": "", "annex_i": "false",
    "prohibited_practice": "", "transparency_use": "", "lifecycle": "production",
    "in_eu": "true", "public_body": "false", "discovered": "false", "owner": "luc.dubois",
    "datasets": "",
}  # fmt: skip


def edit_csv(path: Path, change: Callable[[Row], Row], extra: list[Row] | None = None) -> None:
    with path.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows([change(dict(r)) for r in rows] + (extra or []))


def next_quarter(folder: Path) -> Path:
    """The sample organisation after a quarter's work, edited by hand:
    MoodPulse (emotion-monitor) retired; SynthStudio gets an owner; control C-24 gets an owner;
    a minimal-risk HR FAQ bot is added with an owner."""
    copy = folder / "acme-next"
    shutil.copytree(ACME, copy)
    owners = {"marketing-synth-video": "tomas.garcia", "C-24": "clara.weber"}
    retire = {"emotion-monitor": "retired"}

    def change(r: Row) -> Row:
        r["owner"] = owners.get(r["id"], r["owner"])
        if "lifecycle" in r:
            r["lifecycle"] = retire.get(r["id"], r["lifecycle"])
        return r

    edit_csv(copy / "assets.csv", change, [NEW_ASSET])
    edit_csv(copy / "controls.csv", change)
    return copy


def test_quarter_over_quarter_on_the_store(acme: Clausegraph, tmp_path: Path) -> None:
    reports = tmp_path / "reports"
    q3 = acme.snapshot("2026-Q3", REVIEW_DAY, reports=reports)
    acme.load_inventory(next_quarter(tmp_path))
    q4 = acme.snapshot("2026-Q4", REVIEW_DAY, reports=reports)
    assert q3.inventory_hash != q4.inventory_hash
    assert q4.path is not None
    data = json.loads(q4.path.read_text(encoding="utf-8"))
    assert list(schema_validator("snapshot.schema.json").iter_errors(data)) == []
    cov, pairs = q4.coverage, q4.counts["SUBJECT_TO"]
    assert cov is not None
    assert sum(sum(v.values()) for v in cov["by_chapter"].values()) == pairs
    assert sum(sum(v.values()) for v in cov["by_tier"].values()) == pairs
    assert q3.coverage is not None
    assert list(q3.coverage["by_chapter"]) == ["I", "II", "III", "IV", "V", "IX"]  # in order
    d = acme.diff("Q3", "Q4", reports)

    assert d.new_gaps == []
    assert [g["id"] for g in d.closed_gaps] == [
        "prohibited_practice_in_use:emotion-monitor",  # retired
        "asset_without_owner:marketing-synth-video",  # owner named
        "control_without_owner:C-24",  # owner named
    ]
    assert len(d.persisting_gaps) == 44
    assert {g["age_days"] for g in d.persisting_gaps} == {0}  # same review day
    assert d.evidence_stale == []
    assert [(o["entity"], o["id"], o["before"], o["after"]) for o in d.owner_changes] == [
        ("Asset", "marketing-synth-video", None, "tomas.garcia"),
        ("Control", "C-24", None, "clara.weber"),
    ]
    assert [a["id"] for a in d.assets_added] == ["hr-faq-bot"]
    assert [a["id"] for a in d.assets_retired] == ["emotion-monitor"]
    assert d.assets_removed == []
    # The retired system is no longer subject to Art. 5 (chapter II; the R&D prototype still
    # is). Art. 4 (chapter I) moves from MoodPulse to the new bot, so chapter I's counts do not
    # change.
    assert d.coverage == [
        {"chapter": "II", "verdict": "covered", "before": 2, "after": 1, "delta": -1}]  # fmt: skip
