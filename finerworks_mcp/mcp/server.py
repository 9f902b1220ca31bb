"""The app factory: `build_server(settings)` returns the MCP server with the chosen toolsets registered."""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncGenerator, Callable
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Any

from mcp.server import MCPServer
from mcp.server.auth.provider import TokenVerifier
from mcp.server.auth.settings import AuthSettings
from mcp.server.mcpserver import Context
from mcp.server.mcpserver.exceptions import ToolError
from mcp.server.request_state import RequestStateSecurity
from mcp.types import CallToolResult, InputRequiredResult
from pydantic import ValidationError

from finerworks_mcp import __version__
from finerworks_mcp.api.client import FinerWorksClient, RetryPolicy
from finerworks_mcp.api.keys import FinerWorksKeys
from finerworks_mcp.api.reference import ReferenceData
from finerworks_mcp.guard import build_guard
from finerworks_mcp.guard.factory import serving_store
from finerworks_mcp.mcp.arguments import invalid_arguments
from finerworks_mcp.mcp.compact import tool_list_middleware
from finerworks_mcp.mcp.context import AppState
from finerworks_mcp.mcp.prompts import register_prompts
from finerworks_mcp.mcp.resources import register_resources
from finerworks_mcp.mcp.tools import DEFAULT_TOOLSETS, TOOLSETS
from finerworks_mcp.mcp.tools.base import sdk_tool
from finerworks_mcp.mcp.tools.guarded import guard_tools
from finerworks_mcp.settings import Environment, Settings

if TYPE_CHECKING:
    import httpx2  # loaded with the first FinerWorks request (connections.py)

SERVER_NAME = "finerworks"

INSTRUCTIONS = """\
FinerWorks fine-art print-on-demand ({env}). Money is USD; sizes are inches.
- Orders: order_id is FinerWorks' number; order_po is the customer's own reference. Tools accept either where noted.
- Product codes look like 5M6M9S16X20 (type 5, media 6, style 9, 16x20 in); inventory SKUs look like AP1234P1234.
  Either works wherever a product_sku is asked for.
- One way to each job: quote_prices to price (with shipping), lookup_orders to find and track orders,
  plan_inventory_cleanup to clear out unused images and products. The endpoint tools are for details.
- test_my_credentials if unsure the account works; list_product_types -> list_media_types ->
  list_style_types to build a product code.
- Lists are paged: per_page up to 50, count is the total. Image and inventory pages are compact (one line per
  item); detail "full" returns every field FinerWorks sent.
- Errors say what failed and what to do next; follow the 'Next:' advice instead of retrying blindly.
{writes}"""

WRITES_ON = """\
- Changes (orders, notes, images, inventory, account) take two steps. A write tool sends nothing:
  it returns a preview, a summary and a confirmation_token. Show the summary to the person and wait
  for their explicit yes; then call confirm_action with the exact token (the client may ask them
  again). If they say no, call cancel_action. Never confirm on your own judgement.
"""
WRITES_OFF = """\
- This server is read-only (FINERWORKS_READ_ONLY=true): it cannot change anything at FinerWorks.
  If the person wants a change, tell them to make it at finerworks.com, or to restart the server
  without FINERWORKS_READ_ONLY.
"""


WRITE_TOOLS = frozenset(
    spec.name for toolset in (*TOOLSETS.values(), guard_tools) for spec in toolset.specs
    if spec.writes or toolset is guard_tools
)  # fmt: skip
"""Tools a read-only server leaves out: every write tool, and the tools that settle proposed writes."""
READ_ONLY_REFUSAL = (
    "{tool} is for changing things at FinerWorks, and this server is read-only (FINERWORKS_READ_ONLY=true), so it "
    "has no such tool; nothing was sent. Next: tell the person to make the change at finerworks.com, or to restart the "
    "server without FINERWORKS_READ_ONLY and ask again."
)


class FinerWorksServer(MCPServer[AppState]):
    """The SDK's server, with the two tool-call answers it words for developers reworded for the model: invalid
    arguments (see arguments.py) and a change tool called on a read-only server."""

    def __init__(self, *args: Any, refused_writes: frozenset[str] = frozenset(), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._refused_writes = refused_writes
        self._input_schemas: dict[str, dict[str, Any]] = {}

    async def call_tool(
        self, name: str, arguments: dict[str, Any], context: Context[AppState, Any] | None = None
    ) -> CallToolResult | InputRequiredResult:
        if name in self._refused_writes:
            raise ToolError(READ_ONLY_REFUSAL.format(tool=name))
        try:
            return await super().call_tool(name, arguments, context)
        except ToolError as error:
            # The SDK raises ToolError from a ValidationError only for the arguments it validates itself;
            # a tool's own failures arrive wrapped in another ToolError.
            if not isinstance(cause := error.__cause__, ValidationError):
                raise
            raise ToolError(invalid_arguments(name, cause, await self._input_schema(name))) from cause

    async def _input_schema(self, name: str) -> dict[str, Any]:
        if not self._input_schemas:
            self._input_schemas = {tool.name: tool.input_schema for tool in await self.list_tools()}
        return self._input_schemas.get(name, {})


def build_server(
    settings: Settings,
    *,
    transport: httpx2.AsyncBaseTransport | None = None,
    keys: FinerWorksKeys | None = None,
    retry: RetryPolicy | None = None,
    clock: Callable[[], float] = time.time,
    token_verifier: TokenVerifier | None = None,
    auth: AuthSettings | None = None,
    request_state_security: RequestStateSecurity | None = None,
) -> MCPServer[AppState]:
    """Build the server. The composition root passes the simulator's transport and keys for FINERWORKS_ENV=simulator
    (`finerworks_mcp.offline`); tests pass a transport (the simulator's, or a fake), a fast retry policy and a clock.

    `token_verifier`, `auth` and `request_state_security` are the SDK's HTTP security options (see http.py).
    """
    reference = ReferenceData(ttl=settings.cache_ttl, clock=clock)
    writes = not settings.read_only
    chosen = [TOOLSETS[name] for name in settings.toolsets or DEFAULT_TOOLSETS]
    tools = [spec for toolset in chosen for spec in toolset.offered(writes=writes)]
    offered = {endpoint for spec in tools for endpoint in spec.endpoints}
    if offered:
        tools += guard_tools.offered(writes=True)
    # One guard per server, not per connection: a token proposed on one connection can be confirmed on another. It
    # confirms only the writes this server's tools propose (a worker with fewer toolsets refuses the others).
    guard = build_guard(settings, offered=offered, clock=clock) if offered else None

    @asynccontextmanager
    async def lifespan(_: MCPServer[AppState]) -> AsyncGenerator[AppState]:
        async with (
            FinerWorksClient(settings, transport=transport, keys=keys, retry=retry) as client,
            reference.serving(client),
            serving_store(guard),
        ):
            yield AppState(settings=settings, client=client, guard=guard, reference=reference)

    server = FinerWorksServer(
        SERVER_NAME,
        title="FinerWorks",
        version=__version__,
        instructions=INSTRUCTIONS.format(
            env=describe_environment(settings), writes=WRITES_OFF if settings.read_only else WRITES_ON
        ),
        website_url="https://finerworks.com",
        lifespan=lifespan,
        log_level="WARNING",
        token_verifier=token_verifier,
        auth=auth,
        request_state_security=request_state_security,
        refused_writes=frozenset(WRITE_TOOLS) if settings.read_only else frozenset(),
        tools=[sdk_tool(spec) for spec in tools],
    )
    # The SDK configures root logging; httpx2 would otherwise log every request line, keys excluded but noisy.
    logging.getLogger("httpx2").setLevel(logging.WARNING)
    server.middleware.append(tool_list_middleware(settings.tool_schemas, {spec.name: spec.fn for spec in tools}))
    register_resources(server, reference)
    register_prompts(server, {spec.name for spec in tools})
    return server


def describe_environment(settings: Settings) -> str:
    match settings.env:
        case Environment.SIMULATOR:
            return "offline simulator: nothing here is real, no money moves"
        case Environment.SANDBOX:
            return "FinerWorks sandbox: test orders, not billed"
        case Environment.PRODUCTION:
            return "FinerWorks PRODUCTION: real orders and real money"
