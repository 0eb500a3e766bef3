"""Settings, read from the environment when (and only when) a command or app asks for them.

Neo4j's own variable names (``NEO4J_URI``, ``NEO4J_USERNAME``, ``NEO4J_PASSWORD``,
``NEO4J_DATABASE``) are honoured, as Neo4j's tools use them; everything else is
``CLAUSEGRAPH_*``. The store is Neo4j when a URI is set and the embedded LadybugDB otherwise.

Frozen dataclasses, not pydantic-settings: importing pydantic and pydantic-settings cost every
CLI command ≈ 100 ms of start-up (docs/performance.md). A field not given is read from the
environment (names matched case-insensitively, an empty value counts as unset), else takes its
default; text, from the environment or a caller, is parsed to the field's type; every value is
checked, and all problems are reported together (:class:`SettingsError`).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, ClassVar, Literal

DateReading = Literal["practical", "literal"]
NEO4J_SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")

Parse = Callable[[str], Any]
Check = Callable[[Any], str | None]  # a problem, or None


class SettingsError(ValueError):
    """Settings that do not validate: ``problems`` are ``"field: message"`` lines."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems))


class Secret:
    """A password or key: never shown by ``repr``/``str``."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def get_secret_value(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "Secret('**********')"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)


_FROM_ENV: Any = object()  # a field's dataclass default: "not given, read the environment"


def setting(
    default: Any,
    doc: str = "",
    *,
    env: tuple[str, ...] = (),
    parse: Parse = str,
    check: Check | None = None,
) -> Any:
    """A settings field: ``env`` names its variables (first set wins; default: the class's
    prefix + the field's name), ``parse`` turns text into its type (ValueError says why not)."""
    spec = {"default": default, "env": env, "parse": parse, "check": check, "doc": doc}
    return field(default=_FROM_ENV, metadata=spec)


# -- parsers and checks; messages as pydantic words them, which the docs and users know ------
def _number(kind: type[int] | type[float], message: str) -> Parse:
    def parse(text: str) -> Any:
        try:
            return kind(text)
        except ValueError:
            raise ValueError(message) from None

    return parse


_int = _number(int, "Input should be a valid integer, unable to parse string as an integer")
_float = _number(float, "Input should be a valid number, unable to parse string as a number")


def _between(gt: float | None = None, ge: float | None = None, le: float | None = None) -> Check:
    def check(value: Any) -> str | None:
        if value is None:
            return None
        if gt is not None and not value > gt:
            return f"Input should be greater than {gt}"
        if ge is not None and not value >= ge:
            return f"Input should be greater than or equal to {ge}"
        if le is not None and not value <= le:
            return f"Input should be less than or equal to {le}"
        return None

    return check


def _one_of(*choices: str) -> Check:
    quoted = [repr(c) for c in choices]
    words = ", ".join(quoted[:-1]) + " or " + quoted[-1]
    return lambda value: None if value is None or value in choices else f"Input should be {words}"


def _not_empty(value: Any) -> str | None:
    return None if value else "String should have at least 1 character"


def _json_strings(text: str) -> tuple[str, ...]:
    try:
        value = json.loads(text)
    except ValueError:
        value = None
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError('Input should be a JSON list of strings, e.g. ["https://a.example"]')
    return tuple(value)


@dataclass(frozen=True)
class _EnvSettings:
    """The shared reading and checking of the dataclasses below."""

    prefix: ClassVar[str] = "CLAUSEGRAPH_"

    def __post_init__(self) -> None:
        env = {k.upper(): v for k, v in os.environ.items() if v != ""}
        problems = []
        for f in fields(self):
            spec, value = f.metadata, getattr(self, f.name)
            if value is _FROM_ENV:
                names = spec["env"] or (self.prefix + f.name.upper(),)
                value = next((env[n] for n in names if n in env), spec["default"])
            try:
                if isinstance(value, str) and spec["parse"] is not str:
                    value = spec["parse"](value)
            except ValueError as e:
                problems.append(f"{f.name}: {e}")
                continue
            problem = spec["check"](value) if spec["check"] else None
            if problem:
                problems.append(f"{f.name}: {problem}")
            object.__setattr__(self, f.name, value)
        if not problems:
            problems = self._whole_problems()
        if problems:
            raise SettingsError(problems)

    def _whole_problems(self) -> list[str]:
        """Problems of the settings taken together (each field is fine on its own)."""
        return []


@dataclass(frozen=True)
class Settings(_EnvSettings):
    store: Literal["ladybug", "neo4j"] | None = setting(
        None, "Which store; default: neo4j if NEO4J_URI is set, else ladybug.",
        check=_one_of("ladybug", "neo4j"),
    )  # fmt: skip
    db: Path = setting(Path("clausegraph.db"), "LadybugDB database path.", parse=Path)
    neo4j_uri: str | None = setting(None, env=("NEO4J_URI", "CLAUSEGRAPH_NEO4J_URI"))
    neo4j_username: str = setting("neo4j", env=("NEO4J_USERNAME", "CLAUSEGRAPH_NEO4J_USERNAME"))
    neo4j_password: Secret | None = setting(
        None, env=("NEO4J_PASSWORD", "CLAUSEGRAPH_NEO4J_PASSWORD"), parse=Secret
    )
    neo4j_database: str = setting("neo4j", env=("NEO4J_DATABASE", "CLAUSEGRAPH_NEO4J_DATABASE"))
    connect_timeout_s: float = setting(
        30.0, "Wait for Neo4j this long.", parse=_float, check=_between(gt=0)
    )
    read_connections: int | None = setting(
        None, "LadybugDB read connections run in parallel; default: one per core, 2 to 8.",
        parse=_int, check=_between(ge=1, le=64),
    )  # fmt: skip
    api_keys_file: Path | None = setting(
        None, "JSON file of hashed API keys (see `clausegraph keys create`).", parse=Path
    )
    max_ingest_bytes: int = setting(
        10 * 2**20, "Largest ingest body.", parse=_int, check=_between(gt=0)
    )
    session_secret: Secret | None = setting(
        None, "Signs dashboard session cookies; default: random per process (a restart ends "
        "every browser session).", parse=Secret,
    )  # fmt: skip
    session_hours: float = setting(
        8.0, "Dashboard sessions end after this long.", parse=_float,
        check=_between(gt=0, le=24 * 7),
    )  # fmt: skip
    cors_origins: tuple[str, ...] = setting(
        (), "Origins allowed by CORS (a JSON list); empty = CORS off.", parse=_json_strings
    )
    date_reading: DateReading = setting(
        "practical", "Which application dates date a high-risk system's obligations: "
        "'practical' (its own Chapter III date, default) or 'literal' (each article's Art. 113 "
        "date).", check=_one_of("practical", "literal"),
    )  # fmt: skip

    def _whole_problems(self) -> list[str]:
        if self.store is None:
            object.__setattr__(self, "store", "neo4j" if self.neo4j_uri else "ladybug")
        if self.store == "neo4j":
            if not self.neo4j_uri:
                return ["store 'neo4j' needs NEO4J_URI (e.g. neo4j://localhost:7687)"]
            scheme = self.neo4j_uri.split("://", 1)[0]
            if scheme not in NEO4J_SCHEMES:
                return [f"NEO4J_URI scheme {scheme!r} is not one of {', '.join(NEO4J_SCHEMES)}"]
        return []

    @property
    def store_kind(self) -> Literal["ladybug", "neo4j"]:
        assert self.store is not None  # set by _whole_problems  # noqa: S101
        return self.store


@dataclass(frozen=True)
class FindingsSettings(_EnvSettings):
    """Remediation policy (docs/remediation.md): SLA days per severity, the triage owner and the
    longest risk acceptance. ``CLAUSEGRAPH_FINDINGS_*``; read when a command asks for them."""

    prefix: ClassVar[str] = "CLAUSEGRAPH_FINDINGS_"

    sla_critical_days: int = setting(
        7, "Days to fix a critical one.", parse=_int, check=_between(ge=1)
    )
    sla_high_days: int = setting(30, "Days to fix a high one.", parse=_int, check=_between(ge=1))
    sla_medium_days: int = setting(
        90, "Days to fix a medium one.", parse=_int, check=_between(ge=1)
    )
    sla_low_days: int = setting(180, "Days to fix a low one.", parse=_int, check=_between(ge=1))
    triage_owner: str = setting(
        "ai-governance-triage",
        "Who gets a finding when neither the rule nor the AI system names an owner.",
        check=_not_empty,
    )
    max_acceptance_days: int = setting(
        365, "The longest a risk acceptance may run.", parse=_int, check=_between(ge=1)
    )

    def _whole_problems(self) -> list[str]:
        days = [self.sla_critical_days, self.sla_high_days, self.sla_medium_days,
                self.sla_low_days]  # fmt: skip
        if days != sorted(days):
            return [
                "SLA days must not grow shorter as severity falls (critical <= high <= medium "
                f"<= low), got {days}"
            ]
        return []

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


@dataclass(frozen=True)
class MailSettings(_EnvSettings):
    """Where `clausegraph digest --send` mails the owners' digests. ``CLAUSEGRAPH_SMTP_*``."""

    prefix: ClassVar[str] = "CLAUSEGRAPH_SMTP_"

    host: str | None = setting(None, "SMTP server; unset: --send refuses.")
    port: int = setting(587, "SMTP port.", parse=_int, check=_between(ge=1, le=65535))
    security: Literal["starttls", "tls", "none"] = setting(
        "starttls", "starttls (upgrade a plain connection, port 587), tls (port 465) or none "
        "(only for a relay on loopback).", check=_one_of("starttls", "tls", "none"),
    )  # fmt: skip
    user: str | None = setting(None, "Login, if the server needs one.")
    password: Secret | None = setting(None, "Password for the login.", parse=Secret)
    sender: str = setting("clausegraph@localhost", "The From address.")
    timeout_s: float = setting(
        30.0, "Give up on the server after this.", parse=_float, check=_between(gt=0)
    )
