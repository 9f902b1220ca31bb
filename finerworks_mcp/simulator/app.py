"""The simulator as an ASGI app: routing, credentials, body parsing, envelopes, and fault middleware."""

from __future__ import annotations

import json
import socket
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl

import anyio
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from finerworks_mcp.api.endpoints import ENDPOINTS
from finerworks_mcp.loopback import is_loopback

from .call import Call
from .envelope import FailsModelValidation, Refused, RefusedFlat, enveloped, message_body, model_state_body
from .fault_answers import send_fault
from .handlers import HANDLERS
from .seed import SIMULATOR_APP_KEY, SIMULATOR_WEB_API_KEY
from .state import RecordedRequest, SimulatorState

PREFIX = "/v3/"
ALSO_POST = frozenset({"update_order", "update_customer"})
"""An older FinerWorks crawl documents POST for these; the simulator takes both (reference §6.3)."""
ROUTED_METHODS = ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"]
AUTH_FAILURE = {"ApiC.Models.authorization_credentials": ["Missing or unauthorized api credentials"]}


def endpoint_name(path: str) -> str:
    """`get_prices` for `/v3/get_prices`; any other path is its own name."""
    rest = path.removeprefix(PREFIX).rstrip("/")
    return rest if path.startswith(PREFIX) and rest and "/" not in rest else path


def allowed_methods(name: str) -> frozenset[str]:
    endpoint = ENDPOINTS[name]
    return frozenset({endpoint.method, "POST"} if name in ALSO_POST else {endpoint.method})


def recorded(
    method: str, path: str, query: str, headers: list[tuple[str, str]], body: bytes, fault: str | None
) -> RecordedRequest:
    try:
        parsed: Any = json.loads(body) if body else None
    except ValueError:
        parsed = None
    return RecordedRequest(
        method=method,
        endpoint=endpoint_name(path),
        path=path,
        query=dict(parse_qsl(query, keep_blank_values=True)),
        headers={name.lower(): value for name, value in headers},
        body=parsed,
        fault=fault,
    )


def _credential(request: Request, name: str) -> str:
    return request.headers.get(name) or request.query_params.get(name) or ""


def _authorized(request: Request) -> bool:
    web_api_key, app_key = _credential(request, "web_api_key"), _credential(request, "app_key")
    return web_api_key != app_key and (web_api_key, app_key) == (SIMULATOR_WEB_API_KEY, SIMULATOR_APP_KEY)


def _parse_body(raw: bytes) -> Any:
    if not raw.strip():
        return {}
    try:
        return json.loads(raw)
    except ValueError:
        raise FailsModelValidation({"request": ["The request body is not valid JSON."]}) from None


class FaultMiddleware:
    """Records every request, then applies any matching fault before (or instead of) the real answer."""

    def __init__(self, app: ASGIApp, state: SimulatorState) -> None:
        self.app = app
        self.state = state

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        body = await _read_body(receive)
        path: str = scope["path"]
        applied = self.state.faults.take(endpoint_name(path))
        headers = [(k.decode("latin-1"), v.decode("latin-1")) for k, v in scope["headers"]]
        query = scope["query_string"].decode("latin-1")
        self.state.record(recorded(scope["method"], path, query, headers, body, applied.kind))
        if applied.latency is not None:
            send = _held_until(anyio.current_time() + float(applied.latency.param("seconds", 0.1)), send)
        if applied.answer is not None:
            await send_fault(applied.answer, self.state.next_reference_id(), scope, receive, send)
            return
        await self.app(scope, _replay(body, receive), send)


def _held_until(deadline: float, send: Send) -> Send:
    """`send`, but nothing leaves before `deadline`: the latency fault.

    The work is done first and the answer waits out the rest, as on a FinerWorks that handles requests in parallel;
    sleeping before the work would make this single-threaded simulator's own CPU time add up across concurrent
    requests, which no remote service does.
    """

    async def send_when_due(message: Message) -> None:
        wait = deadline - anyio.current_time()
        if wait > 0:
            await anyio.sleep(wait)
        await send(message)

    return send_when_due


async def _read_body(receive: Receive) -> bytes:
    chunks: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


def _replay(body: bytes, receive: Receive) -> Receive:
    delivered = False

    async def replay() -> Message:
        nonlocal delivered
        if delivered:
            return await receive()
        delivered = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replay


def create_app(state: SimulatorState | None = None) -> Starlette:
    """A FinerWorks v3 API over `state` (a freshly seeded one when omitted), at `/v3/<endpoint>`."""
    simulator = state if state is not None else SimulatorState()

    async def dispatch(request: Request) -> Response:
        name = endpoint_name(request.url.path)
        if name not in ENDPOINTS:
            uri = str(request.url)
            return JSONResponse(message_body(f"No HTTP resource was found that matches the request URI '{uri}'."), 404)
        allowed = allowed_methods(name)
        if request.method not in allowed:
            message = f"The requested resource does not support http method '{request.method}'."
            return JSONResponse(message_body(message), 405, headers={"Allow": ", ".join(sorted(allowed))})
        if not _authorized(request):
            return JSONResponse(model_state_body(AUTH_FAILURE), 400)
        try:
            body = None if request.method == "GET" else _parse_body(await request.body())
            reply = HANDLERS[name](simulator, Call(dict(request.query_params), body))
        except FailsModelValidation as invalid:
            return JSONResponse(model_state_body(invalid.model_state), 400)
        except RefusedFlat as refusal:
            return JSONResponse({"success": False, "message": refusal.message, **refusal.payload})
        except Refused as refusal:
            reference = simulator.next_reference_id()
            return JSONResponse(
                enveloped(refusal.payload, success=False, message=refusal.message, reference_id=reference)
            )
        reference = simulator.next_reference_id()
        return JSONResponse(enveloped(reply.payload, success=True, message=reply.message, reference_id=reference))

    app = Starlette(
        routes=[Route("/{path:path}", dispatch, methods=ROUTED_METHODS)],
        middleware=[Middleware(FaultMiddleware, state=simulator)],
    )
    app.state.simulator = simulator
    return app


def _require_loopback(host: str) -> None:
    # The simulator accepts the keys published in this package: anyone who can reach it could use it.
    if not is_loopback(host):
        raise ValueError(f"the simulator serves on loopback only (127.0.0.1, ::1, localhost), not {host!r}")


def serve(
    host: str = "127.0.0.1",
    port: int = 8088,
    state: SimulatorState | None = None,
    *,
    ready: Callable[[int], None] | None = None,
) -> None:
    """Serve the simulator with uvicorn until interrupted; loopback only, since it accepts published keys.

    The port is bound first, so a busy one raises OSError before `ready` (the banner) is called with the bound port.
    """
    _require_loopback(host)
    import uvicorn  # deferred: only the command-line server needs it

    family = socket.AF_INET6 if ":" in host.strip("[]") else socket.AF_INET
    listener = _known_tcp(socket.create_server((host.strip("[]"), port), family=family))
    if ready is not None:
        ready(listener.getsockname()[1])
    uvicorn.Server(uvicorn.Config(create_app(state), log_level="warning")).run(sockets=[listener])


def serve_socket(fd: int, state: SimulatorState | None = None) -> None:
    """Serve the simulator on an inherited listening socket (file descriptor `fd`); loopback only, as `serve`."""
    import uvicorn

    inherited = socket.socket(fileno=fd)  # family, type and protocol read from the descriptor itself
    _require_loopback(inherited.getsockname()[0])
    # Not uvicorn's fd= option: it wraps the descriptor as AF_UNIX, which leaves Nagle on (see `_known_tcp`).
    uvicorn.Server(uvicorn.Config(create_app(state), log_level="warning")).run(sockets=[inherited])


def _known_tcp(listener: socket.socket) -> socket.socket:
    """The same listening socket, its protocol read back as TCP. asyncio switches Nagle off (TCP_NODELAY) only on
    sockets whose `proto` says TCP; `socket.create_server` leaves it 0, and then every small answer waits for the
    client's delayed ACK, about 40 ms a request."""
    return socket.socket(fileno=listener.detach())
