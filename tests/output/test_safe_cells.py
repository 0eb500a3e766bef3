"""The one CSV/Markdown writer itself: formula cells neutralised, numbers kept, tables intact."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest

from graph.safe_cells import csv_cell, csv_text, md_cell, md_table, neutralise

HOSTILE = [
    '=HYPERLINK("http://evil","x")',
    "+1",
    "-2+3",
    "@SUM(A1)",
    "\tX",
    "\rX",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_formula_starts_get_a_leading_quote(text: str) -> None:
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("text", ["-3", "-0.5", "-1e3", "-.25", "plain", "a=b", "", "2026-01-01"])
def test_values_and_plain_text_are_kept(text: str) -> None:
    assert neutralise(text) == text


def test_non_string_values_are_written_as_is() -> None:
    assert csv_cell(-3) == -3 and csv_cell(-0.5) == -0.5
    assert csv_cell(dt.date(2026, 1, 2)) == "2026-01-02"
    assert csv_cell(None) == "" and csv_cell(True) == "True"
    assert csv_cell(["=a", "b"]) == "'=a, b"


def test_csv_round_trips_to_the_quoted_text() -> None:
    rows = [{"name": t, "n": -3, "s": "-0.5"} for t in [*HOSTILE, "a,b", 'q"q', "a\nb"]]
    back = list(csv.DictReader(io.StringIO(csv_text(rows, ["name", "n", "s"]))))
    assert [r["name"] for r in back] == [neutralise(t) for t in [*HOSTILE, "a,b", 'q"q', "a\nb"]]
    assert {(r["n"], r["s"]) for r in back} == {("-3", "-0.5")}


def test_csv_header_is_neutralised_too() -> None:
    assert csv_text([], ["=x", "ok"]).splitlines() == ["'=x,ok"]


@pytest.mark.parametrize(
    ("text", "cell"),
    [
        ("a|b", "a\\|b"),
        ("[x](http://e)", "\\[x\\](http:\\/\\/e)"),
        ("<script>alert(1)</script>", "&lt;script>alert(1)&lt;/script>"),
        ("line1\nline2\r\nline3", "line1 line2 line3"),
        ("=1+1", "'=1+1"),
        ("see www.evil.example", "see www\\.evil.example"),
        ("-3", "-3"),
    ],
)
def test_markdown_cells(text: str, cell: str) -> None:
    assert md_cell(text) == cell


def test_markdown_table_keeps_its_columns_whatever_the_cells_hold() -> None:
    rows = [{"a": "x|y|z", "b": "1\n2"}, {"a": "[l](u)", "b": "`c`"}]
    lines = md_table(rows, ["a", "b"]).splitlines()
    assert len(lines) == 4
    # Unescaped pipes delimit cells: every line has exactly three.
    assert all(line.replace("\\|", "").count("|") == 3 for line in lines)
    assert md_table([], ["a"]) == "_(none)_"
