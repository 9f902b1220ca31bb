"""The HTTP connections to FinerWorks: one httpx2 pool (the SDK's own HTTP stack), opened on the first request.

On the first request, not at start-up: building the TLS context is work every client would wait for at start, and a
session that never calls FinerWorks never needs it. (Several pools taken in turn were measured against this one by
`python -m bench` and did not pay: bench/variants.py keeps that measurement.)

This is also the one place an httpx2 transport failure becomes our error (`UpstreamTimeout`, `UpstreamUnreachable`).
"""

from __future__ import annotations

import ssl
from collections.abc import Generator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import httpx2

from finerworks_mcp.api.errors import UpstreamTimeout, UpstreamUnreachable

if TYPE_CHECKING:
    from finerworks_mcp.api.keys import FinerWorksKeys

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
    _http: httpx2.AsyncClient | None = field(default=None, init=False)

    async def request(self, endpoint: str, method: str, *, params: dict[str, str] | None, json: Any) -> httpx2.Response:
        """Send one request; a timeout or a lost connection becomes our error."""
        if self._http is None:
            self._http = self.open()
        try:
            return await self._http.request(method, endpoint, params=params, json=json)
        except httpx2.TimeoutException as exc:
            raise UpstreamTimeout(f"No answer within {self.timeout:g} s.", endpoint=endpoint) from exc
        except httpx2.TransportError as exc:
            raise UpstreamUnreachable(f"Could not reach FinerWorks ({type(exc).__name__}).", endpoint=endpoint) from exc

    async def aclose(self) -> None:
        if self._http is not None:
            await self._http.aclose()
            self._http = None

    def open(self, *, verify: ssl.SSLContext | bool = True, share: int = 1) -> httpx2.AsyncClient:
        """A client keeping `1/share` of the connections the rate limiter lets be in flight at once; a burst beyond
        it opens more, which close when done."""
        return httpx2.AsyncClient(
            base_url=self.base_url,
            auth=KeyHeaders(self.keys),
            headers=self.headers,
            timeout=httpx2.Timeout(self.timeout, connect=min(CONNECT_TIMEOUT, self.timeout)),
            transport=self.transport,
            verify=verify,
            limits=httpx2.Limits(max_connections=None, max_keepalive_connections=-(-self.max_connections // share)),
        )
