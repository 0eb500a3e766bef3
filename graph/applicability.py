"""Which AI Act articles an AI system is subject to, and why — as explainable data.

An asset is SUBJECT_TO an article when (all of):

* it is in the EU and not retired;
* the article binds the asset's role (a provider of a GPAI model also holds ``gpai_provider``;
  ``all`` binds every operator when the article concerns a specific tier);
* the article concerns the asset's risk tier (or ``all`` tiers);
* the article is not in the ``not_standing`` list and its ``conditions`` (if any) hold.

Each edge carries a one-line reason and the date it applies from for *this* asset: Annex I
product systems take the Annex I date where the article has one (Art. 6(1)), others the Annex III
one (as amended). Whether it applies on a given day is a comparison with that date, so ``--as-of``
needs no re-derivation. A proposed tier (:func:`propose_tier`) helps fill a missing one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

OPERATOR_ROLES = frozenset(
    {"provider", "deployer", "importer", "distributor", "authorised_representative",
     "product_manufacturer", "gpai_provider"}
)  # fmt: skip


TIER_TEXT = {
    "prohibited": "prohibited AI practices",
    "high": "high-risk AI systems",
    "limited": "AI systems with transparency obligations",
    "minimal": "minimal-risk AI systems",
    "gpai": "general-purpose AI models",
    "gpai_systemic": "general-purpose AI models with systemic risk",
}


@dataclass(frozen=True)
class Condition:
    """All given fields must hold (None = not checked)."""

    public_body: bool | None = None
    annex_iii: bool | None = None
    annex_iii_area_in: tuple[str, ...] | None = None
    role_in: tuple[str, ...] | None = None

    def holds(self, asset: AssetFacts) -> bool:
        if self.public_body is not None and asset.public_body != self.public_body:
            return False
        if self.annex_iii is not None and asset.annex_iii != self.annex_iii:
            return False
        if self.annex_iii_area_in is not None and not any(
            asset.annex_iii_area == a or (asset.annex_iii_area or "").startswith(a + "(")
            for a in self.annex_iii_area_in
        ):
            return False
        return self.role_in is None or asset.role in self.role_in


@dataclass(frozen=True)
class ArticleFacts:
    id: str
    number: int
    title: str
    binds: frozenset[str]
    tiers: frozenset[str]
    applies_from: dt.date
    applies_from_annex_i: dt.date | None = None
    not_standing: str | None = None  # why the article creates no standing obligation
    conditions: tuple[Condition, ...] = ()
    condition_basis: str = ""


@dataclass(frozen=True)
class AssetFacts:
    id: str
    role: str
    risk_tier: str | None
    lifecycle: str
    in_eu: bool = True
    annex_i: bool = False
    annex_iii_area: str | None = None
    public_body: bool = False
    extra_roles: frozenset[str] = field(default_factory=frozenset)

    @property
    def annex_iii(self) -> bool:
        """An Annex III system outside area 2 (critical infrastructure, excepted in 27, 49, 86)."""
        return bool(self.annex_iii_area) and not (self.annex_iii_area or "").startswith("2")

    @property
    def roles(self) -> frozenset[str]:
        gpai = self.role == "provider" and self.risk_tier in ("gpai", "gpai_systemic")
        return frozenset({self.role}) | self.extra_roles | ({"gpai_provider"} if gpai else set())


@dataclass(frozen=True)
class Applicability:
    asset: str
    article: str
    reason: str
    applies_from: dt.date

    def applies_on(self, day: dt.date) -> bool:
        return self.applies_from <= day


def _role_match(article: ArticleFacts, asset: AssetFacts) -> str | None:
    hit = sorted(article.binds & asset.roles)
    if hit:
        return hit[0]
    if "all" in article.binds and article.tiers != {"all"}:
        return asset.role
    return None


def applicable(asset: AssetFacts, article: ArticleFacts) -> Applicability | None:
    if not asset.in_eu or asset.lifecycle == "retired" or article.not_standing:
        return None
    role = _role_match(article, asset)
    if role is None or not OPERATOR_ROLES & (asset.roles | {role}):
        return None
    tier = asset.risk_tier
    if "all" not in article.tiers and (tier is None or tier not in article.tiers):
        return None
    if article.conditions and not any(c.holds(asset) for c in article.conditions):
        return None
    annex_i = asset.annex_i and article.applies_from_annex_i is not None
    when = article.applies_from_annex_i if annex_i else article.applies_from
    assert when is not None  # noqa: S101 - annex_i implies the date is set
    route = " (Annex I product route)" if annex_i else ""
    what = "AI systems of any tier" if "all" in article.tiers else TIER_TEXT.get(tier or "", "")
    reason = f"Art. {article.number} binds {role.replace('_', ' ')}s of {what}"
    if article.conditions:
        reason += f"; {article.condition_basis}"
    return Applicability(asset.id, article.id, reason + route, when)


def derive(assets: Iterable[AssetFacts], articles: list[ArticleFacts]) -> list[Applicability]:
    return [a for asset in assets for art in articles if (a := applicable(asset, art)) is not None]


def propose_tier(asset: dict[str, Any]) -> tuple[str | None, str]:
    """A tier suggested from the inventory's own facts, with the reason (never applied silently)."""
    if asset.get("prohibited_practice"):
        return "prohibited", f"Art. 5(1)({asset['prohibited_practice']}) practice"
    if asset.get("annex_i"):
        return "high", "safety component of an Annex I product (Art. 6(1))"
    if asset.get("annex_iii_area"):
        return "high", f"Annex III point {asset['annex_iii_area']} (Art. 6(2))"
    if asset.get("transparency_use"):
        return "limited", f"Art. 50({asset['transparency_use']}) transparency use"
    return None, "no Annex III area, Annex I link, Art. 5 practice or Art. 50 use recorded"
