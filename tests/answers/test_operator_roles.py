"""Who an article binds, as an organisation's compliance officer reads the AI Act (found by a
review of an inventory nobody on the team wrote, a hospital group): an operator that becomes the
provider (Art. 25), an authorised representative's own tasks (Arts 22, 54), Art. 50's
paragraphs, and the date of a system that is high-risk both ways (Art. 6(1) and 6(2))."""

from __future__ import annotations

import datetime as dt
from typing import Any

from graph.applicability import AssetFacts, derive
from loaders.catalog import shipped_article_facts

PROVIDER_DUTIES = {8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 43, 47, 48, 49, 72, 73}


def articles(asset: AssetFacts) -> dict[int, Any]:
    return {
        int(a.article.removeprefix("AIA-")): a for a in derive([asset], shipped_article_facts())
    }


def _system(role: str, **kw: Any) -> AssetFacts:
    return AssetFacts("x", role, kw.pop("tier", "high"), "production", **kw)


def test_an_operator_that_rebrands_or_modifies_becomes_the_provider() -> None:
    """Art. 25(1): 'shall be considered to be a provider ... and shall be subject to the
    obligations of the provider under Article 16'."""
    for role in ("deployer", "importer", "distributor"):
        plain = articles(_system(role, annex_iii_area="4(a)"))
        rebranded = articles(_system(role, annex_iii_area="4(a)", rebranded_or_modified=True))
        assert not set(plain) >= PROVIDER_DUTIES, role
        assert set(rebranded) >= PROVIDER_DUTIES, (role, PROVIDER_DUTIES - set(rebranded))
        assert "considered its provider under Art. 25(1)" in rebranded[16].reason
    # a deployer that became the provider still has its own deployer duties
    assert 26 in articles(_system("deployer", annex_iii_area="4(a)", rebranded_or_modified=True))


def test_the_product_manufacturer_of_an_annex_i_product_is_its_provider() -> None:
    """Art. 25(3): the product manufacturer is considered the provider of the high-risk AI
    system that is a safety component of its Annex I product."""
    made = articles(_system("product_manufacturer", annex_i=True))
    assert {9, 11, 16, 17, 43, 47, 48, 72, 73} <= set(made)
    assert "under Art. 25(3)" in made[16].reason
    assert made[16].applies_from == dt.date(2028, 8, 2)  # the Annex I date
    assert 49 not in made  # registration: Annex III systems only


def test_an_authorised_representative_has_its_own_tasks() -> None:
    """Arts 22(3) and 54(3): the representative performs the tasks of its mandate; the
    provider's duty to appoint one depends on establishment, which the inventory lacks."""
    assert 22 in articles(_system("authorised_representative", annex_iii_area="4(a)"))
    assert 54 in articles(_system("authorised_representative", tier="gpai"))
    assert 22 not in articles(_system("provider", annex_iii_area="4(a)"))
    assert 54 not in articles(_system("provider", tier="gpai"))


def test_art_50_binds_providers_or_deployers_by_paragraph() -> None:
    """Art. 50(1)-(2) bind providers, 50(3)-(4) deployers."""

    def has_50(role: str, use: str | None) -> bool:
        return 50 in articles(_system(role, tier="limited", transparency_use=use))

    assert has_50("provider", "1") and has_50("provider", "2")
    assert not has_50("provider", "3") and not has_50("provider", "4")
    assert has_50("deployer", "3") and has_50("deployer", "4")
    assert not has_50("deployer", "1") and not has_50("deployer", "2")
    assert has_50("provider", None) and has_50("deployer", None)  # paragraph not stated


def test_a_system_high_risk_both_ways_follows_the_annex_iii_date() -> None:
    """Classification under Art. 6(2) (Annex III) stands on its own: it applies from
    2 Dec 2027 even if the system is also an Annex I product's safety component."""
    both = articles(_system("provider", annex_iii_area="4(b)", annex_i=True))
    only_iii = articles(_system("provider", annex_iii_area="4(b)"))
    for n in (9, 49, 73):
        assert both[n].applies_from == only_iii[n].applies_from == dt.date(2027, 12, 2), n
    assert "Annex I product route" not in both[9].reason


def test_an_area_2_system_is_told_area_2_is_excepted() -> None:
    """Arts 27, 49(3) and 86 except Annex III area 2 (critical infrastructure) by name: the
    reason says that is what excludes the system, not a list of every fact it has."""
    from graph.applicability import why_not

    by_number = {a.number: a for a in shipped_article_facts()}
    grid = _system("deployer", annex_iii_area="2", public_body=True)
    for n in (27, 49, 86):
        assert n not in articles(grid)
        reason = why_not(grid, by_number[n], "Grid balancer")
        assert reason.startswith(f"Art. {n} treats Annex III area 2 (critical infrastructure)")
        assert "listed under Annex III 2" in reason
    # a system outside area 2 that fails the condition still gets the facts it has
    hr = _system("deployer", annex_iii_area="4(a)")
    assert "meets none of these" in why_not(hr, by_number[27], "HR screener")


def test_an_area_2_provider_registers_nationally() -> None:
    """Art. 49(5): Annex III area 2 systems are registered at national level, so their provider
    is subject to Art. 49 (not excepted from registration), while a public-body deployer of one
    is not (Art. 49(3) names only the other areas)."""
    provider = articles(_system("provider", annex_iii_area="2"))
    assert 49 in provider and "Art. 49(5)" in provider[49].reason
    assert 49 not in articles(_system("deployer", annex_iii_area="2", public_body=True))
    assert 49 in articles(_system("deployer", annex_iii_area="4(a)", public_body=True))


def test_ai_literacy_binds_ai_systems_not_models() -> None:
    """Art. 4 binds providers and deployers of AI systems; a general-purpose AI model is not one
    (Art. 3(1), 3(63)); a system without a stated tier is still an AI system."""
    from graph.applicability import why_not

    by_number = {a.number: a for a in shipped_article_facts()}
    for tier in ("gpai", "gpai_systemic"):
        model = _system("provider", tier=tier)
        assert 4 not in articles(model), tier
        assert why_not(model, by_number[4], "Lex 8B").startswith(
            "Art. 4 binds providers and deployers of AI systems; Lex 8B is a general-purpose"
        )
    system_tiers: tuple[str | None, ...] = ("high", "limited", "minimal", None)
    for stated in system_tiers:
        assert 4 in articles(_system("provider", tier=stated)), stated
        assert 4 in articles(_system("deployer", tier=stated)), stated


def test_a_public_body_deploying_an_annex_i_product_is_told_why_no_fria() -> None:
    """Art. 27(1) names deployers of systems referred to in Art. 6(2) (Annex III): a public
    hospital deploying a medical device's AI (Annex I, Art. 6(1)) owes no FRIA, and the reason
    must not read as if its public-body status were what fails."""
    from graph.applicability import why_not

    art27 = {a.number: a for a in shipped_article_facts()}[27]
    device = _system("deployer", annex_i=True, public_body=True)
    assert 27 not in articles(device)
    reason = why_not(device, art27, "Sepsis alert")
    assert "Art. 6(2)" in reason and "Annex I product" in reason and "public body" in reason
