"""Hostile names in every entity type, through every CSV and Markdown listing of the real CLI.

An inventory field can carry spreadsheet formulas or Markdown/HTML; the exports must hand them
back as inert text: CSV cells start with a single quote, Markdown tables keep their columns.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from api.cli import app
from graph.safe_cells import md_cell, neutralise
from graph.settings import Settings
from graph.stores import open_store
from graph.views import asset_view, owner_view
from loaders.inventory import load_inventory

ENV: dict[str, str | None] = {"NEO4J_URI": None, "CLAUSEGRAPH_REPORTS": None, "COLUMNS": "200"}
HOSTILE = {
    "asset": '=HYPERLINK("http://evil","x")',
    "owner": "+1",
    "dataset": "-2+3",
    "control": "@SUM(A1)",
    "evidence": "=cmd|' /C calc'!A0",  # a leading tab is stripped by the loader
    "incident": "a|b [x](http://e)",
    "asset2": "<script>alert(1)</script>",
}
FILES = {
    "owners.csv": "id,name,email,team\nbob,{owner},bob@example.org,@team\n",
    "assets.csv": (
        "id,name,description,role,risk_tier,lifecycle,in_eu,owner,datasets\n"
        'hr,"{asset_q}",=1+1,provider,high,production,true,bob,ds\n'
        "bot,{asset2},x,provider,high,production,true,,\n"
    ),
    "datasets.csv": (
        "id,name,personal_data,provenance,jurisdictions,owner\nds,{dataset},true,,EU,\n"
    ),
    "controls.csv": (
        "id,name,status,review_every_days,owner,implements,addresses,applies_to\n"
        "C-1,{control},implemented,365,,A.6.2.8,,hr\n"
    ),
    "evidence.csv": (
        "id,title,kind,uri,collected_on,owner,supports,concerns\n"
        '"E-1","{evidence}",log,"-2+3",2026-01-01,bob,C-1,hr\n'
    ),
    "incidents.csv": (
        "id,description,assets,severity,occurred_on,aware_on\n"
        '"INC-1","{incident}",hr,serious,2026-09-03,2026-09-08\n'
    ),
}


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    folder = tmp_path_factory.mktemp("hostile")
    values = {**HOSTILE, "asset_q": HOSTILE["asset"].replace('"', '""')}
    for name, text in FILES.items():
        (folder / name).write_text(text.format(**values), encoding="utf-8")
    path = folder / "g.db"
    store = open_store(Settings(store="ladybug", db=path))
    store.apply_schema()
    load_inventory(store, folder)
    store.close()
    yield path


def cli(db: Path, *args: str) -> Result:
    return CliRunner().invoke(app, ["--db", str(db), *args], env=ENV)


LISTINGS = [
    ("gaps", "--as-of", "2026-11-25"),
    ("trace", "hr", "--as-of", "2026-11-25"),
    ("coverage", "hr", "AIA-12", "--as-of", "2027-12-02"),
]


def _check_csv(text: str) -> set[str]:
    back = list(csv.reader(io.StringIO(text)))
    assert back and len({len(r) for r in back}) == 1  # no cell broke the row
    cells = {c for r in back[1:] for c in r}
    for c in cells:  # nothing a spreadsheet would run
        assert not c.startswith(("=", "+", "@", "\t", "\r")) or c.startswith("'"), c
        assert not c.startswith("-") or neutralise(c) == c, c
    return cells


@pytest.mark.parametrize("args", LISTINGS, ids=lambda a: a[0])
def test_csv_listings_are_inert(db: Path, args: tuple[str, ...]) -> None:
    out = cli(db, *args, "--format", "csv")
    assert out.exit_code in (0, 4), out.output
    _check_csv(out.stdout)


def test_gap_csv_round_trips_hostile_names_with_their_quote(db: Path) -> None:
    args = ("gaps", "--as-of", "2026-11-25")
    exact = json.loads(cli(db, *args, "--format", "json").stdout)  # JSON stays exact
    messages = {g["message"] for g in exact}
    for kind in ("asset2", "control", "dataset"):
        assert f"{HOSTILE[kind]} has no owner" in messages, kind
    cells = _check_csv(cli(db, *args, "--format", "csv").stdout)
    assert "'@SUM(A1) has no owner" in cells and "'-2+3 has no owner" in cells
    assert "<script>alert(1)</script> has no owner" in cells  # not a formula: kept as is
    assert {neutralise(m) for m in messages} <= cells


def test_coverage_csv_is_the_table_alone(db: Path) -> None:
    out = CliRunner().invoke(
        app, ["--db", str(db), "coverage", "hr", "AIA-12", "--as-of", "2027-12-02", "-f", "csv"],
        env=ENV,
    )  # fmt: skip
    assert out.stdout.splitlines()[0].startswith("control,status,")
    assert HOSTILE["asset"] in out.stderr  # the summary, for a human, not in the file


@pytest.mark.parametrize("args", LISTINGS, ids=lambda a: a[0])
def test_markdown_tables_keep_their_columns(db: Path, args: tuple[str, ...]) -> None:
    out = cli(db, *args, "--format", "md")
    assert out.exit_code in (0, 4), out.output
    _check_md(out.stdout)


def _check_md(md: str) -> None:
    rows = [ln for ln in md.splitlines() if ln.startswith("|")]
    assert rows
    tables = md.split("\n\n")
    for t in tables:  # within one table every row has the same number of cell delimiters
        widths = {ln.replace("\\|", "").count("|") for ln in t.splitlines() if ln.startswith("|")}
        assert len(widths) <= 1, t
    assert "<script>" not in md and "](http" not in md and "://evil" not in md
    for line in md.splitlines():
        body = line.lstrip("#|- ")
        assert not body.startswith(("=", "+", "@")), line


def test_gap_markdown_escapes_every_hostile_name(db: Path) -> None:
    md = cli(db, "gaps", "--as-of", "2026-11-25", "-f", "md").stdout
    assert "| &lt;script>alert(1)&lt;/script> has no owner |" in md
    assert "| '@SUM(A1) has no owner |" in md and "| '-2+3 has no owner |" in md


def test_bundle_summary_escapes_asset_owner_evidence_and_incident(db: Path, tmp_path: Path) -> None:
    out = cli(db, "bundle", "hr", "-o", str(tmp_path / "b"), "--as-of", "2026-11-25")
    assert out.exit_code == 0, out.output
    md = (tmp_path / "b" / "summary.md").read_text(encoding="utf-8")
    _check_md(md)
    # Mid-line the formula is inert; only the autolink is broken.
    assert md.startswith('# Evidence bundle: =HYPERLINK("http:\\/\\/evil","x") (hr)\n')
    assert "| owner_name | '+1 |" in md
    assert md_cell(HOSTILE["evidence"]) in md
    page = (tmp_path / "b" / "summary.html").read_text(encoding="utf-8")
    assert "<script>alert" not in page


def test_pyvis_pages_render_a_script_name_as_text(db: Path) -> None:
    """Asset and owner views embed names only as escaped JSON or HTML text (no browser needed)."""
    store = open_store(Settings(store="ladybug", db=db))
    try:
        pages = [
            asset_view(store, "bot", dt.date(2026, 11, 25)),
            asset_view(store, "hr", dt.date(2026, 11, 25)),
            owner_view(store, "bob", dt.date(2026, 11, 25)),
        ]
    finally:
        store.close()
    for page in pages:
        assert "<script>alert(1)</script>" not in page
    # The name is there, as text: escaped for the embedded JSON (\u003c) or as an HTML entity.
    assert "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e" in pages[0] or (
        "&lt;script&gt;alert(1)&lt;/script&gt;" in pages[0]
    )
