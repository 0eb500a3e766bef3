"""The gap rules: each one named query plus the metadata a reviewer needs.

Severity ranks by legal consequence (Art. 99 fine tiers) and exposure:
``critical`` — a prohibited practice (Art. 99(3), up to EUR 35m / 7 %);
``high`` — an obligation whose breach is fined under Art. 99(4) or 101 (up to EUR 15m / 3 %),
or a system whose obligations cannot even be known (no tier, shadow AI);
``medium`` — the management system cannot show a control works (ISO/IEC 42001 9.1, 7.5);
``low`` — evidence hygiene. ``critical`` and ``high`` are *red-line*: `clausegraph gaps` exits 4.

Within a severity the table's order is the rank by legal consequence: a prohibited practice
first, then systems whose obligations cannot be known, then missing records the Act names (logs,
registration, FRIA, oversight, data governance, technical documentation), and last the broad
"applicable article with no control", which says only that no control is documented.
``graph.gaps.rank`` then orders by exposure (see there).

docs/gap-rules.md is generated from this table (`make docs`); a test fails when it is stale.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["critical", "high", "medium", "low"]
SEVERITY_RANK: dict[str, int] = {"critical": 0, "high": 1, "medium": 2, "low": 3}
RED_LINE = frozenset({"critical", "high"})


@dataclass(frozen=True)
class GapRule:
    id: str
    title: str
    severity: Severity
    legal_basis: str
    remediation: str
    route_to: str
    # The AI Act articles that put a system in the rule's scope: the rule reports a system (or
    # the datasets, evidence and incidents of a system) only when it is SUBJECT_TO one of them —
    # the same edges `coverage` and `trace` read — and the edge's date makes the gap due.
    articles: tuple[str, ...] = ()


RULES: tuple[GapRule, ...] = (
    GapRule("prohibited_practice_in_use", "Prohibited AI practice in use", "critical",
            "Art. 5(1); fines Art. 99(3)", "Stop using the system now and retire it; record the "
            "decommissioning evidence.", "asset owner and legal", ("AIA-5",)),
    # Not yet in use: Art. 2(8) leaves research, testing and development before a system is
    # placed on the market or put into service outside the Act, so no Art. 5 infringement (and
    # no Art. 99(3) fine) exists yet; but the system may never be placed on the market, put into
    # service or used, and testing it in real-world conditions is not excluded.
    GapRule("prohibited_practice_not_yet_in_use", "Prohibited AI practice planned or in "
            "development", "high", "Art. 5(1) (no placing on the market, putting into service "
            "or use); Art. 2(8) (development before that is outside the Act, real-world testing "
            "is not)", "Stop the project, or redesign it so that no Art. 5(1) practice remains, "
            "before any real-world test, purchase or release; record the decision.",
            "asset owner and legal", ("AIA-5",)),
    GapRule("asset_without_risk_tier", "AI system without a risk tier", "high",
            "Art. 6, Art. 5, Art. 50 (classification decides every other obligation)",
            "Classify the system (the gap proposes a tier where the recorded facts decide one) and "
            "record the assessment.",
            "asset owner"),
    GapRule("risk_tier_contradicts_facts", "Risk tier contradicts the inventory's facts",
            "high", "Art. 6(1)-(4), Art. 49(2) (the route to high-risk decides dates and duties)",
            "Correct the tier or the facts (annex_iii_area, annex_i); an Annex III system kept "
            "below high-risk needs its Art. 6(3) assessment and registration recorded as evidence "
            "concerning it.", "asset owner"),
    GapRule("discovered_asset_unowned", "Shadow AI found by discovery with no owner", "high",
            "Art. 4, Art. 26; ISO/IEC 42001 A.3.2", "Name an accountable owner, classify the "
            "system or switch it off.", "AI governance office"),
    GapRule("high_risk_without_logs", "High-risk system without log evidence", "high",
            "Art. 12, 19(1), 26(6)", "Enable automatic event logging and collect the logs as "
            "evidence.", "asset owner", ("AIA-12", "AIA-26")),
    GapRule("high_risk_stale_logs", "High-risk system whose newest log is too old", "high",
            "Art. 12, 19(1), 26(6)", "Collect current logs; check that logging still runs.",
            "asset owner", ("AIA-12", "AIA-26")),
    GapRule("log_retention_too_short", "High-risk system logs kept less than six months", "high",
            "Art. 19(1), 26(6)", "Keep logs at least six months (longer where law requires).",
            "evidence owner", ("AIA-19", "AIA-26")),
    GapRule("incident_not_notified", "Serious incident not notified in time", "high",
            "Art. 73(2)-(4): 15 days; 10 on death; 2 for widespread infringement or critical "
            "infrastructure", "Not yet notified: notify the market surveillance authority now "
            "and record the notification as evidence reporting the incident. Notified late: "
            "record why, and fix the escalation path so the next one is in time.",
            "asset owner and legal",
            ("AIA-73",)),
    GapRule("high_risk_without_registration", "High-risk system not registered (EU database; "
            "Annex III area 2 nationally)", "high", "Art. 49, 71", "Register the system "
            "(provider, or public-body deployer; Annex III area 2: with the national authority, "
            "Art. 49(5)) and record the registration.", "asset owner", ("AIA-49",)),
    GapRule("deployer_without_fria", "Fundamental rights impact assessment missing", "high",
            "Art. 27(1): public-law or public-service deployers; deployers of Annex III 5(b), 5(c)",
            "Carry out the FRIA before first use and notify the result (Art. 27(3)).",
            "asset owner and data protection officer", ("AIA-27",)),
    # Deployers only: Art. 26(2) has the deployer assign human oversight to competent people, and
    # records show it happens. A provider's Art. 14 duty is design (oversight measures built in or
    # specified for the deployer, Art. 14(3)), shown in the technical documentation (Annex IV
    # 2(e)) — not by records of oversight it does not carry out. A provider that uses its own
    # system states `own_use` and is its deployer too.
    GapRule("high_risk_without_oversight_records", "High-risk system without human-oversight "
            "records", "high", "Art. 26(2) (deployers; with Art. 14)", "Assign trained "
            "overseers and keep records of oversight.", "asset owner", ("AIA-26",)),
    GapRule("dataset_without_provenance", "Dataset of a high-risk system without provenance or "
            "legal basis", "high", "Art. 10(2) (providers), 26(4) (deployers controlling input "
            "data); GDPR Art. 6 (personal data without a legal basis: in force since 25 May "
            "2018, GDPR Art. 99(2), whatever the system's AI Act date)", "Document where the "
            "data comes from and, for personal data, the legal basis.",
            "dataset owner and data protection officer",
            ("AIA-10", "AIA-26")),
    GapRule("gpai_without_technical_documentation", "GPAI model without technical documentation",
            "high", "Art. 53(1)(a), Annex XI; fines Art. 101", "Draw up and keep the model's "
            "technical documentation.", "asset owner", ("AIA-53",)),
    GapRule("evidence_hash_mismatch", "Evidence file changed or missing since it was hashed",
            "high", "Art. 18, 19 (documentation and logs kept unaltered); ISO/IEC 42001 7.5.3",
            "Restore the original or re-issue the evidence with a new version and hash.",
            "evidence owner"),
    GapRule("article_without_control", "Applicable article with no control", "high",
            "The article itself; fines Art. 99(4)", "Implement a control that addresses the "
            "article (directly or via a mapped ISO/IEC 42001 control) and scope it to the system.",
            "AI governance office"),
    GapRule("asset_without_owner", "AI system without a named owner", "medium",
            "ISO/IEC 42001 5.3, A.3.2", "Name an accountable owner.", "AI governance office"),
    GapRule("control_without_owner", "Control without a named owner", "medium",
            "ISO/IEC 42001 5.3, A.3.2", "Name the control owner.", "AI governance office"),
    GapRule("dataset_without_owner", "Dataset without a named owner", "medium",
            "ISO/IEC 42001 A.7.2, A.3.2", "Name the dataset owner.", "AI governance office"),
    GapRule("evidence_without_owner", "Evidence without a named owner", "low",
            "ISO/IEC 42001 7.5.3", "Name who keeps the evidence.", "control owner"),
    GapRule("control_without_evidence", "Implemented control without evidence", "medium",
            "ISO/IEC 42001 9.1, 7.5", "Collect evidence that the control operates.",
            "control owner"),
    GapRule("evidence_expired", "Evidence past its valid-until date", "medium",
            "ISO/IEC 42001 7.5.3, 9.1", "Renew the evidence.", "evidence owner"),
    GapRule("evidence_stale", "Control's newest evidence older than its review period",
            "medium", "ISO/IEC 42001 9.1", "Collect fresh evidence for the control.",
            "control owner"),
    GapRule("evidence_without_version_or_hash", "Evidence without version or hash", "low",
            "ISO/IEC 42001 7.5.2, 7.5.3", "Record a version, and a sha256 for local files.",
            "evidence owner"),
)  # fmt: skip

RULES_BY_ID = {r.id: r for r in RULES}
RULE_RANK = {r.id: i for i, r in enumerate(RULES)}
