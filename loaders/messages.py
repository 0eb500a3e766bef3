"""Validation errors as sentences a person who wrote the file can act on.

pydantic's own messages name regular expressions ("String should match pattern
'^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$'") and types ("Input should be a valid string"). Here each
error type becomes a sentence, each pattern of graph/models.py a description of the form it
wants, and a number or flag where text is expected a hint to quote it (YAML and JSON read
``version: 1`` as a number). Used for inventory files, ``POST /ingest`` and request bodies.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from graph.models import ID_PATTERN

# Every StringConstraints pattern of graph/models.py, described. tests/loaders/test_messages.py
# fails when a model gains a pattern that is not described here.
PATTERNS: dict[str, str] = {
    ID_PATTERN: "an id: 1 to 64 letters, digits or . _ : - , starting with a letter or digit",
    r"^[^@\s]+@[^@\s]+\.[^@\s]+$": "an e-mail address such as name@example.org",
    r"^[1-8](\([a-d]\))?$": "an Annex III point such as 4 or 4(a) (areas 1 to 8, points a to d)",
    r"^[1-4]$": "an Art. 50 paragraph: 1, 2, 3 or 4",
    r"^[0-9a-fA-F]{64}$": "a SHA-256 digest: 64 hexadecimal characters",
    r"^[A-Z]{2,3}$": "a jurisdiction code in capitals, such as EU, DE or FR",
    r"^(A\.)?\d{1,2}(\.\d{1,2}){0,2}$": "an ISO/IEC 42001 number such as 9.1 or A.6.2.8",
    r"^(\d{1,3}|Annex [IVX]{1,5})$": "an AI Act article number such as 14, or an annex: Annex IV",
    r"\S": "text that is not blank",
}

_TEXT_TYPES = {"string_type"}
_SCALARS = (int, float, bool)


def _choices(ctx: Mapping[str, Any]) -> str:
    expected = str(ctx.get("expected", ""))
    return expected.replace("'", "") if expected else "one of the documented values"


def sentence(err: Mapping[str, Any]) -> str:
    """One pydantic error (an item of ``ValidationError.errors()``) as a sentence."""
    kind = str(err.get("type", ""))
    ctx: Mapping[str, Any] = err.get("ctx") or {}
    value = err.get("input")
    if kind in _TEXT_TYPES and isinstance(value, _SCALARS):
        return (f"should be text, but the file gives the {type(value).__name__} {value!r}: "
                f"quote it (\"{value}\")")  # fmt: skip
    if kind == "string_pattern_mismatch":
        pattern = str(ctx.get("pattern", ""))
        return f"should be {PATTERNS.get(pattern, 'in the documented form (docs/formats.md)')}"
    simple = {
        "missing": "is required but missing",
        "extra_forbidden": "is not a field of this record (docs/formats.md lists the fields)",
        "literal_error": f"should be one of: {_choices(ctx)}",
        "enum": f"should be one of: {_choices(ctx)}",
        "bool_parsing": "should be true or false",
        "bool_type": "should be true or false",
        "date_from_datetime_parsing": "should be a date written YYYY-MM-DD, such as 2026-09-30",
        "date_parsing": "should be a date written YYYY-MM-DD, such as 2026-09-30",
        "date_type": "should be a date written YYYY-MM-DD, such as 2026-09-30",
        "date_from_datetime_inexact": "should be a date without a time of day (YYYY-MM-DD)",
        "int_parsing": "should be a whole number",
        "int_type": "should be a whole number",
        "int_from_float": "should be a whole number, without decimals",
        "list_type": "should be a list (in a CSV cell: values separated by ;)",
        "string_type": "should be text",
        "dict_type": "should be a record of fields",
        "model_type": "should be a record of fields",
    }
    if kind in simple:
        return simple[kind]
    if kind == "string_too_short":
        n = ctx.get("min_length", 1)
        return "must not be empty" if n == 1 else f"should have at least {n} characters"
    if kind == "string_too_long":
        return f"is too long: at most {ctx.get('max_length')} characters"
    if kind == "too_short":
        return f"should list at least {ctx.get('min_length', 1)} item(s)"
    if kind == "too_long":
        return f"should list at most {ctx.get('max_length')} item(s)"
    if kind in ("greater_than_equal", "greater_than"):
        bound = ctx.get("ge", ctx.get("gt"))
        return f"should be {'at least' if kind == 'greater_than_equal' else 'more than'} {bound}"
    if kind in ("less_than_equal", "less_than"):
        bound = ctx.get("le", ctx.get("lt"))
        return f"should be {'at most' if kind == 'less_than_equal' else 'less than'} {bound}"
    if kind == "value_error":  # our own validators: their message is already a sentence
        return str(ctx.get("error", err.get("msg", "is not valid")))
    return str(err.get("msg", "is not valid"))
