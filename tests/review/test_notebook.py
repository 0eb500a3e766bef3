"""The quarterly review notebook: committed without outputs, and it runs top to bottom in a real
Jupyter kernel against a temporary store holding the sample organisation and a Q3 snapshot.

The kernel is this interpreter: the test writes a kernelspec whose argv is ``sys.executable``
into a temporary folder and gives nbclient a kernel manager that looks only there. So it works
on a fresh CI machine (``make test`` created .venv; nothing installed into Jupyter's user or
system paths is needed or used) and can never pick up another Python's ``python3`` kernel.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

import nbformat
import pytest

from api.session import Clausegraph
from graph.settings import Settings
from graph.stores import open_store
from loaders.inventory import load_inventory
from tests.review.conftest import ACME, ROOT

NOTEBOOK = ROOT / "notebooks" / "quarterly_gap_review.ipynb"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def read_notebook() -> Any:
    return nbformat.read(NOTEBOOK, as_version=4)  # type: ignore[no-untyped-call]  # untyped API


def test_notebook_is_committed_without_outputs() -> None:
    nb = read_notebook()
    nbformat.validate(nb)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code and all(c.outputs == [] and c.execution_count is None for c in code)
    assert [c for c in code if "parameters" in c.metadata.get("tags", [])] == [code[0]]
    kinds = [c.cell_type for c in nb.cells]
    assert kinds[0] == "markdown" and kinds.count("markdown") >= 8  # prose between the steps


def private_kernel(folder: Path) -> Any:
    """A kernel manager whose only kernelspec, python3, runs this very interpreter."""
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import AsyncKernelManager

    spec_dir = folder / "kernels" / "python3"
    spec_dir.mkdir(parents=True)
    spec = {"argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
            "display_name": "Python 3 (clausegraph tests)", "language": "python"}  # fmt: skip
    (spec_dir / "kernel.json").write_text(json.dumps(spec), encoding="utf-8")
    specs = KernelSpecManager(kernel_dirs=[str(folder / "kernels")], ensure_native_kernel=False)
    return AsyncKernelManager(kernel_name="python3", kernel_spec_manager=specs)


def prepared_store(tmp_path: Path) -> tuple[Path, Path]:
    db, reports = tmp_path / "g.db", tmp_path / "reports"
    store = open_store(Settings(store="ladybug", db=db))
    try:
        store.apply_schema()
        load_inventory(store, ACME)
        Clausegraph(store).snapshot("2026-Q3", dt.date(2026, 9, 30), coverage=False,
                                    reports=reports)  # fmt: skip
    finally:
        store.close()  # the kernel opens the store itself (one writer at a time)
    return db, reports


def inject_parameters(nb: Any, values: dict[str, str]) -> None:
    """Like papermill: a cell after the parameters cell overrides them."""
    at = next(i for i, c in enumerate(nb.cells) if "parameters" in c.metadata.get("tags", []))
    lines = [f"{k} = {v!r}" for k, v in values.items()]
    lines += ["import sys", f"assert sys.prefix == {sys.prefix!r}, sys.prefix"]
    cell = nbformat.v4.new_code_cell("\n".join(lines))  # type: ignore[no-untyped-call]
    nb.cells.insert(at + 1, cell)


@pytest.mark.notebook
def test_notebook_runs_top_to_bottom(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from nbclient import NotebookClient

    for var in ("NEO4J_URI", "CLAUSEGRAPH_REPORTS", "CLAUSEGRAPH_DB"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("MPLBACKEND", "Agg")
    monkeypatch.setenv("JUPYTER_PLATFORM_DIRS", "1")
    monkeypatch.setenv("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    db, reports = prepared_store(tmp_path)
    out = tmp_path / "out"
    nb = read_notebook()
    inject_parameters(nb, {"STORE": str(db), "LABEL": "2026-Q4", "PREVIOUS": "Q3",
                           "AS_OF": "2026-11-25", "OUT": str(out),
                           "REPORTS": str(reports)})  # fmt: skip
    client = NotebookClient(nb, km=private_kernel(tmp_path), timeout=180,
                            shutdown_kernel="immediate",
                            resources={"metadata": {"path": str(tmp_path)}})  # fmt: skip
    client.execute(cleanup_kc=True)  # we own the kernel manager: shut the kernel down after

    report = (out / "review.md").read_text(encoding="utf-8")
    assert report.startswith("# AI compliance review 2026-Q4")
    assert (
        "20 gaps in force, 9 red-line (critical or high); 27 upcoming (not yet due); "
        "3 of 110 evidence items stale"
    ) in report
    assert "## Changes since 2026-Q3 (2026-09-30)" in report
    assert "| III | " in report.split("## Coverage per AI Act chapter", 1)[1]
    assert "- 3 new, 11 closed, 44 persisting gaps (55 -> 47)" in report
    assert "| high | high_risk_stale_logs | shift-allocation | hannah.schulz |" in report
    charts = sorted(p.name for p in (out / "charts").iterdir())
    assert charts == ["coverage_by_chapter.png", "gaps_by_severity_and_rule.png",
                      "remediation.png", "stale_evidence_by_owner.png", "trend.png"]  # fmt: skip
    assert all((out / "charts" / c).read_bytes().startswith(PNG_MAGIC) for c in charts)
    assert "![Coverage by chapter](charts/coverage_by_chapter.png)" in report
    page = (out / "review.html").read_text(encoding="utf-8")
    assert "![Findings by severity](charts/remediation.png)" in report  # the remediation section
    assert page.count('src="data:image/png;base64,') == 5
    assert (reports / "2026-Q4.json").is_file()  # the notebook took this quarter's snapshot


@pytest.mark.notebook
@pytest.mark.parametrize("cwd", [".", "notebooks"])
def test_notebook_runs_after_the_demo_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cwd: str
) -> None:
    """A checkout where only `clausegraph demo` ran (its store at the root, no Q3 snapshot): the
    unchanged notebook, run from the root or from notebooks/, finds that store and runs to the
    end as a first review."""
    import subprocess

    from nbclient import NotebookClient

    for var in ("NEO4J_URI", "CLAUSEGRAPH_REPORTS", "CLAUSEGRAPH_DB"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("MPLBACKEND", "Agg")
    monkeypatch.setenv("JUPYTER_PLATFORM_DIRS", "1")
    monkeypatch.setenv("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    repo = tmp_path / "checkout"  # a stand-in repository root: pyproject.toml marks it
    (repo / "notebooks").mkdir(parents=True)
    (repo / "pyproject.toml").write_text("[project]\nname = 'stand-in'\n", encoding="utf-8")
    exe = Path(sys.executable).parent / "clausegraph"
    demo = subprocess.run([str(exe), "demo", "--inventory", str(ACME), "--as-of", "2026-11-25"],
                          cwd=repo, capture_output=True, text=True, timeout=300)  # fmt: skip
    assert demo.returncode == 0, demo.stderr
    nb = read_notebook()  # as committed: default parameters, only the review day pinned
    inject_parameters(nb, {"AS_OF": "2026-11-25"})
    client = NotebookClient(nb, km=private_kernel(tmp_path), timeout=180,
                            shutdown_kernel="immediate",
                            resources={"metadata": {"path": str(repo / cwd)}})  # fmt: skip
    client.execute(cleanup_kc=True)

    out = repo / "out" / "review"
    report = (out / "review.md").read_text(encoding="utf-8")
    assert report.startswith("# AI compliance review 2026-Q4")
    assert "## Changes since" not in report
    texts = [o.get("data", {}).get("text/markdown", "") for c in nb.cells
             for o in c.get("outputs", [])]  # fmt: skip
    assert any("**First review**: there is no snapshot '2026-Q3' yet" in t for t in texts)
    assert (repo / "clausegraph.db.snapshots" / "2026-Q4.json").is_file()
    assert not (repo / "notebooks" / "clausegraph.db").exists()  # no empty store beside it
    # the demo walked one finding to resolved: the closure chart replays it from the change log
    assert "![Closure per month](charts/closure.png)" in report
    assert (out / "charts" / "closure.png").read_bytes().startswith(PNG_MAGIC)
