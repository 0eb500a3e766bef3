"""`clausegraph synth`: write a synthetic organisation's inventory for tests and benchmarks."""

from __future__ import annotations

import time
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer


class SynthFormat(StrEnum):
    csv = "csv"
    parquet = "parquet"


def synth(
    assets: Annotated[int, typer.Option("--assets", help="Number of AI systems.", min=1)],
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder to write (created).")],
    seed: Annotated[int, typer.Option("--seed", help="Random seed; same seed, same bytes.")] = 1,
    fmt: Annotated[
        SynthFormat, typer.Option("--format", "-f", help="File format of the entity files.")
    ] = SynthFormat.csv,
) -> None:
    """Write a synthetic organisation in the documented inventory format (docs/formats.md).

    Realistic shapes (3 datasets and ~20 evidence items per system, 1 owner per 20 systems,
    ~40 controls over the ISO/IEC 42001 Annex A controls, 10 % high-risk) with a few planted gaps
    of every rule. Deterministic: the same --assets and --seed write the same bytes. Needs no store.
    """
    from synth.organisation import synth as write_synth

    started = time.perf_counter()
    counts = write_synth(assets, seed, out, fmt.value)
    for entity, n in counts.items():
        typer.echo(f"{entity:10} {n:9}")
    typer.echo(f"wrote {out} ({fmt.value}) in {time.perf_counter() - started:.1f} s")


def register(app: typer.Typer) -> None:
    app.command()(synth)
