"""A tiny document model rendered twice: Markdown and a self-contained HTML page.

Bundle summaries and the quarterly review report are built once as blocks (headings,
paragraphs, lists, tables, images) and written as ``.md`` and ``.html`` with the same content.
The HTML has inline CSS and embeds images as data URIs: it opens offline, from one file.
"""

from __future__ import annotations

import base64
import html
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graph.safe_cells import md_cell, md_table

Row = dict[str, Any]
CSS = (
    "body{font-family:system-ui,sans-serif;max-width:70em;margin:2em auto;padding:0 1em;"
    "color:#222}table{border-collapse:collapse;margin:.5em 0 1.5em}th,td{border:1px solid #ccc;"
    "padding:.25em .5em;text-align:left;vertical-align:top}th{background:#f3f3f3}"
    "img{max-width:100%}code{background:#f3f3f3;padding:0 .2em}"
)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return ", ".join(_cell(v) for v in value)
    return str(value)


@dataclass
class Document:
    title: str
    blocks: list[tuple[str, Any]] = field(default_factory=list)

    def heading(self, text: str, level: int = 2) -> None:
        self.blocks.append(("heading", (level, text)))

    def para(self, text: str) -> None:
        self.blocks.append(("para", text))

    def bullets(self, items: Sequence[str]) -> None:
        self.blocks.append(("bullets", list(items)))

    def table(self, rows: Sequence[Row], columns: Sequence[str] | None = None) -> None:
        cols = list(columns) if columns is not None else (list(rows[0]) if rows else [])
        self.blocks.append(("table", (cols, [[_cell(r.get(c)) for c in cols] for r in rows])))

    def image(self, path: Path, alt: str) -> None:
        self.blocks.append(("image", (path, alt)))

    def markdown(self, base: Path | None = None) -> str:
        out = [f"# {md_cell(self.title)}", ""]
        for kind, data in self.blocks:
            out += [*_md(kind, data, base), ""]
        return "\n".join(out)

    def html(self) -> str:
        body = [f"<h1>{html.escape(self.title)}</h1>"]
        body += [_html(kind, data) for kind, data in self.blocks]
        return (
            '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
            f"<title>{html.escape(self.title)}</title><style>{CSS}</style></head>\n<body>\n"
            + "\n".join(body)
            + "\n</body></html>\n"
        )

    def write(self, folder: Path, stem: str) -> tuple[Path, Path]:
        """Write ``<stem>.md`` and ``<stem>.html`` into the folder; image paths relative to it."""
        folder.mkdir(parents=True, exist_ok=True)
        md, page = folder / f"{stem}.md", folder / f"{stem}.html"
        md.write_text(self.markdown(folder), encoding="utf-8")
        page.write_text(self.html(), encoding="utf-8")
        return md, page


def _md(kind: str, data: Any, base: Path | None) -> list[str]:
    if kind == "heading":
        return ["#" * data[0] + " " + md_cell(data[1])]  # titles carry names
    if kind == "para":
        return [data]
    if kind == "bullets":
        return [f"- {md_cell(item)}" for item in data] or ["_(none)_"]
    if kind == "image":
        path, alt = data
        shown = path.relative_to(base) if base and path.is_relative_to(base) else path
        return [f"![{alt}]({shown.as_posix()})"]
    cols, rows = data
    if not rows:
        return ["_(none)_"]
    return md_table([dict(zip(cols, r, strict=True)) for r in rows], cols).splitlines()


def _html(kind: str, data: Any) -> str:
    esc = html.escape
    if kind == "heading":
        return f"<h{data[0]}>{esc(data[1])}</h{data[0]}>"
    if kind == "para":
        return f"<p>{esc(data)}</p>"
    if kind == "bullets":
        items = "".join(f"<li>{esc(i)}</li>" for i in data)
        return f"<ul>{items}</ul>" if data else "<p><em>(none)</em></p>"
    if kind == "image":
        path, alt = data
        b64 = base64.b64encode(Path(path).read_bytes()).decode("ascii")
        return f'<p><img alt="{esc(alt)}" src="data:image/png;base64,{b64}"></p>'
    cols, rows = data
    if not rows:
        return "<p><em>(none)</em></p>"
    head = "".join(f"<th>{esc(c)}</th>" for c in cols)
    body = "".join("<tr>" + "".join(f"<td>{esc(c)}</td>" for c in r) + "</tr>" for r in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
