"""Load the shipped regulatory catalogs and the crosswalk: validate all three, then write once.

Every problem in every file is collected (file, line, field, value, reason) before anything is
written; the write is one batch, so one transaction; re-running it changes nothing.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from graph.applicability import ArticleFacts
from graph.errors import LoadValidationError, RowError
from graph.stores import EdgeRows, NodeRows, Store, Unlink, WriteBatch
from loaders.applicability import (
    APPLICABILITY_FILE,
    ApplicabilityFile,
    article_facts,
    article_notes,
    parse_applicability,
)
from loaders.catalog_models import (
    AiActCatalog,
    Crosswalk,
    IsoCatalog,
    article_id,
    article_number,
    clause_id,
    clause_sort_key,
    roman_value,
)
from loaders.yaml_lines import line_for, load_yaml, strip_lines

CATALOG_DIR = Path(__file__).resolve().parent / "catalog"
AI_ACT_FILE = CATALOG_DIR / "eu_ai_act.yaml"
ISO_FILE = CATALOG_DIR / "iso42001.yaml"
CROSSWALK_FILE = CATALOG_DIR / "crosswalk.yaml"

M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class Catalogs:
    ai_act: AiActCatalog
    iso: IsoCatalog
    crosswalk: Crosswalk
    # None: the shipped applicability rules (catalog/applicability.yaml)
    applicability: ApplicabilityFile | None = None

    def rules(self) -> ApplicabilityFile:
        return self.applicability or parse_applicability(APPLICABILITY_FILE)


def _parse(
    path: Path, model: type[M], errors: list[RowError], fast: bool = False
) -> tuple[M | None, dict[Any, int]]:
    try:
        raw = load_yaml(path, fast=fast)
    except LoadValidationError as e:
        errors.extend(e.errors)
        return None, {}
    data, lines = strip_lines(raw)
    try:
        return model.model_validate(data), lines
    except ValidationError as e:
        for err in e.errors():
            loc = tuple(err["loc"])
            value = err.get("input")
            shown = None if isinstance(value, dict | list) else repr(value)[:80]
            field = ".".join(str(p) for p in loc)
            errors.append(RowError(str(path), line_for(lines, loc), field, err["msg"], shown))
        return None, lines


def parse_catalogs(
    ai_act: Path = AI_ACT_FILE,
    iso: Path = ISO_FILE,
    crosswalk: Path = CROSSWALK_FILE,
    *,
    fast: bool = False,
) -> Catalogs:
    """Validate the three files and their cross-references; raise with every problem found."""
    errors: list[RowError] = []
    aia, aia_lines = _parse(ai_act, AiActCatalog, errors, fast)
    iso_cat, iso_lines = _parse(iso, IsoCatalog, errors, fast)
    cw, cw_lines = _parse(crosswalk, Crosswalk, errors, fast)
    if aia is not None:
        errors += _ai_act_problems(aia, str(ai_act), aia_lines)
    if iso_cat is not None:
        errors += _iso_problems(iso_cat, str(iso), iso_lines)
    if aia is not None and iso_cat is not None and cw is not None:
        errors += _crosswalk_problems(aia, iso_cat, cw, str(crosswalk), cw_lines)
    if errors or aia is None or iso_cat is None or cw is None:
        raise LoadValidationError(errors)
    return Catalogs(aia, iso_cat, cw, parse_applicability())


@cache
def shipped_catalogs() -> Catalogs:
    """The catalogs shipped in the package, parsed once per process (with libyaml)."""
    return parse_catalogs(fast=True)


@cache
def shipped_article_facts() -> list[ArticleFacts]:
    """The shipped articles with the shipped applicability rules (what SUBJECT_TO derives from)."""
    cats = shipped_catalogs()
    return article_facts(cats.ai_act, cats.rules())


def _dupes(values: list[Any]) -> set[Any]:
    return {v for v, n in Counter(values).items() if n > 1}


def _ai_act_problems(cat: AiActCatalog, f: str, lines: dict[Any, int]) -> list[RowError]:
    out = []
    for i, n in enumerate(cat.articles):
        if n.number in _dupes([a.number for a in cat.articles]):
            out.append(
                RowError(f, line_for(lines, ("articles", i)), "number", "duplicate", str(n.number))
            )
    sections = {(s.chapter, s.number) for s in cat.sections}
    chapters = {c.number for c in cat.chapters}
    for i, a in enumerate(cat.articles):
        if a.chapter not in chapters:
            out.append(
                RowError(
                    f, line_for(lines, ("articles", i)), "chapter", "unknown chapter", a.chapter
                )
            )
        if a.section is not None and (a.chapter, a.section) not in sections:
            msg = f"chapter {a.chapter} has no section {a.section}"
            out.append(RowError(f, line_for(lines, ("articles", i)), "section", msg))
    for i, x in enumerate(cat.annexes):
        if x.id != f"Annex {x.number}":
            out.append(
                RowError(f, line_for(lines, ("annexes", i)), "id", "must be 'Annex <number>'", x.id)
            )
    return out


def _iso_problems(cat: IsoCatalog, f: str, lines: dict[Any, int]) -> list[RowError]:
    out = []
    numbers = [c.number for c in cat.clauses]
    known = set(numbers)
    for i, c in enumerate(cat.clauses):
        line = line_for(lines, ("clauses", i))
        if c.number in _dupes(numbers):
            out.append(RowError(f, line, "number", "duplicate", c.number))
        if c.parent is not None and c.parent not in known:
            out.append(RowError(f, line, "parent", "unknown parent clause", c.parent))
        if (c.kind == "clause") == c.number.startswith("A."):
            out.append(RowError(f, line, "kind", f"{c.kind!r} does not fit number", c.number))
    return out


def _crosswalk_problems(
    aia: AiActCatalog, iso: IsoCatalog, cw: Crosswalk, f: str, lines: dict[Any, int]
) -> list[RowError]:
    out = []
    clauses = {c.number for c in iso.clauses}
    articles: set[int | str] = {a.number for a in aia.articles} | {x.id for x in aia.annexes}
    keys = [(m.clause, m.article, m.paragraph) for m in cw.mappings]
    for i, m in enumerate(cw.mappings):
        line = line_for(lines, ("mappings", i))
        if m.clause not in clauses:
            out.append(RowError(f, line, "clause", "unknown ISO/IEC 42001 number", m.clause))
        if m.article not in articles:
            out.append(RowError(f, line, "article", "unknown AI Act article", str(m.article)))
        if keys[i] in _dupes(keys):
            out.append(RowError(f, line, "clause", "pair listed twice", f"{m.clause}->{m.article}"))
    mapped = {(m.article, m.paragraph) for m in cw.mappings}
    for i, n in enumerate(cw.no_counterpart):
        line = line_for(lines, ("no_counterpart", i))
        if n.article not in articles:
            out.append(RowError(f, line, "article", "unknown AI Act article", str(n.article)))
        if (n.article, n.paragraph) in mapped:
            msg = "listed as having no counterpart but also mapped"
            out.append(RowError(f, line, "article", msg, f"{n.article} {n.paragraph or ''}"))
    return out


def catalog_batch(cats: Catalogs) -> WriteBatch:
    """The whole catalog as one write batch (the crosswalk replaces the previous one)."""
    aia, iso, cw = cats.ai_act, cats.iso, cats.crosswalk
    chapters = [
        {"id": f"AIA-CH-{c.number}", "number": c.number, "title": c.title, "kind": "chapter"}
        for c in aia.chapters
    ]
    chapters += [
        {
            "id": f"AIA-CH-{s.chapter}-S{s.number}",
            "number": f"{s.chapter}.{s.number}",
            "title": s.title,
            "kind": "section",
        }
        for s in aia.sections
    ]
    whole: dict[str, str] = {}
    parts: dict[str, list[str]] = {}
    for n in cw.no_counterpart:
        if n.paragraph is None:
            whole[article_id(n.article)] = n.reason
        else:
            parts.setdefault(article_id(n.article), []).append(f"{n.paragraph}: {n.reason}")
    notes = article_notes(cats.rules())
    articles = [
        {
            **a.model_dump(exclude={"number"}),
            "id": article_id(a.number),
            "number": str(a.number),
            "ordinal": a.number,
            "kind": "article",
            "no_counterpart_reason": whole.get(article_id(a.number)),
            "no_counterpart_paragraphs": parts.get(article_id(a.number), []),
            "not_standing": notes.get(a.number, (None, None))[0],
            "condition": notes.get(a.number, (None, None))[1],
        }
        for a in aia.articles
    ]
    articles += [
        {
            "id": article_id(x.id),
            "number": x.id,
            "ordinal": 1000 + roman_value(x.number),
            "kind": "annex",
            "title": x.title,
            "applies_from": x.applies_from,
            "applies_from_original": x.applies_from_original,
            "no_counterpart_reason": whole.get(article_id(x.id)),
            "no_counterpart_paragraphs": parts.get(article_id(x.id), []),
        }
        for x in aia.annexes
    ]
    clauses = [
        {
            "id": clause_id(c.number),
            "number": c.number,
            "sort_key": clause_sort_key(c.number),
            "title": c.title,
            "kind": c.kind,
        }
        for c in iso.clauses
    ]
    return WriteBatch(
        nodes=[
            NodeRows("Chapter", chapters),
            NodeRows("Article", articles),
            NodeRows("Clause", clauses),
        ],
        unlink=[Unlink("MAPS_TO", "Clause", "Article", [c["id"] for c in clauses])],
        edges=[
            EdgeRows(
                "PART_OF",
                "Chapter",
                "Chapter",
                [
                    {"src": f"AIA-CH-{s.chapter}-S{s.number}", "dst": f"AIA-CH-{s.chapter}"}
                    for s in aia.sections
                ],
            ),
            EdgeRows(
                "PART_OF",
                "Article",
                "Chapter",
                [
                    {
                        "src": article_id(a.number),
                        "dst": f"AIA-CH-{a.chapter}" + (f"-S{a.section}" if a.section else ""),
                    }
                    for a in aia.articles
                ],
            ),
            EdgeRows(
                "PART_OF",
                "Clause",
                "Clause",
                [
                    {"src": clause_id(c.number), "dst": clause_id(c.parent)}
                    for c in iso.clauses
                    if c.parent
                ],
            ),
            EdgeRows(
                "MAPS_TO",
                "Clause",
                "Article",
                [
                    {
                        "src": clause_id(m.clause),
                        "dst": article_id(m.article),
                        "paragraph": m.paragraph or "",
                        "relation": m.relation,
                        "rationale": m.rationale,
                        "confidence": m.confidence,
                        "source": m.source,
                    }
                    for m in cw.mappings
                ],
            ),
        ],
    )


def load_catalogs(store: Store, cats: Catalogs | None = None) -> dict[str, int]:
    """Write the catalogs in one transaction; return what was loaded, by kind."""
    cats = cats or shipped_catalogs()
    store.write(catalog_batch(cats))
    return {
        "articles": len(cats.ai_act.articles),
        "annexes": len(cats.ai_act.annexes),
        "iso_clauses": len(cats.iso.clauses),
        "crosswalk_pairs": len(cats.crosswalk.mappings),
        "no_counterpart": len(cats.crosswalk.no_counterpart),
    }


__all__ = [
    "Catalogs",
    "article_number",
    "catalog_batch",
    "load_catalogs",
    "parse_catalogs",
    "shipped_article_facts",
]
