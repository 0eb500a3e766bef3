"""Small, hand-checkable graphs for store and query tests.

The expected answers in the tests are worked out by hand from these rows; keep them small.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from api.session import Clausegraph
from graph.gaps import Gap
from graph.stores import EdgeRows, NodeRows, WriteBatch
from graph.stores.ladybug_store import LadybugStore


def tiny_graph() -> WriteBatch:
    """Two articles, two clauses, three assets, two owners, two controls, two evidence items.

    Hand-computed facts:
    * assets without an owner (not retired): A-2  (A-1 owned, A-3 retired)
    * implemented controls without evidence: C-2  (C-1 has E-1; C-3 is planned)
    * crosswalk: A.6.2.6 -> 14 (subset), 9.1 -> 14 paragraph 4 (related), A.6.2.8 -> 12 (subset)
    """
    d = dt.date
    return WriteBatch(
        nodes=[
            NodeRows(
                "Article",
                [
                    {
                        "id": "AIA-12",
                        "number": "12",
                        "ordinal": 12,
                        "kind": "article",
                        "title": "Record-keeping",
                        "chapter": "III",
                        "section": 2,
                        "binds": ["provider"],
                        "tiers": ["high"],
                        "applies_from": d(2027, 12, 2),
                        "applies_from_original": d(2026, 8, 2),
                    },
                    {
                        "id": "AIA-14",
                        "number": "14",
                        "ordinal": 14,
                        "kind": "article",
                        "title": "Human oversight",
                        "chapter": "III",
                        "section": 2,
                        "binds": ["provider"],
                        "tiers": ["high"],
                        "applies_from": d(2027, 12, 2),
                        "applies_from_original": d(2026, 8, 2),
                    },
                    {
                        "id": "AIA-ANNEX-III",
                        "number": "Annex III",
                        "ordinal": 1003,
                        "kind": "annex",
                        "title": "High-risk AI systems referred to in Article 6(2)",
                    },
                ],
            ),
            NodeRows(
                "Clause",
                [
                    {
                        "id": "ISO42001-9.1",
                        "number": "9.1",
                        "sort_key": "009.001",
                        "title": "Monitoring, measurement, analysis and evaluation",
                        "kind": "clause",
                    },
                    {
                        "id": "ISO42001-A.6.2.6",
                        "number": "A.6.2.6",
                        "sort_key": "A.006.002.006",
                        "title": "AI system operation and monitoring",
                        "kind": "annex_a_control",
                    },
                    {
                        "id": "ISO42001-A.6.2.8",
                        "number": "A.6.2.8",
                        "sort_key": "A.006.002.008",
                        "title": "AI system recording of event logs",
                        "kind": "annex_a_control",
                    },
                ],
            ),
            NodeRows(
                "Asset",
                [
                    {
                        "id": "A-1",
                        "name": "CV screener",
                        "lifecycle": "production",
                        "risk_tier": "high",
                        "in_eu": True,
                    },
                    {
                        "id": "A-2",
                        "name": "Chatbot",
                        "lifecycle": "production",
                        "risk_tier": "limited",
                    },
                    {"id": "A-3", "name": "Old scorer", "lifecycle": "retired"},
                ],
            ),
            NodeRows(
                "Owner",
                [
                    {"id": "O-1", "name": "Ada Lovelace", "email": "ada@example.org", "team": "HR"},
                    {"id": "O-2", "name": "Alan Turing"},
                ],
            ),
            NodeRows(
                "Control",
                [
                    {
                        "id": "C-1",
                        "name": "Oversight procedure",
                        "status": "implemented",
                        "review_every_days": 180,
                    },
                    {"id": "C-2", "name": "Log retention", "status": "implemented"},
                    {"id": "C-3", "name": "Bias testing", "status": "planned"},
                ],
            ),
            NodeRows(
                "Evidence",
                [
                    {
                        "id": "E-1",
                        "kind": "oversight_record",
                        "title": "Q3 oversight review",
                        "collected_on": d(2026, 9, 30),
                        "valid_until": d(2027, 3, 31),
                        "version": "1",
                    },
                ],
            ),
        ],
        edges=[
            EdgeRows(
                "MAPS_TO",
                "Clause",
                "Article",
                [
                    {
                        "src": "ISO42001-A.6.2.6",
                        "dst": "AIA-14",
                        "paragraph": "",
                        "relation": "subset",
                        "rationale": "r1",
                        "confidence": "medium",
                        "source": "t",
                    },
                    {
                        "src": "ISO42001-9.1",
                        "dst": "AIA-14",
                        "paragraph": "4",
                        "relation": "related",
                        "rationale": "r2",
                        "confidence": "low",
                        "source": "t",
                    },
                    {
                        "src": "ISO42001-A.6.2.8",
                        "dst": "AIA-12",
                        "paragraph": "",
                        "relation": "subset",
                        "rationale": "r3",
                        "confidence": "high",
                        "source": "t",
                    },
                ],
            ),
            EdgeRows("OWNED_BY", "Asset", "Owner", [{"src": "A-1", "dst": "O-1"}]),
            EdgeRows("OWNED_BY", "Control", "Owner", [{"src": "C-1", "dst": "O-2"}]),
            EdgeRows(
                "IMPLEMENTS",
                "Control",
                "Clause",
                [
                    {"src": "C-1", "dst": "ISO42001-A.6.2.6"},
                    {"src": "C-2", "dst": "ISO42001-A.6.2.8"},
                ],
            ),
            EdgeRows("APPLIES_TO", "Control", "Asset", [{"src": "C-1", "dst": "A-1"}]),
            EdgeRows("SUPPORTS", "Evidence", "Control", [{"src": "E-1", "dst": "C-1"}]),
            EdgeRows("CONCERNS", "Evidence", "Asset", [{"src": "E-1", "dst": "A-1"}]),
        ],
    )


def tiny_counts() -> dict[str, int]:
    """Non-zero counts after writing :func:`tiny_graph` (by hand)."""
    return {
        "Article": 3,
        "Clause": 3,
        "Asset": 3,
        "Owner": 2,
        "Control": 3,
        "Evidence": 1,
        "MAPS_TO(Clause->Article)": 3,
        "OWNED_BY(Asset->Owner)": 1,
        "OWNED_BY(Control->Owner)": 1,
        "IMPLEMENTS(Control->Clause)": 2,
        "APPLIES_TO(Control->Asset)": 1,
        "SUPPORTS(Evidence->Control)": 1,
        "CONCERNS(Evidence->Asset)": 1,
    }


def organisation(folder: Path, inventory: dict[str, Any], name: str = "org") -> Clausegraph:
    """A real LadybugDB store under ``folder`` with the shipped catalogs and ``inventory`` (one
    JSON document, loaded through the real loader); close ``.store`` when done."""
    (folder / "inventory.json").write_text(json.dumps(inventory))
    store = LadybugStore(folder / f"{name}.db")
    store.apply_schema()
    cg = Clausegraph(store)
    cg.load_catalogs()
    cg.load_inventory(folder / "inventory.json")
    return cg


def rule_gaps(
    folder: Path, inventory: dict[str, Any], rule: str, day: dt.date, name: str = "org"
) -> list[Gap]:
    """The gaps of one rule on ``day`` for ``inventory`` loaded as by :func:`organisation`."""
    cg = organisation(folder, inventory, name)
    try:
        return [g for g in cg.gaps(day) if g.rule == rule]
    finally:
        cg.store.close()
