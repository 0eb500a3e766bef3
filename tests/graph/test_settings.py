"""graph/settings.py: the environment's names, precedence, parsing and messages."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from graph.settings import FindingsSettings, MailSettings, Settings, SettingsError


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.upper().startswith(("CLAUSEGRAPH_", "NEO4J_")):
            monkeypatch.delenv(name)


def test_defaults_without_environment() -> None:
    s = Settings()
    assert (s.store_kind, s.db, s.neo4j_uri, s.cors_origins) == (
        "ladybug", Path("clausegraph.db"), None, ()
    )  # fmt: skip
    assert (s.connect_timeout_s, s.max_ingest_bytes, s.session_hours) == (30.0, 10 * 2**20, 8.0)


def test_environment_names_neo4j_aliases_and_case(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("clausegraph_db", "stores/x.db")  # names match case-insensitively
    monkeypatch.setenv("CLAUSEGRAPH_NEO4J_URI", "bolt://b:7687")
    monkeypatch.setenv("NEO4J_URI", "neo4j://a:7687")  # Neo4j's own name comes first
    monkeypatch.setenv("NEO4J_PASSWORD", "s3cret")
    monkeypatch.setenv("CLAUSEGRAPH_READ_CONNECTIONS", "3")
    monkeypatch.setenv("CLAUSEGRAPH_CORS_ORIGINS", '["https://a.example"]')
    monkeypatch.setenv("CLAUSEGRAPH_API_KEYS_FILE", "")  # empty counts as unset
    s = Settings()
    assert (s.db, s.neo4j_uri, s.store_kind) == (Path("stores/x.db"), "neo4j://a:7687", "neo4j")
    assert s.neo4j_password is not None and s.neo4j_password.get_secret_value() == "s3cret"
    assert "s3cret" not in repr(s)
    assert (s.read_connections, s.cors_origins, s.api_keys_file) == (
        3,
        ("https://a.example",),
        None,
    )


def test_given_values_win_over_the_environment_and_text_is_parsed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("CLAUSEGRAPH_DB", "stores/env.db")
    monkeypatch.setenv("CLAUSEGRAPH_MAX_INGEST_BYTES", "5")
    s = Settings(db="given.db", store="ladybug")  # type: ignore[arg-type]  # text is parsed
    assert (s.db, s.max_ingest_bytes) == (Path("given.db"), 5)


def test_every_problem_is_reported_in_pydantics_words(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLAUSEGRAPH_CONNECT_TIMEOUT_S", "0")
    monkeypatch.setenv("CLAUSEGRAPH_READ_CONNECTIONS", "lots")
    monkeypatch.setenv("CLAUSEGRAPH_STORE", "sqlite")
    monkeypatch.setenv("CLAUSEGRAPH_CORS_ORIGINS", "https://a.example")
    with pytest.raises(SettingsError) as e:
        Settings()
    assert e.value.problems == [
        "store: Input should be 'ladybug' or 'neo4j'",
        "connect_timeout_s: Input should be greater than 0",
        "read_connections: Input should be a valid integer, unable to parse string as an integer",
        'cors_origins: Input should be a JSON list of strings, e.g. ["https://a.example"]',
    ]


def test_the_store_and_its_uri_are_checked_together(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(SettingsError, match=r"^store 'neo4j' needs NEO4J_URI"):
        Settings(store="neo4j")
    monkeypatch.setenv("NEO4J_URI", "http://localhost:7474")
    with pytest.raises(SettingsError, match="NEO4J_URI scheme 'http' is not one of bolt,"):
        Settings()


def test_findings_and_mail_settings_read_their_prefixes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLAUSEGRAPH_FINDINGS_SLA_LOW_DAYS", "365")
    monkeypatch.setenv("CLAUSEGRAPH_FINDINGS_TRIAGE_OWNER", "ai-office")
    monkeypatch.setenv("CLAUSEGRAPH_SMTP_PORT", "2525")
    monkeypatch.setenv("CLAUSEGRAPH_SMTP_SECURITY", "none")
    policy, mail = FindingsSettings(), MailSettings()
    assert (policy.sla_days("low"), policy.triage_owner, policy.sla_days("high")) == (
        365, "ai-office", 30
    )  # fmt: skip
    assert (mail.port, mail.security, mail.host) == (2525, "none", None)
    monkeypatch.setenv("CLAUSEGRAPH_SMTP_SECURITY", "ssl")
    with pytest.raises(SettingsError, match="security: Input should be 'starttls', 'tls' or"):
        MailSettings()
    with pytest.raises(SettingsError, match="triage_owner: String should have at least 1"):
        FindingsSettings(triage_owner="")
