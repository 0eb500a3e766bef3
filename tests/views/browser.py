"""Drive the real headless Chromium (Debian package `chromium`) and read what the page reports.

Each view writes ``<div id="cg-status" data-nodes=… data-edges=… data-in-view=… data-painted=…>``
once vis-network has drawn; ``--dump-dom`` gives us the DOM after ``--virtual-time-budget``.
Every network request is refused (unreachable proxy, unresolvable hosts), so a page that still
needed a CDN would never draw.
"""

from __future__ import annotations

import html
import re
import subprocess
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
needs_chromium = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="needs the Debian `chromium` package at /usr/bin/chromium (apt-get install chromium)",
)
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--proxy-server=http://127.0.0.1:9",  # nothing listens there: no request can leave
    "--host-resolver-rules=MAP * ~NOTFOUND",
    "--virtual-time-budget=8000",
    "--window-size=1400,900",
]
_STATUS = re.compile(r'<div id="cg-status"([^>]*)>')
_ATTR = re.compile(r'data-([a-z-]+)="([^"]*)"')


def _dump(page: Path, profile: Path, budget_ms: int) -> str:
    flags = [f for f in FLAGS if not f.startswith("--virtual-time-budget")]
    out = subprocess.run(
        [str(CHROMIUM), *flags, f"--virtual-time-budget={budget_ms}",
         f"--user-data-dir={profile}", "--dump-dom", page.as_uri()],
        capture_output=True, text=True, timeout=180,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr[-2000:]
    return out.stdout


def dump_dom(page: Path, profile: Path) -> str:
    """The DOM of a local page after Chromium ran its scripts. A page still "loading" when the
    virtual-time budget ran out (seen on a loaded 2-core machine) gets one more try with a
    larger budget; a page that cannot draw offline stays "loading" and fails the caller."""
    dom = _dump(page, profile, 8000)
    found = _STATUS.search(dom)
    if found and 'data-state="loading"' in found.group(1):
        dom = _dump(page, profile, 30000)
    return dom


def status(dom: str) -> dict[str, str]:
    """The data-* attributes of the page's #cg-status element."""
    found = _STATUS.search(dom)
    assert found, "no #cg-status element in the rendered DOM"
    return {k: html.unescape(v) for k, v in _ATTR.findall(found.group(1))}
