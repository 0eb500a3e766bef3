"""What a raw cell means to the model, shared by the row reader and the columnar checks.

A CSV cell is text; a list field (``LIST_FIELDS``) is ``;``-separated. A Parquet/JSON value is
already typed, only its strings and list items are trimmed. One place, so both paths agree.
"""

from __future__ import annotations

from typing import Any

from graph.models import LIST_FIELDS


def raw_value(entity: str, column: str, value: Any) -> Any:
    """A typed (Parquet/JSON) value as the model should see it."""
    if isinstance(value, str):
        return csv_cell(entity, column, value)
    if isinstance(value, list):
        return [v.strip() if isinstance(v, str) else v for v in value if v != ""]
    return value


def csv_cell(entity: str, column: str, value: str) -> Any:
    """A CSV cell as the model should see it (list fields split on ``;``)."""
    if column in LIST_FIELDS[entity]:
        return [v.strip() for v in value.split(";") if v.strip()]
    return value
