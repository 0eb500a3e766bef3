"""The picture before it is drawn: nodes, edges and a legend.

Each view builds a :class:`ViewGraph` from the store; ``graph/views/render.py`` turns it into
HTML. Keeping the model plain data lets tests count exactly what the browser must draw.

Labels and tooltips are plain text on purpose: vis-network draws labels on a canvas and shows
string tooltips with ``innerText``, so inventory text is never parsed as HTML (see render.py).
"""

from __future__ import annotations

import datetime as dt
import textwrap
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

Layout = Literal["hierarchical", "force"]

# Status colours (fill, border): one meaning everywhere — green ok, amber stale, red gap.
GREEN = ("#c8e6c9", "#2e7d32")
AMBER = ("#ffe082", "#e65100")
RED = ("#ef9a9a", "#b71c1c")
GAP = ("#d32f2f", "#7f0000")
GREY = ("#eeeeee", "#9e9e9e")
ASSET = ("#37474f", "#102027")
OWNER = ("#d1c4e9", "#512da8")
CLAUSE = ("#bbdefb", "#1565c0")
CONTROL = ("#90caf9", "#0d47a1")
OBJECTIVE = ("#64b5f6", "#0d47a1")
ARTICLE = ("#ffe0b2", "#ef6c00")
DATASET = ("#b2dfdb", "#00695c")

# Crosswalk relations (NIST IR 8477), colour-blind safe (Okabe-Ito); `related` claims nothing.
RELATION_COLOURS: dict[str, str] = {
    "equal": "#009e73",
    "superset": "#56b4e9",
    "subset": "#0072b2",
    "intersect": "#e69f00",
    "related": "#999999",
}
STRUCTURE_EDGE = "#b0bec5"
TOOLTIP_WIDTH = 72  # characters; vis tooltips do not wrap by themselves


@dataclass(frozen=True)
class Node:
    id: str
    label: str
    title: str
    colours: tuple[str, str]  # (fill, border)
    level: int | None = None  # column in hierarchical layouts
    shape: str = "box"
    dashed: bool = False
    font_colour: str = "#1a1a1a"
    bold: bool = False


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    colour: str
    title: str = ""
    dashed: bool = False
    width: float = 1.5
    arrow: bool = True


@dataclass(frozen=True)
class LegendItem:
    label: str
    colours: tuple[str, str]
    kind: Literal["node", "edge"] = "node"
    dashed: bool = False


@dataclass
class ViewGraph:
    title: str
    subtitle: str
    layout: Layout
    legend: list[LegendItem]
    nodes: dict[str, Node] = field(default_factory=dict)
    edges: dict[tuple[str, str], Edge] = field(default_factory=dict)

    def add(self, node: Node) -> str:
        """Add a node once (the first description wins, so callers add in a stable order)."""
        self.nodes.setdefault(node.id, node)
        return node.id

    def link(self, edge: Edge) -> None:
        self.edges.setdefault((edge.source, edge.target), edge)


def node_id(kind: str, key: object) -> str:
    return f"{kind}:{key}"


def count(n: int, noun: str, plural: str = "") -> str:
    """'1 AI system', '2 AI systems'."""
    return f"{n} {noun if n == 1 else plural or noun + 's'}"


def short(text: object, limit: int = 48) -> str:
    """A label: one line per `\\n`, cut with an ellipsis so boxes stay small."""
    value = "" if text is None else str(text)
    return "\n".join(s if len(s) <= limit else s[: limit - 1] + "…" for s in value.split("\n"))


def _value(v: object) -> str:
    if isinstance(v, list | tuple | set | frozenset):
        return ", ".join(str(x) for x in v)
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, dt.date):
        return v.isoformat()
    return str(v)


def tooltip(heading: str, fields: Iterable[tuple[str, object]]) -> str:
    """Plain-text tooltip: a heading, then `name: value` lines, wrapped; empty values skipped."""
    lines = _wrap(heading)
    for name, v in fields:
        if v is None or v == "" or v == [] or v == ():
            continue
        lines += _wrap(f"{name}: {_value(v)}", indent="    ")
    return "\n".join(lines)


def _wrap(text: str, indent: str = "") -> list[str]:
    # Ids (cv-screening) and URIs stay whole: no breaks at hyphens or inside long words.
    return textwrap.wrap(
        text,
        TOOLTIP_WIDTH,
        subsequent_indent=indent,
        break_on_hyphens=False,
        break_long_words=False,
    ) or [text]
