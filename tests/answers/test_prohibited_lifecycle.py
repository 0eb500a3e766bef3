"""A prohibited practice not yet in use, on an organisation of our own (Tarn Robotics) loaded
through the real loader into a real LadybugDB store.

Art. 5(1) prohibits placing on the market, putting into service and use; Art. 2(8) leaves
"research, testing or development activity ... prior to their being placed on the market or put
into service" outside the Act (testing in real-world conditions is not). So a practice in
production is the critical infringement, while one planned or in development is no infringement
yet — but a high finding: the project may never be released, bought into use or tested live.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tests.factories import organisation

DAY = dt.date(2026, 12, 7)


def _asset(id: str, role: str, lifecycle: str, practice: str) -> dict[str, Any]:
    return {"id": id, "name": id.replace("-", " "), "role": role, "risk_tier": "prohibited",
            "prohibited_practice": practice, "lifecycle": lifecycle, "owner": "ana"}  # fmt: skip


TARN: dict[str, Any] = {
    "owners": [{"id": "ana", "name": "Ana Berg"}],
    "assets": [
        _asset("t-live-mood", "deployer", "production", "f"),  # workplace emotion recognition
        _asset("t-lab-nudge", "provider", "development", "a"),  # subliminal techniques, R&D
        _asset("t-next-mood", "deployer", "planned", "f"),  # a purchase being planned
        _asset("t-old-score", "provider", "retired", "c"),  # switched off: nothing owed
    ],
}


@pytest.fixture(scope="module")
def tarn(tmp_path_factory: pytest.TempPathFactory) -> Any:
    cg = organisation(tmp_path_factory.mktemp("tarn"), TARN, "t")
    yield cg
    cg.store.close()


def test_only_a_practice_in_use_is_the_critical_infringement(tarn: Any) -> None:
    gaps = {g.id: g for g in tarn.gaps(DAY)}
    live = gaps["prohibited_practice_in_use:t-live-mood"]
    assert live.severity == "critical" and live.in_force
    assert live.message == "Art. 5(1)(f) practice is still in production"
    about = {(g.rule, g.subject) for g in gaps.values() if g.rule.startswith("prohibited")}
    assert about == {("prohibited_practice_in_use", "t-live-mood"),
                     ("prohibited_practice_not_yet_in_use", "t-lab-nudge"),
                     ("prohibited_practice_not_yet_in_use", "t-next-mood")}  # fmt: skip


def test_a_practice_not_yet_in_use_is_a_high_finding_that_says_why(tarn: Any) -> None:
    gaps = {g.id: g for g in tarn.gaps(DAY)}
    lab = gaps["prohibited_practice_not_yet_in_use:t-lab-nudge"]
    assert lab.severity == "high" and lab.in_force and lab.red_line
    assert lab.message == (
        "Art. 5(1)(a) practice is in development: it may never be placed on the market, put "
        "into service or used"
    )
    assert "Art. 2(8)" in lab.legal_basis
    assert gaps["prohibited_practice_not_yet_in_use:t-next-mood"].message.startswith(
        "Art. 5(1)(f) practice is planned:"
    )


def test_one_fact_one_finding_for_art_5(tarn: Any) -> None:
    art5 = [g.subject for g in tarn.gaps(DAY) if g.article == "5"]
    # the prohibited findings carry Art. 5; no second "no control addresses Art. 5" row
    assert sorted(art5) == ["t-lab-nudge", "t-live-mood", "t-next-mood"]
    assert not [g for g in tarn.gaps(DAY) if g.rule == "article_without_control"
                and g.article == "5"]  # fmt: skip
