"""CLI start-up: wall time of `clausegraph --help` and of `coverage` on the demo's store, and
what `python -X importtime -c 'import api.cli'` spends the most on. Run after `make demo`:

    .venv/bin/python -m bench.startup [--runs 5] [--db clausegraph.db]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

EXE = str(Path(sys.executable).parent / "clausegraph")


def wall(args: list[str], runs: int) -> tuple[float, float]:
    """Median and best wall time in seconds of ``clausegraph ARGS`` over ``runs`` runs."""
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run([EXE, *args], capture_output=True, check=False)  # noqa: S603
        times.append(time.perf_counter() - t0)
    return statistics.median(times), min(times)


def top_imports(n: int = 8) -> list[tuple[int, str]]:
    """The ``n`` slowest top-level imports (cumulative microseconds) of ``import api.cli``."""
    out = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import api.cli"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    rows = []
    for line in out.stderr.splitlines():
        parts = line.removeprefix("import time:").split("|")
        if len(parts) == 3 and parts[1].strip().isdigit():
            rows.append((int(parts[1]), parts[2].rstrip()))
    return sorted(rows, reverse=True)[:n]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--db", default="clausegraph.db")
    a = ap.parse_args()
    for name, args in (
        ("--help", ["--help"]),
        ("coverage", ["--db", a.db, "coverage", "cv-screening", "14", "--as-of", "2026-11-25"]),
    ):
        med, best = wall(args, a.runs)
        sys.stdout.write(f"{name:10} median {med:.3f} s, best {best:.3f} s ({a.runs} runs)\n")
    sys.stdout.write("import api.cli, slowest imports (cumulative):\n")
    for us, mod in top_imports():
        sys.stdout.write(f"  {us / 1000:7.1f} ms {mod}\n")


if __name__ == "__main__":
    main()
