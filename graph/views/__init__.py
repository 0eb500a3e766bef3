"""Interactive views of the graph: self-contained HTML pages (pyvis) that work offline.

* :func:`crosswalk_view` — ISO/IEC 42001 clauses and controls <-> AI Act articles;
* :func:`asset_view` — one AI system's trace with coverage, freshness and gaps;
* :func:`owner_view` — one owner's AI systems, controls, datasets, evidence and open gaps.

Each returns one HTML string; unknown ids raise :class:`graph.coverage.NotFound`. The
``*_graph`` builders return the same content as plain data (:class:`ViewGraph`). See
docs/views.md.
"""

from __future__ import annotations

import datetime as dt

from graph.gaps import GapContext
from graph.stores import Store
from graph.views.asset_trace import asset_graph
from graph.views.crosswalk_map import crosswalk_graph
from graph.views.model import ViewGraph
from graph.views.owner_workload import owner_graph
from graph.views.render import offline_problems, render

__all__ = [
    "ViewGraph",
    "asset_graph",
    "asset_view",
    "crosswalk_graph",
    "crosswalk_view",
    "offline_problems",
    "owner_graph",
    "owner_view",
]


def crosswalk_view(store: Store, *, chapter: str = "", objective: str = "", tier: str = "") -> str:
    """The crosswalk page. ``chapter``: AI Act chapter in roman numerals ('III'); ``objective``:
    an ISO/IEC 42001 objective or clause number ('A.6', '9') — it and everything under it;
    ``tier``: articles concerning that risk tier ('high'), including those for all tiers."""
    return render(crosswalk_graph(store, chapter=chapter, objective=objective, tier=tier))


def asset_view(
    store: Store,
    asset_id: str,
    as_of: dt.date | None = None,
    *,
    gap_context: GapContext | None = None,
) -> str:
    """One AI system's trace page as of a date (default today). ``gap_context`` carries the
    legal numbers for the gap rules; without it they come from the loaded catalog."""
    return render(asset_graph(store, asset_id, as_of, gap_context=gap_context))


def owner_view(
    store: Store,
    owner_id: str,
    as_of: dt.date | None = None,
    *,
    gap_context: GapContext | None = None,
) -> str:
    """One owner's workload page as of a date (default today)."""
    return render(owner_graph(store, owner_id, as_of, gap_context=gap_context))
