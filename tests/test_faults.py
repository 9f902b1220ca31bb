"""Every failure FinerWorks can produce, against every tool: the server keeps running and the model is told.

Reads retry as the policy says (the sleeps are recorded, not slept) and then fail with an actionable message;
writes are sent once at confirm time and never retried; a cancelled MCP request abandons its FinerWorks call.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import anyio
import httpx2
import pytest
from mcp import Client
from mcp.types import Tool

from finerworks_mcp.api.client import RetryPolicy
from finerworks_mcp.api.endpoints import ENDPOINTS
from finerworks_mcp.mcp.server import build_server
from finerworks_mcp.simulator import SimulatorState, SimulatorTransport, seed
from finerworks_mcp.simulator.faults import FaultKind
from tests import test_order_writes, test_read_tools, test_writes
from tests.support import Sleeps, call_error, call_ok, hints, settings, text_of
from tests.test_order_writes import real_writes

pytestmark = pytest.mark.anyio

UNKNOWN_TOKEN = "zzzzzzzz-zzzzzzzzzz"
POLICY = RetryPolicy()
BACKOFF = [POLICY.base_delay, POLICY.base_delay * 2]

READ_ARGUMENTS: dict[str, dict[str, Any]] = {case.tool: case.arguments for case in test_read_tools.CASES}
WRITE_ARGUMENTS: dict[str, dict[str, Any]] = {**test_order_writes.VALID_ARGUMENTS, **test_writes.VALID_ARGUMENTS}
WORKFLOW_ARGUMENTS: dict[str, dict[str, Any]] = {
    "quote_prices": {"items": [{"product_sku": seed.VALID_PRODUCT_CODE}], "recipient": test_read_tools.TEXAS},
    "lookup_orders": {"order_ids": [seed.SHIPPED_ORDER_ID], "order_pos": [seed.DELIVERED_ORDER_PO]},
    "plan_inventory_cleanup": {},
}
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
"""Valid arguments for every tool on the list (the other test files own most of them)."""


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


ANSWERS_ANYWAY = {("quote_prices", "refusal")}
"""Tools that answer despite the failure, with FinerWorks' words in the answer: a refused price chunk becomes lines
marked not priced, because the other chunks of a large quote are still worth having."""


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


@asynccontextmanager
async def connected(
    sim: SimulatorState, mode: str = "auto", **env: str
) -> AsyncIterator[tuple[Client, ArmedTransport, Sleeps]]:
    transport, sleeps = ArmedTransport(sim), Sleeps()
    # Time stands still under recorded sleeps; without headroom the server's own rate limit would join in.
    env = {"MAX_RPS": "1000", **env}
    server = build_server(settings(**env), transport=transport, retry=RetryPolicy(sleep=sleeps))
    async with Client(server, mode=mode) as client:  # type: ignore[arg-type]
        yield client, transport, sleeps


def reads_finerworks(tool: Tool) -> bool:
    said = hints(tool)
    return said["read_only_hint"] and said["open_world_hint"]


def proposes(tool: Tool) -> bool:
    annotations = tool.annotations
    return annotations is not None and annotations.read_only_hint is False and tool.name not in GUARD_ARGUMENTS


async def still_answers(client: Client) -> None:
    result = await call_ok(client, "test_my_credentials")
    assert result["user_account"]["account_username"] == seed.ACCOUNT_USERNAME


def assert_actionable(tool: str, message: str) -> None:
    """A ToolError the model can act on: the SDK's prefix, then a reason, never a bare crash or a traceback."""
    assert message.startswith(f"Error executing tool {tool}: "), message
    assert len(message) > len(f"Error executing tool {tool}: ") + 20, message
    assert "Traceback" not in message, message


async def test_the_argument_table_covers_every_listed_tool(sim: SimulatorState) -> None:
    async with connected(sim) as (client, _, _):
        listed = {tool.name for tool in (await client.list_tools()).tools}
    assert listed == set(TOOL_ARGUMENTS)


@pytest.mark.parametrize("failure", FAILURES, ids=[f.name for f in FAILURES])
async def test_every_read_tool_retries_as_the_policy_says_then_explains(
    sim: SimulatorState, mode: str, failure: Failure
) -> None:
    async with connected(sim, mode) as (client, _, sleeps):
        tools = [tool for tool in (await client.list_tools()).tools if reads_finerworks(tool)]
        assert len(tools) >= len(READ_ARGUMENTS)
        for tool in tools:
            sim.faults.clear()
            sleeps.clear()
            already = len(sim.requests)
            sim.faults.add(failure.kind, times=None, **failure.params)
            result = await client.call_tool(tool.name, TOOL_ARGUMENTS[tool.name])
            sent = sim.requests[already:]

            if result.is_error:
                assert_actionable(tool.name, text_of(result))
                assert "Next: " in text_of(result), (tool.name, text_of(result))
                told = text_of(result)
            else:
                assert (tool.name, failure.kind) in ANSWERS_ANYWAY, (tool.name, result.structured_content)
                told = json.dumps(result.structured_content)
            assert failure.says in told, (tool.name, told)
            assert sent, tool.name
            assert all(request.fault == failure.kind for request in sent), tool.name
            assert sim.write_requests == []
            if failure.retried:
                calls, leftover = divmod(len(sent), POLICY.attempts)
                assert leftover == 0, (tool.name, len(sent))
                assert sorted(sleeps) == sorted(failure.delays * calls), (tool.name, sleeps)
            else:
                assert sleeps == [], (tool.name, sleeps)
        sim.faults.clear()
        await still_answers(client)


@pytest.mark.parametrize("failure", FAILURES, ids=[f.name for f in FAILURES])
async def test_a_failing_preview_sends_nothing_and_says_so(sim: SimulatorState, failure: Failure) -> None:
    async with connected(sim) as (client, _, _):
        tools = [tool for tool in (await client.list_tools()).tools if proposes(tool)]
        assert {tool.name for tool in tools} >= set(WRITE_ARGUMENTS)
        for tool in tools:
            sim.faults.clear()
            sim.faults.add(failure.kind, times=None, **failure.params)
            result = await client.call_tool(tool.name, TOOL_ARGUMENTS[tool.name])
            if result.is_error:  # a preview that needs FinerWorks' answer cannot be made
                assert_actionable(tool.name, text_of(result))
                assert failure.says in text_of(result), (tool.name, text_of(result))
            else:  # a preview made from the request alone
                assert result.structured_content is not None
            assert real_writes(sim) == [], tool.name
        sim.faults.clear()
        await still_answers(client)


@pytest.mark.parametrize("failure", FAILURES, ids=[f.name for f in FAILURES])
async def test_a_confirmed_write_that_fails_is_sent_once_never_retried_and_reported(
    sim: SimulatorState, failure: Failure
) -> None:
    async with connected(sim) as (client, transport, sleeps):
        for tool, arguments in WRITE_ARGUMENTS.items():
            proposal = await call_ok(client, tool, arguments)
            token = {"confirmation_token": proposal["confirmation_token"]}
            sleeps.clear()
            already = len(real_writes(sim))
            transport.next_write_fails = failure
            message = await call_error(client, "confirm_action", token)
            writes = real_writes(sim)[already:]

            assert_actionable("confirm_action", message)
            assert failure.write_outcome in message, (tool, message)
            assert [r.fault for r in writes] == [failure.kind], tool  # sent once, not retried
            assert sleeps == [], tool
            replay = await call_error(client, "confirm_action", token)
            assert "already used" in replay, (tool, replay)
        await still_answers(client)


async def test_a_write_with_an_unknown_outcome_says_how_to_check_before_trying_again(sim: SimulatorState) -> None:
    async with connected(sim) as (client, transport, _):
        proposal = await call_ok(client, "submit_orders_v2", WRITE_ARGUMENTS["submit_orders_v2"])
        transport.next_write_fails = FAILURES[6]  # timeout
        message = await call_error(client, "confirm_action", {"confirmation_token": proposal["confirmation_token"]})
    assert "It may or may not have happened" in message
    assert "check with" in message
    assert "Do not confirm again" in message


@pytest.mark.parametrize("tool", ["get_prices", "quote_prices", "list_images"])
async def test_a_cancelled_request_abandons_its_finerworks_call(sim: SimulatorState, mode: str, tool: str) -> None:
    async with connected(sim, mode) as (client, transport, _):
        sim.faults.add("latency", seconds=60, times=None)
        with anyio.fail_after(10):
            async with anyio.create_task_group() as group:
                group.start_soon(client.call_tool, tool, TOOL_ARGUMENTS[tool])
                await transport.started.wait()
                group.cancel_scope.cancel()  # what a client does when the person stops the request
            await transport.abandoned.wait()
        sim.faults.clear()
        await still_answers(client)
