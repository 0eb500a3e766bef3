"""A risk tier that contradicts the facts that decide it (Art. 6), on an organisation of our own
(Fjordline, a ferry operator) loaded through the real loader into a real LadybugDB store: the
stated tier must not silently decide what the system owes."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from api.session import Clausegraph
from graph.gaps import Gap
from tests.factories import organisation

DAY = dt.date(2026, 12, 7)
H = "cd" * 32
RULE = "risk_tier_contradicts_facts"


def _asset(id: str, role: str, tier: str | None, **kw: Any) -> dict[str, Any]:
    return {"id": id, "name": id.replace("-", " "), "role": role, "risk_tier": tier,
            "lifecycle": "production", "owner": "ines"} | kw  # fmt: skip


def _record(id: str, kind: str, concerns: str, **kw: Any) -> dict[str, Any]:
    return {"id": id, "title": f"{kind} {concerns}", "kind": kind, "sha256": H, "version": "1",
            "collected_on": "2026-06-01", "owner": "ines", "concerns": [concerns]} | kw  # fmt: skip


FJORDLINE: dict[str, Any] = {
    "owners": [{"id": "ines", "name": "Ines Dahl"}],
    "assets": [
        # consistent: no contradiction gap for any of these
        _asset("fl-crew-hiring", "deployer", "high", annex_iii_area="4(a)"),
        _asset("fl-hull-vision", "provider", "high", annex_i=True),
        _asset("fl-chat", "provider", "limited", transparency_use="1"),
        _asset("fl-timetable", "provider", "minimal"),
        _asset("fl-social-score", "deployer", "prohibited", prohibited_practice="c"),
        # contradictions
        _asset("fl-ticket-risk", "provider", "high"),  # high, but on what basis?
        _asset("fl-berth-planner", "provider", "minimal", annex_i=True),
        _asset("fl-crew-rota", "deployer", "limited", annex_iii_area="4(b)"),
        _asset("fl-exam", "provider", "minimal", annex_iii_area="3(b)"),  # Art. 6(3) documented
        _asset("fl-exam-old", "provider", "minimal", annex_iii_area="3(b)"),  # assessment expired
        _asset("fl-mood-cam", "deployer", "high", annex_iii_area="1(c)", prohibited_practice="f"),
        _asset(
            "fl-retired-score", "provider", "minimal", annex_iii_area="5(b)", lifecycle="retired"
        ),
    ],
    "evidence": [
        _record("E-EXAM-A", "assessment", "fl-exam"),
        _record("E-EXAM-R", "registration", "fl-exam"),
        _record("E-OLD-A", "assessment", "fl-exam-old", valid_until="2026-09-30"),
        _record("E-OLD-R", "registration", "fl-exam-old"),
    ],
}


@pytest.fixture(scope="module")
def fl(tmp_path_factory: pytest.TempPathFactory) -> Any:
    folder = tmp_path_factory.mktemp("fjordline")
    cg = organisation(folder, FJORDLINE, "fl")
    yield cg
    cg.store.close()


def gaps_of(cg: Clausegraph, day: dt.date = DAY) -> dict[str, Gap]:
    return {g.id: g for g in cg.gaps(day)}


def test_only_the_contradictory_systems_are_reported(fl: Any) -> None:
    found = {g.subject for g in gaps_of(fl).values() if g.rule == RULE}
    assert found == {"fl-ticket-risk", "fl-berth-planner", "fl-crew-rota", "fl-exam-old"}


def test_high_risk_without_a_route_says_what_cannot_be_decided(fl: Any) -> None:
    g = gaps_of(fl)[f"{RULE}:fl-ticket-risk"]
    assert g.severity == "high" and g.in_force and g.red_line
    assert "neither an Annex III point nor an Annex I product link" in g.message
    assert g.owner == "ines"


def test_an_annex_i_safety_component_below_high_risk(fl: Any) -> None:
    g = gaps_of(fl)[f"{RULE}:fl-berth-planner"]
    assert "Annex I product but classified minimal" in g.message and "Art. 6(1)" in g.message


def test_an_annex_iii_system_below_high_risk_needs_its_art_6_3_record(fl: Any) -> None:
    gaps = gaps_of(fl)
    rota = gaps[f"{RULE}:fl-crew-rota"].message
    assert "Annex III point 4(b) but classified limited" in rota
    assert "no valid assessment or registration concerns it" in rota
    # the assessment expired: only the assessment is missing, on the as-of date
    old = gaps[f"{RULE}:fl-exam-old"].message
    assert old.endswith("no valid assessment concerns it")
    # before it expired, the same system was documented and is not a gap
    assert f"{RULE}:fl-exam-old" not in gaps_of(fl, dt.date(2026, 9, 1))


def test_a_recorded_prohibited_practice_is_a_red_line_whatever_the_tier(fl: Any) -> None:
    g = gaps_of(fl)["prohibited_practice_in_use:fl-mood-cam"]
    assert g.severity == "critical" and g.in_force
    assert "Art. 5(1)(f) practice is still in production" in g.message
    assert "the inventory states tier high" in g.message
    trace = {r["article"] for r in fl.trace("fl-mood-cam", DAY)}
    assert {"5", "26"} <= trace  # Art. 5 binds it, and its stated tier's duties still do


def test_a_consistent_prohibited_system_does_not_restate_its_tier(fl: Any) -> None:
    g = gaps_of(fl)["prohibited_practice_in_use:fl-social-score"]
    assert g.message == "Art. 5(1)(c) practice is still in production"


def test_an_annex_is_not_an_obligation_and_says_which_article_it_serves(fl: Any) -> None:
    c = fl.coverage("fl-crew-hiring", "Annex III", DAY)
    assert c["verdict"] == "not_applicable"
    assert "an annex, not an obligation of its own" in c["reason"]
    assert "referred to in Article 6(2)" in c["reason"]
