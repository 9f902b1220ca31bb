"""What is measured against what: finerworks-mcp, and the bare SDK server (bench/bare_server.py)."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import httpx2

from bench.stdio import StdioServer, python_module
from finerworks_mcp.config import load_settings
from finerworks_mcp.settings import Settings
from finerworks_mcp.simulator import seed

_AUDIT = Path(tempfile.mkdtemp(prefix="finerworks-bench-")) / "audit.jsonl"

FAST_LIMITS = {"FINERWORKS_MAX_RPS": "1000"}
"""The server's own politeness limit toward FinerWorks (20 requests/s by default) would pace 10,000 calls; the
per-call and memory runs lift it to measure the server itself."""

READ_CALL: tuple[str, dict[str, Any]] = (
    "get_prices",
    {"products": [{"product_sku": seed.VALID_PRODUCT_CODE, "product_qty": 1}]},
)
"""The read tool the per-call numbers use: one request to FinerWorks, a typed answer."""
CACHED_CALL: tuple[str, dict[str, Any]] = ("list_glazing", {})
"""A read the server answers from its reference cache after the first call: no FinerWorks request."""
BARE_CALL: tuple[str, dict[str, Any]] = ("add", {"a": 1, "b": 2})


def in_process_settings(**extra: str) -> Settings:
    """Settings for a server built in this process on the simulator (the tests' set-up)."""
    return load_settings({"FINERWORKS_ENV": "simulator", "FINERWORKS_AUDIT_LOG": str(_AUDIT), **extra})


def finerworks_client(base_url: str, transport: httpx2.AsyncBaseTransport | None = None) -> httpx2.AsyncClient:
    """A bare httpx2 client with the simulator's keys: the same FinerWorks request, without MCP or our server."""
    return httpx2.AsyncClient(
        transport=transport,
        base_url=base_url + "/",
        headers={"web_api_key": seed.SIMULATOR_WEB_API_KEY, "app_key": seed.SIMULATOR_APP_KEY},
    )


async def bare_request(client: httpx2.AsyncClient, call: tuple[str, dict[str, Any]]) -> None:
    tool, arguments = call
    response = await client.post(tool, json=arguments)
    response.raise_for_status()
    response.json()


def ours(base_url: str | None = None, **extra: str) -> StdioServer:
    """finerworks-mcp over stdio as a user runs it: the sandbox environment, so no simulator code in the process.

    With `base_url` (a simulator process, bench/simulator_process.py) its FinerWorks answers; without, the server
    is only started and listed, which sends FinerWorks nothing."""
    env = {
        "FINERWORKS_ENV": "sandbox",
        # The keys the simulator accepts; published, not secrets.
        "FINERWORKS_WEB_API_KEY": seed.SIMULATOR_WEB_API_KEY,
        "FINERWORKS_APP_KEY": seed.SIMULATOR_APP_KEY,
        "FINERWORKS_AUDIT_LOG": str(_AUDIT),
        **({"FINERWORKS_BASE_URL": base_url} if base_url else {}),
        **extra,
    }
    return StdioServer(python_module("finerworks_mcp"), env)


def bare() -> StdioServer:
    return StdioServer(python_module("bench.bare_server"))
