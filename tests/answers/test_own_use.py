"""A provider that uses its own high-risk system (an in-house build) on an organisation of our
own (Kestrel), loaded through the real loader into a real LadybugDB store.

Art. 3(4) makes whoever uses a system under its authority its deployer, and Art. 3(11) counts
supply "for own use" as putting it into service: an in-house system binds its maker as provider
*and* as deployer. The inventory says so with ``own_use``. Human-oversight *records* are the
deployer's Art. 26(2) duty; a provider that only sells the system shows Art. 14 by design, in
its technical documentation, and gets no "without oversight records" gap.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from graph.applicability import AssetFacts, derive, why_not
from loaders.catalog import shipped_article_facts
from tests.factories import organisation

DAY = dt.date(2028, 1, 10)  # Annex III duties (2 Dec 2027) in force


def _asset(id: str, role: str, **kw: Any) -> dict[str, Any]:
    return {"id": id, "name": id.replace("-", " "), "role": role, "risk_tier": "high",
            "annex_iii_area": "4(a)", "lifecycle": "production", "owner": "kai"} | kw  # fmt: skip


KESTREL: dict[str, Any] = {
    "owners": [{"id": "kai", "name": "Kai Lund"}],
    "assets": [
        _asset("k-sold", "provider"),  # built and sold to customers, not used by Kestrel
        _asset("k-inhouse", "provider", own_use=True),  # built and used by Kestrel's HR
        _asset("k-bought", "deployer"),  # bought from a vendor and used
    ],
}


@pytest.fixture(scope="module")
def kestrel(tmp_path_factory: pytest.TempPathFactory) -> Any:
    cg = organisation(tmp_path_factory.mktemp("kestrel"), KESTREL, "k")
    yield cg
    cg.store.close()


def oversight_gaps(cg: Any) -> set[str]:
    return {g.subject for g in cg.gaps(DAY) if g.rule == "high_risk_without_oversight_records"}


def test_oversight_records_are_asked_of_those_who_use_the_system(kestrel: Any) -> None:
    assert oversight_gaps(kestrel) == {"k-inhouse", "k-bought"}


def test_an_in_house_system_has_its_deployer_duties_too(kestrel: Any) -> None:
    inhouse = kestrel.coverage("k-inhouse", "26", DAY)
    assert inhouse["verdict"] != "not_applicable"
    sold = kestrel.coverage("k-sold", "26", DAY)
    assert sold["verdict"] == "not_applicable"
    assert "own_use" in sold["reason"]  # the answer says which fact would change it
    # the provider duties stay: the in-house maker is still the provider
    assert kestrel.coverage("k-inhouse", "16", DAY)["verdict"] != "not_applicable"


def test_own_use_adds_the_deployer_articles_and_nothing_else() -> None:
    facts = shipped_article_facts()

    def arts(**kw: Any) -> set[str]:
        asset = AssetFacts("x", kw.pop("role"), "high", "production", annex_iii_area="5(b)", **kw)
        return {a.article for a in derive([asset], facts)}

    provider, inhouse = arts(role="provider"), arts(role="provider", own_use=True)
    deployer = arts(role="deployer")
    assert inhouse == provider | deployer  # 26 and, for Annex III 5(b), 27 (the FRIA)
    assert {"AIA-26", "AIA-27"} <= inhouse - provider
    assert arts(role="deployer", own_use=True) == deployer  # a deployer already uses it
    art26 = next(f for f in facts if f.id == "AIA-26")
    plain = AssetFacts("x", "provider", "high", "production", annex_iii_area="5(b)")
    assert "own_use" in why_not(plain, art26)
