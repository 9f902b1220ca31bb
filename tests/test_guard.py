"""The guard: a change runs only once a person confirmed it, exactly once, and every step is audited."""

from __future__ import annotations

import json
from pathlib import Path

import anyio
import pytest
from mcp.client import ClientRequestContext
from mcp.types import ElicitRequestParams, ElicitResult

from finerworks_mcp.simulator import SimulatorState
from finerworks_mcp.simulator.seed import ON_HOLD_ORDER_ID, RECEIVED_ORDER_ID
from tests.support import FakeClock, call_error, call_ok, connect, make_server, text_of, upstream

pytestmark = pytest.mark.anyio

HOLD = {"order_id": RECEIVED_ORDER_ID, "update_command": "hold"}


class Person:
    """An elicitation callback that answers as a person would, and remembers what it was asked."""

    def __init__(self, action: str = "accept", approve: bool = True) -> None:
        self.action = action
        self.approve = approve
        self.asked: list[str] = []

    async def __call__(self, context: ClientRequestContext, params: ElicitRequestParams) -> ElicitResult:
        self.asked.append(params.message)
        content = {"approve": self.approve} if self.action == "accept" else None
        return ElicitResult(action=self.action, content=content)  # type: ignore[arg-type]


def _order_status(sim: SimulatorState, order_id: int) -> str:
    return sim.orders[order_id].status.label


async def test_a_change_tool_sends_nothing_and_returns_a_confirmation(sim: SimulatorState, mode: str) -> None:
    async with connect(sim, mode) as client:
        proposal = await call_ok(client, "update_order", HOLD)
    assert proposal["confirmation_required"] is True
    assert len(proposal["confirmation_token"]) <= 20
    assert proposal["environment"] == "simulator"
    assert proposal["expires_at"].endswith("Z")
    assert str(RECEIVED_ORDER_ID) in proposal["summary"]
    assert "confirm_action" in proposal["next"]
    assert upstream(sim, "update_order") == []


async def test_without_a_way_to_ask_the_token_is_the_confirmation(sim: SimulatorState, mode: str) -> None:
    async with connect(sim, mode) as client:
        token = (await call_ok(client, "update_order", HOLD))["confirmation_token"]
        done = await call_ok(client, "confirm_action", {"confirmation_token": token})
    assert done["executed"] is True
    assert done["status"] == "executed"
    assert len(upstream(sim, "update_order")) == 1
    assert _order_status(sim, RECEIVED_ORDER_ID) == "On Hold"


async def test_a_person_who_accepts_is_asked_with_the_summary_first(sim: SimulatorState, mode: str) -> None:
    person = Person()
    async with connect(sim, mode, elicitation_callback=person) as client:
        proposal = await call_ok(client, "update_order", HOLD)
        done = await call_ok(client, "confirm_action", {"confirmation_token": proposal["confirmation_token"]})
    assert done["executed"] is True
    assert len(person.asked) == 1
    assert proposal["summary"] in person.asked[0]
    assert "simulator" in person.asked[0]
    assert len(upstream(sim, "update_order")) == 1


@pytest.mark.parametrize(("action", "approve"), [("decline", True), ("cancel", True), ("accept", False)])
async def test_a_person_who_says_no_stops_the_change(
    sim: SimulatorState, mode: str, action: str, approve: bool
) -> None:
    person = Person(action, approve)
    async with connect(sim, mode, elicitation_callback=person) as client:
        token = (await call_ok(client, "update_order", HOLD))["confirmation_token"]
        done = await call_ok(client, "confirm_action", {"confirmation_token": token})
        again = await call_error(client, "confirm_action", {"confirmation_token": token})
    assert done["executed"] is False
    assert done["status"] == "declined"
    assert "Nothing was sent" in done["message"]
    assert "declined by the person" in again
    assert upstream(sim, "update_order") == []


async def test_elicit_mode_refuses_a_client_that_cannot_ask_without_a_protocol_error(
    sim: SimulatorState, mode: str
) -> None:
    async with connect(sim, mode, env={"CONFIRMATION": "elicit"}) as client:
        token = (await call_ok(client, "update_order", HOLD))["confirmation_token"]
        message = await call_error(client, "confirm_action", {"confirmation_token": token})
    assert "FINERWORKS_CONFIRMATION=elicit" in message
    assert "cannot ask" in message
    assert upstream(sim, "update_order") == []


async def test_elicit_mode_runs_the_change_once_a_person_approves(sim: SimulatorState, mode: str) -> None:
    person = Person()
    async with connect(sim, mode, env={"CONFIRMATION": "elicit"}, elicitation_callback=person) as client:
        token = (await call_ok(client, "update_order", HOLD))["confirmation_token"]
        done = await call_ok(client, "confirm_action", {"confirmation_token": token})
    assert done["executed"] is True
    assert len(person.asked) == 1


async def test_a_used_token_cannot_run_twice(sim: SimulatorState, mode: str) -> None:
    async with connect(sim, mode) as client:
        token = (await call_ok(client, "update_order", HOLD))["confirmation_token"]
        await call_ok(client, "confirm_action", {"confirmation_token": token})
        message = await call_error(client, "confirm_action", {"confirmation_token": token})
    assert "already used" in message
    assert len(upstream(sim, "update_order")) == 1


async def test_an_expired_token_is_refused_and_says_when_it_expired(sim: SimulatorState) -> None:
    clock = FakeClock()
    async with connect(sim, clock=clock) as client:
        proposal = await call_ok(client, "update_order", HOLD)
        clock.now += 600.001  # just after the default TTL of ten minutes
        message = await call_error(client, "confirm_action", {"confirmation_token": proposal["confirmation_token"]})
        pending = await call_ok(client, "list_pending_actions")
    assert "expired" in message
    assert proposal["expires_at"] in message
    assert pending["actions"] == []
    assert upstream(sim, "update_order") == []


@pytest.mark.parametrize(("age", "confirmed"), [(29.999, True), (30.001, False)], ids=["just-before", "just-after"])
async def test_a_configured_ttl_holds_to_the_moment(sim: SimulatorState, age: float, confirmed: bool) -> None:
    clock = FakeClock()
    async with connect(sim, clock=clock, env={"CONFIRMATION_TTL": "30"}) as client:
        token = (await call_ok(client, "update_order", HOLD))["confirmation_token"]
        clock.now += age
        result = await client.call_tool("confirm_action", {"confirmation_token": token})
    assert result.is_error is not confirmed, text_of(result)
    assert ("expired" in text_of(result)) is not confirmed
    assert len(upstream(sim, "update_order")) == int(confirmed)


@pytest.mark.parametrize("position", [-1, 3])
async def test_an_altered_token_is_refused(sim: SimulatorState, position: int) -> None:
    async with connect(sim) as client:
        token: str = (await call_ok(client, "update_order", HOLD))["confirmation_token"]
        flipped = "2" if token[position] != "2" else "3"
        altered = token[:position] + flipped + (token[position + 1 :] if position != -1 else "")
        message = await call_error(client, "confirm_action", {"confirmation_token": altered})
    assert "altered or mistyped" in message or "not known" in message
    assert upstream(sim, "update_order") == []


async def test_a_token_for_one_change_cannot_approve_another(sim: SimulatorState) -> None:
    async with connect(sim) as client:
        first = (await call_ok(client, "update_order", HOLD))["confirmation_token"]
        other = {"order_id": ON_HOLD_ORDER_ID, "update_command": "pending"}
        second = (await call_ok(client, "update_order", other))["confirmation_token"]
        spliced = first.split("-")[0] + "-" + second.split("-")[1]
        message = await call_error(client, "confirm_action", {"confirmation_token": spliced})
    assert "altered or mistyped" in message


async def test_an_unknown_token_says_to_preview_again(sim: SimulatorState, mode: str) -> None:
    async with connect(sim, mode) as client:
        message = await call_error(client, "confirm_action", {"confirmation_token": "abcdefgh-jkmnpqrstu"})
    assert "not known to this server" in message
    assert "Call the write tool again" in message


async def test_two_concurrent_confirmations_run_the_change_exactly_once(sim: SimulatorState, mode: str) -> None:
    sim.faults.add("latency", endpoint="update_order", seconds=0.05, times=None)
    outcomes: list[bool] = []
    async with connect(sim, mode) as client:
        token = (await call_ok(client, "update_order", HOLD))["confirmation_token"]

        async def confirm() -> None:
            result = await client.call_tool("confirm_action", {"confirmation_token": token})
            outcomes.append(not result.is_error)

        with anyio.fail_after(10):
            async with anyio.create_task_group() as group:
                group.start_soon(confirm)
                group.start_soon(confirm)
    assert sorted(outcomes) == [False, True]
    assert len(upstream(sim, "update_order")) == 1


async def test_a_token_from_one_connection_is_confirmed_on_another(sim: SimulatorState) -> None:
    server = make_server(sim)
    async with connect(sim, server=server) as first:
        token = (await call_ok(first, "update_order", HOLD))["confirmation_token"]
    async with connect(sim, "legacy", server=server) as second:
        done = await call_ok(second, "confirm_action", {"confirmation_token": token})
    assert done["executed"] is True


async def test_cancelling_drops_the_change_for_good(sim: SimulatorState, mode: str) -> None:
    async with connect(sim, mode) as client:
        token = (await call_ok(client, "update_order", HOLD))["confirmation_token"]
        listed = await call_ok(client, "list_pending_actions")
        cancelled = await call_ok(client, "cancel_action", {"confirmation_token": token})
        after = await call_ok(client, "list_pending_actions")
        message = await call_error(client, "confirm_action", {"confirmation_token": token})
    assert [a["confirmation_token"] for a in listed["actions"]] == [token]
    assert cancelled["cancelled"] is True
    assert after["actions"] == []
    assert "cancelled" in message
    assert upstream(sim, "update_order") == []


async def test_a_write_that_may_have_happened_is_reported_as_unknown_and_never_retried(
    sim: SimulatorState, mode: str
) -> None:
    sim.faults.add("server_error", endpoint="update_order", status=503, times=None)
    async with connect(sim, mode) as client:
        token = (await call_ok(client, "update_order", HOLD))["confirmation_token"]
        message = await call_error(client, "confirm_action", {"confirmation_token": token})
        again = await call_error(client, "confirm_action", {"confirmation_token": token})
    assert "Outcome unknown" in message
    assert f"fetch_order_status with order_ids [{RECEIVED_ORDER_ID}]" in message
    assert "outcome is unknown" in again
    assert len(upstream(sim, "update_order")) == 1


async def test_a_refused_write_says_nothing_changed_and_uses_up_the_token(sim: SimulatorState) -> None:
    sim.faults.add("refusal", endpoint="update_order", message="Order is locked")
    async with connect(sim) as client:
        token = (await call_ok(client, "update_order", HOLD))["confirmation_token"]
        message = await call_error(client, "confirm_action", {"confirmation_token": token})
    assert "FinerWorks refused the change; nothing was changed" in message
    assert "Order is locked" in message


async def test_the_audit_log_records_every_step_without_keys(sim: SimulatorState, tmp_path: Path) -> None:
    log = tmp_path / "audit" / "log.jsonl"
    person = Person(action="decline")
    async with connect(sim, env={"AUDIT_LOG": str(log)}) as client:
        executed = (await call_ok(client, "update_order", HOLD))["confirmation_token"]
        await call_ok(client, "confirm_action", {"confirmation_token": executed})
        cancelled = (await call_ok(client, "update_order", HOLD))["confirmation_token"]
        await call_ok(client, "cancel_action", {"confirmation_token": cancelled})
    async with connect(sim, env={"AUDIT_LOG": str(log)}, elicitation_callback=person) as client:
        declined = (await call_ok(client, "update_order", HOLD))["confirmation_token"]
        await call_ok(client, "confirm_action", {"confirmation_token": declined})
    records = [json.loads(line) for line in log.read_text().splitlines()]
    events = [r["event"] for r in records]
    assert events == ["previewed", "confirmed", "executed", "previewed", "cancelled", "previewed", "declined"]
    for record in records:
        assert {"time", "event", "environment", "tool", "digest", "summary"} <= set(record)
        assert record["environment"] == "simulator"
        assert record["tool"] == "update_order"
    assert records[1]["confirmed_by"] == "token (client cannot ask)"
    text = log.read_text()
    from finerworks_mcp.simulator import SIMULATOR_APP_KEY, SIMULATOR_WEB_API_KEY

    assert SIMULATOR_WEB_API_KEY not in text
    assert SIMULATOR_APP_KEY not in text
    assert executed not in text  # a token is a bearer credential for its change


async def test_an_unwritable_audit_log_stops_the_change_before_anything_is_sent(
    sim: SimulatorState, tmp_path: Path
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    async with connect(sim, env={"AUDIT_LOG": str(blocker / "audit.jsonl")}) as client:
        message = await call_error(client, "update_order", HOLD)
    assert "audit log" in message
    assert "nothing was sent" in message
    assert upstream(sim, "update_order") == []
