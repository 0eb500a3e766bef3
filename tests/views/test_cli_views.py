"""`clausegraph view …` as a real subprocess: each view written to a file, errors as exit codes."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from graph.views import offline_problems
from tests.views.conftest import ACME

EXE = shutil.which("clausegraph", path=str(Path(sys.executable).parent))


def run(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    assert EXE, "the clausegraph console script is not installed next to this Python"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "CLAUSEGRAPH_"))}
    env["COLUMNS"] = "400"
    return subprocess.run(
        [EXE, "--db", str(db), *args], capture_output=True, text=True, env=env, timeout=300
    )


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cli") / "g.db"
    out = run(path, "load", "inventory", str(ACME))
    assert out.returncode == 0, out.stderr
    return path


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["crosswalk"], "ISO elements"),
        (["crosswalk", "--chapter", "iii", "--tier", "high", "--objective", "A.6"], "chapter III"),
        (["asset", "cv-screening", "--as-of", "2026-11-25"], "24 applicable articles"),
        (["owner", "jonas.becker", "--as-of", "2026-11-25"], "2 AI systems, 0 controls"),
    ],
)
def test_view_writes_one_offline_html_file(
    db: Path, tmp_path: Path, args: list[str], said: str
) -> None:
    target = tmp_path / "nested" / "view.html"
    out = run(db, "view", *args, "-o", str(target))
    assert out.returncode == 0, out.stderr
    assert f"wrote {target}" in out.stderr and said in out.stderr
    page = target.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and '<div id="cg-status"' in page
    assert offline_problems(page) == []


def test_unknown_ids_and_bad_options(db: Path, tmp_path: Path) -> None:
    target = tmp_path / "x.html"
    out = run(db, "view", "asset", "nope", "-o", str(target))
    assert out.returncode == 1
    assert "no asset 'nope' in the graph" in out.stderr and "Traceback" not in out.stderr
    out = run(db, "view", "owner", "nobody", "-o", str(target))
    assert out.returncode == 1 and "no owner 'nobody'" in out.stderr
    out = run(db, "view", "crosswalk", "--chapter", "3", "-o", str(target))
    assert out.returncode == 2 and "roman" in out.stderr
    out = run(db, "view", "asset", "cv-screening", "--as-of", "25/11/2026", "-o", str(target))
    assert out.returncode == 2
    assert not target.exists()
