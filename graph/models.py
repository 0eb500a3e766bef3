"""The inventory model: an organisation's owners, AI systems, datasets, controls, evidence and
incidents, with the links between them. This is the contract of `load inventory`, `POST /ingest`
and docs/formats.md: ``extra="forbid"`` everywhere, so a misspelt column is an error, not a loss.

Each link is declared on the referring row (``evidence.supports`` lists control ids, ...).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
    StringConstraints,
)
from pydantic_core import CoreSchema, core_schema

ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$"
Id = Annotated[str, StringConstraints(pattern=ID_PATTERN)]
Text = Annotated[str, StringConstraints(max_length=4000)]
# `\S`: never matches after stripping (min_length does), but tells the JSON schema "not blank".
ShortText = Annotated[str, StringConstraints(min_length=1, max_length=300, pattern=r"\S")]

Role = Literal[
    "provider",
    "deployer",
    "importer",
    "distributor",
    "authorised_representative",
    "product_manufacturer",
]
RiskTier = Literal["prohibited", "high", "limited", "minimal", "gpai", "gpai_systemic"]
Lifecycle = Literal["planned", "development", "production", "retired"]
ControlStatus = Literal["planned", "implemented", "not_applicable"]
EvidenceKind = Literal[
    "log",
    "document",
    "technical_documentation",
    "test_report",
    "assessment",
    "fria",
    "registration",
    "notification",
    "training_record",
    "oversight_record",
    "conformity_declaration",
    "other",
]
Severity = Literal[
    "death", "critical_infrastructure", "widespread_infringement", "serious", "not_serious"
]


def _blank_to_none(value: object) -> object:
    """An empty cell or string means 'not given'."""
    if isinstance(value, str) and not value.strip():
        return None
    return value


def _blank_to_none_no_bool(value: object) -> object:
    """For a count of days: pydantic would read ``true`` as 1."""
    if isinstance(value, bool):
        raise ValueError("a number of days, not true/false")
    return _blank_to_none(value)


def _blank_to_true(value: object) -> object:
    return True if _blank_to_none(value) is None else value


def _blank_to_false(value: object) -> object:
    if value is None or (isinstance(value, str) and not value.strip()):
        return False
    return value


@dataclass(frozen=True)
class _Blank(BeforeValidator):
    """A value where a blank string (and, with ``null``, a JSON null) is read by ``func`` as
    absent, and the JSON schema says so: an API client (or a fuzzer) reading the OpenAPI
    document learns that "" is accepted, instead of finding out. Still a ``BeforeValidator``,
    so the columnar validator (loaders/inventory/validate_columnar.py) reads it as one."""

    null: bool = False

    def __get_pydantic_json_schema__(
        self, schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> dict[str, Any]:
        inner = handler(schema)
        extra: list[dict[str, Any]] = [
            {"type": "string", "pattern": r"^\s*$", "description": "blank: absent"}
        ]
        if self.null:
            extra.append({"type": "null"})
        if "anyOf" in inner:  # X | None: keep its title and default at the top
            return {**inner, "anyOf": [*inner["anyOf"], *extra]}
        rest: dict[str, Any] = {k: inner.pop(k) for k in ("title", "default") if k in inner}
        return {**rest, "anyOf": [inner, *extra]}


_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")


def _not_a_number(value: object) -> object:
    if isinstance(value, int | float) and not isinstance(value, bool):
        raise ValueError("a date is written YYYY-MM-DD, not as a number")
    if isinstance(value, str) and _NUMBER.fullmatch(value.strip()):
        raise ValueError(f"a date is written YYYY-MM-DD, not as a number ({value.strip()!r})")
    return value


@dataclass(frozen=True)
class IsoOnly:
    """A date must not be given as a number: pydantic alone reads ``0`` or ``"86400"`` as a
    Unix time (1970-01-01, 1970-01-02) and would put a wrong date in the register without a
    word. Not a ``BeforeValidator``, so the columnar validator, whose vectorised check takes
    YYYY-MM-DD only, can tell it from the blank-cell validators it reads."""

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        return core_schema.no_info_before_validator_function(_not_a_number, handler(source))


IsoDate = Annotated[dt.date, IsoOnly()]
Opt = _Blank(_blank_to_none)
OptDays = _Blank(_blank_to_none_no_bool)
Email = Annotated[str, StringConstraints(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$", max_length=254)]
AnnexIIIPoint = Annotated[str, StringConstraints(pattern=r"^[1-8](\([a-d]\))?$")]
# Art. 5(1) points, with (ba) and (bb) inserted by Reg. (EU) 2026/1744.
Art5Point = Literal["a", "b", "ba", "bb", "c", "d", "e", "f", "g", "h"]
Art50Paragraph = Annotated[str, StringConstraints(pattern=r"^[1-4]$")]
Uri = Annotated[str, StringConstraints(min_length=1, max_length=2000)]
Sha256 = Annotated[str, StringConstraints(pattern=r"^[0-9a-fA-F]{64}$", to_lower=True)]
Version = Annotated[str, StringConstraints(max_length=64)]
OptId = Annotated[Id | None, Opt]
OptText = Annotated[Text | None, Opt]
OptDate = Annotated[IsoDate | None, Opt]
Flag = Annotated[bool, _Blank(_blank_to_false, null=True)]


class Row(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)


class OwnerIn(Row):
    id: Id
    name: ShortText
    email: Annotated[Email | None, Opt] = None
    team: OptText = None


class AssetIn(Row):
    id: Id
    name: ShortText
    description: OptText = None
    role: Role
    risk_tier: Annotated[RiskTier | None, Opt] = None
    annex_iii_area: Annotated[AnnexIIIPoint | None, Opt] = Field(
        default=None, description="Annex III point, e.g. '4(a)' or '2'."
    )
    annex_i: Flag = False
    prohibited_practice: Annotated[Art5Point | None, Opt] = None
    transparency_use: Annotated[Art50Paragraph | None, Opt] = None
    lifecycle: Lifecycle
    in_eu: Annotated[bool, _Blank(_blank_to_true, null=True)] = True
    public_body: Flag = False
    # Art. 2(1) scope, point by point (None = not stated; in_eu then decides)
    eu_market: Annotated[bool | None, Opt] = None
    eu_deployer: Annotated[bool | None, Opt] = None
    eu_output: Annotated[bool | None, Opt] = None
    rebranded_or_modified: Flag = False
    own_use: Flag = False  # a provider using its own system: also its deployer (Art. 3(4))
    discovered: Flag = False
    owner: OptId = None
    datasets: list[Id] = Field(default_factory=list)


class DatasetIn(Row):
    id: Id
    name: ShortText
    personal_data: Flag = False
    provenance: OptText = None
    legal_basis: OptText = None
    jurisdictions: list[Annotated[str, StringConstraints(pattern=r"^[A-Z]{2,3}$")]] = Field(
        default_factory=list
    )
    owner: OptId = None


class ControlIn(Row):
    id: Id
    name: ShortText
    description: OptText = None
    status: ControlStatus
    review_every_days: Annotated[Annotated[int, Field(ge=1, le=3650)] | None, OptDays] = None
    owner: OptId = None
    implements: list[
        Annotated[str, StringConstraints(pattern=r"^(A\.)?\d{1,2}(\.\d{1,2}){0,2}$")]
    ] = Field(default_factory=list, description="ISO/IEC 42001 numbers, e.g. A.6.2.8 or 9.1.")
    addresses: list[Annotated[str, StringConstraints(pattern=r"^(\d{1,3}|Annex [IVX]{1,5})$")]] = (
        Field(default_factory=list, description="AI Act articles, e.g. 49 or 'Annex VIII'.")
    )
    applies_to: list[Id] = Field(default_factory=list)


class EvidenceIn(Row):
    id: Id
    title: ShortText
    kind: EvidenceKind
    uri: Annotated[Uri | None, Opt] = None
    sha256: Annotated[Sha256 | None, Opt] = None
    collected_on: IsoDate
    valid_until: OptDate = None
    retention_days: Annotated[Annotated[int, Field(ge=0, le=36500)] | None, OptDays] = None
    version: Annotated[Version | None, Opt] = None
    owner: OptId = None
    supports: list[Id] = Field(default_factory=list)
    concerns: list[Id] = Field(default_factory=list)
    reports: list[Id] = Field(default_factory=list)


class IncidentIn(Row):
    id: Id
    description: OptText = None
    assets: list[Id] = Field(min_length=1)
    severity: Severity
    occurred_on: IsoDate
    aware_on: IsoDate
    reported_on: OptDate = None


class Inventory(Row):
    """The whole model as one document (the JSON/YAML single-file form and the ingest body)."""

    owners: list[OwnerIn] = Field(default_factory=list)
    assets: list[AssetIn] = Field(default_factory=list)
    datasets: list[DatasetIn] = Field(default_factory=list)
    controls: list[ControlIn] = Field(default_factory=list)
    evidence: list[EvidenceIn] = Field(default_factory=list)
    incidents: list[IncidentIn] = Field(default_factory=list)


ENTITIES: dict[str, type[Row]] = {
    "owners": OwnerIn,
    "assets": AssetIn,
    "datasets": DatasetIn,
    "controls": ControlIn,
    "evidence": EvidenceIn,
    "incidents": IncidentIn,
}
LIST_FIELDS: dict[str, frozenset[str]] = {
    name: frozenset(
        f
        for f, info in model.model_fields.items()
        if getattr(info.annotation, "__origin__", None) is list
    )
    for name, model in ENTITIES.items()
}
