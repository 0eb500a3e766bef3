"""The shipped catalogs: exact counts, sourced dates, resolvable crosswalk, clear errors.

Expected values here are written by hand from the official texts (Regulation (EU) 2024/1689,
OJ L of 12.7.2024; Art. 113 as amended by Regulation (EU) 2026/1744; the ISO/IEC 42001:2023
table of contents), not copied from the catalog files.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
import yaml

from graph.errors import LoadValidationError
from graph.stores import Store
from loaders.catalog import (
    AI_ACT_FILE,
    CROSSWALK_FILE,
    ISO_FILE,
    load_catalogs,
    parse_catalogs,
    shipped_catalogs,
)

ANNEX_A_CONTROLS = {
    "A.2.2", "A.2.3", "A.2.4", "A.3.2", "A.3.3", "A.4.2", "A.4.3", "A.4.4", "A.4.5", "A.4.6",
    "A.5.2", "A.5.3", "A.5.4", "A.5.5", "A.6.1.2", "A.6.1.3", "A.6.2.2", "A.6.2.3", "A.6.2.4",
    "A.6.2.5", "A.6.2.6", "A.6.2.7", "A.6.2.8", "A.7.2", "A.7.3", "A.7.4", "A.7.5", "A.7.6",
    "A.8.2", "A.8.3", "A.8.4", "A.8.5", "A.9.2", "A.9.3", "A.9.4", "A.10.2", "A.10.3", "A.10.4",
}  # fmt: skip

OFFICIAL_TITLES = {
    1: "Subject matter",
    4: "AI literacy",
    5: "Prohibited AI practices",
    6: "Classification rules for high-risk AI systems",
    9: "Risk management system",
    10: "Data and data governance",
    12: "Record-keeping",
    14: "Human oversight",
    26: "Obligations of deployers of high-risk AI systems",
    27: "Fundamental rights impact assessment for high-risk AI systems",
    49: "Registration",
    50: "Transparency obligations for providers and deployers of certain AI systems",
    53: "Obligations for providers of general-purpose AI models",
    73: "Reporting of serious incidents",
    99: "Penalties",
    113: "Entry into force and application",
}


def test_counts() -> None:
    cats = shipped_catalogs()
    assert sorted(a.number for a in cats.ai_act.articles) == list(range(1, 114))
    assert len(cats.ai_act.annexes) == 13
    assert len(cats.ai_act.chapters) == 13
    assert [a.area for a in cats.ai_act.annex_iii_areas] == list(range(1, 9))
    controls = {c.number for c in cats.iso.clauses if c.kind == "annex_a_control"}
    assert controls == ANNEX_A_CONTROLS
    objectives = {c.number for c in cats.iso.clauses if c.kind == "objective"}
    assert {o for o in objectives if o.count(".") == 1} == {f"A.{n}" for n in range(2, 11)}
    clauses = {c.number for c in cats.iso.clauses if c.kind == "clause"}
    assert {"4", "10", "6.1.1", "6.1.4", "7.5.3", "9.2.2", "9.3.3", "10.2"} <= clauses
    assert {c for c in clauses if "." not in c} == {str(n) for n in range(4, 11)}


def test_official_titles() -> None:
    titles = {a.number: a.title for a in shipped_catalogs().ai_act.articles}
    for number, title in OFFICIAL_TITLES.items():
        assert titles[number] == title, number


def test_amended_dates_differ_exactly_where_the_amending_act_says() -> None:
    """Reg. (EU) 2026/1744 Art. 1(40): Ch. III Sections 1-3 (Arts 6-27) deferred to 2 Dec 2027
    (Annex III) / 2 Aug 2028 (Annex I); Arts 102-110 from 27 Jul 2026."""
    arts = {a.number: a for a in shipped_catalogs().ai_act.articles}
    changed = {n for n, a in arts.items() if a.applies_from != a.applies_from_original}
    assert changed == set(range(6, 28)) | set(range(102, 111))
    for n in range(8, 28):
        assert arts[n].applies_from == dt.date(2027, 12, 2)
        assert arts[n].applies_from_original == dt.date(2026, 8, 2)
        assert arts[n].applies_from_annex_i == dt.date(2028, 8, 2)
        assert arts[n].applies_from_annex_i_original == dt.date(2027, 8, 2)
    for n in range(102, 111):
        assert arts[n].applies_from == dt.date(2026, 7, 27)
    assert arts[5].applies_from == dt.date(2025, 2, 2)
    assert arts[53].applies_from == dt.date(2025, 8, 2)
    assert arts[50].applies_from == dt.date(2026, 8, 2)
    assert arts[101].applies_from == dt.date(2026, 8, 2)  # excepted from the 2 Aug 2025 group


def test_key_numbers_are_data() -> None:
    nums = {k.id: k.value for k in shipped_catalogs().ai_act.key_numbers}
    assert nums["log_retention_min_months"] == 6
    assert nums["documentation_retention_years"] == 10
    assert nums["serious_incident_days"] == 15
    assert nums["serious_incident_death_days"] == 10
    assert nums["serious_incident_widespread_or_critical_days"] == 2
    fines = {p.basis: (p.max_eur, p.max_turnover_pct) for p in shipped_catalogs().ai_act.penalties}
    assert fines["Art. 99(3)"] == (35_000_000, 7)


def test_the_incident_clocks_default_is_the_catalogs() -> None:
    """Coverage reads graph/incident_clock.py's defaults, the gap report the catalog's numbers:
    they must agree, or Art. 73 coverage and the incident gap could disagree."""
    from api.session import gap_context
    from graph.incident_clock import DEADLINE_DAYS

    assert gap_context().incident_days == DEADLINE_DAYS


def test_required_articles_are_mapped_or_explicitly_without_counterpart() -> None:
    cw = shipped_catalogs().crosswalk
    decided = {m.article for m in cw.mappings} | {n.article for n in cw.no_counterpart}
    required = {4, 5, 50, 53, 54, 55, 72, 73} | set(range(8, 28))
    assert required <= decided
    whole = {n.article for n in cw.no_counterpart if n.paragraph is None}
    assert {5, 47, 48, 49} <= whole
    assert "presumption of conformity" in (cw.meta.legal_effect or "")


def test_every_file_has_a_sourced_header() -> None:
    cats = shipped_catalogs()
    for meta in (cats.ai_act.meta, cats.iso.meta, cats.crosswalk.meta):
        assert meta.source and meta.licence and meta.checked and meta.version


def test_load_is_idempotent_and_resolves_every_pair(store: Store) -> None:
    load_catalogs(store)
    first = store.counts()
    cats = shipped_catalogs()
    assert first["MAPS_TO(Clause->Article)"] == len(cats.crosswalk.mappings)
    assert first["Article"] == 113 + 13
    assert first["Clause"] == len(cats.iso.clauses)
    load_catalogs(store)
    assert store.counts() == first


def _broken_copy(tmp_path: Path, old: str, new: str) -> Path:
    path = tmp_path / "crosswalk.yaml"
    text = CROSSWALK_FILE.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def _line_of(path: Path, needle: str) -> int:
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            return n
    raise AssertionError(needle)


def test_unknown_clause_in_crosswalk_names_file_and_line(tmp_path: Path) -> None:
    first_clause = shipped_catalogs().crosswalk.mappings[0].clause
    bad = _broken_copy(tmp_path, f'- clause: "{first_clause}"', '- clause: "A.11.9"')
    with pytest.raises(LoadValidationError) as err:
        parse_catalogs(AI_ACT_FILE, ISO_FILE, bad)
    [e] = [e for e in err.value.errors if e.field == "clause"]
    assert e.file == str(bad) and e.value == "A.11.9" and e.row == _line_of(bad, "A.11.9")
    assert "unknown ISO/IEC 42001 number" in str(err.value)


def test_bad_relation_and_extra_field_are_both_reported(tmp_path: Path) -> None:
    bad = _broken_copy(tmp_path, "relation: related", "relation: kinda")
    text = bad.read_text(encoding="utf-8").replace(
        "confidence: medium", "confidence: medium\n    colour: red", 1
    )
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(LoadValidationError) as err:
        parse_catalogs(AI_ACT_FILE, ISO_FILE, bad)
    messages = [(e.field or "", e.message) for e in err.value.errors]
    assert any(f.endswith("relation") for f, _ in messages)
    assert any(f.endswith("colour") and "Extra inputs" in m for f, m in messages)


def test_non_utf8_and_malformed_yaml(tmp_path: Path) -> None:
    latin = tmp_path / "iso.yaml"
    latin.write_bytes(ISO_FILE.read_bytes() + "\n# caf\xe9\n".encode("latin-1"))
    with pytest.raises(LoadValidationError, match="not UTF-8"):
        parse_catalogs(AI_ACT_FILE, latin, CROSSWALK_FILE)
    broken = tmp_path / "aia.yaml"
    broken.write_text("meta: [unclosed\n", encoding="utf-8")
    with pytest.raises(LoadValidationError, match=r"aia\.yaml row 2: bad YAML"):
        parse_catalogs(broken, ISO_FILE, CROSSWALK_FILE)


def test_invalid_catalog_leaves_store_unchanged(store: Store, tmp_path: Path) -> None:
    load_catalogs(store)
    before = store.counts()
    bad = _broken_copy(tmp_path, "relation: intersect", "relation: equal-ish")
    with pytest.raises(LoadValidationError):
        load_catalogs(store, parse_catalogs(AI_ACT_FILE, ISO_FILE, bad))
    assert store.counts() == before


def test_changed_crosswalk_replaces_pairs(store: Store, tmp_path: Path) -> None:
    load_catalogs(store)
    data = yaml.safe_load(CROSSWALK_FILE.read_text(encoding="utf-8"))
    data["mappings"] = data["mappings"][:10]
    smaller = tmp_path / "crosswalk.yaml"
    smaller.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    shutil.copy(ISO_FILE, tmp_path / "iso.yaml")
    load_catalogs(store, parse_catalogs(AI_ACT_FILE, tmp_path / "iso.yaml", smaller))
    assert store.counts()["MAPS_TO(Clause->Article)"] == 10
