"""Run the HTTP API with uvicorn."""

from __future__ import annotations

from typing import Annotated

import typer

from api.cli.common import state


def serve(
    ctx: typer.Context,
    host: Annotated[str, typer.Option(help="Interface to bind; 0.0.0.0 for all.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.", min=1, max=65535)] = 8000,
) -> None:
    """Serve the HTTP API (OpenAPI docs at /docs) against the configured store."""
    import uvicorn

    from api.app import create_app

    uvicorn.run(create_app(state(ctx).settings), host=host, port=port)
