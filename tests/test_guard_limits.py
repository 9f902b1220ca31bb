"""What the guard refuses or bounds: malformed tokens, too many waiting proposals, long lists, memory that outlives
its actions, and previews that would send a write endpoint's dry run more than once."""

from __future__ import annotations

import gc
import tracemalloc

import pytest

from finerworks_mcp.guard.store import MEMORY_RETENTION_SECONDS
from finerworks_mcp.settings import ConfigError
from finerworks_mcp.simulator import SimulatorState
from finerworks_mcp.simulator.seed import RECEIVED_ORDER_ID, VALID_PRODUCT_CODE
from tests.support import TEXAS, FakeClock, call_error, call_ok, connect, make_server, say_yes, settings, upstream

pytestmark = pytest.mark.anyio

HOLD = {"order_id": RECEIVED_ORDER_ID, "update_command": "hold"}


def event(n: int) -> dict[str, object]:
    return {"type": "other", "name": f"event {n}", "details": "x" * 2_000}


@pytest.mark.parametrize(
    "token",
    ["", "ñandú-señal", "abcdefgh-jkmnpqrstü", "x" * 10_240, "abcdefgh-jkmnpqrstu\x00"],
    ids=["empty", "non-ascii", "non-ascii-signature", "10KB", "nul"],
)
@pytest.mark.parametrize("asks", [False, True], ids=["cannot-ask", "can-ask"])
async def test_a_malformed_token_gets_a_clean_refusal(sim: SimulatorState, mode: str, token: str, asks: bool) -> None:
    async with connect(sim, mode, elicitation_callback=say_yes if asks else None) as client:
        await call_ok(client, "update_order", HOLD)
        refusals = [
            await call_error(client, tool, {"confirmation_token": token})
            for tool in ("confirm_action", "cancel_action")
        ]
    for refusal in refusals:
        assert "This is not a confirmation token" in refusal
        assert "Next:" in refusal
        assert "Traceback" not in refusal
        assert "validation error" not in refusal
        assert "Arguments" not in refusal
    assert upstream(sim, "update_order") == []


async def test_a_client_has_at_most_the_pending_limit_and_a_clear_refusal_beyond(sim: SimulatorState) -> None:
    async with connect(sim, env={"PENDING_LIMIT": "3"}) as client:
        tokens = [(await call_ok(client, "add_event", event(n)))["confirmation_token"] for n in range(3)]
        refused = await call_error(client, "add_event", event(3))
        await call_ok(client, "cancel_action", {"confirmation_token": tokens[0]})
        fourth = await call_ok(client, "add_event", event(3))
    assert "already has 3 proposed changes waiting" in refused
    assert "FINERWORKS_PENDING_LIMIT" in refused
    assert "Next:" in refused
    assert fourth["confirmation_required"] is True


async def test_pending_actions_are_listed_a_page_at_a_time(sim: SimulatorState) -> None:
    async with connect(sim) as client:
        tokens = [(await call_ok(client, "add_event", event(n)))["confirmation_token"] for n in range(25)]
        first = await call_ok(client, "list_pending_actions")
        second = await call_ok(client, "list_pending_actions", {"page": 2})
    assert (first["count"], first["pages"], len(first["actions"])) == (25, 2, 20)
    assert len(second["actions"]) == 5
    assert [a["confirmation_token"] for a in first["actions"] + second["actions"]] == tokens


async def test_settled_and_expired_actions_leave_memory(sim: SimulatorState) -> None:
    clock = FakeClock()
    server = make_server(sim, env={"PENDING_LIMIT": "1000"}, clock=clock)
    async with connect(sim, server=server) as client:
        await call_ok(client, "add_event", event(-1))  # everything a first proposal loads and caches
        tracemalloc.start()
        try:
            baseline = server_memory(sim)
            tokens = [(await call_ok(client, "add_event", event(n)))["confirmation_token"] for n in range(200)]
            for token in tokens[:100]:
                await call_ok(client, "confirm_action", {"confirmation_token": token})
            held = server_memory(sim) - baseline
            clock.now += 600 + MEMORY_RETENTION_SECONDS + 1  # the rest expire; all are past remembering
            await call_ok(client, "list_pending_actions")  # the store sweeps when it is next used
            left = server_memory(sim) - baseline
        finally:
            tracemalloc.stop()
    assert held > 200_000  # 100 proposals with their bodies and previews were held
    assert left < held / 4, (held, left)  # what stays is the SDK's and the test's (the tokens), not the actions


def server_memory(sim: SimulatorState) -> int:
    """Bytes allocated and still held by the server: the simulator (FinerWorks) first forgets what it was sent."""
    sim.requests.clear()
    del sim.events[:]
    gc.collect()
    return tracemalloc.get_traced_memory()[0]


async def test_the_order_preview_sends_its_dry_run_once_even_when_finerworks_answers_503(
    sim: SimulatorState,
) -> None:
    sim.faults.add("server_error", endpoint="submit_orders_v2", status=503, times=2)
    order = {
        "order_po": "PO-503",
        "recipient": TEXAS,
        "order_items": [
            {
                "product_sku": VALID_PRODUCT_CODE,
                "product_qty": 1,
                "product_image": {"pixel_width": 4000, "pixel_height": 5000},
            }
        ],
        "shipping_code": "SD",
    }
    async with connect(sim) as client:
        message = await call_error(client, "submit_orders_v2", {"orders": [order], "payment_token": "xxxx"})
    assert len(upstream(sim, "submit_orders_v2")) == 1
    assert "nothing was changed" in message
    assert "never retried" in message


def test_a_lease_shorter_than_two_requests_stops_the_start_and_a_long_timeout_stretches_the_default() -> None:
    with pytest.raises(ConfigError, match=r"FINERWORKS_CONFIRM_LEASE \(10\) must be at least twice FINERWORKS_TIMEOUT"):
        settings(CONFIRM_LEASE="10", TIMEOUT="30")
    assert settings(TIMEOUT="200").masked()["FINERWORKS_CONFIRM_LEASE"] == "800"


@pytest.mark.parametrize(
    ("tokens", "complaint"),
    [
        ("alice", "list clients as name:token"),
        (f"default:{'a' * 30}", "not local or default"),
        (f"alice:{'a' * 30},alice:{'b' * 30}", "each client name may appear once"),
        (f"alice:{'a' * 30},bob:{'a' * 30}", "each client needs a token of its own"),
        ("alice:short", "at least 24 characters"),
    ],
)
def test_named_client_tokens_are_checked_at_start_and_never_shown(tokens: str, complaint: str) -> None:
    with pytest.raises(ConfigError, match=complaint) as refused:
        settings(MCP_TOKENS=tokens)
    assert "a" * 30 not in str(refused.value)
    shown = settings(MCP_TOKENS=f"alice:{'a' * 30},ci-bot:{'b' * 30}").masked()["FINERWORKS_MCP_TOKENS"]
    assert shown == "alice, ci-bot (a token each, set)"
