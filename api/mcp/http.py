"""MCP over streamable HTTP at ``/mcp`` on the API app, behind the same API keys (reader role).

The SDK's HTTP handler is one ASGI endpoint; it is wrapped by :class:`McpEndpoint`, which answers
a missing or wrong key with the API's own problem details (401/403) before the SDK sees the
request. Stateless mode: every request carries its key, no MCP session outlives a request, so a
revoked key stops working at once. The SDK's DNS-rebinding check (meant for servers without
authentication on localhost) is off: every request must present a key anyway.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from mcp.server.mcpserver import MCPServer
from mcp.server.transport_security import TransportSecuritySettings
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from api.auth import AuthError, Forbidden, StoredKey, authenticate, authorise
from api.mcp.server import build_server
from api.problems import problem
from api.session import Clausegraph

PATH = "/mcp"


class McpEndpoint:
    """The ``/mcp`` endpoint: checks the key (reader role or above), then hands the request to
    the SDK's handler of the running app (:meth:`running`, entered by the app's lifespan; a new
    MCP server per lifespan, as the SDK's session manager runs once)."""

    def __init__(self, keys: list[StoredKey]) -> None:
        self.keys = keys
        self.handler: ASGIApp | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = dict(scope.get("headers") or [])
        presented = headers.get(b"x-api-key", b"").decode("latin-1") or None
        try:
            authorise(authenticate(presented, self.keys), "reader")
        except AuthError as e:
            deny = problem(401, "Unauthorized", str(e), headers={"WWW-Authenticate": "ApiKey"})
            await deny(scope, receive, send)
            return
        except Forbidden as e:
            await problem(403, "Forbidden", str(e))(scope, receive, send)
            return
        if self.handler is None:
            await problem(503, "Service Unavailable", "the MCP server is not running")(
                scope, receive, send
            )
            return
        await self.handler(scope, receive, send)

    @asynccontextmanager
    async def running(self, session: Callable[[], Clausegraph]) -> AsyncIterator[None]:
        server: MCPServer = build_server(session)
        sub = server.streamable_http_app(
            streamable_http_path=PATH, stateless_http=True, json_response=True,
            transport_security=TransportSecuritySettings(enable_dns_rebinding_protection=False),
        )  # fmt: skip
        self.handler = next(
            r.endpoint for r in sub.routes if isinstance(r, Route) and r.path == PATH
        )
        try:
            async with server.session_manager.run():
                yield
        finally:
            self.handler = None


def mcp_route(keys: list[StoredKey]) -> tuple[Route, McpEndpoint]:
    """The ``/mcp`` route and its endpoint (the lifespan enters :meth:`McpEndpoint.running`)."""
    endpoint = McpEndpoint(keys)
    return Route(PATH, endpoint=endpoint, methods=["GET", "POST", "DELETE"]), endpoint
