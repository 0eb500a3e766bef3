"""The one writer for every CSV and Markdown table the product emits.

Spreadsheets run a cell that begins with ``=``, ``+``, ``-``, ``@``, tab or carriage return as
a formula (CSV/formula injection, OWASP). Any inventory field can carry such text, so every
text cell is neutralised by prefixing a single quote; negative numbers stay values. Markdown
cells are escaped so a field can neither break the table nor become a link or raw HTML.
JSON output does not come through here: it stays exact (the machine contract).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Sequence
from typing import Any

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# A negative number written as text is a value, not a formula (`-3`, `-0.5`, `-1e3`).
_NEGATIVE_NUMBER = re.compile(r"-(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
_MD_ESCAPES = str.maketrans(
    {
        "\\": "\\\\",
        "|": "\\|",
        "[": "\\[",
        "]": "\\]",
        "`": "\\`",
        "<": "&lt;",  # no raw HTML or <autolink>; a lone `>` or `&` cannot open either
    }
)


def text(value: Any) -> str:
    """A value as display text: None is empty, lists are comma-joined, dates ISO."""
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return ", ".join(text(v) for v in value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def neutralise(cell: str) -> str:
    """Prefix ``'`` to text a spreadsheet would run as a formula; keep negative numbers."""
    if cell.startswith(_FORMULA_START) and not _NEGATIVE_NUMBER.fullmatch(cell):
        return "'" + cell
    return cell


def csv_cell(value: Any) -> Any:
    """A CSV cell: numbers are written as-is, text (and lists of it) neutralised."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float):
        return value
    return neutralise(text(value))


def csv_text(rows: Iterable[dict[str, Any]], columns: Sequence[str]) -> str:
    """RFC 4180 CSV, a header row, `\n` line ends; every cell goes through :func:`csv_cell`."""
    lines = [_csv_line([neutralise(c) for c in columns])]
    lines += [_csv_line([csv_cell(r.get(c)) for c in columns]) for r in rows]
    return "".join(line + "\n" for line in lines)


def _csv_line(cells: list[Any]) -> str:
    # A CRLF terminator makes the writer quote any cell holding a bare CR (a "\n" one does not,
    # and the reader then fails on it); the terminator itself is dropped again.
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerow(cells)
    return buf.getvalue().removesuffix("\r\n")


def md_cell(value: Any) -> str:
    """A Markdown table cell: one line, no `|`, no link, autolink or HTML, no live formula."""
    cell = " ".join(neutralise(text(value)).splitlines())
    cell = cell.translate(_MD_ESCAPES)
    # Break GFM autolinks (`http://…`, `www.…`) without changing the rendered text.
    return cell.replace("://", ":\\/\\/").replace("www.", "www\\.")


def md_table(rows: Iterable[dict[str, Any]], columns: Sequence[str]) -> str:
    """A GitHub-flavoured Markdown table (no trailing newline); `_(none)_` when empty."""
    body = ["| " + " | ".join(md_cell(r.get(c)) for c in columns) + " |" for r in rows]
    if not body:
        return "_(none)_"
    head = ["| " + " | ".join(md_cell(c) for c in columns) + " |", "|" + "---|" * len(columns)]
    return "\n".join(head + body)
