"""The HTTP connections to FinerWorks: httpx2 pools (the SDK's own HTTP stack), taken in turn, opened on the first
request.

Why several pools: before every request and after every response a pool looks over each of its pooled connections,
so with a large quote's requests in flight that bookkeeping grows with the pool. `python -m bench` measures the quote
with one pool and with POOLS side by side (bench/variants.py), which is what decides POOLS.

Why on the first request: building the TLS context is start-up work every client would wait for, and a session that
never calls FinerWorks never needs it. The pools share one TLS context.

This is also the one place an httpx2 transport failure becomes our error (`UpstreamTimeout`, `UpstreamUnreachable`).
"""

from __future__ import annotations

import itertools
import math
import ssl
from collections.abc import Generator, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import httpx2

from finerworks_mcp.api.errors import UpstreamTimeout, UpstreamUnreachable

if TYPE_CHECKING:
    from finerworks_mcp.api.keys import FinerWorksKeys

POOLS = 4
"""How many pools requests take in turn; one when a transport is given (tests, the in-process simulator)."""
CONNECT_TIMEOUT = 10.0


class KeyHeaders(httpx2.Auth):
    """Adds the two headers FinerWorks authenticates with."""

    def __init__(self, keys: FinerWorksKeys) -> None:
        self._headers = keys.headers

    def auth_flow(self, request: httpx2.Request) -> Generator[httpx2.Request, httpx2.Response, None]:
        request.headers.update(self._headers)
        yield request


@dataclass(kw_only=True)
class Connections:
    base_url: str
    keys: FinerWorksKeys
    headers: dict[str, str]
    timeout: float
    max_connections: int
    transport: httpx2.AsyncBaseTransport | None = None
    _pools: list[httpx2.AsyncClient] = field(default_factory=lambda: [], init=False)
    _turn: Iterator[int] = field(default_factory=itertools.count, init=False)

    async def request(self, endpoint: str, method: str, *, params: dict[str, str] | None, json: Any) -> httpx2.Response:
        """Send one request on the next pool; a timeout or a lost connection becomes our error."""
        try:
            return await self._next().request(method, endpoint, params=params, json=json)
        except httpx2.TimeoutException as exc:
            raise UpstreamTimeout(f"No answer within {self.timeout:g} s.", endpoint=endpoint) from exc
        except httpx2.TransportError as exc:
            raise UpstreamUnreachable(f"Could not reach FinerWorks ({type(exc).__name__}).", endpoint=endpoint) from exc

    async def aclose(self) -> None:
        for pool in self._pools:
            await pool.aclose()
        self._pools = []

    def _next(self) -> httpx2.AsyncClient:
        if not self._pools:
            self._pools = self._open()
        return self._pools[next(self._turn) % len(self._pools)]

    def _open(self) -> list[httpx2.AsyncClient]:
        if self.transport is not None:
            return [self._client(transport=self.transport)]
        tls = httpx2.create_ssl_context()
        return [self._client(verify=tls) for _ in range(POOLS)]

    def _client(
        self, *, transport: httpx2.AsyncBaseTransport | None = None, verify: ssl.SSLContext | bool = True
    ) -> httpx2.AsyncClient:
        return httpx2.AsyncClient(
            base_url=self.base_url,
            auth=KeyHeaders(self.keys),
            headers=self.headers,
            timeout=httpx2.Timeout(self.timeout, connect=min(CONNECT_TIMEOUT, self.timeout)),
            transport=transport,
            verify=verify,
            # Each pool keeps its share of the connections the rate limiter lets be in flight at once; a burst
            # beyond it opens more, which close when done.
            limits=httpx2.Limits(
                max_connections=None, max_keepalive_connections=math.ceil(self.max_connections / POOLS)
            ),
        )
