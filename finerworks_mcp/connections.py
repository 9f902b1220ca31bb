"""The HTTP connections to FinerWorks: a few small httpx pools, taken in turn, made on the first request.

Why several: before every request and after every response, httpcore's pool checks each of its pooled connections
for expiry (a socket syscall and some bookkeeping each). With the 20 requests a large quote has in flight that is
about a millisecond of CPU per request, which held the last request back ~30 ms on a 2-core machine. Four pools of
a quarter of the connections each do a quarter of that work; `python -m bench` measures the quote either way.

Why lazily: building the TLS context takes 20-40 ms, and start-up is what every client waits for (a session that
never calls FinerWorks never pays it). The pools share one TLS context.
"""

from __future__ import annotations

import itertools
import math
import ssl
from collections.abc import Iterator
from dataclasses import dataclass, field

import httpx

POOLS = 4
"""How many pools requests take in turn; one when a transport is given (tests, the in-process simulator)."""


@dataclass(kw_only=True)
class Connections:
    base_url: str
    auth: httpx.Auth
    headers: dict[str, str]
    timeout: httpx.Timeout
    max_connections: int
    transport: httpx.AsyncBaseTransport | None = None
    _pools: list[httpx.AsyncClient] = field(default_factory=lambda: [], init=False)
    _turn: Iterator[int] = field(default_factory=itertools.count, init=False)

    def next(self) -> httpx.AsyncClient:
        """The pool for the next request."""
        if not self._pools:
            self._pools = self._open()
        return self._pools[next(self._turn) % len(self._pools)]

    async def aclose(self) -> None:
        for pool in self._pools:
            await pool.aclose()
        self._pools = []

    def _open(self) -> list[httpx.AsyncClient]:
        if self.transport is not None:
            return [self._client(transport=self.transport)]
        tls = httpx.create_ssl_context()
        return [self._client(verify=tls) for _ in range(POOLS)]

    def _client(
        self, *, transport: httpx.AsyncBaseTransport | None = None, verify: ssl.SSLContext | bool = True
    ) -> httpx.AsyncClient:
        return httpx.AsyncClient(
            base_url=self.base_url,
            auth=self.auth,
            headers=self.headers,
            timeout=self.timeout,
            transport=transport,
            verify=verify,
            # Each pool keeps its share of the connections the rate limiter lets be in flight at once; a burst
            # beyond it opens more, which close when done.
            limits=httpx.Limits(
                max_connections=None, max_keepalive_connections=math.ceil(self.max_connections / POOLS)
            ),
        )
