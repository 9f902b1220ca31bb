"""Read-only servers and settled actions answer in words: what happened, why, and which tool can help."""

from __future__ import annotations

import pytest
from mcp.client import ClientRequestContext
from mcp.types import ElicitRequestParams, ElicitResult

from finerworks_mcp.mcp.server import WRITE_TOOLS
from finerworks_mcp.simulator import SimulatorState
from finerworks_mcp.simulator.seed import RECEIVED_ORDER_ID
from tests.support import TEXAS, call_error, call_ok, connect, upstream

pytestmark = pytest.mark.anyio

HOLD = {"order_id": RECEIVED_ORDER_ID, "update_command": "hold"}


async def test_a_change_tool_on_a_read_only_server_says_the_server_is_read_only(sim: SimulatorState, mode: str) -> None:
    # Reproduces "Unknown tool: submit_note".
    async with connect(sim, mode, env={"READ_ONLY": "true"}) as client:
        for tool in sorted(WRITE_TOOLS):
            message = await call_error(client, tool, {"order_id": RECEIVED_ORDER_ID})
            assert "Unknown tool" not in message
            assert f"{tool} is for changing things at FinerWorks" in message
            assert "read-only (FINERWORKS_READ_ONLY=true)" in message
            assert "Next: tell the person to make the change at finerworks.com" in message
        assert await call_ok(client, "list_order_status_definitions")
    assert {"submit_note", "update_order", "confirm_action", "plan_inventory_cleanup"} <= WRITE_TOOLS
    assert upstream(sim, "submit_note") == []


async def test_a_tool_no_server_has_is_still_unknown_on_a_read_only_server(sim: SimulatorState) -> None:
    async with connect(sim, env={"READ_ONLY": "true"}) as client:
        message = await call_error(client, "delete_everything")
    assert "Unknown tool: delete_everything" in message


@pytest.mark.parametrize(
    ("tool", "arguments", "undo"),
    [
        pytest.param("update_order", HOLD, "call update_order again", id="order"),
        pytest.param(
            "update_customer",
            {"order_id": RECEIVED_ORDER_ID, "customer_info": TEXAS},
            "call update_customer with the previous address",
            id="address",
        ),
    ],
)
async def test_cancelling_an_executed_action_says_it_cannot_be_undone_here_and_which_tool_can(
    sim: SimulatorState, mode: str, tool: str, arguments: dict[str, object], undo: str
) -> None:
    # Reproduces "It cannot run twice" as the answer to cancelling a change that already ran.
    async with connect(sim, mode) as client:
        proposal = await call_ok(client, tool, arguments)
        token = proposal["confirmation_token"]
        await call_ok(client, "confirm_action", {"confirmation_token": token})
        message = await call_error(client, "cancel_action", {"confirmation_token": token})
    assert "cannot run twice" not in message
    assert "Too late to cancel: this change already ran at FinerWorks" in message
    assert proposal["summary"] in message
    assert "cancelling a token cannot undo it" in message
    assert f"Next: {undo}" in message
    assert len(upstream(sim, tool)) == 1


async def test_the_elicitation_question_states_the_environment_once(sim: SimulatorState, mode: str) -> None:
    asked: list[str] = []

    async def person(context: ClientRequestContext, params: ElicitRequestParams) -> ElicitResult:
        asked.append(params.message)
        return ElicitResult(action="accept", content={"approve": True})

    async with connect(sim, mode, elicitation_callback=person) as client:
        token = (await call_ok(client, "update_order", HOLD))["confirmation_token"]
        await call_ok(client, "confirm_action", {"confirmation_token": token})
    # Reproduces "— simulator\n\nEnvironment: simulator."
    assert len(asked) == 1
    assert asked[0].count("simulator") == 1
    assert asked[0].endswith("Make this change at FinerWorks?")
