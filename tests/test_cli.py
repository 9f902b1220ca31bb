"""The command line as a person (or a client launching the server) uses it: stdio, demo, check, simulator."""

from __future__ import annotations

import subprocess
import sys

import anyio
import httpx2
import pytest
from mcp import Client, StdioServerParameters

from finerworks_mcp.mcp.server import build_server
from finerworks_mcp.simulator import SIMULATOR_APP_KEY, SIMULATOR_WEB_API_KEY, SimulatorState
from finerworks_mcp.simulator.seed import SHIPPED_ORDER_PO
from tests.support import call_ok, clean_environment, connect, line_items, settings, simulator_process

pytestmark = [pytest.mark.anyio, pytest.mark.slow]  # every test here starts a process

STDIO_BOUND_SECONDS = 60


def _run(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "finerworks_mcp", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=clean_environment(**env),
        check=False,
    )


async def test_the_server_speaks_mcp_over_stdio_in_both_eras(mode: str) -> None:
    params = StdioServerParameters(
        command=sys.executable, args=["-m", "finerworks_mcp"], env=clean_environment(FINERWORKS_ENV="simulator")
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
    assert "Done at FinerWorks (simulator)" in out
    assert "Nothing was sent to FinerWorks" in out
    # A walkthrough: no raw JSON, no argument cut off, answers in the order the person asked, plain counts.
    assert not any(line.lstrip().startswith(("{", "[{", '["')) for line in out.splitlines())
    assert "..." not in out.replace("(get_prices, get_product_details, ...)", "")
    assert "zip_postal_code 78705, country_code us" in out
    asked = out.index("Person: Where are my orders")
    question = out[asked : out.index("\n", asked)]
    first, second = question.removeprefix("Person: Where are my orders ").rstrip("?").split(" and ")
    answer = out[out.index("assistant calls lookup_orders") :]
    assert answer.index(f"Order {first}") < answer.index(f"(PO {second})")
    assert " listed." not in out
    assert "8 of the 13 images checked" in out


def test_check_prints_a_short_report_with_the_account_name() -> None:
    done = _run("check", FINERWORKS_ENV="simulator", FINERWORKS_READ_ONLY="true")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert any(line.split() == ["FINERWORKS_READ_ONLY", "true"] for line in lines)
    assert any(line.split()[:2] == ["FINERWORKS_ENV", "simulator"] for line in lines)
    assert "FINERWORKS_CACHE_TTL" not in done.stdout  # at its default: left out
    assert "Credentials OK: signed in to Lumen Atelier (user lumen_atelier, account 48213)." in done.stdout
    assert len(lines) < 12
    assert max(len(line) for line in lines) < 120
    assert "{" not in done.stdout


def test_check_never_prints_a_key_and_reports_refused_credentials() -> None:
    web_key = "abcdef12-3456-7890-SECRET-WEBKEY0001"
    app_key = "abcdef12-3456-7890-SECRET-APPKEY0002"
    with simulator_process() as base_url:
        done = _run(
            "check",
            FINERWORKS_ENV="sandbox",
            FINERWORKS_BASE_URL=base_url,
            FINERWORKS_WEB_API_KEY=web_key,
            FINERWORKS_APP_KEY=app_key,
        )
    assert done.returncode == 1
    assert "Credentials check FAILED" in done.stdout
    assert "Missing or unauthorized api credentials" in done.stdout
    assert f"set ({len(web_key)} characters)" in done.stdout
    assert "Traceback" not in done.stderr
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
    with simulator_process() as base_url:
        remote = {
            "ENV": "sandbox",
            "BASE_URL": base_url,
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
    with simulator_process() as base_url:
        response = httpx2.get(
            f"{base_url}/list_order_status_definitions",
            headers={"web_api_key": SIMULATOR_WEB_API_KEY, "app_key": SIMULATOR_APP_KEY},
        )
    assert response.status_code == 200
    assert response.json()["status"]["success"] is True
    assert any(d["order_status_label"] == "Shipped" for d in response.json()["definitions"])


def test_version_is_printed() -> None:
    done = _run("--version")
    assert done.returncode == 0
    assert done.stdout.startswith("finerworks-mcp ")
