"""The CLI imports what a command needs when it runs: start-up loads no web, view or data-frame
stack, and a read command loads no pydantic (typer's adapters, pydantic-settings) either (a
behaviour check on sys.modules, not a timing test; numbers in docs/performance.md)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from api.session import Clausegraph
from graph.stores.ladybug_store import LadybugStore

HEAVY = ("pyvis", "fastapi", "uvicorn", "pandas", "pyarrow", "ladybug", "networkx", "api.session")
PYDANTIC = ("pydantic", "pydantic_core", "pydantic_settings", "typer._adapters")
ACME = Path(__file__).resolve().parents[2] / "examples" / "acme"


def _loaded(code: str, watched: tuple[str, ...]) -> list[str]:
    """Which of ``watched`` (or their submodules) a fresh interpreter running ``code`` loads."""
    probe = (
        f"{code}\nimport json, sys\n"
        f"print(json.dumps(sorted(m for m in sys.modules if m in {watched!r} "
        f"or m.split('.')[0] in {watched!r})))"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    return list(json.loads(out.stdout.strip().splitlines()[-1]))


def test_importing_the_cli_loads_none_of_the_heavy_modules() -> None:
    assert _loaded("import api.cli", HEAVY + PYDANTIC) == []


def test_a_read_command_loads_no_pydantic(tmp_path: Path) -> None:
    db = tmp_path / "g.db"
    store = LadybugStore(db)
    store.apply_schema()
    Clausegraph(store).load_catalogs()
    Clausegraph(store).load_inventory(ACME)
    store.close()
    run = (
        "import sys\n"
        f"sys.argv = ['clausegraph', '--db', {str(db)!r}, 'coverage', 'cv-screening', '14',"
        " '--format', 'json']\n"
        "from api.cli import main\n"
        "try:\n    main()\nexcept SystemExit as e:\n    assert not e.code, e.code\n"
    )
    assert _loaded(run, (*PYDANTIC, "pyarrow", "pandas", "fastapi", "pyvis")) == []
