"""A :class:`ViewGraph` becomes one self-contained HTML page (pyvis 0.3.2, vis-network 9.1.2).

Offline: vis-network's JS and CSS are inlined (``cdn_resources="in_line"``) and the Bootstrap
``<link>``/``<script>`` tags pyvis 0.3.2 always adds from a CDN are removed; a final check refuses
any remote script or stylesheet that is left.

No HTML injection from inventory data: node and edge data reach the page only as JSON inside the
script (Jinja's ``tojson`` escapes ``<``, ``>``, ``&`` and ``'``), labels are drawn on the canvas
and tooltips are plain strings that vis-network shows with ``innerText``. pyvis would switch to
an ``innerHTML`` popup when a title contains "href", so the template is rendered here with that
switch off. The header and legend are built with :func:`html.escape`.

Deterministic: nodes and edges keep the order the view added them, options are fixed, and the
physics seed is fixed, so the same graph gives the same bytes and the same layout.
"""

from __future__ import annotations

import copy
import html
import re
from typing import Any

from pyvis.network import Network

from graph.views.model import Edge, LegendItem, Node, ViewGraph

SEED = 42
_REMOTE_LINK = re.compile(r"<link\b[^>]*\bhref\s*=\s*[\"']?(?:https?:)?//[^>]*>", re.I)
_REMOTE_SCRIPT = re.compile(
    r"<script\b[^>]*\bsrc\s*=\s*[\"']?(?:https?:)?//[^>]*>\s*</script>", re.I
)
_REMOTE_ANY = re.compile(
    r"<(?:script|link)\b[^>]*\b(?:src|href)\s*=\s*[\"']?(?:https?:)?//[^\"'\s>]*", re.I
)
_EMPTY_HEADING = re.compile(r"<center>\s*<h1>\s*</h1>\s*</center>")

# The legend is a side panel, not an overlay, so it never hides part of the graph; collapsing
# it gives the network the width (vis-network follows its container with a ResizeObserver).
_CSS = """
body { margin: 0; font-family: system-ui, sans-serif; display: flex; height: 100vh;
  overflow: hidden; }
#cg-legend { flex: 0 0 auto; width: 250px; box-sizing: border-box; height: 100vh;
  overflow-y: auto; padding: 10px 12px; background: #fafafa; border-right: 1px solid #ddd;
  font-size: 12px; line-height: 1.55; }
#cg-legend:not([open]) { width: auto; }
#cg-legend summary { font-size: 14px; font-weight: bold; cursor: pointer; }
#cg-legend p { margin: 4px 0 8px; color: #444; }
#cg-legend ul { list-style: none; margin: 0; padding: 0; }
.card { flex: 1 1 auto; min-width: 0; }
#mynetwork { border: 0; float: none; }
.vis-tooltip { font-family: system-ui, sans-serif; font-size: 13px; }
.cg-sw { display: inline-block; width: 14px; height: 10px; margin-right: 6px;
  vertical-align: middle; border: 2px solid; border-radius: 2px; }
.cg-ln { display: inline-block; width: 18px; margin-right: 6px; vertical-align: middle;
  border-top: 3px solid; }
"""

# Written by the page itself once the network has drawn: the headless-browser tests read it,
# and it is harmless (hidden) for people.
_STATUS_JS = """
network.once("afterDrawing", function (ctx) {
  var status = document.getElementById("cg-status");
  var box = document.getElementById("mynetwork").getBoundingClientRect();
  var positions = network.getPositions(), ids = Object.keys(positions), inView = 0;
  ids.forEach(function (id) {
    var p = network.canvasToDOM(positions[id]);
    if (p.x >= 0 && p.y >= 0 && p.x <= box.width && p.y <= box.height) { inView++; }
  });
  var c = ctx.canvas, px = ctx.getImageData(0, 0, c.width, c.height).data, painted = 0;
  for (var i = 3; i < px.length; i += 4 * 16) { if (px[i] !== 0) { painted++; } }
  status.setAttribute("data-nodes", String(ids.length));
  status.setAttribute("data-edges", String(network.body.data.edges.length));
  status.setAttribute("data-in-view", String(inView));
  status.setAttribute("data-painted", String(painted));
  status.setAttribute("data-state", "drawn");
});
"""

# Force layouts: stop the physics once stable so the picture holds still and stays readable.
_FREEZE_JS = """
network.once("stabilizationIterationsDone", function () {
  network.setOptions({physics: {enabled: false}});
});
"""


_ARROWS: dict[str, Any] = {"arrows": {"to": {"enabled": True, "scaleFactor": 0.5}}}
_COMMON: dict[str, Any] = {
    "interaction": {"hover": True, "tooltipDelay": 120, "hideEdgesOnDrag": True},
    "nodes": {
        "font": {"size": 14, "face": "system-ui, sans-serif"},
        "margin": 8,
        "widthConstraint": {"maximum": 320},
    },
}
# Traces read left to right, one column per kind; positions are computed, no physics needed.
_HIERARCHICAL: dict[str, Any] = _COMMON | {
    "layout": {
        "randomSeed": SEED,
        "hierarchical": {
            "enabled": True,
            "direction": "LR",
            "levelSeparation": 280,
            "nodeSpacing": 36,  # one-line labels: tight columns keep the fitted zoom readable
            "treeSpacing": 48,
            "blockShifting": True,
            "edgeMinimization": True,
            "parentCentralization": True,
            "sortMethod": "directed",
            "shakeTowards": "roots",
        },
    },
    "physics": {"enabled": False},
    "edges": _ARROWS
    | {"smooth": {"type": "cubicBezier", "forceDirection": "horizontal", "roundness": 0.4}},
}
_FORCE: dict[str, Any] = _COMMON | {
    "layout": {"randomSeed": SEED, "improvedLayout": True},
    "physics": {
        "enabled": True,
        "solver": "barnesHut",
        # Strong central gravity keeps unconnected groups close, so the fitted view stays
        # zoomed in far enough for labels to be drawn.
        "barnesHut": {
            "gravitationalConstant": -3500,
            "centralGravity": 0.9,
            "springLength": 110,
            "springConstant": 0.04,
            "damping": 0.3,
            "avoidOverlap": 0.8,
        },
        "stabilization": {"enabled": True, "iterations": 1500, "updateInterval": 50, "fit": True},
    },
    "edges": _ARROWS | {"smooth": {"type": "continuous"}},
}


def _node_options(n: Node) -> dict[str, Any]:
    fill, border = n.colours
    opts: dict[str, Any] = {
        "label": n.label,
        "title": n.title,
        "shape": n.shape,
        "color": {
            "background": fill,
            "border": border,
            "highlight": {"background": fill, "border": "#000000"},
            "hover": {"background": fill, "border": "#000000"},
        },
        "borderWidth": 3 if n.bold else 2,
        "font": {"color": n.font_colour, "bold": n.bold},
        "shapeProperties": {"borderDashes": [6, 4] if n.dashed else False},
    }
    if n.level is not None:
        opts["level"] = n.level
    return opts


def _edge_options(e: Edge) -> dict[str, Any]:
    return {
        "color": {"color": e.colour, "highlight": "#000000", "hover": "#000000"},
        "title": e.title,
        "width": e.width,
        "dashes": e.dashed,
        "arrows": {"to": {"enabled": e.arrow, "scaleFactor": 0.5}},
    }


def _network(graph: ViewGraph) -> Network:
    net = Network(height="100vh", width="100%", directed=True, cdn_resources="in_line")
    for n in graph.nodes.values():
        net.add_node(n.id, **_node_options(n))
    for e in graph.edges.values():
        net.add_edge(e.source, e.target, **_edge_options(e))
    # A dict: pyvis serialises it with json.dumps (its set_options parser mangles strings).
    net.options = copy.deepcopy(_HIERARCHICAL if graph.layout == "hierarchical" else _FORCE)
    return net


def _pyvis_html(net: Network, physics: bool) -> str:
    """pyvis' own template, always with its plain-text tooltips (see the module docstring)."""
    nodes, edges, heading, height, width, options = net.get_network_data()
    template = net.templateEnv.get_template(net.path)
    page: str = template.render(
        height=height,
        width=width,
        nodes=nodes,
        edges=edges,
        heading=heading,
        options=options,
        physics_enabled=physics,
        use_DOT=False,
        dot_lang="",
        widget=False,
        bgcolor=net.bgcolor,
        conf=False,
        tooltip_link=False,
        neighborhood_highlight=False,
        select_menu=False,
        filter_menu=False,
        notebook=False,
        cdn_resources="in_line",
    )
    return page


def _legend_item(item: LegendItem) -> str:
    fill, border = item.colours
    style = "dashed" if item.dashed else "solid"
    if item.kind == "edge":
        swatch = f'<span class="cg-ln" style="border-top: 3px {style} {html.escape(fill)}"></span>'
    else:
        swatch = (
            f'<span class="cg-sw" style="background: {html.escape(fill)}; '
            f'border: 2px {style} {html.escape(border)}"></span>'
        )
    return f"<li>{swatch}{html.escape(item.label)}</li>"


def _overlay(graph: ViewGraph) -> str:
    items = "".join(_legend_item(i) for i in graph.legend)
    return (
        f'<details id="cg-legend" open><summary>{html.escape(graph.title)}</summary>'
        f"<p>{html.escape(graph.subtitle)}</p><ul>{items}</ul></details>"
        f'<div id="cg-status" hidden data-state="loading" data-expected-nodes="{len(graph.nodes)}"'
        f' data-expected-edges="{len(graph.edges)}"></div>'
    )


def offline_problems(page: str) -> list[str]:
    """Remote scripts or stylesheets a page still references (empty when it works offline)."""
    found: list[str] = _REMOTE_ANY.findall(page)
    return found


def render(graph: ViewGraph) -> str:
    """One self-contained, offline HTML page for the graph."""
    physics = graph.layout == "force"
    page = _pyvis_html(_network(graph), physics)
    page = _REMOTE_SCRIPT.sub("", _REMOTE_LINK.sub("", page))
    page = _EMPTY_HEADING.sub("", page)
    page = "<!DOCTYPE html>\n" + page.replace(
        "<head>", f"<head>\n<title>{html.escape(graph.title)}</title>", 1
    )
    page = page.replace("</head>", f"<style>{_CSS}</style>\n</head>", 1)
    page = page.replace('<div class="card"', _overlay(graph) + '\n<div class="card"', 1)
    # Without physics the network drew synchronously already: redraw once for the status.
    scripts = _FREEZE_JS + _STATUS_JS if physics else _STATUS_JS + "network.redraw();\n"
    page = page.replace("</body>", f"<script>{scripts}</script>\n</body>", 1)
    problems = offline_problems(page)
    if problems:  # pyvis changed under us: fail loudly rather than ship a page that needs a CDN
        raise RuntimeError(f"view still references remote resources: {problems}")
    return page
