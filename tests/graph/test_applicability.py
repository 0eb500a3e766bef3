"""Applicability: role x tier x Annex III/I route x date, with the amended deadlines."""

from __future__ import annotations

import datetime as dt

from graph.applicability import AssetFacts, applicable, derive, propose_tier
from loaders.catalog import shipped_article_facts


def articles_of(asset: AssetFacts) -> set[int]:
    return {int(a.article.removeprefix("AIA-")) for a in derive([asset], shipped_article_facts())}


def facts(number: int) -> object:
    return next(a for a in shipped_article_facts() if a.number == number)


CV = AssetFacts("cv", "provider", "high", "production", annex_iii_area="4(a)")


def test_high_risk_provider_on_either_side_of_the_amended_deadline() -> None:
    [art14] = [a for a in derive([CV], shipped_article_facts()) if a.article == "AIA-14"]
    assert art14.applies_from == dt.date(2027, 12, 2)  # as amended (was 2026-08-02)
    assert not art14.applies_on(dt.date(2027, 12, 1))
    assert art14.applies_on(dt.date(2027, 12, 2))


def test_annex_i_products_take_their_own_date() -> None:
    med = AssetFacts("med", "provider", "high", "production", annex_i=True)
    [art9] = [a for a in derive([med], shipped_article_facts()) if a.article == "AIA-9"]
    assert art9.applies_from == dt.date(2028, 8, 2)
    assert "Annex I" in art9.reason


def test_roles_and_tiers() -> None:
    assert {4, 9, 12, 14, 16, 49}.issubset(articles_of(CV))
    assert 26 not in articles_of(CV)
    deployer = AssetFacts("d", "deployer", "high", "production", annex_iii_area="4(a)")
    assert {14, 26}.issubset(articles_of(deployer)) and 16 not in articles_of(deployer)
    assert articles_of(AssetFacts("p", "deployer", "prohibited", "production")) == {4, 5}
    assert articles_of(AssetFacts("m", "deployer", "minimal", "production")) == {4}
    assert {53, 55}.isdisjoint(articles_of(AssetFacts("g", "deployer", "gpai", "production")))
    gpai = articles_of(AssetFacts("g", "provider", "gpai", "production"))
    assert 53 in gpai and 55 not in gpai
    assert 55 in articles_of(AssetFacts("s", "provider", "gpai_systemic", "production"))


def test_conditions_from_the_data_file() -> None:
    """Art. 27 FRIA: public-service deployers and Annex III 5(b)/(c) deployers only."""
    credit = AssetFacts("c", "deployer", "high", "production", annex_iii_area="5(b)")
    hiring = AssetFacts("h", "deployer", "high", "production", annex_iii_area="4(a)")
    public = AssetFacts("p", "deployer", "high", "production", annex_iii_area="5(a)",
                        public_body=True)  # fmt: skip
    assert 27 in articles_of(credit) and 27 in articles_of(public)
    assert 27 not in articles_of(hiring)
    assert 49 in articles_of(public) and 49 not in articles_of(credit)


def test_retired_and_outside_the_eu_are_subject_to_nothing() -> None:
    assert (
        articles_of(AssetFacts("r", "provider", "high", "retired", annex_iii_area="4(a)")) == set()
    )
    outside = AssetFacts("o", "provider", "high", "production", in_eu=False, annex_iii_area="4(a)")
    assert articles_of(outside) == set()


def test_not_standing_articles_are_never_derived() -> None:
    art74 = facts(74)
    assert applicable(CV, art74) is None  # type: ignore[arg-type]


def test_proposed_tier() -> None:
    assert propose_tier({"prohibited_practice": "f"})[0] == "prohibited"
    assert propose_tier({"annex_iii_area": "4(a)"})[0] == "high"
    assert propose_tier({"transparency_use": "1"})[0] == "limited"
    assert propose_tier({})[0] is None
