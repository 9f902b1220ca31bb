"""The server's own limit on calls to FinerWorks: short waits are taken, long ones refused with when to retry."""

from __future__ import annotations

from typing import Any

import anyio
import httpx2
import pytest
from mcp import Client

from finerworks_mcp.api.client import RetryPolicy
from finerworks_mcp.api.errors import LocalRateLimited
from finerworks_mcp.api.ratelimit import RateLimiter
from finerworks_mcp.mcp.server import build_server
from finerworks_mcp.settings import ConfigError
from finerworks_mcp.simulator import SimulatorState, SimulatorTransport, seed
from tests.support import FakeClock, Sleeps, call_error, call_ok, connect, settings, upstream

pytestmark = pytest.mark.anyio

PRICE_ONE = {"products": [{"product_sku": seed.VALID_PRODUCT_CODE}]}


def limiter(rate: float, concurrency: int = 4, **options: Any) -> tuple[RateLimiter, FakeClock, Sleeps]:
    clock, sleeps = FakeClock(1000.0), Sleeps()
    return RateLimiter(rate=rate, concurrency=concurrency, clock=clock, sleep=sleeps, **options), clock, sleeps


async def take_turns(limit: RateLimiter, count: int, *, confirmed: bool = False) -> None:
    for _ in range(count):
        async with limit.turn("get_prices", confirmed=confirmed):
            pass


async def test_a_burst_as_large_as_the_rate_goes_out_without_waiting() -> None:
    limit, _, sleeps = limiter(rate=5)
    await take_turns(limit, 5)
    assert sleeps == []


async def test_past_the_burst_a_call_waits_its_short_turn() -> None:
    limit, _, sleeps = limiter(rate=5)
    await take_turns(limit, 7)
    assert sleeps == pytest.approx([0.2, 0.4])


async def test_a_call_that_would_wait_long_fails_at_once_saying_when_to_retry() -> None:
    limit, _, sleeps = limiter(rate=2)
    await take_turns(limit, 4)  # two at once, then waits of 0.5 s and 1 s
    with pytest.raises(LocalRateLimited) as refused:
        await take_turns(limit, 1)
    assert sleeps == pytest.approx([0.5, 1.0])
    assert refused.value.retry_after == pytest.approx(1.5)
    assert "own limit of 2 calls per second" in refused.value.tool_message()
    assert "Nothing was sent to FinerWorks. Try again in 2 seconds" in refused.value.tool_message()


async def test_the_budget_comes_back_with_time() -> None:
    limit, clock, sleeps = limiter(rate=2)
    await take_turns(limit, 4)
    clock.now += 2.0  # the two waiting turns are paid for; one second's worth is back
    await take_turns(limit, 1)
    assert sleeps == pytest.approx([0.5, 1.0])


async def test_a_confirmed_write_is_never_held_back_but_uses_up_budget() -> None:
    limit, _, sleeps = limiter(rate=1)
    await take_turns(limit, 3, confirmed=True)
    assert sleeps == []
    with pytest.raises(LocalRateLimited):
        await take_turns(limit, 1)


async def test_a_call_beyond_the_concurrency_limit_waits_for_a_free_slot() -> None:
    limit, _, _ = limiter(rate=100, concurrency=1)
    order: list[str] = []
    inside = anyio.Event()
    release = anyio.Event()

    async def first() -> None:
        async with limit.turn("get_prices"):
            inside.set()
            await release.wait()
            order.append("first done")

    async def second() -> None:
        async with limit.turn("get_prices"):
            order.append("second in")

    with anyio.fail_after(5):
        async with anyio.create_task_group() as group:
            group.start_soon(first)
            await inside.wait()
            group.start_soon(second)
            await anyio.wait_all_tasks_blocked()
            assert order == []
            release.set()
    assert order == ["first done", "second in"]


async def test_a_call_that_gets_no_slot_in_time_fails_with_a_hint() -> None:
    limit, _, _ = limiter(rate=100, concurrency=1, max_wait=0.05)
    with anyio.fail_after(5):
        async with limit.turn("get_prices"):
            with pytest.raises(LocalRateLimited) as refused:
                await take_turns(limit, 1)
    assert "own limit of 1 calls in flight" in refused.value.message
    assert "FINERWORKS_MAX_CONCURRENCY" in refused.value.message


async def test_a_flood_of_tool_calls_is_held_back_with_a_retry_hint_and_not_sent(sim: SimulatorState) -> None:
    sleeps = Sleeps()
    async with connect(sim, env={"MAX_RPS": "1"}, sleeps=sleeps) as client:
        await call_ok(client, "get_prices", PRICE_ONE)
        await call_ok(client, "get_prices", PRICE_ONE)  # waits about a second for its turn
        message = await call_error(client, "get_prices", PRICE_ONE)
    (waited,) = sleeps  # a second, less the (real) time the calls took
    assert 0 < waited <= 1.0
    assert "Held back by this server's own limit of 1 calls per second to FinerWorks (FINERWORKS_MAX_RPS)" in message
    assert "Nothing was sent to FinerWorks. Try again in 2 seconds" in message
    assert len(upstream(sim, "get_prices")) == 2


async def test_the_default_limits_let_a_large_quote_through_without_waiting(sim: SimulatorState) -> None:
    sleeps = Sleeps()
    items = [{"product_sku": seed.VALID_PRODUCT_CODE, "product_qty": 1 + n % 5} for n in range(500)]
    async with connect(sim, sleeps=sleeps) as client:
        quote = await call_ok(client, "quote_prices", {"items": items})
    assert len(quote["lines"]) == 500
    assert len(upstream(sim, "get_prices")) == 10
    assert sleeps == []


class CountingTransport(SimulatorTransport):
    """The simulator, counting how many requests are at FinerWorks at once."""

    def __init__(self, sim: SimulatorState) -> None:
        super().__init__(sim)
        self.in_flight = 0
        self.most_in_flight = 0

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        self.in_flight += 1
        self.most_in_flight = max(self.most_in_flight, self.in_flight)
        try:
            return await super().handle_async_request(request)
        finally:
            self.in_flight -= 1


async def test_concurrent_tool_calls_never_put_more_than_the_limit_in_flight(sim: SimulatorState) -> None:
    transport = CountingTransport(sim)
    env = settings(MAX_CONCURRENCY="2", WORKFLOW_CONCURRENCY="2")
    server = build_server(env, transport=transport, retry=RetryPolicy(sleep=Sleeps()))
    sim.faults.add("latency", seconds=0.02, times=None)
    async with Client(server) as client:  # type: ignore[arg-type]
        results: list[Any] = []

        async def price() -> None:
            results.append(await client.call_tool("get_prices", PRICE_ONE))

        with anyio.fail_after(10):
            async with anyio.create_task_group() as group:
                for _ in range(6):
                    group.start_soon(price)
    assert [r.is_error for r in results] == [False] * 6
    assert transport.most_in_flight == 2


@pytest.mark.parametrize(
    ("env", "complaint"),
    [
        ({"MAX_RPS": "0"}, "FINERWORKS_MAX_RPS=0: should be greater than 0"),
        ({"MAX_CONCURRENCY": "0"}, "FINERWORKS_MAX_CONCURRENCY=0: should be greater than or equal to 1"),
        ({"MAX_CONCURRENCY": "4"}, "FINERWORKS_WORKFLOW_CONCURRENCY (20) cannot exceed FINERWORKS_MAX_CONCURRENCY (4)"),
    ],
)
def test_unusable_limits_stop_the_start(env: dict[str, str], complaint: str) -> None:
    with pytest.raises(ConfigError) as refused:
        settings(**env)
    assert complaint in str(refused.value)
