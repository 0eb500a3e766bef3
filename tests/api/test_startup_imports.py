"""The CLI imports what a command needs when it runs: start-up loads no web, view or data-frame
stack (a behaviour check on sys.modules, not a timing test; numbers in docs/performance.md)."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("pyvis", "fastapi", "uvicorn", "pandas", "pyarrow", "ladybug", "networkx", "api.session")


def test_importing_the_cli_loads_none_of_the_heavy_modules() -> None:
    code = (
        "import sys, api.cli; "
        f"print(sorted(m for m in sys.modules if m in {HEAVY!r} or m.split('.')[0] in {HEAVY!r}))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"
