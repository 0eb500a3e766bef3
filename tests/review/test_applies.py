"""What starts to apply between two dates, on both sides of the amended deadline 2027-12-02."""

from __future__ import annotations

import datetime as dt

import pytest

from api.session import Clausegraph
from graph.review import ReviewError
from tests.review.conftest import REVIEW_DAY

DEADLINE = dt.date(2027, 12, 2)  # Annex III high-risk obligations, Reg. (EU) 2026/1744
EVE = DEADLINE - dt.timedelta(days=1)
ANNEX_I = dt.date(2028, 8, 2)  # Annex I products
# cv-screening (Annex III 4(a), provider): the high-risk provider articles, by hand from
# eu_ai_act.yaml (Chapter III, Sections 1-3, and Art. 25; not Art. 22, which binds only
# providers established outside the Union; not Art. 6, a classification rule), and, in the
# practical reading, the high-risk-only articles dated 2026-08-02 literally (43, 47-49, 72, 73);
# Acme HR uses it itself (own_use), so the deployer's Arts 26 and 86 (Annex III, not area 2) too.
CV_HIGH_RISK = ["8", "9", "10", "11", "12", "13", "14", "15", "16", "17", "18", "19", "20",
                "21", "25", "26", "43", "47", "48", "49", "72", "73", "86"]  # fmt: skip


def articles(cg: Clausegraph, start: dt.date, end: dt.date, asset: str) -> list[str]:
    return [r["article"] for r in cg.applies(start, end, asset)]


def test_nothing_new_applies_up_to_the_eve_of_the_deadline(acme_ro: Clausegraph) -> None:
    assert articles(acme_ro, REVIEW_DAY, EVE, "cv-screening") == []


def test_the_high_risk_obligations_apply_on_the_deadline(acme_ro: Clausegraph) -> None:
    assert articles(acme_ro, REVIEW_DAY, DEADLINE, "cv-screening") == CV_HIGH_RISK
    assert articles(acme_ro, EVE, DEADLINE, "cv-screening") == CV_HIGH_RISK
    assert articles(acme_ro, DEADLINE, DEADLINE + dt.timedelta(days=30), "cv-screening") == []


def test_annex_i_products_take_their_own_date(acme_ro: Clausegraph) -> None:
    assert "14" not in articles(acme_ro, REVIEW_DAY, DEADLINE, "triage-assist")
    assert "14" in articles(acme_ro, DEADLINE, ANNEX_I, "triage-assist")


def test_as_of_answers_agree_on_both_sides(acme_ro: Clausegraph) -> None:
    assert acme_ro.coverage("cv-screening", "14", EVE)["in_force"] is False
    assert acme_ro.coverage("cv-screening", "14", DEADLINE)["in_force"] is True


def test_every_system_by_default(acme_ro: Clausegraph) -> None:
    rows = acme_ro.applies(EVE, DEADLINE)
    assert {r["asset"] for r in rows} >= {"cv-screening", "credit-scoring", "shift-allocation"}
    assert "triage-assist" not in {r["asset"] for r in rows}
    assert all(r["applies_from"] == DEADLINE for r in rows)
    first = next(r for r in rows if r["asset"] == "cv-screening")
    assert first["name"] == "TalentLens CV screening" and first["chapter"] == "III"


def test_bad_input(acme_ro: Clausegraph) -> None:
    with pytest.raises(ReviewError, match="before --from"):
        acme_ro.applies(DEADLINE, REVIEW_DAY)
    with pytest.raises(ReviewError, match="no asset 'nope'"):
        acme_ro.applies(REVIEW_DAY, DEADLINE, "nope")
