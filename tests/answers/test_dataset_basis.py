"""A dataset of a high-risk system: missing provenance is an AI Act gap dated by the system's
Chapter III date (Art. 10(2), 26(4)), but personal data without a legal basis is a GDPR Art. 6
gap in force today (GDPR applies from 25 May 2018, Art. 99(2)). A dataset missing both says both.
Loaded through the real loader into a real LadybugDB store (an organisation of our own)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from tests.factories import rule_gaps

TODAY = dt.date(2026, 12, 7)  # before Annex III systems' own date (2 Dec 2027)

CLINIC: dict[str, Any] = {
    "owners": [{"id": "dpo", "name": "Data Protection Officer"}],
    "datasets": [
        {"id": "ds-basis", "name": "Claims", "personal_data": True, "provenance": "claims DB",
         "owner": "dpo"},
        {"id": "ds-source", "name": "Scores", "personal_data": False, "owner": "dpo"},
        {"id": "ds-both", "name": "Notes", "personal_data": True, "owner": "dpo"},
        {"id": "ds-fine", "name": "Rules", "personal_data": True, "provenance": "rule book",
         "legal_basis": "GDPR Art. 6(1)(e)", "owner": "dpo"},
    ],
    "assets": [
        {"id": "eligibility", "name": "Eligibility scoring", "role": "provider",
         "risk_tier": "high", "annex_iii_area": "5(a)", "lifecycle": "production", "owner": "dpo",
         "datasets": ["ds-basis", "ds-source", "ds-both", "ds-fine"]},
    ],
}  # fmt: skip


def test_personal_data_without_a_legal_basis_is_in_force_today(tmp_path: Path) -> None:
    found = {g.subject: g for g in rule_gaps(tmp_path, CLINIC, "dataset_without_provenance", TODAY)}
    assert set(found) == {"ds-basis", "ds-source", "ds-both"}
    basis, source, both = found["ds-basis"], found["ds-source"], found["ds-both"]
    assert basis.in_force and basis.due == dt.date(2018, 5, 25)
    assert basis.message == "personal data with no legal basis recorded (GDPR Art. 6, in force)"
    assert not source.in_force and source.due == dt.date(2027, 12, 2)
    assert source.message.startswith("no provenance recorded")
    assert both.in_force and both.message.startswith(
        "no provenance recorded; personal data with no legal basis recorded"
    )
