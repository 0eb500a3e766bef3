"""Run the HTTP API with uvicorn."""

from __future__ import annotations

from typing import Annotated

import typer

from api.cli.common import state


def serve(
    ctx: typer.Context,
    host: Annotated[str, typer.Option(help="Interface to bind; 0.0.0.0 for all.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.", min=1, max=65535)] = 8000,
    access_log: Annotated[
        bool, typer.Option(help="Log every request (one line each, on stderr).")
    ] = True,
) -> None:
    """Serve the HTTP API (OpenAPI docs at /docs) against the configured store.

    One process: the embedded LadybugDB store is opened read-write by exactly one process, so
    the server scales with threads (concurrent read connections), not worker processes.
    """
    import uvicorn

    from api.app import create_app

    # loop/http "auto": uvloop and httptools (dependencies on Linux and macOS), else asyncio/h11.
    app = create_app(state(ctx).settings, own_process=True)
    uvicorn.run(app, host=host, port=port, access_log=access_log, loop="auto", http="auto")
