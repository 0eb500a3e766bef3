"""What OSCAL and SSSOM import share: located row errors, AI Act and ISO id parsing, and the
final validation of a crosswalk against the catalogs."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar, get_args

from pydantic import BaseModel, ValidationError

from graph.errors import LoadValidationError, RowError
from loaders import catalog_models as cm
from loaders.catalog import Catalogs, shipped_catalogs

M = TypeVar("M", bound=BaseModel)
Item = tuple["Loc", dict[str, Any]]
RELATIONS: tuple[str, ...] = get_args(cm.Relation)  # equal subset superset intersect related
CG = "urn:clausegraph:"
NOT_STATED = "not stated in the imported file"
META_TEXTS = ("licence", "source", "checked", "notes", "legal_effect")  # carried as props/slots


class Bad(ValueError):
    """One problem in one input row: the field (column or JSON sub-path) and the value."""

    def __init__(self, field: str, message: str, value: Any = None) -> None:
        super().__init__(message)
        self.field, self.value = field, value


@dataclass(frozen=True)
class Loc:
    """Where an imported row came from: a line (SSSOM) or a JSON path (OSCAL), and field names."""

    row: int | None
    base: str
    names: dict[str, str]

    def error(
        self, path: str, field: str, message: str, value: Any = None, raw: bool = False
    ) -> RowError:
        sub = field if raw else self.names.get(field, field)
        where = f"{self.base}.{sub}" if self.base and sub else self.base or sub
        return RowError(path, self.row, where, message, None if value is None else str(value)[:80])


def parse_row(errs: list[RowError], path: str, loc: Loc, parse: Callable[[], Any]) -> Any:
    try:
        return parse()
    except Bad as bad:
        errs.append(loc.error(path, bad.field, str(bad), bad.value, raw=True))
        return None


# -- ids ----------------------------------------------------------------------------------------
def paragraph_parts(paragraph: str | None) -> list[str]:
    """'1(a)(ii)' or '1.a.ii' -> ['1', 'a', 'ii']; '(c)' -> ['c']; None -> []."""
    return [p for p in re.split(r"[().]+", paragraph or "") if p]


def aia_ref(
    ref: Any, pattern: re.Pattern[str], field: str, shown: Any
) -> tuple[int | str, str | None]:
    match = pattern.match(ref) if isinstance(ref, str) else None
    if not match:
        raise Bad(field, "not an AI Act article, annex or paragraph id", shown)
    parts = paragraph_parts(match[3])
    num = parts[0] if parts and parts[0][0].isdigit() else ""
    paragraph = num + "".join(f"({p})" for p in parts[1 if num else 0 :])
    return (int(match[1]) if match[1] else f"Annex {match[2]}"), paragraph or None


def iso_ref(ref: Any, prefix: str, field: str, shown: Any) -> str:
    number = ref.removeprefix(prefix) if isinstance(ref, str) and ref.startswith(prefix) else ""
    if not cm.ISO_NUMBER.match(number):
        raise Bad(field, "not an ISO/IEC 42001 clause or control id", shown)
    return number


# -- checks shared by both formats ---------------------------------------------------------------
def validated(
    model: type[M], items: list[Item], path: str, errs: list[RowError]
) -> list[tuple[Loc, M]]:
    out: list[tuple[Loc, M]] = []
    for loc, data in items:
        try:
            out.append(
                (loc, model.model_validate({k: v for k, v in data.items() if v is not None}))
            )
        except ValidationError as e:
            for err in e.errors():
                value = None if isinstance(err.get("input"), dict | list) else err.get("input")
                errs.append(
                    loc.error(path, str(err["loc"][0]) if err["loc"] else "", err["msg"], value)
                )
    return out


def finish(
    meta: Item,
    rows: list[Item],
    gaps: list[Item],
    path: str,
    errs: list[RowError],
    cats: Catalogs | None,
) -> cm.Crosswalk:
    """Validate the rows and meta, check ids against the catalogs, and build the crosswalk."""
    loc, data = meta
    defaults = {"licence": NOT_STATED, "checked": NOT_STATED, "source": [NOT_STATED]}
    data = {k: v for k, v in data.items() if v not in (None, "")}
    metas = validated(cm.Meta, [(loc, defaults | data)], path, errs)
    maps = validated(cm.Mapping, rows, path, errs)
    nocp = validated(cm.NoCounterpart, gaps, path, errs)
    cats = cats or shipped_catalogs()
    clauses = {c.number for c in cats.iso.clauses}
    articles = {a.number for a in cats.ai_act.articles} | {x.id for x in cats.ai_act.annexes}
    keys = [(m.clause, m.article, m.paragraph) for _, m in maps]
    for i, (at, m) in enumerate(maps):
        if m.clause not in clauses:
            errs.append(at.error(path, "clause", "unknown ISO/IEC 42001 number", m.clause))
        if keys[i] in keys[:i]:
            errs.append(at.error(path, "clause", "pair listed twice", f"{m.clause} {m.article}"))
    mapped = {(m.article, m.paragraph) for _, m in maps}
    both: list[tuple[Loc, cm.Mapping | cm.NoCounterpart]] = [*maps, *nocp]
    for at, x in both:
        if x.article not in articles:
            errs.append(at.error(path, "article", "unknown AI Act article or annex", x.article))
        if isinstance(x, cm.NoCounterpart) and (x.article, x.paragraph) in mapped:
            errs.append(at.error(path, "article", "no counterpart, yet also mapped", x.article))
    if errs or not metas:
        raise LoadValidationError(errs)
    return cm.Crosswalk(
        meta=metas[0][1], mappings=[m for _, m in maps], no_counterpart=[n for _, n in nocp]
    )
