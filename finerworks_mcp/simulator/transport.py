"""An httpx2 transport onto the simulator that can also time out and lose connections.

`httpx2.ASGITransport` ignores client timeouts and cannot drop a connection, so the `timeout` and
`connection_reset` faults are raised here, as the httpx2 exceptions a real network failure would produce.
"""

from __future__ import annotations

import httpx2

from .app import create_app, endpoint_name, recorded
from .state import SimulatorState


class SimulatorTransport(httpx2.AsyncBaseTransport):
    def __init__(self, state: SimulatorState | None = None) -> None:
        self.state = state if state is not None else SimulatorState()
        self._asgi = httpx2.ASGITransport(app=create_app(self.state))

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        fault = self.state.faults.take_transport_fault(endpoint_name(request.url.path))
        if fault is None:
            return await self._asgi.handle_async_request(request)
        body = await request.aread()
        headers = [(name, value) for name, value in request.headers.multi_items()]
        query = request.url.query.decode("ascii")
        self.state.record(recorded(request.method, request.url.path, query, headers, body, fault.kind))
        if fault.kind == "timeout":
            raise httpx2.ReadTimeout("simulated read timeout: FinerWorks did not answer in time", request=request)
        raise httpx2.ConnectError("simulated connection reset by FinerWorks", request=request)

    async def aclose(self) -> None:
        await self._asgi.aclose()
