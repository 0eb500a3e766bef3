"""What starts to apply between two dates: SUBJECT_TO edges whose date falls in (start, end].

Each ``SUBJECT_TO`` edge carries the date the article applies from *for that system* (as
amended by Regulation (EU) 2026/1744; Annex I products take the Annex I date), so the answer is
a date comparison over one query, no re-derivation: an article applies on ``end`` but not on
``start`` exactly when ``start < applies_from <= end``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from graph.review.errors import ReviewError
from graph.stores import Store

Row = dict[str, Any]


def applies_between(store: Store, start: dt.date, end: dt.date, asset: str = "") -> list[Row]:
    """Per AI system, the articles that apply on ``end`` and did not yet apply on ``start``."""
    if end < start:
        raise ReviewError(f"--to {end} is before --from {start}")
    found = store.read("coverage.asset", asset=asset) if asset else store.read("review.assets")
    if asset and not found:
        raise ReviewError(f"no asset {asset!r} in the graph")
    names = {a["id"]: a["name"] for a in found}
    rows = []
    for r in store.read("review.subject_to", asset=asset):
        if start < r["applies_from"] <= end:
            rows.append({"asset": r["asset"], "name": names.get(r["asset"], r["asset"]),
                         "article": r["number"], "title": r["title"],
                         "chapter": r["chapter"] or "Annexes", "applies_from": r["applies_from"],
                         "reason": r["reason"]})  # fmt: skip
    return sorted(rows, key=lambda r: (r["asset"], r["applies_from"]))
