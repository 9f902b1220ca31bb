"""Once a request has left, the answer is executed or outcome unknown, never "nothing was sent": a confirm whose
client went away mid-write, and an audit log that fails after the request went out."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import anyio
import pytest
from mcp.types import CallToolResult

from finerworks_mcp.simulator import SimulatorState
from finerworks_mcp.simulator.seed import RECEIVED_ORDER_ID
from tests.support import call_error, call_ok, connect, eventually, text_of, upstream

pytestmark = pytest.mark.anyio

HOLD = {"order_id": RECEIVED_ORDER_ID, "update_command": "hold"}
LOOKUP = f"fetch_order_status with order_ids [{RECEIVED_ORDER_ID}]"


async def sent(sim: SimulatorState, endpoint: str) -> None:
    """Until FinerWorks has the request (its answer may still be on the way)."""

    async def arrived() -> bool:
        return bool(upstream(sim, endpoint))

    await eventually(arrived, 10)


async def test_a_confirm_whose_client_went_away_mid_write_settles_as_outcome_unknown(
    sim: SimulatorState, mode: str, tmp_path: Path
) -> None:
    log = tmp_path / "audit.jsonl"
    sim.faults.add("latency", endpoint="update_order", seconds=30, times=None)  # the answer never comes in time
    async with connect(sim, mode, env={"AUDIT_LOG": str(log)}) as client:
        token = {"confirmation_token": (await call_ok(client, "update_order", HOLD))["confirmation_token"]}
        async with anyio.create_task_group() as group:
            group.start_soon(client.call_tool, "confirm_action", token)
            await sent(sim, "update_order")
            group.cancel_scope.cancel()  # the person closed the app; the client cancels its request

        async def settled() -> bool:
            return "unknown" in await call_error(client, "confirm_action", token)

        await eventually(settled, 10)  # the server settles the cancelled call as soon as it hears of it
        again = await call_error(client, "confirm_action", token)
        cancel = await call_error(client, "cancel_action", token)
        listed = await call_ok(client, "list_pending_actions")
    assert "outcome is unknown" in again
    assert LOOKUP in again
    assert "being confirmed by another call" not in again
    assert "outcome is unknown" in cancel
    assert listed["actions"] == []
    assert len(upstream(sim, "update_order")) == 1
    events = [json.loads(line)["event"] for line in log.read_text().splitlines()]
    assert events[-1] == "outcome_unknown"


async def confirm_while_the_audit_log_breaks(sim: SimulatorState, log: Path) -> CallToolResult:
    """Confirm a hold; once FinerWorks has the request (its answer held back a moment), the audit log stops working."""
    sim.faults.add("latency", endpoint="update_order", seconds=0.3)
    async with connect(sim, env={"AUDIT_LOG": str(log)}) as client:
        token = {"confirmation_token": (await call_ok(client, "update_order", HOLD))["confirmation_token"]}
        results: list[CallToolResult] = []
        async with anyio.create_task_group() as group:

            async def confirm() -> None:
                results.append(await client.call_tool("confirm_action", token))

            group.start_soon(confirm)
            await sent(sim, "update_order")
            break_the_audit_log(log)
    (result,) = results
    return result


def break_the_audit_log(log: Path) -> None:
    """Put a folder where the file was: the log cannot be appended to any more."""
    log.unlink()
    log.mkdir()


async def test_an_audit_log_that_fails_after_sending_is_named_in_the_result_and_logged_loudly(
    sim: SimulatorState, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    result = await confirm_while_the_audit_log_breaks(sim, tmp_path / "audit.jsonl")
    assert not result.is_error
    done = result.structured_content or {}
    assert done["executed"] is True
    assert "audit log could not record this" in done["message"]
    assert "nothing was sent" not in done["message"].lower()
    assert sim.orders[RECEIVED_ORDER_ID].status.label == "On Hold"
    loud = [r for r in caplog.records if r.levelno >= logging.CRITICAL]
    assert any("was sent" in r.getMessage() and "audit log" in r.getMessage() for r in loud)
    assert not any("nothing was sent" in r.getMessage() for r in loud)


async def test_a_write_that_may_have_happened_keeps_the_audit_failure_beside_the_unknown_outcome(
    sim: SimulatorState, tmp_path: Path
) -> None:
    sim.faults.add("server_error", endpoint="update_order", status=503)
    result = await confirm_while_the_audit_log_breaks(sim, tmp_path / "audit.jsonl")
    message = text_of(result)
    assert result.is_error
    assert "Outcome unknown" in message
    assert LOOKUP in message
    assert "audit log could not record this" in message
    assert "nothing was sent" not in message.lower()
