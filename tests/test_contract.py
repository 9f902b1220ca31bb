"""Issue 12, point 8: `finerworks-mcp check --contract` against a loopback "sandbox" (the simulator over HTTP)."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import uvicorn
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from finerworks_mcp.contract import EXIT_DIFFERENCES, EXIT_REFUSED, EXIT_SKIPPED, run_contract
from finerworks_mcp.simulator import SIMULATOR_APP_KEY, SIMULATOR_WEB_API_KEY, SimulatorState, create_app

KEYS = {"FINERWORKS_WEB_API_KEY": SIMULATOR_WEB_API_KEY, "FINERWORKS_APP_KEY": SIMULATOR_APP_KEY}
READ_ENDPOINTS = (
    "test_my_credentials",
    "get_user",
    "list_order_status_definitions",
    "list_file_selection",
    "fetch_order_status",
    "list_shipping_options_multiple",
    "validate_recipient_address",
    "get_prices",
    "get_product_details",
    "list_images",
    "list_virtual_inventory",
    "list_event_logs",
    "list_product_types",
    "list_media_types",
    "list_style_types",
    "list_collections",
    "frame_details",
    "list_mats",
    "list_glazing",
    "frame_builder",
)


def answering(app: ASGIApp, endpoint: str, answer: dict[str, Any]) -> ASGIApp:
    """`app`, except that `endpoint` answers `answer`: FinerWorks changing a shape under us."""

    async def wrapped(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"].endswith(f"/{endpoint}"):
            await JSONResponse(answer)(scope, receive, send)
            return
        await app(scope, receive, send)

    return wrapped


@contextmanager
def sandbox_over_http(app: ASGIApp) -> Iterator[str]:
    """`app` (the simulator) served on a free loopback port, standing in for the sandbox; yields its base URL."""
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        for _ in range(400):  # at most ~20 s: bounded, then the test fails
            if server.started:
                break
            threading.Event().wait(0.05)
        else:
            raise RuntimeError("the simulator did not start listening")
        (socket,) = [s for srv in server.servers for s in srv.sockets]
        yield f"http://127.0.0.1:{socket.getsockname()[1]}/v3"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def contract(env: dict[str, str]) -> tuple[int, str]:
    out = io.StringIO()
    code = run_contract({"FINERWORKS_AUDIT_LOG": os.devnull, **env}, out=out)
    return code, out.getvalue()


@pytest.mark.slow
def test_the_contract_check_calls_every_read_endpoint_and_a_dry_run_and_changes_nothing() -> None:
    state = SimulatorState()
    with sandbox_over_http(create_app(state)) as base_url:
        code, table = contract({**KEYS, "FINERWORKS_ENV": "sandbox", "FINERWORKS_BASE_URL": base_url})

    called = [r.endpoint for r in state.requests]
    assert set(READ_ENDPOINTS) <= set(called)
    writes = [r for r in state.write_requests]
    assert [r.endpoint for r in writes] == ["submit_orders_v2"]
    assert writes[0].body["validate_only"] is True
    assert state.orders == SimulatorState().orders  # nothing was created
    for endpoint in (*READ_ENDPOINTS, "submit_orders_v2"):
        assert f"\n{endpoint} " in table
    # The simulator answers `orders: null` like FinerWorks; the table names it as a difference from our models.
    assert "fetch_order_status" in table
    assert "orders: null where we expect a list" in table
    assert "not modelled:" in table
    assert "21 of 21 endpoints answered" in table
    assert code == EXIT_DIFFERENCES


@pytest.mark.slow
def test_a_changed_answer_shape_shows_in_the_table() -> None:
    app = answering(create_app(SimulatorState()), "list_mats", {"Mats": [{"id": 7, "name": ["not", "text"]}]})
    with sandbox_over_http(app) as base_url:
        _, table = contract({**KEYS, "FINERWORKS_ENV": "sandbox", "FINERWORKS_BASE_URL": base_url})
    (line,) = [line for line in table.splitlines() if line.startswith("list_mats ")]
    assert "Mats: key case differs (we read mats)" in line
    assert "Mats[0].name: shape differs from our model (kept as data)" in line


@pytest.mark.parametrize(
    "env",
    [
        {"FINERWORKS_ENV": "production"},
        {"FINERWORKS_ENV": "sandbox", "FINERWORKS_BASE_URL": "https://v2.api.finerworks.com/v3"},
        {"FINERWORKS_ENV": "sandbox", "FINERWORKS_BASE_URL": "https://api.finerworks.com/v3"},
    ],
)
def test_the_contract_check_refuses_production(env: dict[str, str]) -> None:
    code, said = contract({**KEYS, **env})
    assert code == EXIT_REFUSED
    assert "sandbox only" in said
    assert "Nothing was sent" in said


@pytest.mark.slow
def test_without_keys_the_contract_check_says_it_was_skipped() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FINERWORKS_")}
    done = subprocess.run(
        [sys.executable, "-m", "finerworks_mcp", "check", "--contract"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == EXIT_SKIPPED
    assert "Contract check SKIPPED: no FinerWorks keys" in done.stdout
