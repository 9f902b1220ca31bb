"""What each answer-replacing fault sends back over ASGI."""

from __future__ import annotations

import json

import anyio
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.types import Receive, Scope, Send

from .envelope import INVALID_REQUEST, enveloped, message_body, model_state_body
from .faults import Fault

DEFAULT_TIMEOUT_SECONDS = 30.0
RATE_LIMIT_MESSAGE = "Rate limit exceeded. Please slow down and retry later."
_REASONS = {500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable", 504: "Gateway Timeout"}


def error_page(status: int, detail: str) -> str:
    """The kind of HTML page IIS or a load balancer serves when the API behind it fails."""
    reason = _REASONS.get(status, "Server Error")
    return (
        "<!DOCTYPE html>\n<html><head><title>"
        f"{status} {reason}</title></head>\n<body><h1>{reason}</h1>\n<p>{detail}</p>\n"
        "<hr><address>Microsoft-IIS/10.0</address></body></html>\n"
    )


def _truncated_json(reference_id: str) -> str:
    whole = json.dumps(enveloped({"orders": []}, success=True, message="", reference_id=reference_id))
    return whole[: len(whole) // 2]


def fault_response(fault: Fault, reference_id: str) -> Response:
    """The response for every kind except `timeout` and `connection_reset`, which `send_fault` handles."""
    match fault.kind:
        case "rate_limit":
            retry_after = fault.param("retry_after", 1)
            headers = {"Retry-After": str(retry_after)} if retry_after is not None else None
            return JSONResponse(message_body(fault.param("message", RATE_LIMIT_MESSAGE)), 429, headers=headers)
        case "server_error":
            status = int(fault.param("status", 500))
            if fault.param("body", "html") == "json":
                return JSONResponse(message_body("An error has occurred."), status)
            return HTMLResponse(error_page(status, "The server encountered an error processing the request."), status)
        case "malformed":
            if fault.param("variant", "truncated") == "html":
                return HTMLResponse(error_page(200, "We are performing scheduled maintenance. Back soon."))
            return Response(_truncated_json(reference_id), media_type="application/json")
        case "model_state":
            model_state = fault.param("model_state", {"request": ["Simulated validation failure."]})
            return JSONResponse(model_state_body(model_state, fault.param("message", INVALID_REQUEST)), 400)
        case "refusal":
            message = fault.param("message", "The request was declined (simulated refusal).")
            return JSONResponse(enveloped({}, success=False, message=message, reference_id=reference_id))
        case _:
            raise ValueError(f"{fault.kind} is not answered with a response")


async def send_fault(fault: Fault, reference_id: str, scope: Scope, receive: Receive, send: Send) -> None:
    if fault.kind == "timeout":
        # Only a client with a shorter timeout sees a timeout; a patient one then gets the gateway's answer.
        await anyio.sleep(float(fault.param("seconds", DEFAULT_TIMEOUT_SECONDS)))
        await HTMLResponse(error_page(504, "The upstream server did not respond in time."), 504)(scope, receive, send)
    elif fault.kind == "connection_reset":
        # ASGI cannot drop a socket; starting a response and failing makes the server abort the connection.
        headers = [(b"content-type", b"application/json"), (b"content-length", b"512")]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        raise ConnectionResetError("simulated connection reset")
    else:
        await fault_response(fault, reference_id)(scope, receive, send)
