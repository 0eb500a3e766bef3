"""``clausegraph dashboard -o DIR``: the dashboard's pages as offline HTML for the quarterly pack.

The same templates and figures as the served pages, with links between files instead of routes,
no forms (filters, login, CSV links) and the scripts and styles copied beside the pages, so the
folder opens from disk with the network off. Written to a new folder beside ``DIR`` and swapped
in, so a failure leaves the previous export whole; a folder that is not an earlier export (no
``dashboard.json`` marker) is refused rather than overwritten.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import tempfile
from pathlib import Path
from typing import Any

from api.dashboard import figures
from api.dashboard.pages import STATIC
from api.dashboard.render import exported_url, render
from api.session import Clausegraph
from graph.errors import ClausegraphError

MARKER = "dashboard.json"
MAX_SYSTEMS = 500  # one page per system, and one per applicable article of it


class ExportError(ClausegraphError):
    """The target folder is not an earlier export."""


def _page(folder: Path, name: str, template: str, depth: int, **ctx: Any) -> None:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    html = render(template, url=exported_url(depth), static="../" * depth + "static/",
                  exported=True, user=None, csrf="", **ctx)  # fmt: skip
    path.write_text(html, encoding="utf-8")


def _write(graph: Clausegraph, folder: Path, when: dt.date) -> dict[str, Any]:
    (folder / "static").mkdir(parents=True)
    for name, source in STATIC.items():
        shutil.copyfile(source, folder / "static" / name)
    ctx = {"as_of": when}
    _page(folder, "index.html", "overview.html", 0, page="overview",
          data=figures.overview(graph, when), **ctx)  # fmt: skip
    heat = figures.heatmap(graph, when, limit=MAX_SYSTEMS)
    _page(folder, "articles.html", "articles.html", 0, page="articles", data=heat, chapter="",
          tier="", owner="", chapters=[], csv_href="", **ctx)  # fmt: skip
    _page(folder, "gaps.html", "gaps.html", 0, page="gaps", csv_href="", filters="",
          rows=figures.gap_list(graph, when), upcoming=False, severity="", owner="", asset="",
          **ctx)  # fmt: skip
    _page(folder, "owners.html", "owners.html", 0, page="owners", csv_href="",
          rows=figures.owners(graph, when), **ctx)  # fmt: skip
    _page(folder, "crosswalk.html", "crosswalk.html", 0, page="crosswalk", csv_href="",
          rows=figures.crosswalk(graph), article="", clause="", **ctx)  # fmt: skip
    findings = [f.to_dict(when) for f in graph.findings(None, when)]
    _page(folder, "findings.html", "findings.html", 0, page="findings", rows=findings,
          states=[], state="", severity="", owner="", overdue=False, filters="", csv_href="",
          detail=lambda finding_id: "", **ctx)  # fmt: skip
    pages = 6
    for row in heat["rows"]:
        asset = row["asset"]
        _page(folder, f"systems/{asset}.html", "system.html", 1, page="system",
              data=figures.system(graph, asset, when), **ctx)  # fmt: skip
        for article in row["cells"]:
            name = f"systems/{asset}-art-{article.replace(' ', '_')}.html"
            _page(folder, name, "coverage.html", 1, page="articles", article=article,
                  data=graph.coverage(asset, article, when), **ctx)  # fmt: skip
            pages += 1
        pages += 1
    summary = {"as_of": when.isoformat(), "pages": pages, "systems": len(heat["rows"]),
               "systems_in_store": heat["systems"]}  # fmt: skip
    (folder / MARKER).write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    return summary


def export(graph: Clausegraph, out: Path, when: dt.date) -> dict[str, Any]:
    """Write the dashboard to ``out`` (replacing an earlier export there); return a summary."""
    if out.exists() and (not out.is_dir() or (any(out.iterdir()) and not (out / MARKER).is_file())):
        raise ExportError(f"{out} exists and is not an earlier dashboard export; choose a new path")
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=out.parent, prefix=".dashboard-") as tmp:
        new = Path(tmp) / "new"
        summary = _write(graph, new, when)
        if out.exists():
            out.rename(Path(tmp) / "old")
        new.rename(out)
    return summary
