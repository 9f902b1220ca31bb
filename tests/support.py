"""What the tests share: a server on the simulator, reached through an MCP client, and ways to look upstream."""

from __future__ import annotations

import json
import tempfile
import time
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
from mcp import Client
from mcp.server import MCPServer
from mcp.types import CallToolResult, TextContent, Tool

from finerworks_mcp.api.client import RetryPolicy
from finerworks_mcp.config import load_settings
from finerworks_mcp.mcp.server import build_server
from finerworks_mcp.simulator import SIMULATOR_APP_KEY, SIMULATOR_WEB_API_KEY, SimulatorState, SimulatorTransport

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


Rewrite = Callable[[str, Any, Any], Any]
"""(endpoint, request body, answer) -> the answer the server receives instead."""


class Rewriting(httpx.AsyncBaseTransport):
    """The simulator, with every JSON answer passed through a rewrite: FinerWorks' quirks (null lists, numbers as
    text, other key case, refusal shapes) on demand, on top of the simulator's own behaviour."""

    def __init__(self, inner: httpx.AsyncBaseTransport, rewrite: Rewrite) -> None:
        self.inner = inner
        self.rewrite = rewrite

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        sent = json.loads(request.content) if request.content else None
        response = await self.inner.handle_async_request(request)
        content = await response.aread()
        try:
            answer = json.loads(content)
        except ValueError:
            return response
        endpoint = request.url.path.rsplit("/", 1)[-1]
        rewritten = self.rewrite(endpoint, sent, answer)
        return httpx.Response(response.status_code, json=rewritten, request=request)

    async def aclose(self) -> None:
        await self.inner.aclose()


def each_object(answer: Any, change: Callable[[dict[str, Any]], dict[str, Any]]) -> Any:
    """`answer` with `change` applied to every object in it, innermost first; the status envelope is left alone."""
    if isinstance(answer, list):
        return [each_object(item, change) for item in answer]  # pyright: ignore[reportUnknownVariableType]
    if isinstance(answer, dict):
        inner = {k: v if k == "status" else each_object(v, change) for k, v in answer.items()}  # pyright: ignore[reportUnknownVariableType]
        return change(inner)
    return answer


def _numbers_as_text(value: Any) -> Any:
    return str(value) if isinstance(value, int | float) and not isinstance(value, bool) else value


def _text_as_numbers(value: Any) -> Any:
    return int(value) if isinstance(value, str) and value.isdigit() and not value.startswith("0") else value


QUIRKS: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    # FinerWorks has been seen answering `orders: null`; corsair types every list as nullable.
    "null lists": lambda obj: {k: (None if v == [] else v) for k, v in obj.items()},
    "numbers as text": lambda obj: {
        k: [_numbers_as_text(x) for x in v] if isinstance(v, list) else _numbers_as_text(v) for k, v in obj.items()
    },
    "numeric text as numbers": lambda obj: {k: _text_as_numbers(v) for k, v in obj.items()},
    "other key case": lambda obj: {k if k == "status" else k[:1].upper() + k[1:]: v for k, v in obj.items()},
    "extra fields": lambda obj: {**obj, "field_we_never_heard_of": {"nested": [1, "two"]}},
}
"""Each rewrites every object of an answer the way some FinerWorks answer or client has been seen to."""

REFUSALS: dict[str, dict[str, Any]] = {
    "status envelope": {"status": {"success": False, "status_code": 200, "message": "Quirk: declined."}},
    "top-level success": {"success": False, "message": "Quirk: declined."},
    "top-level Success": {"Success": False, "Message": "Quirk: declined."},
}
"""The shapes of an HTTP 200 that says no."""


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
    rewrite: Rewrite | None = None,
) -> MCPServer[Any]:
    """A server whose FinerWorks is `sim`. `env` holds FINERWORKS_* settings without the prefix; `rewrite`, when
    given, changes each of the simulator's answers on its way back (see `Rewriting`)."""
    transport: httpx.AsyncBaseTransport = SimulatorTransport(sim)
    return build_server(
        settings(**(env or {})),
        transport=Rewriting(transport, rewrite) if rewrite else transport,
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
    rewrite: Rewrite | None = None,
    **client_options: Any,
) -> AsyncIterator[Client]:
    """An MCP client talking to a fresh server whose FinerWorks is `sim` (or to `server`, to share one).

    `env` holds FINERWORKS_* settings without the prefix (e.g. {"READ_ONLY": "true"}); `client_options` go to the
    MCP `Client` (e.g. elicitation_callback=...).
    """
    server = server or make_server(sim, sleeps=sleeps, env=env, clock=clock, rewrite=rewrite)
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
