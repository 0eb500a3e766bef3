"""Which AI Act articles an AI system is subject to, and why — as explainable data.

An asset is SUBJECT_TO an article when (all of):

* it is within the territorial scope of Art. 2(1) (:attr:`AssetFacts.scope`) and not retired;
* the article binds the asset's role (a provider of a GPAI model also holds ``gpai_provider``;
  ``all`` binds every operator when the article concerns a specific tier);
* the article concerns the asset's risk tier (or ``all`` tiers); a recorded Art. 5(1) practice
  puts the asset in the prohibited tier whatever tier the inventory states;
* the article is not in the ``not_standing`` list and its ``conditions`` (if any) hold.

Each edge carries a one-line reason and two dates it applies from for *this* asset:

* ``applies_from_literal`` — the article's own date (Art. 113 as amended): Annex I product
  systems take the Annex I date where the article has one, others the Annex III one;
* ``applies_from`` — the practical reading (default): an obligation that exists only because the
  system is high-risk (an article whose only tier is ``high``) cannot bind it before the system's
  own Chapter III date, the date Art. 6 classification applies to it (2 Dec 2027 for Annex III,
  2 Aug 2028 for Annex I products). So Arts 43-49 and 72-73, dated 2 Aug 2026 literally, follow
  the system's date. A point of an article with its own date (Art. 5(1)(ba), (bb)) dates the
  edge of a system engaged in that practice.

Whether it applies on a given day is a comparison with a date, so ``--as-of`` needs no
re-derivation. :func:`why_not` explains a missing edge; :func:`propose_tier` suggests a tier.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

OPERATOR_ROLES = frozenset(
    {"provider", "deployer", "importer", "distributor", "authorised_representative",
     "product_manufacturer", "gpai_provider"}
)  # fmt: skip

# Roles that make a system: with ``own_use`` they are also its deployer (AssetFacts.roles).
PROVIDING_ROLES = frozenset({"provider", "product_manufacturer"})

TIER_TEXT = {
    "prohibited": "prohibited AI practices",
    "high": "high-risk AI systems",
    "limited": "AI systems with transparency obligations",
    "minimal": "minimal-risk AI systems",
    "gpai": "general-purpose AI models",
    "gpai_systemic": "general-purpose AI models with systemic risk",
}
# Tiers of general-purpose AI models: a model is not an AI system (Art. 3(1), 3(63)).
MODEL_TIERS = frozenset({"gpai", "gpai_systemic"})
# The article whose application date is a high-risk system's own Chapter III date.
CLASSIFICATION_ARTICLE = 6


@dataclass(frozen=True)
class Condition:
    """All given fields must hold (None = not checked)."""

    public_body: bool | None = None
    annex_iii: bool | None = None
    annex_iii_area_in: tuple[str, ...] | None = None
    role_in: tuple[str, ...] | None = None
    tier_in: tuple[str, ...] | None = None
    rebranded_or_modified: bool | None = None
    transparency_use_in: tuple[str, ...] | None = None  # Art. 50 paragraphs; "" = not stated
    ai_system: bool | None = None  # an AI system, not a general-purpose AI model

    def holds(self, asset: AssetFacts) -> bool:
        if self.ai_system is not None and (asset.risk_tier not in MODEL_TIERS) != self.ai_system:
            return False
        if self.public_body is not None and asset.public_body != self.public_body:
            return False
        if self.annex_iii is not None and asset.annex_iii != self.annex_iii:
            return False
        if self.annex_iii_area_in is not None and not any(
            asset.annex_iii_area == a or (asset.annex_iii_area or "").startswith(a + "(")
            for a in self.annex_iii_area_in
        ):
            return False
        if self.tier_in is not None and asset.risk_tier not in self.tier_in:
            return False
        if (
            self.rebranded_or_modified is not None
            and asset.rebranded_or_modified != self.rebranded_or_modified
        ):
            return False
        if self.transparency_use_in is not None and (
            (asset.transparency_use or "") not in self.transparency_use_in
        ):
            return False
        return self.role_in is None or bool(asset.roles & set(self.role_in))


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
    # points of the article with their own date, e.g. Art. 5(1)(ba) -> 2026-12-02
    point_dates: Mapping[str, dt.date] = field(default_factory=dict)


@dataclass(frozen=True)
class AssetFacts:
    """What the inventory states about one AI system that applicability depends on.

    Territorial scope (Art. 2(1)) is reached three ways, each a fact the user states:
    ``eu_market`` (placed on the market or put into service in the EU, point (a)),
    ``eu_deployer`` (its deployer is established or located in the EU, point (b)) and
    ``eu_output`` (its output is used in the EU, point (c)); None = not stated. ``in_eu`` is
    the shorthand for "in scope" used when none of the three is stated.
    """

    id: str
    role: str
    risk_tier: str | None
    lifecycle: str
    in_eu: bool = True
    annex_i: bool = False
    annex_iii_area: str | None = None
    public_body: bool = False
    eu_market: bool | None = None
    eu_deployer: bool | None = None
    eu_output: bool | None = None
    rebranded_or_modified: bool = False
    prohibited_practice: str | None = None
    transparency_use: str | None = None
    extra_roles: frozenset[str] = field(default_factory=frozenset)
    own_use: bool = False

    @property
    def annex_iii(self) -> bool:
        """An Annex III system outside area 2 (critical infrastructure: excepted in Arts 27, 86
        and 49(1)-(3); registered nationally under 49(5))."""
        return bool(self.annex_iii_area) and not (self.annex_iii_area or "").startswith("2")

    @property
    def considered_provider(self) -> str | None:
        """The Art. 25 paragraph under which this operator is considered the provider of a
        high-risk system, or None: a distributor, importer or deployer that put its name or
        trademark on it, substantially modified it or made it high-risk (Art. 25(1); inventory:
        ``rebranded_or_modified``), or the manufacturer of the Annex I product it is a safety
        component of (Art. 25(3))."""
        if self.risk_tier != "high":
            return None
        if self.role in ("distributor", "importer", "deployer") and self.rebranded_or_modified:
            return "Art. 25(1)"
        if self.role == "product_manufacturer" and self.annex_i:
            return "Art. 25(3)"
        return None

    @property
    def tiers(self) -> frozenset[str]:
        """The tiers the facts put the system in: its stated tier, and ``prohibited`` whenever an
        Art. 5(1) practice is recorded, whatever tier was stated (so Art. 5 still binds it)."""
        stated = {self.risk_tier} if self.risk_tier else set()
        return frozenset(stated | ({"prohibited"} if self.prohibited_practice else set()))

    @property
    def roles(self) -> frozenset[str]:
        """The operator roles the facts give: the stated role; ``provider`` when considered one
        (Art. 25); ``gpai_provider`` for a provider of a GPAI model; ``deployer`` when a provider
        uses the system under its own authority (``own_use``: Art. 3(4) makes whoever uses a
        system its deployer, and Art. 3(11) counts supply "for own use" as putting it into
        service, so an in-house system binds its maker as provider and as deployer)."""
        gpai = self.role == "provider" and self.risk_tier in ("gpai", "gpai_systemic")
        provider = {"provider"} if self.considered_provider else set()
        makes = self.role in PROVIDING_ROLES or bool(provider)
        return (
            frozenset({self.role}) | self.extra_roles | provider
            | ({"gpai_provider"} if gpai else set())
            | ({"deployer"} if self.own_use and makes else set())
        )  # fmt: skip

    @property
    def scope(self) -> str | None:
        """The Art. 2(1) point that brings the system into scope, or None when none does."""
        stated = (self.eu_market, self.eu_deployer, self.eu_output)
        if all(x is None for x in stated):
            return "Art. 2(1) (in_eu)" if self.in_eu else None
        if self.eu_market:
            return "Art. 2(1)(a)"
        if self.eu_deployer and "deployer" in self.roles:
            return "Art. 2(1)(b)"
        return "Art. 2(1)(c)" if self.eu_output else None


@dataclass(frozen=True)
class Applicability:
    asset: str
    article: str
    reason: str
    applies_from: dt.date  # practical reading (see the module docstring)
    applies_from_literal: dt.date | None = None

    def __post_init__(self) -> None:
        if self.applies_from_literal is None:
            object.__setattr__(self, "applies_from_literal", self.applies_from)

    def applies_on(self, day: dt.date) -> bool:
        return self.applies_from <= day


def _role_match(article: ArticleFacts, asset: AssetFacts) -> str | None:
    hit = sorted(article.binds & asset.roles)
    if hit:
        return hit[0]
    if "all" in article.binds and article.tiers != {"all"}:
        return asset.role
    return None


def _annex_i_route(article: ArticleFacts, asset: AssetFacts) -> bool:
    """Dated by the Annex I route: an Annex I product's system that is not also classified
    under Annex III (Art. 6(2) classification stands on its own and applies from the earlier,
    Annex III date), for an article that has an Annex I date."""
    return asset.annex_i and not asset.annex_iii_area and article.applies_from_annex_i is not None


def _own_date(article: ArticleFacts, asset: AssetFacts) -> dt.date:
    """The article's literal date for this asset (its Annex I date for Annex I products)."""
    if _annex_i_route(article, asset) and article.applies_from_annex_i is not None:
        return article.applies_from_annex_i
    return article.applies_from


def _dates(
    article: ArticleFacts, asset: AssetFacts, high_risk_from: ArticleFacts | None
) -> tuple[dt.date, dt.date]:
    """(practical, literal) dates of the article for this asset."""
    literal = _own_date(article, asset)
    point = article.point_dates.get(asset.prohibited_practice or "")
    if point is not None:
        literal = max(literal, point)
    practical = literal
    if article.tiers == {"high"} and asset.risk_tier == "high" and high_risk_from is not None:
        practical = max(literal, _own_date(high_risk_from, asset))
    return practical, literal


def applicable(
    asset: AssetFacts, article: ArticleFacts, high_risk_from: ArticleFacts | None = None
) -> Applicability | None:
    """The edge from ``asset`` to ``article``, or None. ``high_risk_from`` is the classification
    article (Art. 6) whose dates give the practical reading; without it both readings agree."""
    scope = asset.scope
    if scope is None or asset.lifecycle == "retired" or article.not_standing:
        return None
    role = _role_match(article, asset)
    if role is None or not OPERATOR_ROLES & (asset.roles | {role}):
        return None
    hit = sorted(asset.tiers & article.tiers)
    if "all" not in article.tiers and not hit:
        return None
    tier = hit[0] if hit else asset.risk_tier
    if article.conditions and not any(c.holds(asset) for c in article.conditions):
        return None
    practical, literal = _dates(article, asset, high_risk_from)
    route = " (Annex I product route)" if _annex_i_route(article, asset) else ""
    what = "AI systems of any tier" if "all" in article.tiers else TIER_TEXT.get(tier or "", "")
    reason = f"Art. {article.number} binds {role.replace('_', ' ')}s of {what}"
    if role == "provider" and asset.role != "provider" and asset.considered_provider:
        reason += f"; the {asset.role.replace('_', ' ')} is considered its provider under "
        reason += asset.considered_provider
    if article.conditions:
        reason += f"; {article.condition_basis}"
    if not scope.endswith("(in_eu)"):
        reason += f"; in scope under {scope}"
    return Applicability(asset.id, article.id, reason + route, practical, literal)


def excluded(asset: AssetFacts, name: str = "") -> str | None:
    """Why ``asset`` is subject to no article at all (retired, or outside Art. 2(1)), or None."""
    who = name or asset.id
    if asset.lifecycle == "retired":
        return f"{who} is retired; a retired system is subject to no standing obligation"
    if asset.scope is None:
        return (f"{who} is outside the territorial scope of Art. 2(1): not placed on the EU "
                "market or put into service there, no deployer established in the EU, and its "
                "output is not used in the EU (as the inventory states)")  # fmt: skip
    return None


def why_not(asset: AssetFacts, article: ArticleFacts, name: str = "") -> str:
    """Why ``asset`` is not subject to ``article``, in the terms of the rule that excludes it."""
    who = name or asset.id
    art = f"Art. {article.number}"
    if (whole := excluded(asset, name)) is not None:
        return whole
    if article.not_standing:
        return f"{art} creates no standing obligation to cover: {article.not_standing}"
    if _role_match(article, asset) is None or not OPERATOR_ROLES & asset.roles:
        binds = ", ".join(sorted(b.replace("_", " ") for b in article.binds)) or "no operator"
        hint = ""
        if "deployer" in article.binds and asset.role in PROVIDING_ROLES:
            hint = " (a provider that uses the system itself is its deployer too: own_use)"
        return f"{art} binds {binds}; {who}'s role here is {asset.role.replace('_', ' ')}{hint}"
    tiers = article.tiers - {"all"}
    if tiers and not asset.tiers & tiers:
        what = " and ".join(TIER_TEXT.get(t, t) for t in sorted(tiers))
        tier = TIER_TEXT.get(asset.risk_tier or "", "")
        has = f"is one of the {tier}" if tier else "has no risk tier (assign one to check)"
        return f"{art} concerns {what}; {who} {has}"
    # Art. 4 names AI systems (applicability.yaml, ai_system): a model is excluded by what it is.
    if asset.risk_tier in MODEL_TIERS and "not an AI system" in article.condition_basis:
        return (
            f"{art} binds providers and deployers of AI systems; {who} is a general-purpose AI "
            f"model (tier {asset.risk_tier}), not an AI system (Art. 3(1), 3(63)): its provider's "
            "duties are those of Arts 53-55"
        )
    # Area 2 is excepted by name in the basis of Arts 27, 49 and 86 (applicability.yaml; the
    # coverage answer rebuilds the article from the store, without its conditions): the one
    # fact that excludes the system, said instead of listing them all.
    if (asset.annex_iii_area or "").startswith("2") and "area 2" in article.condition_basis:
        return (
            f"{art} treats Annex III area 2 (critical infrastructure) apart, and {who} is listed "
            f"under Annex III {asset.annex_iii_area}; {article.condition_basis.rstrip('.')}"
        )
    facts = [asset.role.replace("_", " "), f"tier {asset.risk_tier}"]
    facts.append(
        f"Annex III {asset.annex_iii_area}" if asset.annex_iii_area else "no Annex III area"
    )
    facts.append("public body" if asset.public_body else "not a public body")
    if asset.rebranded_or_modified:
        facts.append("rebranded or substantially modified")
    if asset.own_use and "deployer" in asset.roles:
        facts.append("also its deployer (own use)")
    return (f"{art} applies only where {article.condition_basis.rstrip('.')}; "
            f"{who} ({', '.join(facts)}) meets none of these")  # fmt: skip


def derive(assets: Iterable[AssetFacts], articles: list[ArticleFacts]) -> list[Applicability]:
    six = next((a for a in articles if a.number == CLASSIFICATION_ARTICLE), None)
    return [
        a for asset in assets for art in articles if (a := applicable(asset, art, six)) is not None
    ]


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
