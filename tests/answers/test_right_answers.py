"""Issue 13's answers on an organisation of our own (Northwind), loaded through the real loader
into a real LadybugDB store: each test is one point a compliance officer raised."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from typer.testing import CliRunner

from api.cli import app
from api.session import Clausegraph
from graph.applicability import AssetFacts, derive
from graph.gap_table import table_rows
from graph.gaps import Gap
from loaders.catalog import shipped_article_facts
from tests.factories import organisation

DAY = dt.date(2026, 12, 4)
H = "ab" * 32


def _asset(id: str, role: str, tier: str | None, **kw: Any) -> dict[str, Any]:
    return {"id": id, "name": id.replace("-", " "), "role": role, "risk_tier": tier,
            "lifecycle": "production", "owner": "olga"} | kw  # fmt: skip


NORTHWIND: dict[str, Any] = {
    "owners": [{"id": "olga", "name": "Olga Ek"}],
    "assets": [
        _asset("nw-credit", "deployer", "high", annex_iii_area="5(b)"),
        _asset("nw-hire", "provider", "high", annex_iii_area="4(a)"),
        _asset("nw-lab", "provider", "high", annex_i=True),
        _asset("nw-llm", "provider", "gpai"),
        _asset("nw-frontier", "provider", "gpai_systemic"),
        _asset("nw-resold", "deployer", "high", annex_iii_area="4(a)", rebranded_or_modified=True),
        _asset(
            "nw-offshore",
            "provider",
            "high",
            annex_iii_area="4(a)",
            eu_market=False,
            eu_output=False,
        ),
        _asset("nw-import", "provider", "high", annex_iii_area="4(a)", in_eu=False, eu_output=True),
        _asset("nw-nudge", "deployer", "prohibited", prohibited_practice="ba"),
    ],
    "controls": [
        {
            "id": "C-OV",
            "name": "Human oversight",
            "status": "implemented",
            "owner": "olga",
            "addresses": ["14", "26"],
            "applies_to": ["nw-credit"],
        },
        {
            "id": "C-FR",
            "name": "FRIA process",
            "status": "implemented",
            "review_every_days": 365,
            "owner": "olga",
            "addresses": ["27"],
            "applies_to": ["nw-credit"],
        },
    ],
    "evidence": [
        {
            "id": "E-FRIA",
            "title": "FRIA credit 2025",
            "kind": "fria",
            "sha256": H,
            "version": "1",
            "collected_on": "2025-10-01",
            "valid_until": "2026-10-01",
            "owner": "olga",
            "supports": ["C-FR"],
            "concerns": ["nw-credit"],
        },
        {
            "id": "E-OV",
            "title": "Oversight record Nov",
            "kind": "oversight_record",
            "version": "1",
            "collected_on": "2026-11-20",
            "owner": "olga",
            "uri": "https://records.northwind.example/ov/11",
            "supports": ["C-OV"],
            "concerns": ["nw-credit"],
        },
    ],
}


@pytest.fixture(scope="module")
def nw(tmp_path_factory: pytest.TempPathFactory) -> Any:
    folder = tmp_path_factory.mktemp("northwind")
    cg = organisation(folder, NORTHWIND, "nw")
    yield cg, folder
    cg.store.close()


def gaps_of(cg: Clausegraph, day: dt.date = DAY) -> dict[str, Gap]:
    return {g.id: g for g in cg.gaps(day)}


def articles(asset: AssetFacts) -> dict[int, Any]:
    return {
        int(a.article.removeprefix("AIA-")): a for a in derive([asset], shipped_article_facts())
    }


def test_1_expired_fria_is_a_finding_on_the_system_and_article(nw: Any) -> None:
    cg, _ = nw
    gaps = gaps_of(cg, dt.date(2028, 1, 10))  # Art. 27 in force for an Annex III 5(b) deployer
    fria = [g for g in gaps.values() if g.asset == "nw-credit" and g.article == "27"]
    assert fria and "expired on 2026-10-01" in fria[0].message
    assert fria[0].severity == "high"
    # one fact, one finding: the item's own "evidence expired" row is folded into this one ...
    assert "evidence_expired:E-FRIA" not in gaps
    # ... and so is "the FRIA control's newest evidence is past its review period": same item
    assert not [g for g in gaps.values() if g.rule == "evidence_stale" and g.subject == "E-FRIA"]
    # ... but only where an in-force rule reports it: before Art. 27 applies, both stay
    before = gaps_of(cg, dt.date(2026, 11, 1))  # 396 days after collection, past 365
    assert "evidence_expired:E-FRIA" in before
    assert [g for g in before.values() if g.rule == "evidence_stale" and g.subject == "E-FRIA"]


def test_2_a_record_without_hash_is_flagged_and_only_partial(nw: Any) -> None:
    cg, _ = nw
    gaps = gaps_of(cg)
    assert "evidence_without_version_or_hash:E-OV" in gaps
    c = cg.coverage("nw-credit", "14", dt.date(2028, 1, 10))
    assert c["verdict"] == "partial" and "unverifiable" in c["weakest_link"]


def test_3_high_risk_only_articles_follow_the_systems_date() -> None:
    hire = articles(AssetFacts("h", "provider", "high", "production", annex_iii_area="4(a)"))
    lab = articles(AssetFacts("l", "provider", "high", "production", annex_i=True))
    for n in (43, 47, 48, 49, 72, 73):
        assert hire[n].applies_from == dt.date(2027, 12, 2), n
        assert hire[n].applies_from_literal == dt.date(2026, 8, 2), n
    assert lab[43].applies_from == dt.date(2028, 8, 2)
    assert hire[4].applies_from == hire[4].applies_from_literal == dt.date(2025, 2, 2)


def test_3_literal_reading_is_a_setting_and_rows_say_which(
    nw: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    cg, _ = nw
    practical = cg.coverage("nw-hire", "43", DAY)
    assert practical["applies_from"] == dt.date(2027, 12, 2) and not practical["in_force"]
    assert "practical reading" in practical["dated_by"]
    monkeypatch.setenv("CLAUSEGRAPH_DATE_READING", "literal")
    literal = cg.coverage("nw-hire", "43", DAY)
    assert literal["applies_from"] == dt.date(2026, 8, 2) and literal["in_force"]
    assert "literal reading" in literal["dated_by"]


def test_4_ai_literacy_is_one_finding_for_the_organisation(nw: Any) -> None:
    cg, _ = nw
    art4 = [g for g in gaps_of(cg).values() if g.article == "4"]
    assert [g.id for g in art4] == ["article_without_control:org:AIA-4"]
    assert {"nw-credit", "nw-hire"} <= set(art4[0].systems)
    assert "nw-llm" not in art4[0].systems  # a GPAI model is not an AI system (Art. 4)
    answer = cg.coverage("nw-llm", "4", DAY)
    assert answer["verdict"] == "not_applicable"
    assert "is a general-purpose AI model (tier gpai), not an AI system" in answer["reason"]


def test_5_articles_that_do_not_bind_the_system() -> None:
    llm = articles(AssetFacts("g", "provider", "gpai", "production"))
    frontier = articles(AssetFacts("s", "provider", "gpai_systemic", "production"))
    assert 51 not in llm and 52 not in llm and 53 in llm
    assert 52 in frontier and 55 in frontier
    deployer = AssetFacts("d", "deployer", "high", "production", annex_iii_area="4(a)")
    assert 25 not in articles(deployer)
    rebranded = AssetFacts("r", "deployer", "high", "production", annex_iii_area="4(a)",
                           rebranded_or_modified=True)  # fmt: skip
    assert 25 in articles(rebranded)
    assert 6 not in articles(AssetFacts("p", "provider", "high", "production",
                                        annex_iii_area="4(a)"))  # fmt: skip


def test_6_prohibited_practice_is_reported_once(nw: Any) -> None:
    cg, _ = nw
    about = [g.rule for g in gaps_of(cg).values() if g.asset == "nw-nudge" and g.article == "5"]
    assert about == ["prohibited_practice_in_use"]


def test_7_not_applicable_reasons_explain(nw: Any) -> None:
    cg, _ = nw
    c = cg.coverage("nw-hire", "27", DAY)
    assert c["verdict"] == "not_applicable"
    assert "Art. 27 binds deployer" in c["reason"]
    resold = cg.coverage("nw-resold", "27", DAY)
    assert "applies only where" in resold["reason"] and "meets none" in resold["reason"]
    assert "creates no standing obligation" in cg.coverage("nw-hire", "6", DAY)["reason"]
    assert "no risk tier" not in cg.coverage("nw-llm", "14", DAY)["reason"]
    ev = cg.coverage("nw-credit", "27", dt.date(2028, 1, 10))
    assert "stale" not in ev["weakest_link"] and "expired on 2026-10-01" in ev["weakest_link"]
    assert not any("evidence is no evidence" in (r["weakest_link"] or "")
                   for r in cg.trace("nw-hire", DAY))  # fmt: skip


def test_8_scope_three_ways_and_every_rule_follows_subject_to(nw: Any) -> None:
    cg, _ = nw
    assert articles(AssetFacts("o", "provider", "high", "production", annex_iii_area="4(a)",
                               eu_market=False, eu_output=False)) == {}  # fmt: skip
    imp = articles(AssetFacts("i", "provider", "high", "production", annex_iii_area="4(a)",
                              in_eu=False, eu_output=True))  # fmt: skip
    assert 14 in imp and "Art. 2(1)(c)" in imp[14].reason
    assert "territorial scope" in cg.coverage("nw-offshore", "14", DAY)["reason"]
    far = dt.date(2029, 1, 1)
    subject = {(r["asset"], r["article"].removeprefix("AIA-"))
               for r in cg.store.read("review.subject_to", asset="")}  # fmt: skip
    for g in cg.gaps(far):
        if g.asset and g.article and g.article.isdigit():
            assert (g.asset, g.article) in subject, g.id
    assert not [g for g in cg.gaps(far) if g.asset == "nw-offshore"]


def test_9_upcoming_gaps_do_not_gate(nw: Any) -> None:
    _cg, folder = nw
    result = CliRunner().invoke(
        app, ["--db", str(folder / "nw.db"), "gaps", "--as-of", "2026-12-04", "--format", "json"]
    )
    rows = json.loads(result.stdout)
    upcoming = [r for r in rows if not r["in_force"]]
    assert upcoming and all(r["due"] > "2026-12-04" for r in upcoming)
    red_now = [r for r in rows if r["in_force"] and r["severity"] in ("critical", "high")]
    assert result.exit_code == (4 if red_now else 0)


def test_10_table_folds_per_article_rows_and_shows_systems(nw: Any) -> None:
    cg, _ = nw
    gaps = cg.gaps(dt.date(2029, 1, 1))
    rows = table_rows(gaps)
    folded = [r for r in rows if "applicable articles have no control" in str(r["message"])]
    assert folded and all(r["systems"] for r in rows)
    per_article = [g for g in gaps if g.rule == "article_without_control" and g.asset]
    assert len(rows) < len(gaps) and len(per_article) > len(folded)
    for row in folded:  # the articles in the Act's order, not as text (8 before 16)
        listed = str(row["message"]).split("no control: ", 1)[1].split(" (detail", 1)[0]
        numbers = [int(n) for n in listed.split(", ") if n.isdigit()]
        assert numbers == sorted(numbers), listed


def test_11_art5_new_points_are_accepted_and_dated(nw: Any) -> None:
    cg, _ = nw
    c = cg.coverage("nw-nudge", "5", DAY)
    assert c["applies_from"] == dt.date(2026, 12, 2)
    assert not cg.coverage("nw-nudge", "5", dt.date(2026, 12, 1))["in_force"]


def test_an_empty_trace_says_why(nw: Any) -> None:
    """A system subject to nothing: the trace is empty and the CLI says why (scope, retired)."""
    cg, _ = nw
    assert cg.trace("nw-offshore", DAY) == []
    assert "territorial scope of Art. 2(1)" in cg.no_articles_reason("nw-offshore")
    assert "binds" not in cg.no_articles_reason("nw-offshore")
    from graph.coverage_answer import why_no_articles

    row = cg.store.read("coverage.subject", asset="nw-hire", article="")[0]
    assert "is retired" in why_no_articles(row | {"lifecycle": "retired"})
