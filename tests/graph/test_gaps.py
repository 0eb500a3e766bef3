"""The gap report on the sample organisation equals the set planted by hand, on both stores."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml

from api.session import Clausegraph
from graph.gap_rules import RULES
from graph.stores import EdgeRows, NodeRows, Store, WriteBatch
from loaders.inventory import load_inventory

ROOT = Path(__file__).resolve().parents[2]
ACME = ROOT / "examples" / "acme"
REVIEW_DAY = dt.date(2026, 11, 25)


def planted(reading: str | None = "practical") -> set[tuple[str, str]]:
    """The planted gaps of the default (practical) reading, or those planted for the literal
    reading only, or (None) every entry."""
    entries: list[dict[str, Any]] = yaml.safe_load(
        (ROOT / "tests" / "expected" / "acme_planted_gaps.yaml").read_text(encoding="utf-8")
    )
    return {(e["rule"], str(e["subject"])) for e in entries
            if reading is None or e.get("reading", "practical") == reading}  # fmt: skip


@pytest.fixture
def acme(store: Store) -> Clausegraph:
    load_inventory(store, ACME)
    return Clausegraph(store)


def test_exact_gap_set_on_the_sample_organisation(acme: Clausegraph) -> None:
    found = {(g.rule, g.subject) for g in acme.gaps(REVIEW_DAY)}
    expected = planted()
    assert found - expected == set(), "gaps nobody planted"
    assert expected - found == set(), "planted gaps not found"


def test_literal_reading_plants_the_incident_gaps(
    acme: Clausegraph, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CLAUSEGRAPH_DATE_READING", "literal")
    found = {(g.rule, g.subject) for g in acme.gaps(REVIEW_DAY)}
    assert planted("literal") <= found


def test_every_rule_is_planted_at_least_once() -> None:
    assert {r.id for r in RULES} == {rule for rule, _ in planted(None)}


def test_report_is_ranked_in_force_first_then_severity_and_ids_are_stable(
    acme: Clausegraph,
) -> None:
    gaps = acme.gaps(REVIEW_DAY)
    ranks = [(not g.in_force, ("critical", "high", "medium", "low").index(g.severity))
             for g in gaps]  # fmt: skip
    assert ranks == sorted(ranks)
    assert gaps[0].id == "prohibited_practice_in_use:emotion-monitor"
    assert [g.id for g in acme.gaps(REVIEW_DAY)] == [g.id for g in gaps]
    assert len({g.id for g in gaps}) == len(gaps)


def test_filters(acme: Clausegraph) -> None:
    only = acme.gaps(REVIEW_DAY, asset="shadow-meeting-notes")
    assert {g.rule for g in only} == {
        "asset_without_risk_tier", "asset_without_owner", "discovered_asset_unowned"}  # fmt: skip
    # an asset's gaps include those of the evidence and datasets that serve it
    assert "dataset_without_provenance:ds-workforce-metrics" in {
        g.id for g in acme.gaps(REVIEW_DAY, asset="shift-allocation")}  # fmt: skip
    crit = acme.gaps(REVIEW_DAY, severity="critical")
    assert [g.subject for g in crit] == ["emotion-monitor"]
    assert {g.rule for g in acme.gaps(REVIEW_DAY, rules=["evidence_expired"])} == {
        "evidence_expired"
    }


def _incident_flagged(acme: Clausegraph, day: dt.date) -> bool:
    gaps = acme.gaps(day, rules=["incident_not_notified"])
    return "INC-2026-003" in {g.subject for g in gaps}


def test_incident_deadline_depends_on_the_date(
    acme: Clausegraph, monkeypatch: pytest.MonkeyPatch
) -> None:
    """INC-2026-003: serious (15 days), aware 2026-10-20, never reported -> due 2026-11-04,
    under the literal reading (Art. 73 binds from 2 Aug 2026)."""
    monkeypatch.setenv("CLAUSEGRAPH_DATE_READING", "literal")
    assert not _incident_flagged(acme, dt.date(2026, 11, 4))
    assert _incident_flagged(acme, dt.date(2026, 11, 5))


def test_an_incident_known_before_art_73_binds_the_system_is_never_a_breach(
    acme: Clausegraph,
) -> None:
    """Practical reading: Art. 73 binds cv-screening (Annex III) from 2 Dec 2027. The incident
    became known in Oct 2026, so no duty to notify arose then, and none arises on that day."""
    for day in (dt.date(2026, 11, 5), dt.date(2027, 12, 3), dt.date(2029, 1, 1)):
        assert not _incident_flagged(acme, day), day


def test_due_dates_follow_the_amended_deadline(acme: Clausegraph) -> None:
    """Art. 14 oversight for an Annex III system: due 2 Dec 2027 (as amended), not 2 Aug 2026."""

    def oversight(day: dt.date) -> Any:
        [g] = acme.gaps(day, rules=["high_risk_without_oversight_records"])
        return g

    before, after = oversight(dt.date(2027, 12, 1)), oversight(dt.date(2027, 12, 2))
    assert before.due == after.due == dt.date(2027, 12, 2)
    assert (before.in_force, after.in_force) == (False, True)
    prohibited = acme.gaps(REVIEW_DAY, rules=["prohibited_practice_in_use"])[0]
    assert prohibited.in_force and prohibited.due == dt.date(2025, 2, 2)


def test_stale_logs_cutoff_is_a_parameter(acme: Clausegraph) -> None:
    """shift-allocation's newest log is 2026-08-31: stale at 30 days, fresh at 90."""
    assert {g.subject for g in acme.gaps(REVIEW_DAY, rules=["high_risk_stale_logs"])} == {
        "shift-allocation"}  # fmt: skip
    assert acme.gaps(REVIEW_DAY, rules=["high_risk_stale_logs"], log_max_age_days=90) == []


def test_fixing_a_gap_closes_it(acme: Clausegraph) -> None:
    acme.store.write(WriteBatch(
        nodes=[NodeRows("Owner", [{"id": "new.owner", "name": "New Owner"}])],
        edges=[EdgeRows("OWNED_BY", "Control", "Owner", [{"src": "C-24", "dst": "new.owner"}])],
    ))  # fmt: skip
    assert acme.gaps(REVIEW_DAY, rules=["control_without_owner"]) == []


def test_a_retired_systems_evidence_needs_no_renewing(store: Store, tmp_path: Path) -> None:
    """E-073 (about triage-assist) is stale on the review day; once triage-assist is retired,
    its evidence is exempt like the system (docs/formats.md: retired systems are exempt)."""
    import shutil

    inv = tmp_path / "acme"
    shutil.copytree(ACME, inv)
    cg = Clausegraph(store)
    load_inventory(store, inv)
    assert "evidence_stale:E-073" in {g.id for g in cg.gaps(REVIEW_DAY)}
    lines = (inv / "assets.csv").read_text(encoding="utf-8").splitlines()
    lines = [ln.replace(",production,", ",retired,", 1) if ln.startswith("triage-assist,") else ln
             for ln in lines]  # fmt: skip
    (inv / "assets.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    load_inventory(store, inv)
    assert "evidence_stale:E-073" not in {g.id for g in cg.gaps(REVIEW_DAY)}


def test_a_prohibited_system_without_its_point_says_so() -> None:
    from graph.gap_context import GapContext
    from graph.gap_messages import message

    ctx = GapContext(as_of=REVIEW_DAY)
    row = {"lifecycle": "production", "tier": "prohibited"}
    known = message("prohibited_practice_in_use", row | {"practice": "f"}, ctx)
    assert known == "Art. 5(1)(f) practice is still in production"
    unknown = message("prohibited_practice_in_use", row | {"practice": None}, ctx)
    assert unknown is not None and "(?)" not in unknown and "set prohibited_practice" in unknown
