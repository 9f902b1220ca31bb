"""Every way FinerWorks can fail becomes an error the model can act on: what failed, FinerWorks' words, what next."""

from __future__ import annotations

import json
from typing import Any

import httpx2
import pytest
from mcp import Client

from finerworks_mcp.api.client import RetryPolicy
from finerworks_mcp.config import load_settings
from finerworks_mcp.mcp.server import build_server
from finerworks_mcp.simulator import SimulatorState, SimulatorTransport
from finerworks_mcp.simulator.seed import SHIPPED_ORDER_ID
from tests.support import Sleeps, call_error, call_ok, connect, settings, upstream

pytestmark = pytest.mark.anyio

PRICE_ONE = {"products": [{"product_sku": "5M6M9S16X20"}]}


async def test_a_rate_limit_is_retried_after_the_wait_finerworks_asked_for(sim: SimulatorState, mode: str) -> None:
    sim.faults.add("rate_limit", endpoint="get_prices", retry_after=2)
    sleeps = Sleeps()
    async with connect(sim, mode, sleeps=sleeps) as client:
        result = await call_ok(client, "get_prices", PRICE_ONE)
    assert result["prices"][0]["product_code"] == "5M6M9S16X20"
    assert sleeps == [2.0]
    assert len(upstream(sim, "get_prices")) == 2


async def test_a_rate_limit_without_retry_after_backs_off_exponentially_then_says_when_to_return(
    sim: SimulatorState, mode: str
) -> None:
    sim.faults.add("rate_limit", endpoint="get_prices", retry_after=None, times=None)
    sleeps = Sleeps()
    async with connect(sim, mode, sleeps=sleeps) as client:
        message = await call_error(client, "get_prices", PRICE_ONE)
    assert sleeps == [0.5, 1.0]
    assert len(upstream(sim, "get_prices")) == 3
    assert "get_prices failed (HTTP 429)" in message
    assert "wait a minute before calling again" in message


async def test_a_long_retry_after_is_reported_instead_of_slept_through(sim: SimulatorState) -> None:
    sim.faults.add("rate_limit", endpoint="get_prices", retry_after=120)
    sleeps = Sleeps()
    async with connect(sim, sleeps=sleeps) as client:
        message = await call_error(client, "get_prices", PRICE_ONE)
    assert sleeps == []
    assert "wait 120 seconds" in message


@pytest.mark.parametrize("status", [500, 502, 503])
async def test_server_errors_are_retried_and_then_reported(sim: SimulatorState, status: int) -> None:
    sim.faults.add("server_error", endpoint="fetch_order_status", status=status, times=None)
    sleeps = Sleeps()
    async with connect(sim, sleeps=sleeps) as client:
        message = await call_error(client, "fetch_order_status", {"order_ids": [SHIPPED_ORDER_ID]})
    assert len(upstream(sim, "fetch_order_status")) == 3
    assert f"fetch_order_status failed (HTTP {status})" in message
    assert "text/html" in message  # FinerWorks sent an HTML error page, and the model is told what it got
    assert "Next:" in message


async def test_a_passing_server_error_is_invisible_to_the_model(sim: SimulatorState) -> None:
    sim.faults.add("server_error", endpoint="fetch_order_status", status=503, times=2)
    async with connect(sim) as client:
        result = await call_ok(client, "fetch_order_status", {"order_ids": [SHIPPED_ORDER_ID]})
    assert result["orders"][0]["order_id"] == SHIPPED_ORDER_ID


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("timeout", "No answer within 30 s"),
        ("connection_reset", "Could not reach FinerWorks (ConnectError)"),
    ],
)
async def test_timeouts_and_lost_connections_are_retried_and_then_explained(
    sim: SimulatorState, kind: str, expected: str
) -> None:
    sim.faults.add(kind, endpoint="list_product_types", times=None)  # type: ignore[arg-type]
    async with connect(sim) as client:
        message = await call_error(client, "list_product_types")
    assert len(upstream(sim, "list_product_types")) == 3
    assert expected in message


@pytest.mark.parametrize("variant", ["truncated", "html"])
async def test_an_answer_that_is_not_json_is_named_as_such_and_not_retried(sim: SimulatorState, variant: str) -> None:
    sim.faults.add("malformed", endpoint="list_mats", variant=variant)
    async with connect(sim) as client:
        message = await call_error(client, "list_mats")
    assert len(upstream(sim, "list_mats")) == 1
    assert "list_mats failed (HTTP 200): Expected a JSON object" in message
    assert "answered with something unexpected" in message


async def test_model_state_errors_name_each_field_and_are_not_retried(sim: SimulatorState, mode: str) -> None:
    sim.faults.add(
        "model_state", endpoint="get_prices", model_state={"products[0].product_sku": ["Invalid product code"]}
    )
    async with connect(sim, mode) as client:
        message = await call_error(client, "get_prices", PRICE_ONE)
    assert len(upstream(sim, "get_prices")) == 1
    assert "products[0].product_sku: Invalid product code" in message
    assert "Fix the fields named above" in message


async def test_a_business_refusal_carries_finerworks_own_message(sim: SimulatorState) -> None:
    sim.faults.add("refusal", endpoint="fetch_order_status", message="Account suspended pending review")
    async with connect(sim) as client:
        message = await call_error(client, "fetch_order_status", {"order_ids": [SHIPPED_ORDER_ID]})
    assert "Account suspended pending review" in message
    assert len(upstream(sim, "fetch_order_status")) == 1


async def test_refused_credentials_say_which_variables_to_fix_and_show_no_key(sim: SimulatorState) -> None:
    from finerworks_mcp.simulator import SimulatorTransport

    web_key, app_key = "0000aaaa-bad-web-key-1111", "2222bbbb-bad-app-key-3333"
    sandbox = load_settings({"FINERWORKS_WEB_API_KEY": web_key, "FINERWORKS_APP_KEY": app_key})
    server = build_server(sandbox, transport=SimulatorTransport(sim), retry=RetryPolicy(sleep=Sleeps()))
    async with Client(server) as client:
        message = await call_error(client, "test_my_credentials")
    assert "Missing or unauthorized api credentials" in message
    assert "FINERWORKS_WEB_API_KEY and FINERWORKS_APP_KEY" in message
    assert web_key not in message
    assert app_key not in message
    assert len(upstream(sim, "test_my_credentials")) == 1


def _answer(status: int, payload: Any = None, headers: dict[str, str] | None = None) -> httpx2.MockTransport:
    return httpx2.MockTransport(lambda request: httpx2.Response(status, json=payload, headers=headers))


@pytest.mark.parametrize(
    ("status", "payload", "expected"),
    [
        (404, {"Message": "No HTTP resource was found that matches the request URI"}, "not available on the"),
        (405, {"Message": "The requested resource does not support http method 'GET'."}, "does not support"),
        (403, {"message": "Forbidden for this app key"}, "keys were refused"),
        (200, {"message": "plain"}, None),
    ],
)
async def test_routes_finerworks_does_not_serve_point_at_the_base_url(
    status: int, payload: Any, expected: str | None
) -> None:
    server = build_server(settings(), transport=_answer(status, payload), retry=RetryPolicy(sleep=Sleeps()))
    async with Client(server) as client:
        result = await client.call_tool("list_glazing", {})
    if expected is None:
        assert not result.is_error  # the plain {"message": ...} shape without a status is an answer, not an error
    else:
        assert result.is_error
        assert expected in result.content[0].text  # type: ignore[union-attr]


class WrongShape(httpx2.AsyncBaseTransport):
    """FinerWorks answering one endpoint successfully, but with a field of the wrong type."""

    def __init__(self, sim: SimulatorState, endpoint: str, field: str) -> None:
        self.inner, self.endpoint, self.field = SimulatorTransport(sim), endpoint, field

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        response = await self.inner.handle_async_request(request)
        if not request.url.path.endswith(f"/{self.endpoint}"):
            return response
        answer = json.loads(await response.aread()) | {self.field: "not what FinerWorks documents"}
        return httpx2.Response(200, json=answer, request=request)


async def test_a_read_answer_of_another_shape_passes_through_as_data(sim: SimulatorState) -> None:
    server = build_server(
        settings(), transport=WrongShape(sim, "get_user", "user_account"), retry=RetryPolicy(sleep=Sleeps())
    )
    async with connect(sim, server=server) as client:
        answer = await call_ok(client, "get_user")
    assert answer["unparsed"] == {"user_account": "not what FinerWorks documents"}


async def test_an_unreadable_order_list_is_reported_not_read_as_no_orders(sim: SimulatorState) -> None:
    transport = WrongShape(sim, "fetch_order_status", "orders")
    server = build_server(settings(), transport=transport, retry=RetryPolicy(sleep=Sleeps()))
    async with connect(sim, server=server) as client:
        message = await call_error(client, "lookup_orders", {"order_ids": [SHIPPED_ORDER_ID]})
    assert "first problem at orders" in message
    assert "fetch_order_status" in message
    assert "has no order" not in message
    assert "Traceback" not in message
    assert "ValidationError" not in message
