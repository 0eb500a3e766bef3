"""Read ``catalog/applicability.yaml`` and combine it with the AI Act catalog into the facts
``graph.applicability`` derives SUBJECT_TO edges from. (The catalog loader imports this module,
never the other way round: the notes written on Article nodes come from here.)"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError

from graph.applicability import ArticleFacts, Condition
from graph.errors import LoadValidationError, RowError
from loaders.catalog_models import AiActCatalog, Meta, Strict, article_id
from loaders.yaml_lines import line_for, load_yaml, strip_lines

APPLICABILITY_FILE = Path(__file__).resolve().parent / "catalog" / "applicability.yaml"

RoleName = Literal["provider", "deployer", "importer", "distributor", "authorised_representative",
                   "product_manufacturer"]  # fmt: skip


class NotStanding(Strict):
    article: int = Field(ge=1, le=113)
    reason: str


class ConditionIn(Strict):
    public_body: bool | None = None
    annex_iii: bool | None = None
    annex_iii_area_in: list[str] | None = None
    role_in: list[RoleName] | None = None
    tier_in: list[str] | None = None
    rebranded_or_modified: bool | None = None
    transparency_use_in: list[Literal["", "1", "2", "3", "4"]] | None = None
    ai_system: bool | None = None


class PointDates(Strict):
    article: int = Field(ge=1, le=113)
    points: list[str] = Field(min_length=1)
    applies_from: dt.date
    basis: str


class ConditionalArticle(Strict):
    article: int = Field(ge=1, le=113)
    any_of: list[ConditionIn] = Field(min_length=1)
    basis: str


class ApplicabilityFile(Strict):
    meta: Meta
    not_standing: list[NotStanding]
    conditions: list[ConditionalArticle]
    point_dates: list[PointDates] = Field(default_factory=list)


def parse_applicability(path: Path = APPLICABILITY_FILE) -> ApplicabilityFile:
    data, lines = strip_lines(load_yaml(path, fast=path == APPLICABILITY_FILE))
    try:
        return ApplicabilityFile.model_validate(data)
    except ValidationError as e:
        raise LoadValidationError(
            [
                RowError(
                    str(path),
                    line_for(lines, tuple(x["loc"])),
                    ".".join(map(str, x["loc"])),
                    x["msg"],
                )
                for x in e.errors()
            ]
        ) from None


def article_facts(aia: AiActCatalog, rules: ApplicabilityFile) -> list[ArticleFacts]:
    not_standing = {n.article: n.reason for n in rules.not_standing}
    conditional = {c.article: c for c in rules.conditions}
    points = {p.article: dict.fromkeys(p.points, p.applies_from) for p in rules.point_dates}
    out = []
    for a in aia.articles:
        cond = conditional.get(a.number)
        conditions = tuple(
            Condition(
                public_body=c.public_body,
                annex_iii=c.annex_iii,
                annex_iii_area_in=tuple(c.annex_iii_area_in) if c.annex_iii_area_in else None,
                role_in=tuple(c.role_in) if c.role_in else None,
                tier_in=tuple(c.tier_in) if c.tier_in else None,
                rebranded_or_modified=c.rebranded_or_modified,
                transparency_use_in=(
                    tuple(c.transparency_use_in) if c.transparency_use_in is not None else None
                ),
                ai_system=c.ai_system,
            )
            for c in (cond.any_of if cond else [])
        )
        out.append(
            ArticleFacts(
                id=article_id(a.number),
                number=a.number,
                title=a.title,
                binds=frozenset(a.binds),
                tiers=frozenset(a.tiers),
                applies_from=a.applies_from,
                applies_from_annex_i=a.applies_from_annex_i,
                not_standing=not_standing.get(a.number),
                conditions=conditions,
                condition_basis=cond.basis if cond else "",
                point_dates=points.get(a.number, {}),
            )
        )
    return out


def article_notes(rules: ApplicabilityFile) -> dict[int, tuple[str | None, str | None]]:
    """Article number -> (why it creates no standing obligation, the condition it applies under),
    written on the Article nodes so a "not applicable" answer can say why."""
    out: dict[int, tuple[str | None, str | None]] = {
        n.article: (n.reason, None) for n in rules.not_standing
    }
    for c in rules.conditions:
        out[c.article] = (out.get(c.article, (None, None))[0], c.basis)
    return out
