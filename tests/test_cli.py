"""The command line as a person (or a client launching the server) uses it: stdio, demo, check, simulator."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

import anyio
import httpx2
import pytest
from mcp import Client, StdioServerParameters

from finerworks_mcp.mcp.server import build_server
from finerworks_mcp.simulator import SIMULATOR_APP_KEY, SIMULATOR_WEB_API_KEY, SimulatorState
from finerworks_mcp.simulator.seed import SHIPPED_ORDER_PO
from tests.support import AUDIT_DIR, call_ok, connect, settings
from tests.test_workflows import line_items

pytestmark = pytest.mark.anyio

STDIO_BOUND_SECONDS = 60


def _env(**extra: str) -> dict[str, str]:
    """A clean environment: only what the command needs, so a developer's own FINERWORKS_* cannot leak in."""
    keep = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "SYSTEMROOT", "TMPDIR")}
    return {**keep, "FINERWORKS_AUDIT_LOG": str(AUDIT_DIR / "cli-audit.jsonl"), **extra}


def _run(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "finerworks_mcp", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=_env(**env),
        check=False,
    )


async def test_the_server_speaks_mcp_over_stdio_in_both_eras(mode: str) -> None:
    params = StdioServerParameters(
        command=sys.executable, args=["-m", "finerworks_mcp"], env=_env(FINERWORKS_ENV="simulator")
    )
    with anyio.fail_after(STDIO_BOUND_SECONDS):
        async with Client(params, mode=mode) as client:  # type: ignore[arg-type]
            names = {tool.name for tool in (await client.list_tools()).tools}
            result = await client.call_tool("fetch_order_status", {"order_pos": [SHIPPED_ORDER_PO]})
    assert "get_prices" in names
    assert not result.is_error
    assert result.structured_content is not None
    assert result.structured_content["orders"][0]["shipments"][0]["tracking_number"]


def test_demo_runs_the_three_jobs_against_the_simulator() -> None:
    done = _run("demo")
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    out = done.stdout
    assert "assistant calls quote_prices" in out
    assert "5M6M9S16X20" in out
    assert "Grand total with" in out
    assert "assistant calls lookup_orders" in out
    assert SHIPPED_ORDER_PO in out
    assert "Tracking " in out
    assert "assistant calls plan_inventory_cleanup" in out
    assert "assistant calls confirm_action" in out
    assert '"executed":true' in out
    assert "Nothing was sent to FinerWorks" in out


def test_check_prints_the_masked_configuration_and_tests_the_credentials() -> None:
    done = _run("check", FINERWORKS_ENV="simulator")
    assert done.returncode == 0, done.stderr
    assert "FINERWORKS_ENV = simulator" in done.stdout
    assert "Credentials OK." in done.stdout


def test_check_never_prints_a_key_and_reports_refused_credentials() -> None:
    web_key = "abcdef12-3456-7890-SECRET-WEBKEY0001"
    app_key = "abcdef12-3456-7890-SECRET-APPKEY0002"
    port = _free_port()
    with _simulator_process(port):
        done = _run(
            "check",
            FINERWORKS_ENV="sandbox",
            FINERWORKS_BASE_URL=f"http://127.0.0.1:{port}/v3",
            FINERWORKS_WEB_API_KEY=web_key,
            FINERWORKS_APP_KEY=app_key,
        )
    assert done.returncode == 1
    assert "Credentials check FAILED" in done.stdout
    assert "Missing or unauthorized api credentials" in done.stdout
    assert f"set ({len(web_key)} characters)" in done.stdout
    for output in (done.stdout, done.stderr):
        assert web_key not in output
        assert app_key not in output


def test_missing_keys_stop_the_server_with_advice_and_exit_code_2() -> None:
    done = _run("serve", FINERWORKS_ENV="production")
    assert done.returncode == 2
    assert "FINERWORKS_WEB_API_KEY and FINERWORKS_APP_KEY must be set" in done.stderr
    assert "FINERWORKS_ENV=simulator" in done.stderr
    assert done.stdout == ""  # stdout is the MCP wire: nothing else may ever appear there


@pytest.mark.anyio
async def test_a_large_quote_over_real_http_prices_every_line_as_the_in_process_simulator_does() -> None:
    # FinerWorks as a separate process on loopback: requests go through the server's own connection pools, 20 at
    # once, instead of the in-process transport the other tests use.
    lines = line_items(SimulatorState(), 1000)
    port = _free_port()
    with _simulator_process(port):
        remote = {
            "ENV": "sandbox",
            "BASE_URL": f"http://127.0.0.1:{port}/v3",
            "WEB_API_KEY": SIMULATOR_WEB_API_KEY,
            "APP_KEY": SIMULATOR_APP_KEY,
            "MAX_RPS": "1000",  # two quotes back to back; the politeness limit is tested elsewhere
        }
        async with Client(build_server(settings(**remote))) as client:
            over_http = [await call_ok(client, "quote_prices", {"items": lines}) for _ in range(2)]
    async with connect(SimulatorState()) as client:
        in_process = await call_ok(client, "quote_prices", {"items": lines})
    for quote in over_http:  # the second one on the connections the first left open
        assert len(quote["lines"]) == 1000
        assert quote.get("not_priced", []) == []
        assert quote["lines"] == in_process["lines"]
        assert quote["subtotal"] == in_process["subtotal"]


def test_the_simulator_command_serves_finerworks_on_loopback() -> None:
    port = _free_port()
    with _simulator_process(port):
        response = httpx2.get(
            f"http://127.0.0.1:{port}/v3/list_order_status_definitions",
            headers={"web_api_key": SIMULATOR_WEB_API_KEY, "app_key": SIMULATOR_APP_KEY},
        )
    assert response.status_code == 200
    assert response.json()["status"]["success"] is True
    assert any(d["order_status_label"] == "Shipped" for d in response.json()["definitions"])


def test_version_is_printed() -> None:
    done = _run("--version")
    assert done.returncode == 0
    assert done.stdout.startswith("finerworks-mcp ")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def _simulator_process(port: int) -> Iterator[None]:
    """`finerworks-mcp simulator --port N` in the background, until the block ends."""
    process = subprocess.Popen(
        [sys.executable, "-m", "finerworks_mcp", "simulator", "--port", str(port)],
        env=_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(200):  # at most ~20 s
            try:
                httpx2.get(f"http://127.0.0.1:{port}/v3/none", timeout=0.5)
                break
            except httpx2.TransportError:
                if process.poll() is not None:
                    raise RuntimeError("the simulator exited at start-up") from None
                time.sleep(0.1)
        else:
            raise RuntimeError("the simulator did not start listening")
        yield
    finally:
        process.terminate()
        process.wait(timeout=10)
