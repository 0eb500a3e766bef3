"""The catalog and crosswalk file formats, as pydantic models (``extra="forbid"`` everywhere)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, field_validator

Role = Literal[
    "provider",
    "deployer",
    "importer",
    "distributor",
    "authorised_representative",
    "product_manufacturer",
    "gpai_provider",
    "notified_body",
    "authority",
    "commission",
    "member_state",
    "all",
]
Tier = Literal["prohibited", "high", "limited", "minimal", "gpai", "gpai_systemic", "all"]
Relation = Literal["equal", "subset", "superset", "intersect", "related"]
Confidence = Literal["high", "medium", "low"]
ClauseKind = Literal["clause", "objective", "annex_a_control"]

RomanNumeral = Literal[
    "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII"
]
ROMAN: tuple[str, ...] = get_args(RomanNumeral)
ANNEX_ID = re.compile(r"^Annex (" + "|".join(ROMAN) + ")$")
ISO_NUMBER = re.compile(r"^(?:(?:[4-9]|10)(?:\.\d{1,2}){0,2}|A\.(?:[2-9]|10)(?:\.\d{1,2}){0,2})$")
PARAGRAPH = re.compile(r"^\d{1,2}[a-z]?(?:\([a-z]{1,4}\))*$|^\([a-z]{1,4}\)$")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Meta(Strict):
    id: str
    title: str
    source: list[str] = Field(min_length=1)
    version: str
    publication_date: dt.date
    licence: str
    checked: str
    notes: str | None = None
    legal_effect: str | None = None


# -- EU AI Act -------------------------------------------------------------------------------
class Chapter(Strict):
    number: RomanNumeral
    title: str


class Section(Strict):
    chapter: RomanNumeral
    number: int = Field(ge=1)
    title: str


class Article(Strict):
    number: int = Field(ge=1, le=113)
    title: str = Field(min_length=1)
    chapter: RomanNumeral
    section: int | None = None
    binds: list[Role] = Field(min_length=1)
    tiers: list[Tier] = Field(min_length=1)
    applies_from: dt.date
    applies_from_original: dt.date
    applies_from_annex_i: dt.date | None = None
    applies_from_annex_i_original: dt.date | None = None
    date_basis: str


class Annex(Strict):
    id: Annotated[str, Field(pattern=ANNEX_ID.pattern)]
    number: RomanNumeral
    title: str
    applies_from: dt.date
    applies_from_original: dt.date


class AnnexIIIPoint(Strict):
    point: str
    summary: str


class AnnexIIIArea(Strict):
    area: int = Field(ge=1, le=8)
    title: str
    points: list[AnnexIIIPoint]


class KeyNumber(Strict):
    id: str
    value: int | float
    unit: str
    basis: str
    note: str | None = None


class Penalty(Strict):
    tier: str
    max_eur: int
    max_turnover_pct: float
    basis: str


class Amendment(Strict):
    act: str
    title: str
    date: dt.date
    source: str
    verified: bool
    summary: str


class AiActCatalog(Strict):
    meta: Meta
    chapters: list[Chapter]
    sections: list[Section]
    articles: list[Article]
    annexes: list[Annex]
    annex_iii_areas: list[AnnexIIIArea]
    key_numbers: list[KeyNumber]
    penalties: list[Penalty]
    amendments: list[Amendment]


# -- ISO/IEC 42001 ---------------------------------------------------------------------------
class IsoClause(Strict):
    number: Annotated[str, Field(pattern=ISO_NUMBER.pattern)]
    title: str = Field(min_length=1, max_length=120)  # short titles only, never normative text
    kind: ClauseKind
    parent: str | None = None


class IsoCatalog(Strict):
    meta: Meta
    clauses: list[IsoClause]


# -- Crosswalk -------------------------------------------------------------------------------
ArticleRef = int | Annotated[str, Field(pattern=ANNEX_ID.pattern)]


class Mapping(Strict):
    clause: str
    article: ArticleRef
    paragraph: Annotated[str, Field(pattern=PARAGRAPH.pattern)] | None = None
    relation: Relation
    rationale: str = Field(min_length=1, max_length=400)
    confidence: Confidence
    source: str

    @field_validator("article")
    @classmethod
    def _article_range(cls, v: int | str) -> int | str:
        if isinstance(v, int) and not 1 <= v <= 113:
            raise ValueError("article number must be 1..113")
        return v


class NoCounterpart(Strict):
    article: ArticleRef
    paragraph: Annotated[str, Field(pattern=PARAGRAPH.pattern)] | None = None
    reason: str = Field(min_length=1)


class Crosswalk(Strict):
    meta: Meta
    mappings: list[Mapping]
    no_counterpart: list[NoCounterpart]


def article_number(ref: int | str) -> str:
    """The graph's Article.number for a crosswalk reference: '14' or 'Annex III'."""
    return str(ref)


def article_id(ref: int | str) -> str:
    if isinstance(ref, int):
        return f"AIA-{ref}"
    return "AIA-ANNEX-" + ref.removeprefix("Annex ")


def clause_id(number: str) -> str:
    return f"ISO42001-{number}"


def clause_sort_key(number: str) -> str:
    """'6.1.2' -> '006.001.002'; 'A.6.2.10' -> 'A.006.002.010' (clauses before Annex A)."""
    prefix, rest = ("A.", number[2:]) if number.startswith("A.") else ("", number)
    return prefix + ".".join(f"{int(p):03d}" for p in rest.split("."))


def roman_value(numeral: str) -> int:
    return ROMAN.index(numeral) + 1
