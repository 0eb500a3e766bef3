"""Docs that cannot drift: the generated CLI reference and the README's two commands."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_cli_reference_is_current(tmp_path: Path) -> None:
    out = tmp_path / "cli.md"
    typer = Path(sys.executable).parent / "typer"
    cmd = [str(typer), "api.cli", "utils", "docs", "--name", "clausegraph", "--output", str(out)]
    subprocess.run(cmd, check=True, cwd=ROOT, capture_output=True, timeout=120)
    assert (ROOT / "docs" / "cli.md").read_text() == out.read_text(), (
        "docs/cli.md is stale: run `make docs`"
    )


def test_readme_quickstart_is_exactly_two_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Quickstart", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```(?:sh|bash|console)\n(.*?)```", section, flags=re.S)
    commands = [
        line for b in blocks for line in b.splitlines() if line and not line.startswith("#")
    ]
    assert commands == ["make demo", "make test"]


def test_ci_runs_the_readme_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "\nmake test\n" in ci


def test_demo_target_runs_the_demo_command() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    recipe = makefile.split("\ndemo:", 1)[1].split("\n\n", 1)[0]
    assert "clausegraph demo" in recipe


def demo(db: Path, views: Path) -> subprocess.CompletedProcess[str]:
    exe = Path(sys.executable).parent / "clausegraph"
    args = ["--db", str(db), "demo", "--as-of", "2026-11-25", "--out", str(views)]
    return subprocess.run([str(exe), *args], capture_output=True, text=True, timeout=300, cwd=ROOT)


def _stable(stdout: str) -> str:
    """The demo's output without its audit section (event numbers and times differ per run)."""
    head, _, rest = stdout.partition("\naudit: ")
    return head + "\n" + rest[rest.index("evidence bundle:") :]


def test_the_demo_command_on_a_temp_store(tmp_path: Path) -> None:
    out = demo(tmp_path / "g.db", tmp_path / "views")
    assert out.returncode == 0, out.stderr
    assert "catalogs: 113 articles, 13 annexes" in out.stdout
    assert "ISO/IEC 42001 maps to" in out.stdout
    assert "inventory: 14 owners, 20 assets" in out.stdout
    assert "prohibited_" in out.stdout  # the critical gap leads the report
    pages = sorted(p.name for p in (tmp_path / "views").iterdir())
    assert pages[0] == "asset-cv-screening.html" and "crosswalk.html" in pages
    assert "bundle-cv-screening" in pages
    assert (tmp_path / "views" / "bundle-cv-screening" / "manifest.json").is_file()
    assert "snapshot: demo-2026-11-25" in out.stdout
    # a second run on the used store and folder replaces the demo's outputs
    (tmp_path / "views" / "bundle-cv-screening" / "stray.txt").write_text("old run")
    again = demo(tmp_path / "g.db", tmp_path / "views")
    assert again.returncode == 0, again.stderr
    assert _stable(again.stdout) == _stable(out.stdout)  # the audit trail grows run by run
    for run in (out.stdout, again.stdout):
        assert "history of Evidence E-002" in run
        assert "collected_on: 2026-06-18 -> 2026-11-25" in run
        changes = run.split("since snapshot demo-2026-11-25", 1)[1]
        assert "E-002" in changes and "updated collected_on" in changes
    assert not (tmp_path / "views" / "bundle-cv-screening" / "stray.txt").exists()
    assert sorted(p.name for p in (tmp_path / "views").iterdir()) == pages
    # a closed store leaves no lock file behind
    assert sorted(p.name for p in tmp_path.iterdir()) == ["g.db", "g.db.snapshots", "views"]


def test_the_demo_refuses_to_replace_a_folder_that_is_not_a_bundle(tmp_path: Path) -> None:
    mine = tmp_path / "views" / "bundle-cv-screening"
    mine.mkdir(parents=True)
    (mine / "notes.txt").write_text("mine")
    out = demo(tmp_path / "g.db", tmp_path / "views")
    assert out.returncode == 1 and "is not an empty folder" in out.stderr
    assert (mine / "notes.txt").read_text() == "mine"


def _old_schema_store(path: Path) -> None:
    import ladybug  # noqa: TID251 - an old-style store, on purpose

    db = ladybug.Database(str(path))
    conn = ladybug.Connection(db)
    # a changed type, not only missing columns (which a writer adds in place: no rebuild)
    conn.execute("CREATE NODE TABLE Asset(id STRING PRIMARY KEY, name INT64)")
    conn.close()
    db.close()


def test_the_demo_rebuilds_its_own_store_of_an_older_schema(tmp_path: Path) -> None:
    db = tmp_path / "g.db"
    assert demo(db, tmp_path / "views").returncode == 0  # leaves its demo snapshot
    db.unlink()
    _old_schema_store(db)
    out = demo(db, tmp_path / "views")
    assert out.returncode == 0, out.stderr
    assert "different schema" in out.stderr and "the demo rebuilds it" in out.stderr
    assert "inventory: 14 owners, 20 assets" in out.stdout
    aside = [p for p in tmp_path.iterdir() if p.name.startswith("g.db.old-")]
    assert len(aside) == 1  # moved, not deleted


def test_the_demo_leaves_a_store_of_an_older_schema_it_did_not_make(tmp_path: Path) -> None:
    db = tmp_path / "theirs.db"
    _old_schema_store(db)
    out = demo(db, tmp_path / "views")
    assert out.returncode == 6 and "different schema" in out.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["theirs.db"]  # not moved, no lock


def test_gap_rules_doc_is_current() -> None:
    from graph.gap_rules_doc import render

    current = (ROOT / "docs" / "gap-rules.md").read_text(encoding="utf-8")
    assert current == render(), "docs/gap-rules.md is stale: run `make docs`"
