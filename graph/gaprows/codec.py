"""Gap rows as the JSON a bucket stores, and back. A bucket holds the rows of the anchors that
hash to it, ``{"dates": [column, ...], "rows": {anchor: [row, ...]}}``: dates travel as ISO
strings and each bucket lists the columns that held them."""

from __future__ import annotations

import datetime as dt
import zlib
from typing import Any

import orjson

Row = dict[str, Any]
BUCKETS = 256
"""Buckets per query: an update rewrites only the buckets of the anchors it touched (about
1/256 of a query's rows each), and a read decodes 256 strings, not one node per anchor."""


def bucket_of(anchor: str) -> int:
    return zlib.crc32(anchor.encode()) % BUCKETS


def bucket_id(part: str, bucket: int) -> str:
    return f"{part}#{bucket:03d}"


def encode(anchors: dict[str, list[Row]]) -> str:
    dates = sorted({k for rows in anchors.values() for r in rows for k, v in r.items()
                    if isinstance(v, dt.date)})  # fmt: skip
    return orjson.dumps({"dates": dates, "rows": anchors}).decode()


def decode(text: str) -> dict[str, list[Row]]:
    body = orjson.loads(text)
    anchors: dict[str, list[Row]] = body["rows"]
    dates: list[str] = body["dates"]
    if dates:
        for rows in anchors.values():
            for r in rows:
                for k in dates:
                    if isinstance(r.get(k), str):
                        r[k] = dt.date.fromisoformat(r[k])
    return anchors
