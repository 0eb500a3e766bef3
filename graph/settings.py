"""Settings, read from the environment when (and only when) a command or app asks for them.

Neo4j's own variable names (``NEO4J_URI``, ``NEO4J_USERNAME``, ``NEO4J_PASSWORD``,
``NEO4J_DATABASE``) are honoured, as Neo4j's tools use them; everything else is
``CLAUSEGRAPH_*``. The store is Neo4j when a URI is set and the embedded LadybugDB otherwise.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DateReading = Literal["practical", "literal"]
NEO4J_SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="CLAUSEGRAPH_", env_ignore_empty=True, extra="ignore", frozen=True
    )

    store: Literal["ladybug", "neo4j"] | None = Field(
        default=None, description="Which store; default: neo4j if NEO4J_URI is set, else ladybug."
    )
    db: Path = Field(
        default=Path("clausegraph.db"),
        description="LadybugDB database path (CLAUSEGRAPH_DB).",
    )
    neo4j_uri: str | None = Field(
        default=None, validation_alias=AliasChoices("NEO4J_URI", "CLAUSEGRAPH_NEO4J_URI")
    )
    neo4j_username: str = Field(
        default="neo4j",
        validation_alias=AliasChoices("NEO4J_USERNAME", "CLAUSEGRAPH_NEO4J_USERNAME"),
    )
    neo4j_password: SecretStr | None = Field(
        default=None,
        validation_alias=AliasChoices("NEO4J_PASSWORD", "CLAUSEGRAPH_NEO4J_PASSWORD"),
    )
    neo4j_database: str = Field(
        default="neo4j",
        validation_alias=AliasChoices("NEO4J_DATABASE", "CLAUSEGRAPH_NEO4J_DATABASE"),
    )
    connect_timeout_s: float = Field(default=30.0, gt=0, description="Wait for Neo4j this long.")
    read_connections: int | None = Field(
        default=None,
        ge=1,
        le=64,
        description="LadybugDB read connections run in parallel; default: one per core, 2 to 8.",
    )
    api_keys_file: Path | None = Field(
        default=None, description="JSON file of hashed API keys (see `clausegraph keys create`)."
    )
    max_ingest_bytes: int = Field(default=10 * 2**20, gt=0, description="Largest ingest body.")
    session_secret: SecretStr | None = Field(
        default=None,
        description="Signs dashboard session cookies; default: random per process (a restart "
        "ends every browser session).",
    )
    session_hours: float = Field(
        default=8, gt=0, le=24 * 7, description="Dashboard sessions end after this long."
    )
    cors_origins: list[str] = Field(
        default_factory=list, description="Origins allowed by CORS; empty = CORS off."
    )
    date_reading: DateReading = Field(
        default="practical",
        description="Which application dates date a high-risk system's obligations: 'practical' "
        "(its own Chapter III date, default) or 'literal' (each article's Art. 113 date).",
    )

    @model_validator(mode="after")
    def _check_store(self) -> Settings:
        if self.store is None:
            object.__setattr__(self, "store", "neo4j" if self.neo4j_uri else "ladybug")
        if self.store == "neo4j":
            if not self.neo4j_uri:
                raise ValueError("store 'neo4j' needs NEO4J_URI (e.g. neo4j://localhost:7687)")
            scheme = self.neo4j_uri.split("://", 1)[0]
            if scheme not in NEO4J_SCHEMES:
                raise ValueError(
                    f"NEO4J_URI scheme {scheme!r} is not one of {', '.join(NEO4J_SCHEMES)}"
                )
        return self

    @property
    def store_kind(self) -> Literal["ladybug", "neo4j"]:
        assert self.store is not None  # set by the validator  # noqa: S101
        return self.store


class FindingsSettings(BaseSettings):
    """Remediation policy (docs/remediation.md): SLA days per severity, the triage owner and the
    longest risk acceptance. ``CLAUSEGRAPH_FINDINGS_*``; read when a command asks for them."""

    model_config = SettingsConfigDict(
        env_prefix="CLAUSEGRAPH_FINDINGS_", env_ignore_empty=True, extra="ignore", frozen=True
    )

    sla_critical_days: int = Field(default=7, ge=1, description="Days to fix a critical one.")
    sla_high_days: int = Field(default=30, ge=1, description="Days to fix a high one.")
    sla_medium_days: int = Field(default=90, ge=1, description="Days to fix a medium one.")
    sla_low_days: int = Field(default=180, ge=1, description="Days to fix a low one.")
    triage_owner: str = Field(
        default="ai-governance-triage", min_length=1,
        description="Who gets a finding when neither the rule nor the AI system names an owner.",
    )  # fmt: skip
    max_acceptance_days: int = Field(
        default=365, ge=1, description="The longest a risk acceptance may run."
    )

    @model_validator(mode="after")
    def _red_line_shortest(self) -> FindingsSettings:
        days = [self.sla_critical_days, self.sla_high_days, self.sla_medium_days,
                self.sla_low_days]  # fmt: skip
        if days != sorted(days):
            raise ValueError(
                "SLA days must not grow shorter as severity falls (critical <= high <= medium "
                f"<= low), got {days}"
            )
        return self

    def sla_days(self, severity: str) -> int:
        return {"critical": self.sla_critical_days, "high": self.sla_high_days,
                "medium": self.sla_medium_days, "low": self.sla_low_days}[severity]  # fmt: skip


def date_reading_from_env() -> DateReading:
    """CLAUSEGRAPH_DATE_READING alone (the gap report needs no store settings)."""
    value = (os.environ.get("CLAUSEGRAPH_DATE_READING") or "practical").strip().lower()
    if value not in ("practical", "literal"):
        raise ValueError(
            f"CLAUSEGRAPH_DATE_READING must be 'practical' or 'literal', not {value!r}"
        )
    return "literal" if value == "literal" else "practical"


class MailSettings(BaseSettings):
    """Where `clausegraph digest --send` mails the owners' digests. ``CLAUSEGRAPH_SMTP_*``."""

    model_config = SettingsConfigDict(
        env_prefix="CLAUSEGRAPH_SMTP_", env_ignore_empty=True, extra="ignore", frozen=True
    )

    host: str | None = Field(default=None, description="SMTP server; unset: --send refuses.")
    port: int = Field(default=587, ge=1, le=65535, description="SMTP port.")
    security: Literal["starttls", "tls", "none"] = Field(
        default="starttls",
        description="starttls (upgrade a plain connection, port 587), tls (port 465) or none "
        "(only for a relay on loopback).",
    )
    user: str | None = Field(default=None, description="Login, if the server needs one.")
    password: SecretStr | None = Field(default=None, description="Password for the login.")
    sender: str = Field(default="clausegraph@localhost", description="The From address.")
    timeout_s: float = Field(default=30, gt=0, description="Give up on the server after this.")
