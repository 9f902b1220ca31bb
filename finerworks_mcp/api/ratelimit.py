"""The server's own limit on calls to FinerWorks: a token bucket for the rate, a semaphore for calls in flight.

A busy agent (or several behind one HTTP server) must not flood FinerWorks, and a tool call must not hang waiting
its turn either: a call waits at most `max_wait` seconds for a token and for a free slot, and otherwise fails at
once with `LocalRateLimited`, which says when to try again. The bucket holds one second's worth of calls, so a
burst as large as the rate (quote_prices' concurrent chunks) goes out without waiting.

A confirmed write is never refused here: a person said yes, and the write is sent once. It still takes its token
and its slot, so the reads around it slow down instead.
"""

from __future__ import annotations

import time
from collections.abc import AsyncGenerator, Awaitable, Callable
from contextlib import asynccontextmanager

import anyio

from finerworks_mcp.api.errors import LocalRateLimited

MAX_WAIT_SECONDS = 1.0
"""The longest a call waits for its turn before it is refused with a hint."""


class RateLimiter:
    def __init__(
        self,
        *,
        rate: float,
        concurrency: int,
        max_wait: float = MAX_WAIT_SECONDS,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = anyio.sleep,
    ) -> None:
        if rate <= 0 or concurrency < 1:
            raise ValueError("rate must be positive and concurrency at least 1")
        self.rate = rate
        self.concurrency = concurrency
        self.capacity = max(1.0, rate)
        self.max_wait = max_wait
        self._clock = clock
        self._sleep = sleep
        self._tokens = self.capacity
        self._updated = clock()
        self._slots = anyio.Semaphore(concurrency)

    @asynccontextmanager
    async def turn(self, endpoint: str, *, confirmed: bool = False) -> AsyncGenerator[None]:
        """Hold a token and a slot for one request to `endpoint`; LocalRateLimited when that would take too long."""
        wait = self._take_token(endpoint, confirmed=confirmed)
        if wait > 0:
            await self._sleep(wait)
        await self._take_slot(endpoint, confirmed=confirmed)
        try:
            yield
        finally:
            self._slots.release()

    def _take_token(self, endpoint: str, *, confirmed: bool) -> float:
        """Reserve the next token and return how long until it is due. No await: atomic within the event loop."""
        now = self._clock()
        self._tokens = min(self.capacity, self._tokens + (now - self._updated) * self.rate)
        self._updated = now
        wait = max(0.0, (1.0 - self._tokens) / self.rate)
        if wait > self.max_wait and not confirmed:
            raise LocalRateLimited(
                f"Held back by this server's own limit of {self.rate:g} calls per second to FinerWorks "
                "(FINERWORKS_MAX_RPS); the budget is used up for now.",
                retry_after=wait,
                endpoint=endpoint,
            )
        self._tokens -= 1.0  # may go below zero: the calls already waiting own those future tokens
        return 0.0 if confirmed else wait

    async def _take_slot(self, endpoint: str, *, confirmed: bool) -> None:
        if confirmed:
            await self._slots.acquire()
            return
        with anyio.move_on_after(self.max_wait):
            await self._slots.acquire()
            return
        raise LocalRateLimited(
            f"Held back by this server's own limit of {self.concurrency} calls in flight to FinerWorks "
            "(FINERWORKS_MAX_CONCURRENCY); all are busy.",
            retry_after=self.max_wait,
            endpoint=endpoint,
        )
