"""The dashboard in a real headless Chromium (Debian's), driven by Playwright, against a real
`clausegraph serve` under uvicorn. Every request that does not go to that server is aborted, so
a page that needed a CDN would fail; console errors and failed requests fail the test."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.api.conftest import build
from tests.api.test_mcp import serving
from tests.views.browser import CHROMIUM, needs_chromium

pytestmark = [pytest.mark.browser, pytest.mark.slow, needs_chromium]
SHOTS = Path(__file__).resolve().parents[2] / "docs" / "dashboard"


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict[str, str]]]:
    settings, keys = build(tmp_path_factory.mktemp("ui"))
    with serving(settings) as base:
        yield base, keys


class Watched:
    """A page whose console errors, page errors and failed or foreign requests are collected."""

    def __init__(self, page: Any, base: str) -> None:
        self.page, self.base = page, base
        self.problems: list[str] = []
        page.route("**/*", self._route)
        page.on("console", self._console)
        page.on("pageerror", lambda e: self.problems.append(f"page error: {e}"))
        page.on("requestfailed", lambda r: self.problems.append(f"failed {r.url}"))
        page.on("response", self._response)

    def _route(self, route: Any) -> None:
        if route.request.url.startswith(self.base):
            route.continue_()
        else:  # the network is off: only the app itself may be reached
            self.problems.append(f"blocked {route.request.url}")
            route.abort()

    def _console(self, message: Any) -> None:
        if message.type == "error":
            self.problems.append(message.text)

    def _response(self, response: Any) -> None:
        if response.status >= 400:
            self.problems.append(f"{response.status} {response.url}")

    def open(self, url: str) -> None:
        self.page.goto(url)
        self.page.wait_for_function("document.body.dataset.charts !== undefined", timeout=20_000)
        assert self.page.evaluate("document.body.dataset.charts") != "unavailable"
        assert not self.problems, self.problems


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM),
                              args=["--no-sandbox", "--disable-gpu", "--disable-quic",
                                    "--disable-background-networking"])  # fmt: skip
        yield b
        b.close()


def _login(
    browser: Any, base: str, key: str, width: int = 1280, clock: bool = False
) -> tuple[Any, Watched]:
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    if clock:  # the page's timers run on Playwright's clock, moved by the test
        page.clock.install()
    watched = Watched(page, base)
    page.goto(f"{base}/ui/")
    assert page.url.startswith(f"{base}/ui/login"), "an anonymous visit must land on the login"
    page.fill("#api_key", key)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/ui/")
    return context, watched


def _shot(page: Any, name: str, tmp: Path) -> None:
    folder = SHOTS if os.environ.get("CLAUSEGRAPH_SCREENSHOTS") == "1" else tmp
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name}.png"), full_page=False)


def test_every_page_loads_offline_without_errors(
    browser: Any, served: tuple[str, dict[str, str]], tmp_path: Path
) -> None:
    base, keys = served
    context, w = _login(browser, base, keys["reader"])
    pages = ["/ui/", "/ui/articles", "/ui/gaps", "/ui/owners", "/ui/crosswalk",
             "/ui/systems/cv-screening", "/ui/systems/cv-screening/coverage/14",
             "/ui/changes", "/ui/findings"]  # fmt: skip
    for path in pages:
        w.open(base + path)
        assert w.page.locator("main h1").count() == 1, path
    _shot(w.page, "coverage-1280", tmp_path)
    # the change log since before the load: every entity the load created, Acme's systems too
    w.open(base + "/ui/changes?since=2020-01-01&asset=cv-screening")
    listed = w.page.locator("#changes tbody tr").all_inner_texts()
    assert any(row.startswith("Asset cv-screening") for row in listed), listed[:5]
    assert not any("credit-scoring" in row.split("\t")[0] for row in listed)
    w.open(base + "/ui/")
    _shot(w.page, "overview-1280", tmp_path)
    context.close()


def test_overview_figures_equal_the_api(browser: Any, served: tuple[str, dict[str, str]]) -> None:
    base, keys = served
    context, w = _login(browser, base, keys["reader"])
    w.open(base + "/ui/")
    key = {"X-API-Key": keys["reader"]}
    metrics = httpx.get(f"{base}/metrics/compliance", headers=key, timeout=30).json()
    pairs = sum(r["pairs"] for r in metrics["by_tier"])
    addressed = sum(r["addressed"] for r in metrics["by_tier"])
    tile = w.page.locator("#kpi-addressed .n")
    assert (tile.get_attribute("data-pairs"), tile.get_attribute("data-addressed")) == (
        str(pairs),
        str(addressed),
    )
    gaps = httpx.get(f"{base}/gaps", params={"in_force": "true", "limit": 1}, headers=key,
                     timeout=30).json()  # fmt: skip
    assert w.page.inner_text("#kpi-in-force .n") == str(gaps["count"])
    table = w.page.evaluate(
        "[...document.querySelectorAll('#chapter-table tbody tr')]"
        ".map(tr => [...tr.cells].map(td => td.innerText.trim()))"
    )
    expected = [[r["group"], str(r["pairs"]), str(r["addressed"]), str(r["addressed_pct"])]
                for r in metrics["by_chapter"]]  # fmt: skip
    assert sorted(table) == sorted(expected)
    assert [r[0] for r in table][:3] == ["I", "II", "III"], "chapters in the Act's order"
    # the number links to the list behind it: same count of rows
    w.page.click("#kpi-in-force")
    w.page.wait_for_url(f"{base}/ui/gaps")
    assert w.page.locator("table.list tbody tr").count() == gaps["count"]
    context.close()


def test_a_filter_narrows_the_heatmap(browser: Any, served: tuple[str, dict[str, str]]) -> None:
    base, keys = served
    context, w = _login(browser, base, keys["reader"])
    w.open(base + "/ui/articles")
    cols_all = int(w.page.get_attribute("#heatmap", "data-cols"))
    rows_all = int(w.page.get_attribute("#heatmap", "data-rows"))
    w.page.select_option("select[name=chapter]", "III")
    w.page.click("#heatmap-filters button[type=submit]")
    w.page.wait_for_url("**/ui/articles?*chapter=III*")
    cols_iii = int(w.page.get_attribute("#heatmap", "data-cols"))
    assert 0 < cols_iii < cols_all
    w.page.select_option("select[name=tier]", "high")
    w.page.click("#heatmap-filters button[type=submit]")
    w.page.wait_for_url("**tier=high*")
    assert 0 < int(w.page.get_attribute("#heatmap", "data-rows")) < rows_all
    cell = w.page.locator("#heatmap td.cell a").first
    cell.click()
    w.page.wait_for_url("**/coverage/**")
    assert w.page.locator("#answer .v").count() == 1
    assert not w.problems, w.problems
    context.close()


def test_logout_ends_the_session(browser: Any, served: tuple[str, dict[str, str]]) -> None:
    base, keys = served
    context, w = _login(browser, base, keys["reader"])
    [cookie] = [c for c in context.cookies() if c["name"] == "cg_session"]
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
    w.page.click(".logout button")
    w.page.wait_for_url(f"{base}/ui/login")
    w.page.goto(f"{base}/ui/owners")
    assert "/ui/login" in w.page.url
    # the old cookie, replayed, is worth nothing: the server forgot the session
    r = httpx.get(f"{base}/ui/owners", cookies={"cg_session": cookie["value"]},
                  follow_redirects=False, timeout=30)  # fmt: skip
    assert r.status_code == 303 and r.headers["location"].startswith("/ui/login")
    context.close()


def test_pages_are_usable_on_a_phone(
    browser: Any, served: tuple[str, dict[str, str]], tmp_path: Path
) -> None:
    base, keys = served
    context, w = _login(browser, base, keys["reader"], width=390)
    for path in ("/ui/", "/ui/gaps", "/ui/systems/cv-screening"):
        w.open(base + path)
        overflow = w.page.evaluate("document.documentElement.scrollWidth")
        assert overflow <= 390 + 1, f"{path} scrolls sideways ({overflow} px)"
    w.open(base + "/ui/")
    _shot(w.page, "overview-390", tmp_path)
    context.close()


def test_security_headers_and_no_inline_script(served: tuple[str, dict[str, str]]) -> None:
    base, keys = served
    with httpx.Client(base_url=base, timeout=30) as http:
        r = http.post("/ui/login", data={"api_key": keys["reader"], "next": "//evil.example/"})
        assert r.status_code == 303 and r.headers["location"] == "/ui/"  # no open redirect
        page = http.get("/ui/")
        csp = page.headers["content-security-policy"]
        assert "script-src 'self';" in csp and "unsafe-inline" not in csp.split("style-src")[0]
        assert "frame-ancestors 'none'" in csp and page.headers["x-frame-options"] == "DENY"
        assert page.headers["cache-control"] == "no-store"
        body = page.text
        # every <script> either loads a file of this app or is a JSON data block
        for tag in body.split("<script")[1:]:
            head = tag.split(">", 1)[0]
            assert 'src="/ui/static/' in head or 'type="application/json"' in head, head
        bad = http.post("/ui/logout", data={"csrf": "forged"})
        assert bad.status_code == 403


def test_an_approver_verifies_a_finding_and_a_reader_cannot(
    browser: Any, served: tuple[str, dict[str, str]]
) -> None:
    from tests.findings.conftest import EVIDENCE_C31

    base, keys = served
    finding = "control_without_evidence:C-31"
    with httpx.Client(base_url=base, timeout=60) as http:  # open the findings, then fix C-31
        assert http.get("/gaps", headers={"X-API-Key": keys["reader"]}).status_code == 200
        r = http.post("/ingest", json=EVIDENCE_C31, headers={"X-API-Key": keys["editor"]})
        assert r.status_code == 200, r.text
    page_url = f"{base}/ui/findings/control_without_evidence%3AC-31"
    # a reader sees the resolved finding but no buttons, and a forged post is refused
    context, w = _login(browser, base, keys["reader"])
    w.open(page_url)
    assert w.page.get_attribute("#finding", "data-state") == "resolved"
    assert w.page.locator("form.transition").count() == 0
    csrf = w.page.get_attribute(".logout input[name=csrf]", "value")
    status = w.page.evaluate(
        """async ([url, csrf]) => (await fetch(url, {method: 'POST', body: new URLSearchParams(
             {csrf: csrf, version: '1', note: 'x', confirm: 'yes'})})).status""",
        [page_url + "/verify", csrf],
    )
    assert status == 403
    context.close()
    # an approver (the admin key: neither the assignee nor the fixer) signs it off
    context, w = _login(browser, base, keys["admin"])
    w.open(page_url)
    form = w.page.locator("#do-verify")
    form.locator("input[name=note]").fill("evidence read")
    form.locator("button").click()  # without the confirmation the browser refuses to submit
    assert w.page.get_attribute("#finding", "data-state") == "resolved"
    form.locator("input[name=confirm]").check()
    form.locator("button").click()
    w.page.wait_for_load_state()
    assert w.page.get_attribute("#finding", "data-state") == "verified"
    story = w.page.locator("#story tbody tr").all_inner_texts()
    assert any(
        "admin-key" in row and "verify" in row and "evidence read" in row for row in story
    ), story
    context.close()
    # the change log records it with the approver as actor (the story is read from the log)
    got = httpx.get(f"{base}/findings/{finding}", headers={"X-API-Key": keys["reader"]},
                    timeout=60).json()  # fmt: skip
    assert got["finding"]["verified_by"] == "admin-key"
    assert ("verify", "admin-key") in {(s["transition"], s["actor"]) for s in got["story"]}


def test_an_open_page_says_when_the_register_changes(
    browser: Any, served: tuple[str, dict[str, str]]
) -> None:
    """Pages poll the change log's head: nothing changed, no banner; a write through the API
    (another client), and the open page offers a reload, counting the new events."""
    base, keys = served
    context, w = _login(browser, base, keys["reader"], clock=True)
    w.open(base + "/ui/")
    banner = w.page.locator("#live")
    assert w.page.evaluate("document.body.dataset.head") is not None
    w.page.clock.fast_forward("00:20")  # past one poll, answered: the head has not moved
    w.page.locator("body[data-polled]").wait_for(state="attached", timeout=10_000)
    assert banner.is_hidden()
    r = httpx.post(f"{base}/ingest", headers={"X-API-Key": keys["editor"]}, timeout=30,
                   json={"owners": [{"id": "live.viewer", "name": "Live Viewer"}]})  # fmt: skip
    assert r.status_code == 200, r.text
    w.page.clock.fast_forward("00:20")
    banner.wait_for(state="visible", timeout=10_000)
    assert int(w.page.evaluate("document.body.dataset.stale")) >= 1
    assert "changed since this page was drawn" in banner.inner_text()
    with w.page.expect_navigation():
        w.page.click("#live-reload")
    assert w.page.locator("#live").is_hidden()  # drawn at the new head
    assert not w.problems, w.problems
    anonymous = httpx.get(f"{base}/ui/head", timeout=10)
    assert anonymous.status_code == 401 and "seq" not in anonymous.text
    context.close()
