"""Pending actions shared between workers: SQLite on one host, Redis across hosts, still exactly once.

The Redis tests start their own `redis-server` on a free loopback port (no persistence). Without the binary they
skip, except under CI=true, where they fail: CI must run them (`apt-get install redis-server`).
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import textwrap
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import anyio
import pytest
import redis
from mcp import Client, StdioServerParameters

from finerworks_mcp.guard.binding import Binding
from finerworks_mcp.guard.factory import build_guard, build_store, serving_store
from finerworks_mcp.guard.store import ActionStore, PendingAction
from finerworks_mcp.guard.stores import RETENTION_SECONDS
from finerworks_mcp.settings import ConfigError
from finerworks_mcp.simulator import SimulatorState
from tests.support import (
    AUDIT_DIR,
    ORDER_WRITE_ARGUMENTS,
    call_error,
    call_ok,
    loopback_socket,
    make_server,
    real_writes,
    settings,
    text_of,
)

pytestmark = pytest.mark.anyio

SECRET = "shared-guard-secret-of-at-least-32-characters"
LEASE_UNTIL = 1_000_300.0
HOLD_ORDER = ("update_order", ORDER_WRITE_ARGUMENTS["update_order"])
ADDRESS_IN_BODY = "415 SW Yamhill St"


# Redis runs as a process of its own: its cases are slow tests.
@pytest.fixture(params=["memory", "sqlite", pytest.param("redis", marks=pytest.mark.slow)])
def store_env(request: pytest.FixtureRequest, tmp_path: Path) -> dict[str, str]:
    """FINERWORKS_* settings (without the prefix) naming a store of each kind."""
    if request.param == "memory":
        return {}
    return {"STATE_URL": shared_url(request, tmp_path), "GUARD_SECRET": SECRET}


@pytest.fixture(params=["sqlite", pytest.param("redis", marks=pytest.mark.slow)])
def shared_env(request: pytest.FixtureRequest, tmp_path: Path) -> dict[str, str]:
    """Settings two workers share: the guard secret and a store both can reach."""
    return {"STATE_URL": shared_url(request, tmp_path), "GUARD_SECRET": SECRET}


def shared_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "redis":
        return request.getfixturevalue("redis_url")
    return f"sqlite:///{tmp_path}/state/actions.db"


@asynccontextmanager
async def opened(env: dict[str, str], clock: Callable[[], float] = time.time) -> AsyncIterator[ActionStore]:
    """The store a server with these settings would use, open as during a server's lifespan."""
    guard = build_guard(settings(**env), clock=clock)
    async with serving_store(guard):
        yield guard.store


def action(action_id: str, *, now: float = 1_000_000.0, ttl: float = 600.0) -> PendingAction:
    return PendingAction(
        id=action_id,
        token=f"{action_id}-signature",
        tool="update_customer",
        endpoint="update_customer",
        body={"order_id": 1, "customer_info": {"address_1": ADDRESS_IN_BODY}},
        digest="d" * 64,
        binding=Binding(environment="simulator", base_url="http://simulator.invalid/v3"),
        client="local",
        summary=f"Change the customer of order 1 ({action_id})",
        preview={"order_id": 1},
        created_at=now,
        expires_at=now + ttl,
    )


@asynccontextmanager
async def workers(sim: SimulatorState, env: dict[str, str]) -> AsyncIterator[tuple[Client, Client]]:
    """Two servers built apart (as two workers would be) with the same settings, on one FinerWorks."""
    async with (
        Client(make_server(sim, env=env)) as first,  # type: ignore[arg-type]
        Client(make_server(sim, env=env)) as second,  # type: ignore[arg-type]
    ):
        yield first, second


# --- choosing a store -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "complaint"),
    [
        ("postgres://db/actions", "unknown scheme postgres://; use sqlite:///"),
        ("sqlite://relative.db", "a SQLite URL names a file after three slashes"),
        ("redis:///0", "a Redis URL names its host"),
    ],
)
def test_an_unusable_state_url_stops_the_start_with_the_choices(url: str, complaint: str) -> None:
    with pytest.raises(ConfigError) as refused:
        settings(STATE_URL=url, GUARD_SECRET=SECRET)
    assert f"FINERWORKS_STATE_URL: {complaint}" in str(refused.value)
    assert url not in str(refused.value)  # a URL may carry a password


def test_a_shared_store_without_a_shared_guard_secret_stops_the_start(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="FINERWORKS_GUARD_SECRET must be set"):
        settings(STATE_URL=f"sqlite:///{tmp_path}/actions.db")


def test_a_redis_password_is_masked_in_the_settings_shown_to_people() -> None:
    shown = settings(STATE_URL="redis://:hunter2-redis@cache.internal:6379/2", GUARD_SECRET=SECRET).masked()
    assert shown["FINERWORKS_STATE_URL"] == "redis://:***@cache.internal:6379/2"


def test_a_sqlite_file_that_cannot_be_created_stops_the_start(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("not a folder")
    with pytest.raises(ConfigError, match="cannot use the SQLite file"):
        build_store(settings(STATE_URL=f"sqlite:///{tmp_path}/file/actions.db", GUARD_SECRET=SECRET))


def test_the_sqlite_file_is_readable_by_its_owner_only(tmp_path: Path) -> None:
    build_store(settings(STATE_URL=f"sqlite:///{tmp_path}/actions.db", GUARD_SECRET=SECRET))
    assert (tmp_path / "actions.db").stat().st_mode & 0o077 == 0


# --- the store contract, for every kind -------------------------------------------------------------------------


async def test_of_many_simultaneous_claims_exactly_one_gets_the_action(store_env: dict[str, str]) -> None:
    async with opened(store_env) as store:
        await store.put(action("a1"))
        winners: list[PendingAction] = []

        async def claim() -> None:
            claimed = await store.claim("a1", LEASE_UNTIL)
            if claimed is not None:
                winners.append(claimed)

        with anyio.fail_after(20):
            async with anyio.create_task_group() as group:
                for _ in range(25):
                    group.start_soon(claim)
        assert [w.state for w in winners] == ["claimed"]
        assert winners[0].body == action("a1").body
        assert (await store.get("a1")).state == "claimed"  # type: ignore[union-attr]
        assert await store.claim("a1", LEASE_UNTIL) is None


async def test_a_settled_action_is_remembered_without_its_request_body(store_env: dict[str, str]) -> None:
    async with opened(store_env) as store:
        await store.put(action("a1"))
        claimed = await store.claim("a1", LEASE_UNTIL)
        assert claimed is not None
        await store.finish(claimed, "executed")
        settled = await store.get("a1")
        assert settled is not None
        assert (settled.state, settled.body, settled.summary) == ("executed", None, action("a1").summary)
        assert await store.claim("a1", LEASE_UNTIL) is None
        assert await store.get("never-stored") is None


async def test_only_open_actions_are_listed_oldest_first(store_env: dict[str, str]) -> None:
    async with opened(store_env, clock=lambda: 1_000_000.0) as store:
        for n, action_id in enumerate(["a3", "a1", "a2", "a4"]):
            await store.put(action(action_id, now=1_000_000.0 + n))
        await store.claim("a2", LEASE_UNTIL)
        await store.finish(action("a4"), "cancelled")
        listed = await store.list_open("local")
        assert [(a.id, a.state) for a in listed] == [("a3", "pending"), ("a1", "pending"), ("a2", "claimed")]
        assert await store.list_open("someone-else") == []


async def test_sqlite_forgets_actions_a_day_after_they_expire(tmp_path: Path) -> None:
    now = [1_000_000.0]
    env = {"STATE_URL": f"sqlite:///{tmp_path}/actions.db", "GUARD_SECRET": SECRET}
    async with opened(env, clock=lambda: now[0]) as store:
        await store.put(action("old", now=now[0]))
        now[0] += 600 + RETENTION_SECONDS - 1
        await store.put(action("new", now=now[0]))
        assert await store.get("old") is not None  # expired, but still remembered: a replay is told so
        now[0] += 2
        await store.put(action("newer", now=now[0]))
        assert await store.get("old") is None
        assert await store.get("new") is not None


@pytest.mark.slow
async def test_redis_expires_each_action_a_day_after_it_expires(redis_url: str) -> None:
    env = {"STATE_URL": redis_url, "GUARD_SECRET": SECRET}
    async with opened(env, clock=lambda: 1_000_000.0) as store:
        await store.put(action("a1", now=1_000_000.0, ttl=600))
    with redis.Redis.from_url(redis_url) as client:
        lifetime = client.ttl("finerworks-mcp:v2:action:a1")
    assert 600 + RETENTION_SECONDS - 5 <= lifetime <= 600 + RETENTION_SECONDS  # type: ignore[operator]


async def test_an_unreachable_redis_is_a_clear_error_for_the_model(sim: SimulatorState) -> None:
    with loopback_socket(listening=False) as nobody_answers:  # held, not listening: every connection is refused
        env = {"STATE_URL": f"redis://127.0.0.1:{nobody_answers.getsockname()[1]}/0", "GUARD_SECRET": SECRET}
        async with Client(make_server(sim, env=env)) as client:  # type: ignore[arg-type]
            tool, arguments = HOLD_ORDER
            message = await call_error(client, tool, arguments)
    assert "store of proposed changes (Redis) failed (ConnectionError)" in message
    assert "FINERWORKS_STATE_URL" in message
    assert real_writes(sim) == []


# --- two workers, one store -------------------------------------------------------------------------------------


async def test_a_token_proposed_on_one_worker_is_confirmed_on_another_exactly_once(
    sim: SimulatorState, shared_env: dict[str, str]
) -> None:
    tool, arguments = HOLD_ORDER
    async with workers(sim, shared_env) as (first, second):
        proposal = await call_ok(first, tool, arguments)
        listed = await call_ok(second, "list_pending_actions")
        assert [a["confirmation_token"] for a in listed["actions"]] == [proposal["confirmation_token"]]
        done = await call_ok(second, "confirm_action", {"confirmation_token": proposal["confirmation_token"]})
        again = await call_error(first, "confirm_action", {"confirmation_token": proposal["confirmation_token"]})
    assert done["executed"] is True
    assert "was already used: the action ran" in again
    assert len(real_writes(sim)) == 1


async def test_two_workers_confirming_one_token_at_the_same_time_send_it_once(
    sim: SimulatorState, shared_env: dict[str, str]
) -> None:
    tool, arguments = HOLD_ORDER
    async with workers(sim, shared_env) as (first, second):
        proposal = await call_ok(first, tool, arguments)
        token = {"confirmation_token": proposal["confirmation_token"]}
        results: list[Any] = []

        async def confirm(client: Client) -> None:
            results.append(await client.call_tool("confirm_action", token))

        with anyio.fail_after(20):
            async with anyio.create_task_group() as group:
                for client in (first, second, first, second):
                    group.start_soon(confirm, client)
    executed = [r for r in results if not r.is_error]
    refused = [text_of(r) for r in results if r.is_error]
    assert len(executed) == 1
    assert len(refused) == 3
    assert all("being confirmed by another call" in m or "already used" in m for m in refused), refused
    assert len(real_writes(sim)) == 1


async def test_a_change_cancelled_on_one_worker_cannot_be_confirmed_on_another(
    sim: SimulatorState, shared_env: dict[str, str]
) -> None:
    tool, arguments = HOLD_ORDER
    async with workers(sim, shared_env) as (first, second):
        proposal = await call_ok(first, tool, arguments)
        token = {"confirmation_token": proposal["confirmation_token"]}
        await call_ok(second, "cancel_action", token)
        message = await call_error(first, "confirm_action", token)
    assert "was cancelled; nothing was sent" in message
    assert real_writes(sim) == []


async def test_a_worker_with_another_secret_refuses_the_token(sim: SimulatorState, shared_env: dict[str, str]) -> None:
    tool, arguments = HOLD_ORDER
    async with (
        Client(make_server(sim, env=shared_env)) as first,  # type: ignore[arg-type]
        Client(make_server(sim, env={**shared_env, "GUARD_SECRET": "x" * 40})) as stranger,  # type: ignore[arg-type]
    ):
        proposal = await call_ok(first, tool, arguments)
        message = await call_error(stranger, "confirm_action", {"confirmation_token": proposal["confirmation_token"]})
    assert "does not match its action" in message
    assert real_writes(sim) == []


async def test_the_store_keeps_no_address_once_the_change_ran(sim: SimulatorState, tmp_path: Path) -> None:
    env = {"STATE_URL": f"sqlite:///{tmp_path}/actions.db", "GUARD_SECRET": SECRET}
    async with Client(make_server(sim, env=env)) as client:  # type: ignore[arg-type]
        proposal = await call_ok(client, "update_customer", ORDER_WRITE_ARGUMENTS["update_customer"])
        with sqlite3.connect(tmp_path / "actions.db") as db:
            (before,) = db.execute("SELECT body FROM actions").fetchone()
        await call_ok(client, "confirm_action", {"confirmation_token": proposal["confirmation_token"]})
        with sqlite3.connect(tmp_path / "actions.db") as db:
            rows = db.execute("SELECT state, body FROM actions").fetchall()
    assert ADDRESS_IN_BODY in before
    assert rows == [("executed", None)]


@pytest.mark.slow
async def test_the_redis_connections_close_with_the_last_lifespan_and_reopen_on_use(redis_url: str) -> None:
    guard = build_guard(settings(STATE_URL=redis_url, GUARD_SECRET=SECRET))
    with redis.Redis.from_url(redis_url) as probe:
        before = len(probe.client_list())
        async with serving_store(guard), serving_store(guard):  # two connections to one server
            await guard.store.put(action("a1"))
            assert len(probe.client_list()) == before + 1
        assert len(probe.client_list()) == before
        async with serving_store(guard):
            assert (await guard.store.get("a1")) is not None


# --- two real processes on one SQLite file ----------------------------------------------------------------------

RACE = textwrap.dedent(
    """
    import json, sys, time
    from pathlib import Path
    import anyio
    from finerworks_mcp.guard.stores.sqlite_store import SqliteActionStore

    async def main(path, go, count):
        store = SqliteActionStore(Path(path))
        print("ready", flush=True)
        while not Path(go).exists() or not Path(go).read_text():
            time.sleep(0.001)
        start = float(Path(go).read_text())
        won = []
        for n in range(count):  # both processes claim action n at the same instant
            time.sleep(max(0.0, start + n * 0.01 - time.time()))
            if await store.claim(f"a{n}", time.time() + 300) is not None:
                won.append(n)
        print(json.dumps(won))

    anyio.run(main, sys.argv[1], sys.argv[2], int(sys.argv[3]))
    """
)


@pytest.mark.slow
def test_two_worker_processes_on_one_sqlite_file_claim_each_action_once(tmp_path: Path) -> None:
    count = 50
    env = {"STATE_URL": f"sqlite:///{tmp_path}/actions.db", "GUARD_SECRET": SECRET}

    async def propose_all() -> None:
        async with opened(env) as store:
            for n in range(count):
                await store.put(action(f"a{n}", now=time.time()))

    anyio.run(propose_all)
    go = tmp_path / "go"
    racers = [
        subprocess.Popen(
            [sys.executable, "-c", RACE, str(tmp_path / "actions.db"), str(go), str(count)],
            stdout=subprocess.PIPE,
            cwd=Path(__file__).parent.parent,
        )
        for _ in range(2)
    ]
    assert [racer.stdout.readline() for racer in racers] == [b"ready\n", b"ready\n"]  # type: ignore[union-attr]
    go.write_text(str(time.time() + 0.1))
    outputs = [racer.communicate(timeout=60)[0] for racer in racers]
    assert [racer.returncode for racer in racers] == [0, 0]
    first, second = (set(json.loads(output)) for output in outputs)
    assert first.isdisjoint(second)
    assert first | second == set(range(count))


def stdio_worker(env: dict[str, str]) -> StdioServerParameters:
    return StdioServerParameters(
        command=sys.executable,
        args=["-m", "finerworks_mcp", "serve"],
        cwd=str(Path(__file__).parent.parent),
        env={
            "FINERWORKS_ENV": "simulator",
            "FINERWORKS_AUDIT_LOG": str(AUDIT_DIR / "audit.jsonl"),
            **{f"FINERWORKS_{name}": value for name, value in env.items()},
        },
    )


@pytest.mark.slow
async def test_a_token_from_one_worker_process_is_confirmed_by_another_once(tmp_path: Path) -> None:
    env = {"STATE_URL": f"sqlite:///{tmp_path}/actions.db", "GUARD_SECRET": SECRET}
    tool, arguments = HOLD_ORDER
    with anyio.fail_after(60):
        async with Client(stdio_worker(env)) as first, Client(stdio_worker(env)) as second:
            proposal = await call_ok(first, tool, arguments)
            token = {"confirmation_token": proposal["confirmation_token"]}
            done = await call_ok(second, "confirm_action", token)
            again = await call_error(first, "confirm_action", token)
    assert done["executed"] is True
    assert "was already used: the action ran" in again
