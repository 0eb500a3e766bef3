"""Art. 49(5): a high-risk system of Annex III area 2 (critical infrastructure) is registered at
national level, not in the EU database, and is not excepted from registration. Loaded through the
real loader into a real LadybugDB store (an organisation of our own: a grid operator)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from tests.factories import rule_gaps

AFTER = dt.date(2028, 1, 10)  # Annex III systems' own date (2 Dec 2027) has passed


def _asset(id: str, role: str, area: str, **kw: Any) -> dict[str, Any]:
    return {"id": id, "name": id, "role": role, "risk_tier": "high", "annex_iii_area": area,
            "lifecycle": "production", "owner": "ines"} | kw  # fmt: skip


GRID: dict[str, Any] = {
    "owners": [{"id": "ines", "name": "Ines Roth"}],
    "assets": [
        _asset("grid-balancer", "provider", "2"),
        _asset("grid-hiring", "provider", "4(a)"),
        _asset("grid-bought", "deployer", "2", public_body=True),
    ],
}


def test_area_2_provider_gets_a_national_registration_finding(tmp_path: Path) -> None:
    found = {g.asset: g for g in rule_gaps(tmp_path, GRID, "high_risk_without_registration", AFTER)}
    assert set(found) == {"grid-balancer", "grid-hiring"}  # a deployer of area 2 registers nothing
    assert "registered at national level, Art. 49(5)" in found["grid-balancer"].message
    assert "EU database" in found["grid-hiring"].message
    assert "national" not in found["grid-hiring"].message
