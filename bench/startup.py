"""CLI start-up: wall and CPU time of `clausegraph --help` and of `coverage` on the demo's
store, and what `python -X importtime` spends the most on for each. Run after `make demo`:

    .venv/bin/python -m bench.startup [--runs 5] [--db clausegraph.db]

The load average is printed before and after: on a shared machine the wall times wander with
it, the CPU times (user + system of the process) much less. Our packages are byte-compiled
first, as `make venv` and any run without PYTHONDONTWRITEBYTECODE leave them: without the
.pyc files every run compiles our sources again (≈ 80 ms of `coverage` on this machine), which
is not what a user pays after the first run.
"""

from __future__ import annotations

import argparse
import compileall
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

EXE = str(Path(sys.executable).parent / "clausegraph")
ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("api", "graph", "loaders", "queries")


def timed(args: list[str], runs: int) -> tuple[float, float, float]:
    """Median and best wall time, and median CPU time, in seconds of ``clausegraph ARGS``."""
    walls, cpus = [], []
    for _ in range(runs):
        before, t0 = resource.getrusage(resource.RUSAGE_CHILDREN), time.perf_counter()
        subprocess.run([EXE, *args], capture_output=True, check=True)  # noqa: S603
        walls.append(time.perf_counter() - t0)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return statistics.median(walls), min(walls), statistics.median(cpus)


def top_imports(args: list[str], n: int = 8) -> list[tuple[int, str]]:
    """The ``n`` slowest top-level imports (cumulative microseconds) of ``clausegraph ARGS``."""
    code = f"import sys; sys.argv = ['clausegraph', *{args!r}]; from api.cli import main; main()"
    out = subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-X", "importtime", "-c", code], capture_output=True, text=True,
        check=True,
    )  # fmt: skip
    rows = []
    for line in out.stderr.splitlines():
        parts = line.removeprefix("import time:").split("|")
        if len(parts) == 3 and parts[1].strip().isdigit() and not parts[2].startswith("   "):
            rows.append((int(parts[1]), parts[2].rstrip()))
    return sorted(rows, reverse=True)[:n]


def load() -> str:
    return "load average " + ", ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--db", default="clausegraph.db")
    a = ap.parse_args()
    commands = (
        ("--help", ["--help"]),
        ("coverage", ["--db", a.db, "coverage", "cv-screening", "14", "--as-of", "2026-11-25"]),
    )
    for package in PACKAGES:
        compileall.compile_dir(ROOT / package, quiet=1)
    sys.stdout.write(f"before: {load()}\n")
    for name, args in commands:
        med, best, cpu = timed(args, a.runs)
        sys.stdout.write(
            f"{name:10} median {med:.3f} s, best {best:.3f} s, CPU median {cpu:.3f} s "
            f"({a.runs} runs)\n"
        )
    sys.stdout.write(f"after: {load()}\n")
    for name, args in commands:
        sys.stdout.write(f"{name}: slowest top-level imports (cumulative, one run):\n")
        for us, mod in top_imports(args):
            sys.stdout.write(f"  {us / 1000:7.1f} ms {mod.strip()}\n")


if __name__ == "__main__":
    main()
