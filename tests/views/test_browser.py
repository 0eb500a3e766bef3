"""Each view in a real headless Chromium, offline: the network draws every node it was given."""

from __future__ import annotations

import csv
import html
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from graph.settings import Settings
from graph.stores import Store, open_store
from graph.views import ViewGraph, asset_graph, crosswalk_graph, owner_graph
from graph.views.render import render
from loaders.inventory import load_inventory
from tests.views.browser import dump_dom, needs_chromium, status
from tests.views.conftest import ACME, AS_OF

pytestmark = [pytest.mark.browser, needs_chromium]

GRAPHS: dict[str, Callable[[Store], ViewGraph]] = {
    "crosswalk": lambda s: crosswalk_graph(s),
    "crosswalk-objective-A.6": lambda s: crosswalk_graph(s, objective="A.6"),
    "asset-cv-screening": lambda s: asset_graph(s, "cv-screening", AS_OF),
    "asset-credit-scoring": lambda s: asset_graph(s, "credit-scoring", AS_OF),
    "owner-clara.weber": lambda s: owner_graph(s, "clara.weber", AS_OF),
}


@pytest.mark.parametrize("name", sorted(GRAPHS))
def test_chromium_draws_every_node_offline(acme: Store, tmp_path: Path, name: str) -> None:
    graph = GRAPHS[name](acme)
    page = tmp_path / f"{name}.html"
    page.write_text(render(graph), encoding="utf-8")
    dom = dump_dom(page, tmp_path / "profile")
    st = status(dom)
    assert st["state"] == "drawn", "vis-network never drew (did a script fail to load?)"
    assert int(st["nodes"]) == len(graph.nodes) == int(st["expected-nodes"])
    assert int(st["edges"]) == len(graph.edges)
    assert int(st["in-view"]) == len(graph.nodes), "some nodes are outside the fitted view"
    assert int(st["painted"]) > 100, "the canvas stayed blank"
    assert "<canvas" in dom


# Inventory text that would run script if any of it reached the page as HTML.
IMG = "<img src=x onerror=\"document.body.setAttribute('data-pwned','img')\">"
SCRIPT = "</script><script>document.body.setAttribute('data-pwned','script')</script>"

# Added by the test only: hover the asset node, then copy the tooltip vis-network shows.
HOVER_JS = """<script>
setTimeout(function () {
  var id = "asset:cv-screening";
  var p = network.canvasToDOM(network.getPositions([id])[id]);
  var c = network.canvas.frame.canvas, r = c.getBoundingClientRect();
  c.dispatchEvent(new MouseEvent("mousemove",
    {clientX: r.left + p.x, clientY: r.top + p.y, bubbles: true}));
  setTimeout(function () {
    var tip = document.querySelector("div.vis-tooltip"), out = document.createElement("pre");
    out.id = "cg-tooltip";
    out.textContent = tip ? tip.innerText : "";
    // innerText turns line breaks into <br>; anything else would be markup from the data
    var made = tip ? tip.querySelectorAll("*:not(br)").length : -1;
    out.setAttribute("data-children", String(made));
    document.body.appendChild(out);
  }, 1500);
}, 300);
</script>
</body>"""


def _rewrite(path: Path, key: str, changes: dict[str, str]) -> None:
    with path.open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    for r in rows:
        if r["id"] == key:
            r.update(changes)
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


@pytest.fixture
def hostile(tmp_path: Path) -> Store:
    """The sample organisation with HTML and script in names and titles."""
    folder = tmp_path / "acme"
    shutil.copytree(ACME, folder)
    _rewrite(folder / "assets.csv", "cv-screening", {"name": IMG + " TalentLens"})
    _rewrite(folder / "owners.csv", "jonas.becker", {"name": SCRIPT + " Jonas"})
    _rewrite(folder / "evidence.csv", "E-021", {"title": IMG + SCRIPT})
    store = open_store(Settings(store="ladybug", db=tmp_path / "g.db"))
    store.apply_schema()
    load_inventory(store, folder)
    return store


def test_inventory_html_is_shown_as_text_never_run(hostile: Store, tmp_path: Path) -> None:
    try:
        page = render(asset_graph(hostile, "cv-screening", AS_OF))
    finally:
        hostile.close()
    for payload in (IMG, SCRIPT, "<img src=x", "</script><script>"):
        assert payload not in page  # only ever escaped (JSON \u003c, or &lt; in the legend)
    path = tmp_path / "hostile.html"
    path.write_text(page.replace("</body>", HOVER_JS, 1), encoding="utf-8")
    dom = dump_dom(path, tmp_path / "profile")
    assert status(dom)["state"] == "drawn"
    assert not re.search(r"<body[^>]*data-pwned", dom), "injected script ran"
    assert not re.search(r"<img\b", dom, re.I)
    tip = re.search(r'<pre id="cg-tooltip" data-children="(-?\d+)">(.*?)</pre>', dom, re.S)
    assert tip, "the test could not hover the asset node"
    assert tip.group(1) == "0"  # plain text: no element was created from the name
    shown = " ".join(html.unescape(tip.group(2)).split())  # the tooltip wraps long lines
    assert IMG + " TalentLens" in shown
    assert SCRIPT + " Jonas" in shown  # the owner's name, verbatim
