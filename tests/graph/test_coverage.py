"""'What covers Article X for system Y' on the sample organisation: verdicts worked out by hand."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from api.session import Clausegraph
from graph.coverage import NotFound, article_key, evidence_freshness
from graph.stores import Store
from loaders.inventory import load_inventory

ACME = Path(__file__).resolve().parents[2] / "examples" / "acme"
DAY = dt.date(2026, 11, 25)

# (asset, article, verdict, why — from examples/acme/*.csv and the crosswalk, by hand)
CASES = [
    ("cv-screening", "14", "covered", "C-28 addresses Art. 14 directly, scoped to it, fresh E-048"),
    ("cv-screening", "12", "partial", "only C-16 via A.6.2.8, which is a subset of Art. 12"),
    ("cv-screening", "49", "covered", "C-32 addresses Art. 49, registration evidence E-057"),
    ("cv-screening", "8", "uncovered", "Art. 8 has only `related` ISO mappings, no direct control"),
    ("fraud-detection", "14", "not_applicable", "minimal-risk deployer: Art. 14 is high-risk only"),
    ("customer-chatbot", "50", "covered", "C-33 addresses Art. 50, disclosure evidence E-061"),
    ("credit-scoring", "86", "uncovered", "no ISO mapping and no control for Art. 86"),
    ("emotion-monitor", "14", "not_applicable", "prohibited tier: Chapter III does not apply"),
]


@pytest.fixture
def acme(store: Store) -> Clausegraph:
    load_inventory(store, ACME)
    return Clausegraph(store)


@pytest.mark.parametrize(("asset", "article", "verdict", "why"), CASES)
def test_verdicts(acme: Clausegraph, asset: str, article: str, verdict: str, why: str) -> None:
    assert acme.coverage(asset, article, DAY)["verdict"] == verdict, why


def test_answer_has_paths_freshness_owners_and_weakest_link(acme: Clausegraph) -> None:
    c = acme.coverage("cv-screening", "Art. 14", DAY)
    [direct] = [p for p in c["paths"] if p["via"] == "direct"]
    assert direct["control"] == "C-28" and direct["coverage"] == "full" and direct["state"] == "ok"
    assert {e["freshness"] for e in direct["evidence"]} >= {"fresh"}
    assert {"id": "jonas.becker", "of": "asset cv-screening"} in c["owners"]
    assert c["weakest_link"].startswith("evidence ")
    assert c["applies_from"] == dt.date(2027, 12, 2) and c["in_force"] is False


def test_stale_evidence_makes_coverage_partial(acme: Clausegraph) -> None:
    """Freshness propagates: a year later E-048 is older than C-28's review period."""
    later = acme.coverage("cv-screening", "14", dt.date(2027, 12, 2))
    assert later["verdict"] == "partial"
    assert "has only stale evidence" in later["weakest_link"]
    assert later["in_force"] is True


def test_unknown_ids(acme: Clausegraph) -> None:
    with pytest.raises(NotFound, match="no asset 'nope'"):
        acme.coverage("nope", "14", DAY)
    with pytest.raises(NotFound, match="no article '999'"):
        acme.coverage("cv-screening", "999", DAY)


def test_trace_lists_every_applicable_article(acme: Clausegraph) -> None:
    rows = acme.trace("customer-chatbot", DAY)
    assert [r["article"] for r in rows] == ["4", "50"]


@pytest.mark.parametrize(
    ("ref", "key"),
    [("14", "AIA-14"), ("Art. 14", "AIA-14"), ("aia-14", "AIA-14"), ("Annex III", "AIA-ANNEX-III")],
)
def test_article_references(ref: str, key: str) -> None:
    assert article_key(ref) == key


def test_evidence_freshness_rules() -> None:
    ev = {"collected_on": dt.date(2026, 1, 1), "valid_until": None, "file_status": "remote"}
    assert evidence_freshness(ev, 365, dt.date(2026, 12, 31))[0] == "fresh"
    assert evidence_freshness(ev, 365, dt.date(2027, 1, 2))[0] == "stale"
    expired = evidence_freshness(ev | {"valid_until": dt.date(2026, 6, 1)}, None, DAY)
    assert expired == ("expired", "expired on 2026-06-01")  # expired is not "stale"
    record = ev | {"kind": "oversight_record", "sha256": None, "version": "1"}
    assert evidence_freshness(record, None, dt.date(2026, 2, 1))[0] == "unverifiable"
    hashed = record | {"sha256": "ab" * 32}
    assert evidence_freshness(hashed, None, dt.date(2026, 2, 1))[0] == "fresh"
    assert evidence_freshness(ev | {"file_status": "changed"}, None, DAY)[0] == "stale"
