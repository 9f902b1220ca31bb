"""Schemas say what FinerWorks requires, and annotations are honest: recipient names, where a payment_token comes
from, which id an id field wants, and a cleanup plan that only reads at FinerWorks."""

from __future__ import annotations

from typing import Any

import pytest

from finerworks_mcp.simulator import SimulatorState, seed
from tests.support import TEXAS, call_error, connect, hints, upstream

pytestmark = pytest.mark.anyio

PRINT = {"product_sku": seed.VALID_PRODUCT_CODE, "product_qty": 1}


def _props(schema: dict[str, Any], *path: str) -> dict[str, Any]:
    node = schema
    for name in path:
        node = node["properties"][name]
        node = node.get("items", node)
    return node


async def test_an_order_recipient_must_have_first_and_last_name(sim: SimulatorState, mode: str) -> None:
    # Reproduces: the schema did not mark them required, and FinerWorks refused the order only when it was sent.
    nameless = {key: value for key, value in TEXAS.items() if key not in ("first_name", "last_name")}
    async with connect(sim, mode) as client:
        tools = {tool.name: tool for tool in (await client.list_tools()).tools}
        message = await call_error(
            client,
            "submit_orders_v2",
            {"orders": [{"order_po": "PO-9", "recipient": nameless, "order_items": [PRINT]}], "payment_token": "xxxx"},
        )
    recipient = _props(tools["submit_orders_v2"].input_schema, "orders", "recipient")
    assert {"first_name", "last_name"} <= set(recipient["required"])
    customer = _props(tools["update_customer"].input_schema, "customer_info")
    assert {"first_name", "last_name"} <= set(customer["required"])
    assert "- orders[0].recipient.first_name: missing; it is required" in message
    assert "- orders[0].recipient.last_name: missing; it is required" in message
    assert upstream(sim) == []


async def test_a_quote_still_needs_no_recipient_name(sim: SimulatorState) -> None:
    async with connect(sim) as client:
        tools = {tool.name: tool for tool in (await client.list_tools()).tools}
    recipient = _props(tools["quote_prices"].input_schema, "recipient")
    assert "first_name" not in recipient["required"]


async def test_the_payment_token_says_where_a_token_comes_from(sim: SimulatorState, mode: str) -> None:
    async with connect(sim, mode) as client:
        tools = {tool.name: tool for tool in (await client.list_tools()).tools}
    said = tools["submit_orders_v2"].input_schema["properties"]["payment_token"]["description"]
    for needle in ("'xxxx'", "'invoice'", "payment profile", "get_user", "payment_profile_id"):
        assert needle in said


async def test_id_fields_say_which_id_they_want(sim: SimulatorState) -> None:
    async with connect(sim) as client:
        tools = {tool.name: tool for tool in (await client.list_tools()).tools}
    order_id = tools["update_order"].input_schema["properties"]["order_id"]["description"]
    assert "order_id" in order_id
    assert "not the order_po" in order_id
    order_ids = tools["fetch_order_status"].input_schema["properties"]["order_ids"]["description"]
    assert "POs go in order_pos" in order_ids
    guids = tools["delete_images"].input_schema["properties"]["guids"]["description"]
    assert "list_images" in guids


async def test_the_cleanup_plan_is_annotated_read_only_because_it_only_plans(sim: SimulatorState, mode: str) -> None:
    # Reproduces: plan_inventory_cleanup was annotated destructive, though only confirming its tokens deletes.
    async with connect(sim, mode) as client:
        tools = {tool.name: tool for tool in (await client.list_tools()).tools}
    said = hints(tools["plan_inventory_cleanup"])
    assert said["read_only_hint"] is True
    assert "only plans" in (tools["plan_inventory_cleanup"].description or "")
    assert hints(tools["confirm_action"])["destructive_hint"] is True
