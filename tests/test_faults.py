"""Every failure FinerWorks can produce, against every tool: the server keeps running and the model is told.

Reads retry as the policy says (the sleeps are recorded, not slept) and then fail with an actionable message;
writes are sent once at confirm time and never retried; a cancelled MCP request abandons its FinerWorks call.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio
import pytest
from mcp import Client
from mcp.types import Tool

from finerworks_mcp.api.client import RetryPolicy
from finerworks_mcp.mcp.server import build_server
from finerworks_mcp.simulator import SimulatorState
from tests.support import (
    FAILURES,
    GUARD_ARGUMENTS,
    POLICY,
    READ_ARGUMENTS,
    TOOL_ARGUMENTS,
    WRITE_ARGUMENTS,
    ArmedTransport,
    Failure,
    Sleeps,
    assert_actionable,
    call_error,
    call_ok,
    hints,
    real_writes,
    settings,
    still_answers,
    text_of,
)

pytestmark = pytest.mark.anyio

ANSWERS_ANYWAY = {("quote_prices", "refusal")}
"""Tools that answer despite the failure, with FinerWorks' words in the answer: a refused price chunk becomes lines
marked not priced, because the other chunks of a large quote are still worth having."""


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
