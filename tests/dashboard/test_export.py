"""`clausegraph dashboard -o DIR`: offline pages whose every link resolves, drawn by Chromium
from disk with the network off, replaceable by a second run, never over someone else's folder."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.api.conftest import build
from tests.api.test_mcp import _env
from tests.views.browser import CHROMIUM, needs_chromium

EXE = str(Path(sys.executable).parent / "clausegraph")
HREF = re.compile(r'(?<![-\w])(?:href|src)="([^"#?]+)"')


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("export")
    settings, _ = build(tmp)
    out = tmp / "pack" / "dashboard"
    for _ in range(2):  # the second run replaces the first
        args = [EXE, "dashboard", "-o", str(out), "--as-of", "2026-11-25"]
        done = subprocess.run(args, env=_env(settings), capture_output=True, text=True,
                              timeout=300)  # fmt: skip
        assert done.returncode == 0, done.stderr
    assert "pages" in done.stderr
    return out


def test_every_link_of_every_page_resolves(exported: Path) -> None:
    pages = sorted(exported.rglob("*.html"))
    assert (exported / "index.html") in pages and len(pages) > 20
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert "/ui/" not in text, f"{page} links to the server"
        assert "<form" not in text, f"{page} has a form, which cannot work offline"
        for link in HREF.findall(text):
            if link.startswith(("http://", "https://", "data:")):
                continue
            assert (page.parent / link).resolve().is_file(), f"{page}: {link} does not exist"


def test_a_foreign_folder_is_not_overwritten(tmp_path: Path) -> None:
    settings, _ = build(tmp_path)
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep me", encoding="utf-8")
    done = subprocess.run([EXE, "dashboard", "-o", str(mine)], env=_env(settings),
                          capture_output=True, text=True, timeout=300)  # fmt: skip
    assert done.returncode != 0 and "not an earlier dashboard export" in done.stderr
    assert [p.name for p in mine.iterdir()] == ["notes.txt"]


@pytest.mark.browser
@needs_chromium
def test_chromium_draws_the_exported_pages_from_disk(exported: Path) -> None:
    from playwright.sync_api import sync_playwright

    problems: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        page = browser.new_page()

        def offline(route: Any) -> None:
            if route.request.url.startswith("file://"):
                route.continue_()
            else:
                problems.append(route.request.url)
                route.abort()

        def console(message: Any) -> None:
            if message.type == "error":
                problems.append(message.text)

        page.route("**/*", offline)
        page.on("console", console)
        page.on("pageerror", lambda e: problems.append(str(e)))
        for name in ("index.html", "systems/cv-screening.html", "articles.html"):
            page.goto((exported / name).as_uri())
            page.wait_for_function("document.body.dataset.charts !== undefined", timeout=20_000)
            assert page.evaluate("document.body.dataset.charts") not in ("unavailable", None)
        browser.close()
    assert not problems, problems
