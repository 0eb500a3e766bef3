"""The Jinja2 environment of the dashboard: autoescaped HTML, and links that work both served
(``/ui/...``) and exported (relative file names), so one set of templates serves both."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from api.dashboard.figures import jsonable

HERE = Path(__file__).parent
ENV = Environment(
    loader=FileSystemLoader(HERE / "templates"),
    autoescape=select_autoescape(default=True, default_for_string=True),
    trim_blocks=True,
    lstrip_blocks=True,
)

# page name -> (served path, exported file); {id} is filled from the ``id`` parameter
PAGES: dict[str, tuple[str, str]] = {
    "overview": ("/ui/", "index.html"),
    "articles": ("/ui/articles", "articles.html"),
    "system": ("/ui/systems/{id}", "systems/{id}.html"),
    "coverage": ("/ui/systems/{id}/coverage/{article}", "systems/{id}-art-{article}.html"),
    "owners": ("/ui/owners", "owners.html"),
    "gaps": ("/ui/gaps", "gaps.html"),
    "crosswalk": ("/ui/crosswalk", "crosswalk.html"),
    "changes": ("/ui/changes", "changes.html"),
    "findings": ("/ui/findings", "findings.html"),
}


def served_url(name: str, **params: Any) -> str:
    path, _ = PAGES[name]
    for key in ("id", "article"):
        if "{" + key + "}" in path:
            path = path.replace("{" + key + "}", str(params.pop(key)))
    query = {k: v for k, v in params.items() if v not in ("", None, False)}
    return path + ("?" + urlencode(query) if query else "")


def exported_url(depth: int) -> Callable[..., str]:
    """Links between exported files, from a page ``depth`` folders below the export's root."""
    up = "../" * depth

    def url(name: str, **params: Any) -> str:
        _, file = PAGES[name]
        for key in ("id", "article"):
            if "{" + key + "}" in file:
                file = file.replace("{" + key + "}", str(params.pop(key)).replace(" ", "_"))
        return up + file  # filters are not exported: each page is exported unfiltered

    return url


def data_block(element_id: str, value: Any) -> Markup:
    """A chart's data as a JSON block the page script reads (not executed, so CSP-safe)."""
    text = json.dumps(jsonable(value), separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(f'<script type="application/json" id="{element_id}">{text}</script>')  # noqa: S704 - escaped above


def render(template: str, **context: Any) -> str:
    context.setdefault("url", served_url)
    context.setdefault("static", "/ui/static/")
    context.setdefault("exported", False)
    return ENV.get_template(template).render(data_block=data_block, **context)
