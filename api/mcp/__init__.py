"""The MCP server: AI assistants ask the graph the questions the HTTP API answers.

This package owns the Model Context Protocol face of clausegraph (official Python SDK, ``mcp``
2.x): the tools (coverage, trace, gaps, findings, history, crosswalk, applies) and resources (AI Act
articles, ISO/IEC 42001 clauses and controls, the organisation's controls), built in
:mod:`api.mcp.server` over the same :class:`~api.session.Clausegraph` and the same response
models (api/schemas.py) as the HTTP routes, so an answer carries the same ids and paths;
:mod:`api.mcp.http` mounts it on the HTTP app behind the API keys. ``clausegraph mcp`` runs it
over stdio (docs/mcp.md). It reads only: nothing here writes to the store.
"""
