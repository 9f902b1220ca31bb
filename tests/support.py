"""What the tests share: a server on the simulator, reached through an MCP client, and ways to look upstream; a
clock and ports; valid arguments for every tool; every failure FinerWorks can produce.

Test modules import only this module (tests/test_layers.py checks): a helper two modules need lives here."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Collection, Iterator, Mapping
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import anyio
import httpx2
import pytest
import uvicorn
from mcp import Client
from mcp.client import ClientRequestContext
from mcp.server import MCPServer
from mcp.types import ElicitRequestParams, ElicitResult, Tool

from bench.server_process import text_of
from finerworks_mcp.api.client import RetryPolicy
from finerworks_mcp.api.endpoints import ENDPOINTS
from finerworks_mcp.config import load_settings
from finerworks_mcp.mcp.server import build_server
from finerworks_mcp.simulator import (
    SIMULATOR_APP_KEY,
    SIMULATOR_WEB_API_KEY,
    RecordedRequest,
    SimulatorState,
    SimulatorTransport,
    create_app,
    seed,
)
from finerworks_mcp.simulator.faults import FaultKind

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


class Rewriting(httpx2.AsyncBaseTransport):
    """The simulator, with every JSON answer passed through a rewrite: FinerWorks' quirks (null lists, numbers as
    text, other key case, refusal shapes) on demand, on top of the simulator's own behaviour."""

    def __init__(self, inner: httpx2.AsyncBaseTransport, rewrite: Rewrite) -> None:
        self.inner = inner
        self.rewrite = rewrite

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        sent = json.loads(request.content) if request.content else None
        response = await self.inner.handle_async_request(request)
        content = await response.aread()
        try:
            answer = json.loads(content)
        except ValueError:
            return response
        endpoint = request.url.path.rsplit("/", 1)[-1]
        rewritten = self.rewrite(endpoint, sent, answer)
        return httpx2.Response(response.status_code, json=rewritten, request=request)

    async def aclose(self) -> None:
        await self.inner.aclose()


def each_shipping_option(change: Callable[[dict[str, Any]], None]) -> Rewrite:
    """A rewrite that applies `change` to every option of every list_shipping_options_multiple answer."""

    def rewrite(endpoint: str, _sent: Any, answer: Any) -> Any:
        if endpoint == "list_shipping_options_multiple":
            for order in answer.get("orders") or []:
                for option in order["options"]:
                    change(option)
        return answer

    return rewrite


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
    transport: httpx2.AsyncBaseTransport = SimulatorTransport(sim)
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
    listener = loopback_socket()
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


# --- Time and ports -------------------------------------------------------------------------------------------------


class FakeClock:
    """A clock that stands still until a test moves it (`clock.now += seconds`)."""

    def __init__(self, now: float = 1_800_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def loopback_socket(*, listening: bool = True) -> socket.socket:
    """A socket bound to a port the system chose (port 0), held open and handed to whoever serves on it.

    Nothing else can take the port between choosing and serving, as it could after probing for a "free" one. Not
    listening, it is a port where nobody answers: connections are refused for as long as the test holds it.
    """
    bound = socket.socket()
    bound.bind(("127.0.0.1", 0))
    if listening:
        bound.listen()
    return bound


def base_url_of(bound: socket.socket) -> str:
    return f"http://127.0.0.1:{bound.getsockname()[1]}/v3"


def clean_environment(**extra: str) -> dict[str, str]:
    """A process environment with only what a command needs, so a developer's own FINERWORKS_* cannot leak in."""
    keep = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "SYSTEMROOT", "TMPDIR")}
    return {**keep, "FINERWORKS_AUDIT_LOG": str(AUDIT_DIR / "cli-audit.jsonl"), **extra}


NODE_BIN = Path(__file__).resolve().parent.parent / ".cache" / "node-tools" / "node_modules" / ".bin"


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("true", "1", "yes")


def node_tool(name: str) -> Path:
    """A Node tool .ci/install-node-tools installed, or skip (fail under CI=true) with how to install it."""
    tool = NODE_BIN / name
    if tool.exists() and (NODE_BIN / "node").exists():
        return tool
    reason = f"{name} is not installed in .cache/node-tools: run .ci/install-node-tools"
    if in_ci():
        pytest.fail(f"{reason} (CI=true: the tests that need it must run)")
    pytest.skip(reason)


@contextmanager
def simulator_process() -> Iterator[str]:
    """`finerworks-mcp simulator` in its own process on a port handed over to it; yields its base URL.

    The socket listens before the process starts, so a request made at once waits in the queue until the simulator
    accepts it: nothing polls. The test keeps no copy of the socket, so a simulator that died is refused at once.
    """
    with loopback_socket() as listener:
        base_url = base_url_of(listener)
        process = subprocess.Popen(
            [sys.executable, "-m", "finerworks_mcp", "simulator", "--fd", str(listener.fileno())],
            env=clean_environment(),
            pass_fds=(listener.fileno(),),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    try:
        yield base_url
    finally:
        process.terminate()
        process.wait(timeout=10)


# --- What every tool accepts ----------------------------------------------------------------------------------------

ARTWORK = {"pixel_width": 4000, "pixel_height": 5000}
LARGE_PAPER_PRINT = "5M6M9S24X36"


def quote_order(order_po: str, product_sku: str, product_qty: int) -> dict[str, Any]:
    """One order to price shipping for: `product_qty` of `product_sku` to TEXAS."""
    item = {"product_sku": product_sku, "product_qty": product_qty, "product_image": ARTWORK}
    return {"order_po": order_po, "recipient": TEXAS, "order_items": [item]}


def line_items(sim: SimulatorState, count: int) -> list[dict[str, Any]]:
    """`count` priceable items: inventory SKUs and product codes in turn, in quantities 1 to 5."""
    skus = sorted(sim.products)
    codes = [*sorted({p.product_code for p in sim.products.values()}), seed.VALID_FRAMED_PRODUCT_CODE]
    return [
        {"product_sku": skus[n % len(skus)] if n % 2 else codes[n % len(codes)], "product_qty": n % 5 + 1}
        for n in range(count)
    ]


READ_ARGUMENTS: dict[str, dict[str, Any]] = {
    "get_prices": {
        "products": [
            {"product_sku": seed.VALID_PRODUCT_CODE},
            {"product_sku": seed.VALID_PRODUCT_CODE, "product_qty": 2},
            {"product_sku": LARGE_PAPER_PRINT},
        ]
    },
    "get_product_details": {
        "products": [
            {"product_sku": seed.CONNECTED_SKU},
            {"product_sku": seed.VALID_PRODUCT_CODE, "product_image": ARTWORK},
        ]
    },
    "list_product_types": {"ids": [5]},
    "list_media_types": {"ids": [6]},
    "list_style_types": {},
    "list_collections": {"id": 1},
    "frame_details": {"id": seed.FRAME_ID},
    "list_mats": {},
    "list_glazing": {"id": 2},
    "frame_builder": {"product_code": seed.VALID_FRAMED_PRODUCT_CODE},
    "fetch_order_status": {"order_ids": [seed.SHIPPED_ORDER_ID], "order_pos": [seed.DELIVERED_ORDER_PO, "PO-NOT-OURS"]},
    "list_order_status_definitions": {},
    "list_shipping_options_multiple": {
        "orders": [quote_order("Q-1", seed.VALID_PRODUCT_CODE, 1), quote_order("Q-2", LARGE_PAPER_PRINT, 3)]
    },
    "validate_recipient_address": {"recipient": {**TEXAS, "state_code": "tx", "country_code": "US"}},
    "list_images": {"per_page": 5, "sort_field": "id", "sort_direction": "ASC", "list_products": True},
    "list_file_selection": {"guid": seed.FILE_SELECTION_GUID},
    "list_virtual_inventory": {
        "sku_filter": [seed.CONNECTED_SKU, seed.UNCONNECTED_SKU],
        "page_number": 1,
        "per_page": 50,
    },
    "test_my_credentials": {},
    "get_user": {},
    "list_event_logs": {"type": "error", "sort_field": "id", "sort_direction": "ASC", "per_page": 1},
}
"""Valid arguments for each read tool, answered from the seeded data."""

# Recipients of the order writes: Fort Worth pays Texas sales tax, Portland none.
FORT_WORTH = {
    "first_name": "Hana",
    "last_name": "Kim",
    "address_1": "500 Commerce St",
    "city": "Fort Worth",
    "state_code": "TX",
    "zip_postal_code": "76102",
    "country_code": "us",
}
PORTLAND = {
    "first_name": "Jonah",
    "last_name": "Pierce",
    "address_1": "415 SW Yamhill St",
    "city": "Portland",
    "state_code": "OR",
    "zip_postal_code": "97204",
    "country_code": "us",
}
PRINT = {"product_sku": seed.VALID_PRODUCT_CODE, "product_qty": 3, "product_image": ARTWORK}
TEXAS_ORDER = {"order_po": "PO-2001", "recipient": FORT_WORTH, "order_items": [PRINT], "shipping_code": "SD"}
OREGON_ORDER = {
    "order_po": "PO-2002",
    "recipient": PORTLAND,
    "order_items": [{"product_sku": seed.UNCONNECTED_SKU, "product_qty": 1}],
    "shipping_code": "EC",
}
ORDER_WRITE_ARGUMENTS: dict[str, dict[str, Any]] = {
    "submit_orders_v2": {"orders": [TEXAS_ORDER], "payment_token": "xxxx"},
    "update_order": {"order_id": seed.RECEIVED_ORDER_ID, "update_command": "hold"},
    "update_customer": {"order_id": seed.RECEIVED_ORDER_ID, "customer_info": PORTLAND},
    "submit_note": {"order_id": seed.RECEIVED_ORDER_ID, "subject": "Gift", "message": "Wrap it, no invoice inside."},
}

NEW_IMAGE = {
    "title": "Dawn Heron",
    "description": "A heron at first light.",
    "file_name": "dawn-heron.jpg",
    "private_hires_uri": "https://files.example/dawn-heron.jpg",
    "pix_w": 4000,
    "pix_h": 5000,
}
NEW_BILLING = {
    "first_name": "Ada",
    "last_name": "Moreau",
    "company_name": "Lumen Atelier LLC",
    "address_1": "500 E Cesar Chavez St",
    "city": "Austin",
    "state_code": "TX",
    "zip_postal_code": "78701",
    "country_code": "us",
}
NEW_SELECTION = [seed.IMAGE_WITH_PRODUCTS_GUID, seed.FILE_SELECTION_IMAGE_GUIDS[0]]
NON_ORDER_WRITE_ARGUMENTS: dict[str, dict[str, Any]] = {
    "add_images": {"images": [NEW_IMAGE]},
    "update_images": {"images": [{"guid": seed.IMAGE_WITH_PRODUCTS_GUID, "title": "Misty Heron at Dawn"}]},
    "delete_images": {"guids": [seed.IMAGE_WITH_PRODUCTS_GUID]},
    "update_file_selection": {"guid": seed.FILE_SELECTION_GUID, "guids": NEW_SELECTION},
    "update_virtual_inventory": {
        "virtual_inventory": [{"sku": seed.CONNECTED_SKU, "asking_price": 149.5, "quantity_in_stock": 12}]
    },
    "delete_virtual_inventory": {"skus": [seed.CONNECTED_SKU]},
    "update_user": {"billing_info": NEW_BILLING, "shipping_preferences": [3, 0]},
    "update_app_details": {"app_details": {"app_name": "Lumen Atelier Live", "app_live_mode": True}},
    "add_event": {"type": "warning", "name": "Low stock", "details": "Two prints of Misty Heron left.", "site_id": 2},
}
"""The image, inventory, account and event writes."""

WRITE_ARGUMENTS: dict[str, dict[str, Any]] = {**ORDER_WRITE_ARGUMENTS, **NON_ORDER_WRITE_ARGUMENTS}
WORKFLOW_ARGUMENTS: dict[str, dict[str, Any]] = {
    "quote_prices": {"items": [{"product_sku": seed.VALID_PRODUCT_CODE}], "recipient": TEXAS},
    "lookup_orders": {"order_ids": [seed.SHIPPED_ORDER_ID], "order_pos": [seed.DELIVERED_ORDER_PO]},
    "plan_inventory_cleanup": {},
}
UNKNOWN_TOKEN = "zzzzzzzz-zzzzzzzzzz"
GUARD_ARGUMENTS: dict[str, dict[str, Any]] = {
    "confirm_action": {"confirmation_token": UNKNOWN_TOKEN},
    "cancel_action": {"confirmation_token": UNKNOWN_TOKEN},
    "list_pending_actions": {},
}
TOOL_ARGUMENTS: dict[str, dict[str, Any]] = {
    **READ_ARGUMENTS,
    **WRITE_ARGUMENTS,
    **WORKFLOW_ARGUMENTS,
    **GUARD_ARGUMENTS,
}
"""Valid arguments for every tool on the list."""


# --- Writes and failures --------------------------------------------------------------------------------------------


def is_dry_run(request: RecordedRequest) -> bool:
    """submit_orders_v2 with validate_only: FinerWorks' own check, which creates nothing."""
    return (
        request.endpoint == "submit_orders_v2"
        and isinstance(request.body, dict)
        and request.body.get("validate_only") is True
    )


def real_writes(sim: SimulatorState) -> list[RecordedRequest]:
    """The requests that changed something at the simulated FinerWorks."""
    return [r for r in sim.write_requests if not is_dry_run(r)]


@dataclass(frozen=True)
class Failure:
    name: str
    kind: FaultKind
    params: dict[str, Any]
    says: str
    """Words the model must read when a read fails this way."""
    delays: list[float] = field(default_factory=list[float])
    """The backoff before each retry of a read; empty when it is not retried."""
    write_outcome: str = "Outcome unknown"
    """What confirm_action says when the write itself meets this failure."""

    @property
    def retried(self) -> bool:
        return bool(self.delays)


POLICY = RetryPolicy()
BACKOFF = [POLICY.base_delay, POLICY.base_delay * 2]
REFUSED = "FinerWorks refused the change; nothing was changed."
FAILURES = [
    Failure("429-retry-after", "rate_limit", {"retry_after": 2}, "wait 2 seconds", [2, 2], REFUSED),
    Failure("429-long-retry-after", "rate_limit", {"retry_after": 600}, "wait 600 seconds", [], REFUSED),
    Failure("429-no-retry-after", "rate_limit", {"retry_after": None}, "wait a minute", BACKOFF, REFUSED),
    Failure("500-html", "server_error", {"status": 500}, "(HTTP 500)", BACKOFF),
    Failure("502-json", "server_error", {"status": 502, "body": "json"}, "(HTTP 502): An error has occurred.", BACKOFF),
    Failure("503-html", "server_error", {"status": 503}, "bytes of text/html", BACKOFF),
    Failure("timeout", "timeout", {}, "FinerWorks took too long", BACKOFF),
    Failure("connection-reset", "connection_reset", {}, "FinerWorks could not be reached", BACKOFF),
    Failure("html-page", "malformed", {"variant": "html"}, "Expected a JSON object, got", []),
    Failure("truncated-json", "malformed", {"variant": "truncated"}, "Expected a JSON object, got", []),
    Failure(
        "model-state-400",
        "model_state",
        {"model_state": {"request.per_page": ["The field per_page is invalid."]}},
        "request.per_page: The field per_page is invalid.",
        [],
        REFUSED,
    ),
    Failure("200-success-false", "refusal", {"message": "Account suspended."}, "Account suspended.", [], REFUSED),
]
"""Every way FinerWorks can fail a request, and what the model must read then."""


def is_real_write(request: httpx2.Request) -> bool:
    """A request that would change something at FinerWorks (a validate_only submit is FinerWorks' dry run)."""
    name = request.url.path.rsplit("/", 1)[-1]
    if name not in ENDPOINTS or not ENDPOINTS[name].writes:
        return False
    try:
        body = json.loads(request.content or b"null")
    except ValueError:
        return True
    return not (isinstance(body, dict) and body.get("validate_only") is True)


class ArmedTransport(httpx2.AsyncBaseTransport):
    """The simulator, plus two things a test can ask of it: fail the next real write with a given fault, and
    report when a request starts and whether it was abandoned (cancelled) before FinerWorks answered."""

    def __init__(self, sim: SimulatorState) -> None:
        self.sim = sim
        self.inner = SimulatorTransport(sim)
        self.next_write_fails: Failure | None = None
        self.started = anyio.Event()
        self.abandoned = anyio.Event()

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        if self.next_write_fails is not None and is_real_write(request):
            failure, self.next_write_fails = self.next_write_fails, None
            self.sim.faults.add(failure.kind, request.url.path.rsplit("/", 1)[-1], times=1, **failure.params)
        self.started.set()
        try:
            return await self.inner.handle_async_request(request)
        except anyio.get_cancelled_exc_class():
            self.abandoned.set()
            raise

    async def aclose(self) -> None:
        await self.inner.aclose()


async def still_answers(client: Client) -> None:
    """The server is still up and reading FinerWorks."""
    result = await call_ok(client, "test_my_credentials")
    assert result["user_account"]["account_username"] == seed.ACCOUNT_USERNAME


def assert_actionable(tool: str, message: str) -> None:
    """A ToolError the model can act on: the SDK's prefix, then a reason, never a bare crash or a traceback."""
    assert message.startswith(f"Error executing tool {tool}: "), message
    assert len(message) > len(f"Error executing tool {tool}: ") + 20, message
    assert "Traceback" not in message, message


async def say_yes(context: ClientRequestContext, params: ElicitRequestParams) -> ElicitResult:
    """An elicitation callback: the person approves whatever they are asked."""
    return ElicitResult(action="accept", content={"approve": True})
