"""`clausegraph mcp`: the MCP server over stdio, for an AI assistant on this machine."""

from __future__ import annotations

import typer

from api.cli.common import state


def mcp(ctx: typer.Context) -> None:
    """Serve the graph to an AI assistant over MCP (stdio): tools coverage, trace, gaps, findings,
    history, crosswalk and applies; resources for articles, ISO/IEC 42001 clauses and controls.

    Register it with an MCP client as the command `clausegraph --db /path/to/clausegraph.db mcp`
    (docs/mcp.md). It only reads: the embedded store is opened read-only, and reopened when
    another process (a load, `clausegraph serve`) has written since, so answers stay current.
    Over HTTP, `clausegraph serve` offers the same server at /mcp behind the API keys.
    """
    from api.mcp.server import build_server
    from api.mcp.stdio import FreshReader

    reader = FreshReader(state(ctx).settings)
    try:
        build_server(reader.session).run("stdio")
    finally:
        reader.close()
