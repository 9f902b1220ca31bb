"""What the tests share: a server on the simulator, reached through an MCP client, and ways to look upstream."""

from __future__ import annotations

import socket
import tempfile
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Collection, Mapping
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import anyio
import uvicorn
from mcp import Client
from mcp.client import ClientRequestContext
from mcp.server import MCPServer
from mcp.types import CallToolResult, ElicitRequestParams, ElicitResult, TextContent, Tool

from finerworks_mcp.api.client import RetryPolicy
from finerworks_mcp.config import load_settings
from finerworks_mcp.mcp.server import build_server
from finerworks_mcp.simulator import (
    SIMULATOR_APP_KEY,
    SIMULATOR_WEB_API_KEY,
    SimulatorState,
    SimulatorTransport,
    create_app,
)

MODES = ("auto", "legacy")

# A recipient the simulator charges sales tax for (Texas, 8.25%).
TEXAS = {
    "first_name": "Maya",
    "last_name": "Lindqvist",
    "address_1": "2100 Guadalupe St",
    "city": "Austin",
    "state_code": "TX",
    "zip_postal_code": "78705",
    "country_code": "us",
}


class Sleeps(list[float]):
    """Stands in for anyio.sleep: records each backoff instead of waiting it out."""

    async def __call__(self, seconds: float) -> None:
        self.append(seconds)


# Tests never write the audit log into the real home directory.
AUDIT_DIR = Path(tempfile.mkdtemp(prefix="finerworks-audit-"))


def settings(**env: str) -> Any:
    """Settings for the simulator with its keys configured (the composition root would hand them over)."""
    defaults = {
        "FINERWORKS_ENV": "simulator",
        "FINERWORKS_AUDIT_LOG": str(AUDIT_DIR / "audit.jsonl"),
        "FINERWORKS_WEB_API_KEY": SIMULATOR_WEB_API_KEY,
        "FINERWORKS_APP_KEY": SIMULATOR_APP_KEY,
    }
    return load_settings({**defaults, **{f"FINERWORKS_{k.upper()}": v for k, v in env.items()}})


def make_server(
    sim: SimulatorState,
    *,
    sleeps: Sleeps | None = None,
    env: Mapping[str, str] | None = None,
    clock: Callable[[], float] = time.time,
) -> MCPServer[Any]:
    """A server whose FinerWorks is `sim`. `env` holds FINERWORKS_* settings without the prefix."""
    return build_server(
        settings(**(env or {})),
        transport=SimulatorTransport(sim),
        retry=RetryPolicy(sleep=sleeps if sleeps is not None else Sleeps()),
        clock=clock,
    )


@asynccontextmanager
async def connect(
    sim: SimulatorState,
    mode: str = "auto",
    *,
    sleeps: Sleeps | None = None,
    env: Mapping[str, str] | None = None,
    clock: Callable[[], float] = time.time,
    server: MCPServer[Any] | None = None,
    **client_options: Any,
) -> AsyncIterator[Client]:
    """An MCP client talking to a fresh server whose FinerWorks is `sim` (or to `server`, to share one).

    `env` holds FINERWORKS_* settings without the prefix (e.g. {"READ_ONLY": "true"}); `client_options` go to the
    MCP `Client` (e.g. elicitation_callback=...).
    """
    server = server or make_server(sim, sleeps=sleeps, env=env, clock=clock)
    async with Client(server, mode=mode, **client_options) as client:  # type: ignore[arg-type]
        yield client


def text_of(result: CallToolResult) -> str:
    return "\n".join(part.text for part in result.content if isinstance(part, TextContent))


async def call_ok(client: Client, tool: str, arguments: dict[str, Any] | None = None) -> dict[str, Any]:
    """Call a tool that must succeed; return its structured result."""
    result = await client.call_tool(tool, arguments or {})
    assert not result.is_error, text_of(result)
    assert result.structured_content is not None
    return result.structured_content


async def call_error(client: Client, tool: str, arguments: dict[str, Any] | None = None) -> str:
    """Call a tool that must fail; return the text the model reads."""
    result = await client.call_tool(tool, arguments or {})
    assert result.is_error, f"{tool} unexpectedly succeeded: {result.structured_content}"
    return text_of(result)


def upstream(sim: SimulatorState, endpoint: str | None = None) -> list[Any]:
    """The requests that reached the simulator, optionally for one endpoint."""
    return [r for r in sim.requests if endpoint is None or r.endpoint == endpoint]


# The MCP specification's default for each tool hint; compact tool lists leave defaults out.
SPEC_HINT_DEFAULTS = {
    "read_only_hint": False,
    "destructive_hint": True,
    "idempotent_hint": False,
    "open_world_hint": True,
}


def hints(tool: Tool) -> dict[str, bool]:
    """A tool's annotations as a client applying the specification's defaults reads them."""
    given = tool.annotations.model_dump(exclude_none=True) if tool.annotations else {}
    return {name: given.get(name, default) for name, default in SPEC_HINT_DEFAULTS.items()}


# --- issue 11: the guard across workers, crashes and clients -------------------------------------------------------

GUARD_SECRET = "shared-guard-secret-of-at-least-32-characters"


def free_port() -> int:
    """A loopback port for a server that cannot bind port 0 itself (redis-server)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class HeldFinerWorks:
    """The simulator as a real HTTP FinerWorks on loopback. For the `hold` endpoints it does the work, then holds
    the answer until `release`: the request has left and taken effect, the sender does not know yet."""

    def __init__(self, state: SimulatorState, hold: Collection[str]) -> None:
        self.state = state
        self.app = create_app(state)
        self.hold = frozenset(hold)
        self.arrived = anyio.Event()
        self.release = anyio.Event()
        self.base_url = ""

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope["path"].rsplit("/", 1)[-1] not in self.hold:
            return await self.app(scope, receive, send)

        async def held(message: Any) -> None:
            if message["type"] == "http.response.start":
                self.arrived.set()
                await self.release.wait()
            await send(message)

        await self.app(scope, receive, held)


@asynccontextmanager
async def finerworks_on_loopback(state: SimulatorState, hold: Collection[str] = ()) -> AsyncIterator[HeldFinerWorks]:
    """`state` served over HTTP on a port bound to 0 and handed to uvicorn, for worker processes to reach."""
    upstream_app = HeldFinerWorks(state, hold)
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    upstream_app.base_url = f"http://127.0.0.1:{listener.getsockname()[1]}/v3"
    server = uvicorn.Server(uvicorn.Config(upstream_app, lifespan="off", log_config=None, access_log=False))
    async with anyio.create_task_group() as group:
        group.start_soon(server.serve, [listener])
        try:
            yield upstream_app
        finally:
            upstream_app.release.set()
            server.should_exit = True


async def eventually(check: Callable[[], Awaitable[bool]], seconds: float = 30.0) -> None:
    """Wait, bounded, for something that happens elsewhere: a lease running out in another process, a request
    reaching the simulator."""
    with anyio.fail_after(seconds):
        while True:
            if await check():
                return
            await anyio.sleep(0.01)  # polled: what is awaited (another process, the simulator) cannot signal


class FakeClock:
    """A clock the test moves by hand (tokens, leases and retention read it)."""

    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


async def say_yes(context: ClientRequestContext, params: ElicitRequestParams) -> ElicitResult:
    """An elicitation callback: the person approves whatever they are asked."""
    return ElicitResult(action="accept", content={"approve": True})
