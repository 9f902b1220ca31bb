"""The HTTP server's perimeter, against a real `serve --transport http` process on loopback: a flood of slow
connections neither stops real requests nor floods the log, slow headers and bodies are cut off, /healthz checks
Host like /mcp, and the state URL's passwords never show."""

from __future__ import annotations

import re
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import anyio
import httpx2
import pytest
from anyio.abc import SocketStream

from bench.server_process import TOKEN, ServerProcess, http_client, http_server
from finerworks_mcp.cli import main
from tests.support import call_ok

pytestmark = pytest.mark.anyio

SLOW_CLIENTS = 1_100
CAP = 20
OPEN_FILES = 256
"""The server's open-file limit in the flood test: well below the flood, well above the cap."""
PARTIAL_HEADERS = b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: "
DEADLINE = 1.0
RECONNECT_SECONDS = 0.5
CONNECTING_AT_ONCE = 50
"""Slow clients connect at most this many at a time, so the flood tests the server rather than loopback's SYN
queue (a full listen queue drops handshakes, which delays everyone's first bytes by TCP retransmits)."""


def address(server: ServerProcess) -> tuple[str, int]:
    host, port = server.host_header.rsplit(":", 1)
    return host, int(port)


async def held_open(stream: SocketStream, seconds: float) -> float | None:
    """Seconds until the server closed `stream`, or None if it was still open after `seconds`."""
    started = time.monotonic()
    with anyio.move_on_after(seconds):
        try:
            while await stream.receive():
                pass
        except (anyio.EndOfStream, anyio.BrokenResourceError, ConnectionResetError):
            pass
        return time.monotonic() - started
    return None


@pytest.mark.slow
async def test_a_flood_of_slow_connections_neither_stops_real_requests_nor_floods_the_log(tmp_path: Path) -> None:
    env = {"FINERWORKS_HTTP_MAX_CONNECTIONS": str(CAP), "FINERWORKS_HTTP_HEADER_TIMEOUT": "60"}
    with http_server(tmp_path, env, open_files=OPEN_FILES) as server:
        host, port = address(server)
        opened = 0

        connecting = anyio.CapacityLimiter(CONNECTING_AT_ONCE)
        all_in = anyio.Event()

        async def slow_client() -> None:
            # Sends half a request and waits; when the server closes it, comes back a moment later.
            nonlocal opened
            while True:
                try:
                    async with connecting:
                        stream = await anyio.connect_tcp(host, port)
                        await stream.send(PARTIAL_HEADERS)
                    opened += 1
                    if opened >= SLOW_CLIENTS:
                        all_in.set()
                    async with stream:
                        await held_open(stream, 60)
                except OSError:
                    pass
                await anyio.sleep(RECONNECT_SECONDS)

        answered: list[float] = []
        account: dict[str, Any] = {}
        with anyio.fail_after(120):
            async with anyio.create_task_group() as flood:
                for _ in range(SLOW_CLIENTS):
                    flood.start_soon(slow_client)
                await all_in.wait()
                async with httpx2.AsyncClient(timeout=10) as plain:
                    for _ in range(5):
                        started = time.monotonic()
                        health = await plain.get(server.health_url)
                        assert health.status_code == 200
                        answered.append(time.monotonic() - started)
                async with http_client(server.mcp_url, "legacy") as client:
                    account = await call_ok(client, "test_my_credentials")
                flood.cancel_scope.cancel()
    log = server.log.text  # after the stop, which reports what the summary still held back

    assert account["user_account"]["account_username"]
    assert max(answered) < 10
    assert "Too many open files" not in log
    assert "out of system resource" not in log
    # Over a thousand connections were closed to make room; the log says so in a few summarised lines.
    assert "connection cap (20) reached: closing the oldest slow or idle connection" in log
    assert re.search(r"closing the oldest slow or idle connection: \d{3,} more like it in \d+ s", log), log[-3000:]
    assert len(log.splitlines()) < 60, log[-3000:]


@pytest.fixture(scope="module")
def deadlines(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    env = {"FINERWORKS_HTTP_HEADER_TIMEOUT": str(DEADLINE), "FINERWORKS_HTTP_BODY_TIMEOUT": str(DEADLINE)}
    with http_server(tmp_path_factory.mktemp("deadlines"), env) as server:
        yield server


@pytest.mark.slow
async def test_a_client_that_sends_half_its_headers_is_cut_off_at_the_header_deadline(
    deadlines: ServerProcess,
) -> None:
    async with await anyio.connect_tcp(*address(deadlines)) as stream:
        await stream.send(PARTIAL_HEADERS)
        closed_after = await held_open(stream, 10 * DEADLINE)
    assert closed_after is not None, "the server kept a half-sent request open"
    assert DEADLINE * 0.8 <= closed_after < 5 * DEADLINE


@pytest.mark.slow
async def test_a_kept_alive_connection_that_starts_a_request_and_stalls_is_cut_off(deadlines: ServerProcess) -> None:
    host, port = address(deadlines)
    async with await anyio.connect_tcp(host, port) as stream:
        await stream.send(f"GET /healthz HTTP/1.1\r\nHost: {host}:{port}\r\n\r\n".encode())
        first = await stream.receive()
        assert first.startswith(b"HTTP/1.1 200")
        await stream.send(PARTIAL_HEADERS)
        closed_after = await held_open(stream, 10 * DEADLINE)
    assert closed_after is not None
    assert closed_after < 5 * DEADLINE


@pytest.mark.slow
async def test_a_client_that_sends_half_its_body_is_cut_off_at_the_body_deadline(deadlines: ServerProcess) -> None:
    host, port = address(deadlines)
    head = (
        f"POST /mcp HTTP/1.1\r\nHost: {host}:{port}\r\nAuthorization: Bearer {TOKEN}\r\n"
        "Content-Type: application/json\r\nAccept: application/json, text/event-stream\r\n"
        "Content-Length: 400\r\n\r\n"
    )
    async with await anyio.connect_tcp(host, port) as stream:
        await stream.send(head.encode() + b'{"jsonrpc": "2.0", "id": 1, "method": "ping"')
        closed_after = await held_open(stream, 10 * DEADLINE)
    assert closed_after is not None, "the server waited forever for the rest of the body"
    assert DEADLINE * 0.8 <= closed_after < 5 * DEADLINE


@pytest.mark.slow
async def test_the_health_route_refuses_a_foreign_host_like_the_mcp_route(deadlines: ServerProcess) -> None:
    # What a DNS-rebinding page sends: a name that resolves to loopback but is not ours.
    async with httpx2.AsyncClient(timeout=10) as plain:
        foreign = await plain.get(deadlines.health_url, headers={"host": "attacker.example"})
        foreign_origin = await plain.get(deadlines.health_url, headers={"origin": "https://attacker.example"})
        ours = await plain.get(deadlines.health_url)
    assert foreign.status_code == 421
    assert "version" not in foreign.text
    assert foreign_origin.status_code == 403
    assert ours.status_code == 200


def test_check_masks_the_state_url_password_in_the_user_info_and_the_query(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    unused = socket.socket()
    unused.bind(("127.0.0.1", 0))
    port = unused.getsockname()[1]
    unused.close()
    url = f"redis://admin:PASS-IN-USERINFO@127.0.0.1:{port}/0?password=PASS-IN-QUERY&ssl_cert_reqs=none"
    for name, value in {
        "FINERWORKS_ENV": "simulator",
        "FINERWORKS_STATE_URL": url,
        "FINERWORKS_GUARD_SECRET": "guard-secret-for-the-check-test-0123456789",
        "FINERWORKS_AUDIT_LOG": str(tmp_path / "audit.jsonl"),
    }.items():
        monkeypatch.setenv(name, value)
    main(["check"])
    out, err = capsys.readouterr()
    shown = next(line.split(None, 1)[1] for line in out.splitlines() if "FINERWORKS_STATE_URL" in line)
    assert shown.strip().lstrip("= ") == f"redis://admin:***@127.0.0.1:{port}/0?password=***&ssl_cert_reqs=***"
    assert "PASS-IN" not in out + err
