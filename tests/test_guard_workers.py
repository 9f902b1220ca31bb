"""The guard across real worker processes: two HTTP workers on one shared store (SQLite, Redis) reaching FinerWorks
(the simulator on loopback) at their FINERWORKS_BASE_URL, set up differently, or one killed mid-write."""

from __future__ import annotations

import contextlib
import json
import signal
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import anyio
import pytest
import redis

from bench.server_process import ServerProcess, http_client, http_server
from finerworks_mcp.simulator import SIMULATOR_APP_KEY, SIMULATOR_WEB_API_KEY, SimulatorState
from finerworks_mcp.simulator.seed import RECEIVED_ORDER_ID
from tests.support import GUARD_SECRET, call_error, call_ok, eventually, finerworks_on_loopback

pytestmark = [pytest.mark.anyio, pytest.mark.slow]

HOLD = {"order_id": RECEIVED_ORDER_ID, "update_command": "hold"}
LOOKUP = f"fetch_order_status with order_ids [{RECEIVED_ORDER_ID}]"


@pytest.fixture(params=["sqlite", "redis"])
def state_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    return request.getfixturevalue("redis_url") if request.param == "redis" else f"sqlite:///{tmp_path}/state.db"


def worker_env(base_url: str, state_url: str, **settings: str) -> dict[str, str]:
    """A worker reaching FinerWorks at `base_url` with the simulator's keys, on the shared store."""
    return {
        "FINERWORKS_ENV": "sandbox",
        "FINERWORKS_BASE_URL": base_url,
        "FINERWORKS_WEB_API_KEY": SIMULATOR_WEB_API_KEY,
        "FINERWORKS_APP_KEY": SIMULATOR_APP_KEY,
        "FINERWORKS_STATE_URL": state_url,
        "FINERWORKS_GUARD_SECRET": GUARD_SECRET,
        **{f"FINERWORKS_{name}": value for name, value in settings.items()},
    }


@contextlib.contextmanager
def two_workers(tmp_path: Path, first: dict[str, str], second: dict[str, str]) -> Iterator[tuple[ServerProcess, ...]]:
    with http_server(tmp_path / "first", first) as one, http_server(tmp_path / "second", second) as two:
        yield one, two


def updates(state: SimulatorState) -> list[Any]:
    return [r for r in state.requests if r.endpoint == "update_order"]


async def test_a_sandbox_change_confirmed_on_a_production_worker_is_refused_and_never_sent(
    tmp_path: Path, state_url: str
) -> None:
    state = SimulatorState()
    async with finerworks_on_loopback(state) as finerworks:
        sandbox = worker_env(finerworks.base_url, state_url)
        production = worker_env(finerworks.base_url, state_url, ENV="production")
        with two_workers(tmp_path, sandbox, production) as (proposer, other), anyio.fail_after(120):
            async with http_client(proposer.mcp_url) as first, http_client(other.mcp_url, "legacy") as second:
                proposal = await call_ok(first, "update_order", HOLD)
                token = {"confirmation_token": proposal["confirmation_token"]}
                refused = await call_error(second, "confirm_action", token)
                assert updates(state) == []
                done = await call_ok(first, "confirm_action", token)
    assert "environment (FINERWORKS_ENV) was sandbox there and is production here" in refused
    assert "Nothing was sent" in refused
    assert done["environment"] == "sandbox"
    assert len(updates(state)) == 1


def body_left(state_url: str, action_id: str) -> Any:
    if state_url.startswith("sqlite"):
        with sqlite3.connect(state_url.removeprefix("sqlite://")) as db:
            return db.execute("SELECT body FROM actions WHERE id = ?", (action_id,)).fetchone()[0]
    with redis.Redis.from_url(state_url) as db:
        return db.get(f"finerworks-mcp:v2:body:{action_id}")


async def test_a_worker_killed_mid_write_leaves_an_outcome_unknown_that_is_never_sent_again(
    tmp_path: Path, state_url: str
) -> None:
    state = SimulatorState()
    async with finerworks_on_loopback(state, hold={"update_order"}) as finerworks:
        env = worker_env(finerworks.base_url, state_url, TIMEOUT="2", CONFIRM_LEASE="4")
        with two_workers(tmp_path, env, env) as (survivor, doomed), anyio.fail_after(120):
            async with http_client(survivor.mcp_url) as client:
                token: str = (await call_ok(client, "update_order", HOLD))["confirmation_token"]

                async def confirm_on_the_doomed_worker() -> None:
                    with contextlib.suppress(Exception):
                        async with http_client(doomed.mcp_url) as other:
                            await other.call_tool("confirm_action", {"confirmation_token": token})

                async with anyio.create_task_group() as group:
                    group.start_soon(confirm_on_the_doomed_worker)
                    await finerworks.arrived.wait()  # FinerWorks made the change; its answer is held
                    doomed.stop(signal.SIGKILL)
                    finerworks.release.set()
                    group.cancel_scope.cancel()
                while_leased = await call_error(client, "confirm_action", {"confirmation_token": token})

                async def reported_unknown() -> bool:
                    listed = await call_ok(client, "list_pending_actions")
                    return [a["status"] for a in listed["actions"]] == ["outcome_unknown"]

                await eventually(reported_unknown, 30)
                listed = await call_ok(client, "list_pending_actions")
                confirmed = await call_error(client, "confirm_action", {"confirmation_token": token})
                cancelled = await call_error(client, "cancel_action", {"confirmation_token": token})
    assert "being confirmed by another call" in while_leased
    (shown,) = listed["actions"]
    assert shown["check"] == LOOKUP
    for message in (confirmed, cancelled):
        assert "Outcome unknown" in message
        assert LOOKUP in message
        assert "never be sent again" in message
    assert len(updates(state)) == 1
    assert body_left(state_url, token.split("-")[0]) is None  # the address left the store with the lease


async def test_each_http_client_sees_and_settles_only_its_own_changes(tmp_path: Path) -> None:
    alice, bob = "alice-token-0123456789abcdefghij", "bob-token-0123456789abcdefghijklm"
    state = SimulatorState()
    async with finerworks_on_loopback(state) as finerworks:
        env = worker_env(finerworks.base_url, f"sqlite:///{tmp_path}/state.db", MCP_TOKENS=f"alice:{alice},bob:{bob}")
        with http_server(tmp_path / "server", env) as server, anyio.fail_after(120):
            async with (
                http_client(server.mcp_url, "auto", token=alice) as as_alice,
                http_client(server.mcp_url, "legacy", token=bob) as as_bob,
            ):
                token = (await call_ok(as_alice, "update_order", HOLD))["confirmation_token"]
                bobs_list = await call_ok(as_bob, "list_pending_actions")
                bob_confirms = await call_error(as_bob, "confirm_action", {"confirmation_token": token})
                bob_cancels = await call_error(as_bob, "cancel_action", {"confirmation_token": token})
                alices_list = await call_ok(as_alice, "list_pending_actions")
                done = await call_ok(as_alice, "confirm_action", {"confirmation_token": token})
    assert bobs_list["actions"] == []
    for refusal in (bob_confirms, bob_cancels):
        assert "belongs to another client" in refusal
    assert [a["confirmation_token"] for a in alices_list["actions"]] == [token]
    assert done["executed"] is True
    assert len(updates(state)) == 1
    records = [json.loads(line) for line in (tmp_path / "server" / "audit.jsonl").read_text().splitlines()]
    steps = {r["event"]: r for r in records}
    assert steps["previewed"]["proposed_by"] == "alice"
    assert steps["confirmed"]["client"] == "alice"
    assert steps["executed"]["proposed_by"] == "alice"
    text = (tmp_path / "server" / "audit.jsonl").read_text() + server.log.text
    assert alice not in text
    assert bob not in text
