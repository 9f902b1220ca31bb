"""An offline, stateful FinerWorks v3 API for tests, demos and `finerworks-mcp simulator`.

Public surface:

    SIMULATOR_WEB_API_KEY, SIMULATOR_APP_KEY   the only credentials accepted (headers or query string)
    SimulatorState(clock=None)                 seeded state: orders, images, products, selections, events, user,
                                               app details; `.requests` (RecordedRequest log), `.faults`,
                                               `.advance(order_id=None)` moves orders through production
                                               `.terms` (AccountTerms): the account's discount, and whether
                                               quotes carry FinerWorks' grand total
    RecordedRequest                            method, endpoint, path, query, headers, body, fault
    Faults, Fault, FaultKind                   `state.faults.add(kind, endpoint=None, times=1, **params)`, `.clear()`
    create_app(state=None) -> Starlette        routes /v3/<endpoint> for all 33 endpoints
    SimulatorTransport(state=None)             httpx2 transport that also raises ReadTimeout / ConnectError faults
    serve(host="127.0.0.1", port=8088, state=None)
                                               uvicorn on loopback
    serve_socket(fd, state=None)               uvicorn on an inherited listening socket, loopback only
    seed                                       named ids, guids, SKUs and codes of the seed data

    state = SimulatorState()
    async with httpx2.AsyncClient(transport=SimulatorTransport(state), base_url="http://sim/v3") as client:
        await client.post("/get_prices", json={"products": [{"product_qty": 1, "product_sku": "5M6M9S16X20"}]},
                          headers={"web_api_key": SIMULATOR_WEB_API_KEY, "app_key": SIMULATOR_APP_KEY})
"""

from __future__ import annotations

from . import seed
from .app import create_app, serve, serve_socket
from .faults import Fault, FaultKind, Faults
from .seed import SIMULATOR_APP_KEY, SIMULATOR_WEB_API_KEY
from .state import RecordedRequest, SimulatorState
from .transport import SimulatorTransport

__all__ = [
    "SIMULATOR_APP_KEY",
    "SIMULATOR_WEB_API_KEY",
    "Fault",
    "FaultKind",
    "Faults",
    "RecordedRequest",
    "SimulatorState",
    "SimulatorTransport",
    "create_app",
    "seed",
    "serve",
    "serve_socket",
]
