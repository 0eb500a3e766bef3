"""docker-compose.yml cannot be run here (no Docker engine); check what we can by parsing it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]


def compose() -> dict[str, Any]:
    data = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    assert isinstance(data, dict)
    return data


def test_neo4j_service_is_pinned_healthy_and_persistent() -> None:
    neo = compose()["services"]["neo4j"]
    image = neo["image"]
    assert image.startswith("neo4j:5.")
    assert image.split(":")[1] >= "5.26"
    assert "7687:7687" in neo["ports"]
    test = " ".join(neo["healthcheck"]["test"])
    assert "cypher-shell" in test and "RETURN 1" in test
    assert "neo4j-data:/data" in neo["volumes"]
    assert "neo4j-data" in compose()["volumes"]
    # The password is required from the environment, never defaulted.
    assert ":?" in neo["environment"]["NEO4J_AUTH"]


def test_api_waits_for_a_healthy_neo4j() -> None:
    api = compose()["services"]["api"]
    assert api["depends_on"]["neo4j"]["condition"] == "service_healthy"
    assert api["environment"]["NEO4J_URI"].startswith(("neo4j://", "bolt://"))
    assert api["command"][:2] == ["clausegraph", "serve"]
    assert (ROOT / "Dockerfile").is_file()
