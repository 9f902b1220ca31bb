"""Streamable HTTP as a deployer and a client meet it: a real server process on loopback, a bearer token, the Host
and Origin checks, the health route, both protocol eras, refusals at start-up and a graceful stop."""

from __future__ import annotations

import signal
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import anyio
import httpx2
import pytest
import uvicorn
from mcp.server.request_state import InvalidRequestState
from starlette.types import ASGIApp, Receive, Scope, Send

from bench.http_load import LOAD_ENV, run_load
from bench.server_process import TOKEN, ServerProcess, auth_headers, http_client, http_server
from finerworks_mcp import __version__
from finerworks_mcp.cli import EXIT_CONFIG, main
from finerworks_mcp.mcp.http import request_state_security
from finerworks_mcp.simulator import SIMULATOR_APP_KEY, SIMULATOR_WEB_API_KEY, SimulatorState, create_app, seed
from tests.support import call_ok, loopback_socket, settings

pytestmark = pytest.mark.anyio

PING = {"jsonrpc": "2.0", "id": 1, "method": "ping"}
INITIALIZE = {
    "jsonrpc": "2.0",
    "id": 1,
    "method": "initialize",
    "params": {
        "protocolVersion": "2025-11-25",
        "capabilities": {},
        "clientInfo": {"name": "raw-http-test", "version": "0"},
    },
}
MCP_HEADERS = {"content-type": "application/json", "accept": "application/json, text/event-stream"}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    with http_server(tmp_path_factory.mktemp("http")) as running:
        yield running


def post(server: ServerProcess, body: Any = INITIALIZE, **headers: str) -> httpx2.Response:
    """One raw JSON-RPC POST to /mcp, as a client that is not the SDK would send it."""
    sent = MCP_HEADERS | {name.replace("_", "-"): value for name, value in headers.items()}
    return httpx2.post(server.mcp_url, json=body, headers=sent, timeout=30)


@pytest.mark.slow
def test_a_request_without_the_token_is_refused_with_401(server: ServerProcess) -> None:
    response = post(server)
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer ")


@pytest.mark.slow
def test_a_request_with_a_wrong_token_is_refused_with_401(server: ServerProcess) -> None:
    assert post(server, authorization="Bearer " + TOKEN[:-1] + "x").status_code == 401
    assert post(server, authorization=TOKEN).status_code == 401  # the scheme is required too


@pytest.mark.slow
def test_a_request_with_the_token_is_served(server: ServerProcess) -> None:
    response = post(server, **auth_headers())
    assert response.status_code == 200
    assert "serverInfo" in response.text


@pytest.mark.slow
def test_a_foreign_host_header_is_refused_with_421(server: ServerProcess) -> None:
    # What a DNS-rebinding page sends: a name that resolves to loopback but is not ours.
    assert post(server, host="attacker.example", **auth_headers()).status_code == 421


@pytest.mark.slow
def test_a_foreign_origin_is_refused_with_403_and_a_loopback_origin_is_served(server: ServerProcess) -> None:
    assert post(server, origin="https://attacker.example", **auth_headers()).status_code == 403
    assert post(server, origin=f"http://{server.host_header}", **auth_headers()).status_code == 200


@pytest.mark.slow
def test_the_health_route_says_version_and_environment_without_a_token(server: ServerProcess) -> None:
    response = httpx2.get(server.health_url, timeout=30)
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "server": "finerworks",
        "version": __version__,
        "environment": "simulator",
    }
    assert TOKEN not in response.text


@pytest.mark.slow
async def test_a_read_tool_answers_over_http_with_the_token(server: ServerProcess, mode: str) -> None:
    with anyio.fail_after(60):
        async with http_client(server.mcp_url, mode) as client:
            account = await call_ok(client, "test_my_credentials")
            prices = await call_ok(client, "get_prices", {"products": [{"product_sku": seed.VALID_PRODUCT_CODE}]})
    assert account["user_account"]["account_username"] == seed.ACCOUNT_USERNAME
    assert prices["prices"][0]["product_code"] == seed.VALID_PRODUCT_CODE


@pytest.mark.slow
async def test_the_token_never_appears_in_the_server_log(server: ServerProcess) -> None:
    post(server, authorization="Bearer wrong-" + TOKEN)
    with anyio.fail_after(60):
        async with http_client(server.mcp_url, "legacy") as client:
            await call_ok(client, "test_my_credentials")
    assert "POST /mcp" in server.log.text  # the access log is there, so the test would see a leak
    assert TOKEN not in server.log.text


@pytest.mark.slow
async def test_two_hundred_concurrent_calls_all_answer_correctly_in_bounded_memory(tmp_path: Path) -> None:
    with http_server(tmp_path, LOAD_ENV) as running, anyio.fail_after(240):
        report = await run_load(running, calls=200, clients=20)
    assert report.errors == []
    assert report.ok == 200
    # Generous: measured growth is under 1 MiB; a leak per call or per session would show up as tens of MiB.
    assert report.rss_after_mib - report.rss_before_mib < 64, report.summary()


@pytest.mark.parametrize(
    ("arguments", "env", "refusal"),
    [
        pytest.param(["--host", "0.0.0.0"], {}, "FINERWORKS_MCP_TOKEN must be set", id="no-token-off-loopback"),
        pytest.param(["--host", "127.0.0.1"], {}, "FINERWORKS_MCP_TOKEN must be set", id="no-token-on-loopback"),
        pytest.param(
            ["--host", "0.0.0.0", "--no-auth"], {}, "--no-auth is allowed only on a loopback", id="no-auth-off-loopback"
        ),
        pytest.param(
            ["--host", "0.0.0.0"], {"FINERWORKS_MCP_TOKEN": TOKEN}, "FINERWORKS_ALLOWED_HOSTS", id="wildcard-bind"
        ),
        pytest.param(
            [], {"FINERWORKS_MCP_TOKEN": "short"}, "FINERWORKS_MCP_TOKEN: must be at least 24", id="short-token"
        ),
    ],
)
def test_an_unsafe_http_start_is_refused_with_the_fix(
    arguments: list[str],
    env: dict[str, str],
    refusal: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("FINERWORKS_ENV", "simulator")
    monkeypatch.delenv("FINERWORKS_MCP_TOKEN", raising=False)
    monkeypatch.delenv("FINERWORKS_ALLOWED_HOSTS", raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    # Refused before anything binds: no socket is opened, so nothing here touches the network.
    assert main(["serve", "--transport", "http", *arguments]) == EXIT_CONFIG
    error = capsys.readouterr().err
    assert refusal in error
    assert TOKEN not in error


@pytest.mark.slow
async def test_no_auth_on_loopback_serves_without_a_token(tmp_path: Path) -> None:
    with http_server(tmp_path, {"FINERWORKS_MCP_TOKEN": None}, "--host", "127.0.0.1", "--no-auth") as running:
        with anyio.fail_after(60):
            async with http_client(running.mcp_url, "auto", token=None) as client:
                account = await call_ok(client, "test_my_credentials")
        assert post(running, host="attacker.example").status_code == 421  # the Host check stays on
    assert account["user_account"]["account_username"] == seed.ACCOUNT_USERNAME


@pytest.mark.slow
def test_allowed_hosts_and_origins_from_the_environment_replace_the_loopback_defaults(tmp_path: Path) -> None:
    env = {
        "FINERWORKS_ALLOWED_HOSTS": "mcp.example.test,mcp.example.test:*",
        "FINERWORKS_ALLOWED_ORIGINS": "https://app.example.test",
    }
    with http_server(tmp_path, env) as running:
        port = running.host_header.rsplit(":", 1)[1]
        token = auth_headers()
        assert post(running, host=f"mcp.example.test:{port}", **token).status_code == 200
        assert post(running, host=running.host_header, **token).status_code == 421
        named = {"host": f"mcp.example.test:{port}", **token}
        assert post(running, origin="https://app.example.test", **named).status_code == 200
        assert post(running, origin=f"http://{running.host_header}", **named).status_code == 403


def test_elicitation_state_sealed_under_one_guard_secret_opens_only_under_the_same_secret() -> None:
    # Two workers started with the same FINERWORKS_GUARD_SECRET must read each other's sealed request state.
    secret, other = "s" * 40, "t" * 40
    worker_a = request_state_security(settings(guard_secret=secret))
    worker_b = request_state_security(settings(guard_secret=secret))
    stranger = request_state_security(settings(guard_secret=other))
    assert worker_a is not None
    assert worker_b is not None
    assert stranger is not None
    sealed = worker_a.codec.seal(b"pending elicitation")
    assert worker_b.codec.unseal(sealed) == b"pending elicitation"
    with pytest.raises(InvalidRequestState):
        stranger.codec.unseal(sealed)
    assert secret not in sealed
    assert request_state_security(settings()) is None  # no secret: the SDK's per-process key


class Gate:
    """Holds every upstream request until released, and says when one has arrived."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.arrived = anyio.Event()
        self.release = anyio.Event()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            self.arrived.set()
            await self.release.wait()
        await self.app(scope, receive, send)


@pytest.fixture
async def gated_finerworks() -> AsyncIterator[tuple[str, Gate]]:
    """The simulator as a real HTTP FinerWorks on loopback, behind a gate the test opens."""
    gate = Gate(create_app(SimulatorState()))
    listener = loopback_socket()
    port = listener.getsockname()[1]
    upstream = uvicorn.Server(uvicorn.Config(gate, lifespan="off", log_config=None, access_log=False))
    async with anyio.create_task_group() as group:
        group.start_soon(upstream.serve, [listener])
        yield f"http://127.0.0.1:{port}/v3", gate
        gate.release.set()
        upstream.should_exit = True


@pytest.mark.slow
async def test_sigterm_lets_the_call_in_flight_finish_then_the_server_exits(
    tmp_path: Path, gated_finerworks: tuple[str, Gate]
) -> None:
    base_url, gate = gated_finerworks
    upstream = {
        "FINERWORKS_ENV": "sandbox",
        "FINERWORKS_BASE_URL": base_url,
        "FINERWORKS_WEB_API_KEY": SIMULATOR_WEB_API_KEY,
        "FINERWORKS_APP_KEY": SIMULATOR_APP_KEY,
    }
    with http_server(tmp_path, upstream) as running:
        results: list[dict[str, Any]] = []
        with anyio.fail_after(60):
            async with http_client(running.mcp_url, "auto") as client:
                await client.list_tools()  # the client checks results against the schemas: fetch them before the stop

                async def call() -> None:
                    results.append(await call_ok(client, "test_my_credentials"))

                async with anyio.create_task_group() as group:
                    group.start_soon(call)
                    await gate.arrived.wait()
                    running.process.send_signal(signal.SIGTERM)
                    # uvicorn says this once it has stopped accepting and is waiting for our call to finish.
                    waiting = "Waiting for connections to close"
                    assert await anyio.to_thread.run_sync(running.log.wait_for, waiting, 30.0), running.log.text
                    gate.release.set()
        exit_code = await anyio.to_thread.run_sync(running.stop)
    assert len(results) == 1
    assert results[0]["user_account"]["account_username"] == seed.ACCOUNT_USERNAME
    assert exit_code == -signal.SIGTERM  # uvicorn re-raises the signal once shut down, as a service manager expects
    assert "Application shutdown complete" in running.log.text
