"""A coverage answer as the JSON a cell stores, and back (dates as ISO strings)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

# The mark's id names the answer format (the ``$mark`` of readmodel.mark and readmodel.cell): a
# model kept in an older format is not read, and the next refresh rebuilds it (dropping every
# mark). 2: answers carry Art. 73's incident clocks.
MARK = "coverage/2"
_DATES = ("applies_from", "collected_on", "valid_until", "aware_on", "deadline", "reported_on")


def cell_key(asset: str, article: str) -> str:
    return f"{asset}|{article}"


def article_of(key: str) -> str:
    """The article of a cell key (ids never hold ``|``: graph/models.py ``ID_PATTERN``)."""
    return key.rpartition("|")[2]


def encode(answer: dict[str, Any]) -> str:
    """The answer without its ``as_of`` (the mark says the day), keys in the answer's order."""
    body = {k: v for k, v in answer.items() if k != "as_of"}
    return json.dumps(body, default=_date, separators=(",", ":"), ensure_ascii=False)


def decode(text: str, as_of: dt.date) -> dict[str, Any]:
    body: dict[str, Any] = json.loads(text, object_hook=_dated)
    out = {"asset": body.pop("asset"), "article": body.pop("article"), "as_of": as_of}
    return out | body


def with_as_of(text: str, as_of: dt.date) -> str:
    """A stored answer's JSON with its day put back: the same fields :func:`decode` gives, as
    text (an encoded answer is always an object holding at least its asset and article)."""
    return f'{{"as_of":"{as_of.isoformat()}",{text[1:]}'


def _date(value: object) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"not JSON: {value!r}")


def _dated(obj: dict[str, Any]) -> dict[str, Any]:
    for k in _DATES:
        if isinstance(obj.get(k), str):
            obj[k] = dt.date.fromisoformat(obj[k])
    return obj
