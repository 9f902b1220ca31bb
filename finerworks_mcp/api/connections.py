"""The HTTP connections to FinerWorks: a few small httpx pools, taken in turn, made on the first request.

Why several: before every request and after every response, httpcore's pool checks each of its pooled connections
for expiry (a socket syscall and some bookkeeping each). With the 20 requests a large quote has in flight that is
about a millisecond of CPU per request, which held the last request back ~30 ms on a 2-core machine. Four pools of
a quarter of the connections each do a quarter of that work; `python -m bench` measures the quote either way.

Why lazily: `client.py` imports this module (and httpx with it, ~12 ms) on the first request, and the TLS context
(20-40 ms) is built then too: start-up is what every client waits for, and a session that never calls FinerWorks
never pays either. The pools share one TLS context.

This is also the one place an httpx transport failure becomes our error (`UpstreamTimeout`, `UpstreamUnreachable`).
"""

from __future__ import annotations

import itertools
import math
import ssl
from collections.abc import Generator, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import httpx

from finerworks_mcp.api.errors import UpstreamTimeout, UpstreamUnreachable

if TYPE_CHECKING:
    from finerworks_mcp.api.keys import FinerWorksKeys

POOLS = 4
"""How many pools requests take in turn; one when a transport is given (tests, the in-process simulator)."""
CONNECT_TIMEOUT = 10.0


class KeyHeaders(httpx.Auth):
    """Adds the two headers FinerWorks authenticates with."""

    def __init__(self, keys: FinerWorksKeys) -> None:
        self._headers = keys.headers

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers.update(self._headers)
        yield request


@dataclass(kw_only=True)
class Connections:
    base_url: str
    keys: FinerWorksKeys
    headers: dict[str, str]
    timeout: float
    max_connections: int
    transport: httpx.AsyncBaseTransport | None = None
    _pools: list[httpx.AsyncClient] = field(default_factory=lambda: [], init=False)
    _turn: Iterator[int] = field(default_factory=itertools.count, init=False)

    async def request(self, endpoint: str, method: str, *, params: dict[str, str] | None, json: Any) -> httpx.Response:
        """Send one request on the next pool; a timeout or a lost connection becomes our error."""
        try:
            return await self._next().request(method, endpoint, params=params, json=json)
        except httpx.TimeoutException as exc:
            raise UpstreamTimeout(f"No answer within {self.timeout:g} s.", endpoint=endpoint) from exc
        except httpx.TransportError as exc:
            raise UpstreamUnreachable(f"Could not reach FinerWorks ({type(exc).__name__}).", endpoint=endpoint) from exc

    async def aclose(self) -> None:
        for pool in self._pools:
            await pool.aclose()
        self._pools = []

    def _next(self) -> httpx.AsyncClient:
        if not self._pools:
            self._pools = self._open()
        return self._pools[next(self._turn) % len(self._pools)]

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
            auth=KeyHeaders(self.keys),
            headers=self.headers,
            timeout=httpx.Timeout(self.timeout, connect=min(CONNECT_TIMEOUT, self.timeout)),
            transport=transport,
            verify=verify,
            # Each pool keeps its share of the connections the rate limiter lets be in flight at once; a burst
            # beyond it opens more, which close when done.
            limits=httpx.Limits(
                max_connections=None, max_keepalive_connections=math.ceil(self.max_connections / POOLS)
            ),
        )
