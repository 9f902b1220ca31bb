"""The 20 read tools, end to end: MCP client -> server -> simulated FinerWorks, and back with seeded data."""

from __future__ import annotations

import base64
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from unittest.mock import ANY

import pytest

from finerworks_mcp.simulator import SIMULATOR_APP_KEY, SIMULATOR_WEB_API_KEY, SimulatorState, seed
from tests.support import (
    ARTWORK,
    LARGE_PAPER_PRINT,
    READ_ARGUMENTS,
    TEXAS,
    call_error,
    call_ok,
    connect,
    quote_order,
    text_of,
    upstream,
)

pytestmark = pytest.mark.anyio

Result = dict[str, Any]

RESELLER_ACCOUNT = "9d2b6a4e-0c5f-4e8b-a1d7-3f6c2e9b8a10"


@dataclass(frozen=True)
class Case:
    tool: str
    method: str
    sent: Any
    """The exact JSON body (POST) or query parameters (GET) FinerWorks must receive."""
    check: Callable[[Result], object]
    """Truthy when the result carries the seeded data it should."""

    @property
    def arguments(self) -> dict[str, Any]:
        """The tool's arguments, from the table every test shares (tests/support.py READ_ARGUMENTS)."""
        return READ_ARGUMENTS[self.tool]


def prices_grow_with_size_and_quantity(result: Result) -> bool:
    one, two, large = (line["total_price"] for line in result["prices"])
    return result["prices"][0]["product_code"] == seed.VALID_PRODUCT_CODE and one < two and one < large


def inventory_sku_and_code_both_detailed(result: Result) -> bool:
    by_sku = {line.get("sku"): line for line in result["product_list"]}
    return (
        by_sku[seed.CONNECTED_SKU]["image_guid"] == seed.IMAGE_WITH_PRODUCTS_GUID
        and result["product_list"][1]["product_code"] == seed.VALID_PRODUCT_CODE
    )


def framed_code_priced_with_add_ons(result: Result) -> bool:
    price = result["price_details"]
    return (
        result["frame"]["id"] == seed.FRAME_ID
        and [mat["id"] for mat in result["mats"]] == [1]
        and result["glazing"]["id"] == 2
        and price["add_frame_price"] > 0
        and price["add_mat_1_price"] > 0
        and price["add_glazing_price"] > 0
        and price["total_price"] > price["product_price"]
    )


def statuses_with_tracking(result: Result) -> bool:
    by_po = {order["order_po"]: order for order in result["orders"]}
    shipped, delivered = by_po[seed.SHIPPED_ORDER_PO], by_po[seed.DELIVERED_ORDER_PO]
    return (
        set(by_po) == {seed.SHIPPED_ORDER_PO, seed.DELIVERED_ORDER_PO}
        and (shipped["order_status_id"], shipped["order_status_label"]) == (5, "Shipped")
        and (delivered["order_status_id"], delivered["order_status_label"]) == (6, "Delivered")
        and shipped["shipments"][0]["carrier"] == "USPS"
        and shipped["shipments"][0]["tracking_number"].startswith("9400")
        and delivered["shipments"][0]["tracking_number"].startswith("1Z")
        and delivered["shipments"][0]["delivery_date"]
    )


def options_priced_per_order(result: Result) -> bool:
    small, large = result["orders"]
    totals = [
        [option["calculated_total"]["order_grand_total"] for option in order["options"]] for order in (small, large)
    ]
    economy = next(option for option in small["options"] if option["shipping_code"] == "EC")
    return (
        (small["order_po"], large["order_po"]) == ("Q-1", "Q-2")
        and economy["rate"] == economy["calculated_total"]["order_shipping_rate"]
        and economy["calculated_total"]["product_pricing"][0]["product_code"] == seed.VALID_PRODUCT_CODE
        and min(totals[1]) > min(totals[0])
    )


def first_page_of_images_with_products(result: Result) -> bool:
    first = result["images"][0]
    return (
        result["count"] == seed.IMAGE_COUNT
        and len(result["images"]) == 5
        and first["guid"] == seed.IMAGE_WITH_PRODUCTS_GUID
        and [product["sku"] for product in first["products"]] == list(seed.IMAGE_WITH_PRODUCTS_SKUS)
        and result["images"][1]["products"] == []
    )


CASES = [
    Case(
        "get_prices",
        "POST",
        {
            "products": [
                {"product_sku": seed.VALID_PRODUCT_CODE, "product_qty": 1},
                {"product_sku": seed.VALID_PRODUCT_CODE, "product_qty": 2},
                {"product_sku": LARGE_PAPER_PRINT, "product_qty": 1},
            ]
        },
        prices_grow_with_size_and_quantity,
    ),
    Case(
        "get_product_details",
        "POST",
        [
            {"product_sku": seed.CONNECTED_SKU, "product_qty": 1},
            {"product_sku": seed.VALID_PRODUCT_CODE, "product_qty": 1, "product_image": ARTWORK},
        ],
        inventory_sku_and_code_both_detailed,
    ),
    Case(
        "list_product_types",
        "POST",
        {"ids": [5]},
        lambda r: [(t["id"], t["name"]) for t in r["product_types"]] == [(5, "Giclee Paper Prints")],
    ),
    Case(
        "list_media_types",
        "POST",
        {"ids": [6]},
        lambda r: r["media_types"][0]["name"] == "Archival Matte Paper" and 9 in r["media_types"][0]["style_ids"],
    ),
    Case(
        "list_style_types",
        "POST",
        {},
        lambda r: (
            {"width": 16, "height": 20}
            in next(s for s in r["style_types"] if s["name"] == "Borderless")["available_sizes"]
        ),
    ),
    Case(
        "list_collections",
        "POST",
        {"id": 1},
        lambda r: (
            r["collections"][0]["name"] == "Classic Wood"
            and seed.FRAME_ID in [f["id"] for f in r["collections"][0]["frames"]]
        ),
    ),
    Case(
        "frame_details",
        "POST",
        {"id": seed.FRAME_ID},
        lambda r: r["frame"]["name"] == "Walnut Gallery 1.25 in" and r["frame"]["allow_matting"] is True,
    ),
    Case(
        "list_mats",
        "POST",
        {},
        lambda r: [m["name"] for m in r["mats"]] == ["Bright White", "Soft White", "Black", "Antique Ivory"],
    ),
    Case(
        "list_glazing",
        "POST",
        {"id": 2},
        lambda r: [(g["id"], g["name"]) for g in r["glazing"]] == [(2, "UV Protective Acrylic")],
    ),
    Case(
        "frame_builder",
        "POST",
        {"product_code": seed.VALID_FRAMED_PRODUCT_CODE},
        framed_code_priced_with_add_ons,
    ),
    Case(
        "fetch_order_status",
        "POST",
        {"order_ids": [seed.SHIPPED_ORDER_ID], "order_pos": [seed.DELIVERED_ORDER_PO, "PO-NOT-OURS"]},
        statuses_with_tracking,
    ),
    Case(
        "list_order_status_definitions",
        "GET",
        {},
        lambda r: (
            {"order_status_id": 3, "order_status_label": "Order Received"} in r["definitions"]
            and {"order_status_id": 5, "order_status_label": "Shipped"} in r["definitions"]
        ),
    ),
    Case(
        "list_shipping_options_multiple",
        "POST",
        {
            "orders": [
                {**quote_order("Q-1", seed.VALID_PRODUCT_CODE, 1), "shipping_code": "SD"},
                {**quote_order("Q-2", LARGE_PAPER_PRINT, 3), "shipping_code": "SD"},
            ]
        },
        options_priced_per_order,
    ),
    Case(
        "validate_recipient_address",
        "POST",
        {"recipient": {**TEXAS, "state_code": "tx", "country_code": "us"}},
        lambda r: (
            (r["address"]["state_code"], r["address"]["country_code"], r["address"]["city"]) == ("TX", "us", "Austin")
        ),
    ),
    Case(
        "list_images",
        "POST",
        {
            "library": {"name": "inventory", "site_id": 2, "session_id": ANY},
            "per_page": 5,
            "sort_field": "id",
            "sort_direction": "ASC",
            "list_products": True,
        },
        first_page_of_images_with_products,
    ),
    Case(
        "list_file_selection",
        "GET",
        {"guid": seed.FILE_SELECTION_GUID},
        lambda r: r["guids"] == list(seed.FILE_SELECTION_IMAGE_GUIDS),
    ),
    Case(
        "list_virtual_inventory",
        "POST",
        {"sku_filter": [seed.CONNECTED_SKU, seed.UNCONNECTED_SKU], "page_number": 1, "per_page": 50},
        lambda r: r["count"] == 2 and {p["sku"] for p in r["products"]} == {seed.CONNECTED_SKU, seed.UNCONNECTED_SKU},
    ),
    Case(
        "test_my_credentials",
        "GET",
        {},
        lambda r: r["user_account"]["account_username"] == seed.ACCOUNT_USERNAME,
    ),
    Case(
        "get_user",
        "GET",
        {},
        lambda r: (
            r["user_account"]["account_id"] == seed.ACCOUNT_ID
            and r["user_account"]["billing_info"]["company_name"] == "Lumen Atelier LLC"
        ),
    ),
    Case(
        "list_event_logs",
        "POST",
        {"type": "error", "sort_field": "id", "sort_direction": "ASC", "per_page": 1},
        lambda r: r["count"] == 2 and [e["name"] for e in r["events"]] == ["Checkout failed"],
    ),
]


def test_the_table_covers_every_read_endpoint() -> None:
    from finerworks_mcp.api.endpoints import READ_ENDPOINTS

    assert sorted(case.tool for case in CASES) == sorted(READ_ENDPOINTS)


@pytest.mark.parametrize("case", CASES, ids=[case.tool for case in CASES])
async def test_each_read_tool_sends_finerworks_request_and_returns_seeded_data(
    sim: SimulatorState, mode: str, case: Case
) -> None:
    async with connect(sim, mode) as client:
        result = await call_ok(client, case.tool, case.arguments)

    (request,) = upstream(sim)
    assert (request.method, request.endpoint, request.path) == (case.method, case.tool, f"/v3/{case.tool}")
    assert request.headers["web_api_key"] == SIMULATOR_WEB_API_KEY
    assert request.headers["app_key"] == SIMULATOR_APP_KEY
    assert request.headers["user-agent"].startswith("finerworks-mcp/")
    if case.method == "GET":
        assert (request.query, request.body) == (case.sent, None)
    else:
        assert (request.query, request.body) == ({}, case.sent)
    assert case.check(result), result


async def test_read_tools_are_listed_read_only_with_an_output_schema_when_asked(sim: SimulatorState) -> None:
    async with connect(sim, env={"TOOL_SCHEMAS": "full"}) as client:
        listed = {tool.name: tool for tool in (await client.list_tools()).tools}
    for case in CASES:
        tool = listed[case.tool]
        assert tool.annotations is not None, case.tool
        assert (tool.annotations.read_only_hint, tool.annotations.destructive_hint) == (True, False), case.tool
        assert tool.output_schema is not None, case.tool
        assert 0 < len(tool.description or "") < 250, case.tool


@pytest.mark.parametrize(
    ("tool", "arguments", "complaint"),
    [
        pytest.param(
            "get_prices",
            {"products": [{"product_sku": seed.VALID_PRODUCT_CODE}] * 51},
            "at most 50",
            id="get_prices-51-items",
        ),
        pytest.param(
            "get_prices",
            {"products": [{"product_sku": seed.VALID_PRODUCT_CODE, "product_qty": 0}]},
            "greater than or equal to 1",
            id="get_prices-qty-0",
        ),
        pytest.param(
            "get_prices",
            {"products": [{"product_sku": seed.VALID_PRODUCT_CODE, "product_qty": 1000}]},
            "less than or equal to 999",
            id="get_prices-qty-1000",
        ),
        pytest.param("list_images", {"per_page": 51}, "less than or equal to 50", id="list_images-per-page-51"),
        pytest.param("list_virtual_inventory", {"page_number": 0}, "greater than or equal to 1", id="page-0"),
        pytest.param("list_images", {"sort_field": "rank"}, "'id'", id="list_images-unknown-sort-field"),
        pytest.param("list_event_logs", {"type": "fatal"}, "'error'", id="list_event_logs-unknown-type"),
        pytest.param(
            "list_shipping_options_multiple",
            {"orders": [quote_order(f"Q-{n}", seed.VALID_PRODUCT_CODE, 1) for n in range(51)]},
            "at most 50",
            id="shipping-51-orders",
        ),
        pytest.param(
            "list_shipping_options_multiple",
            {"orders": [{**quote_order("Q-1", seed.VALID_PRODUCT_CODE, 1), "source": "api"}]},
            "source",
            id="shipping-unknown-order-field",
        ),
        pytest.param(
            "validate_recipient_address",
            {"recipient": {**TEXAS, "zip_postal_code": "78705-00001"}},
            "at most 10",
            id="zip-too-long",
        ),
        pytest.param("fetch_order_status", {}, "at least one order id (order_ids) or PO (order_pos)", id="no-orders"),
        pytest.param(
            "fetch_order_status",
            {"order_ids": [], "order_pos": []},
            "at least one order id (order_ids) or PO (order_pos)",
            id="empty-order-lists",
        ),
        pytest.param("frame_builder", {}, "needs a product_code or a config", id="frame_builder-nothing"),
        pytest.param(
            "frame_builder",
            {
                "config": {
                    "frame_id": 458,
                    "width": 16,
                    "height": 20,
                    "mats": [{"id": 1, "windows": [{"width": 9, "height": 9}]}] * 3,
                }
            },
            "at most 2",
            id="frame_builder-three-mats",
        ),
    ],
)
async def test_input_limits_are_rejected_before_anything_goes_upstream(
    sim: SimulatorState, tool: str, arguments: dict[str, Any], complaint: str
) -> None:
    async with connect(sim) as client:
        message = await call_error(client, tool, arguments)
    assert complaint in message
    assert upstream(sim) == []


@pytest.mark.parametrize(
    ("tool", "arguments", "account_key_of"),
    [
        pytest.param(
            "get_prices",
            {"products": [{"product_sku": seed.VALID_PRODUCT_CODE}]},
            lambda r: r.body["account_key"],
            id="get_prices",
        ),
        pytest.param(
            "fetch_order_status",
            {"order_ids": [seed.SHIPPED_ORDER_ID]},
            lambda r: r.body["account_key"],
            id="fetch_order_status",
        ),
        pytest.param("list_virtual_inventory", {}, lambda r: r.body["account_key"], id="list_virtual_inventory"),
        pytest.param("list_images", {}, lambda r: r.body["library"]["account_key"], id="list_images"),
        pytest.param("get_user", {}, lambda r: r.query["account_key"], id="get_user"),
    ],
)
async def test_configured_account_key_is_sent_as_account_key(
    sim: SimulatorState, mode: str, tool: str, arguments: dict[str, Any], account_key_of: Callable[[Any], str]
) -> None:
    async with connect(sim, mode, env={"ACCOUNT_KEY": RESELLER_ACCOUNT}) as client:
        await call_ok(client, tool, arguments)
    (request,) = upstream(sim)
    assert account_key_of(request) == RESELLER_ACCOUNT


async def test_an_account_key_given_in_the_call_wins_over_the_configured_one(sim: SimulatorState) -> None:
    chosen = "0b7f3c1e-5a2d-4e6f-9c8b-7a1d2e3f4a5b"
    async with connect(sim, env={"ACCOUNT_KEY": RESELLER_ACCOUNT}) as client:
        await call_ok(client, "list_virtual_inventory", {"account_key": chosen})
    assert upstream(sim, "list_virtual_inventory")[0].body == {"account_key": chosen}


async def test_fetch_order_status_of_only_unknown_orders_is_an_empty_answer(sim: SimulatorState) -> None:
    async with connect(sim) as client:
        result = await call_ok(client, "fetch_order_status", {"order_ids": [999999], "order_pos": ["PO-NOPE"]})
    assert result == {"orders": []}


async def test_frame_builder_prices_a_config_and_renders_a_preview(sim: SimulatorState) -> None:
    def config(width: float, height: float) -> dict[str, Any]:
        window = {"width": width - 4, "height": height - 4}
        return {"frame_id": seed.FRAME_ID, "width": width, "height": height, "mats": [{"id": 3, "windows": [window]}]}

    async with connect(sim) as client:
        small = await call_ok(client, "frame_builder", {"config": config(12, 16), "render": {"render_size": 300}})
        large = await call_ok(client, "frame_builder", {"config": config(20, 24)})

    sent = upstream(sim, "frame_builder")[0].body
    assert sent["config"] == {
        "frame_id": seed.FRAME_ID,
        "width": 12,
        "height": 16,
        "mats": [{"id": 3, "windows": [{"width": 8, "height": 12, "window_x": 0, "window_y": 0}]}],
        "units": 0,
    }
    assert sent["render"]["render_size"] == 300
    assert base64.b64decode(small["render_data"]).startswith(b"\x89PNG")
    assert [mat["name"] for mat in small["mats"]] == ["Black"]
    assert "render_data" not in large
    assert large["price_details"]["total_price"] > small["price_details"]["total_price"]


async def test_list_images_passes_date_filters_as_finerworks_dates(sim: SimulatorState) -> None:
    async with connect(sim) as client:
        result = await call_ok(
            client, "list_images", {"upload_date_from": "2025-06-01", "upload_date_to": "2025-06-30", "active": True}
        )
    sent = upstream(sim, "list_images")[0].body
    assert (sent["upload_date_from"], sent["upload_date_to"], sent["active"]) == ("2025-06-01", "2025-06-30", True)
    assert 0 < result["count"] < seed.IMAGE_COUNT
    assert all(image["date_added"].startswith("2025-06") and image["active"] for image in result["images"])


async def test_credentials_check_never_shows_the_app_key(sim: SimulatorState) -> None:
    async with connect(sim) as client:
        result = await client.call_tool("test_my_credentials", {})
    assert not result.is_error
    assert SIMULATOR_APP_KEY not in text_of(result)
    assert SIMULATOR_APP_KEY not in str(result.structured_content)
    assert result.structured_content is not None
    assert result.structured_content["user_account"]["app_details"]["app_name"] == "Lumen Atelier Storefront"


async def test_unknown_skus_are_listed_in_not_found(sim: SimulatorState) -> None:
    async with connect(sim) as client:
        result = await call_ok(
            client, "get_prices", {"products": [{"product_sku": seed.CONNECTED_SKU}, {"product_sku": "AP1P1"}]}
        )
    assert result["not_found"] == ["AP1P1"]
    assert [line["product_sku"] for line in result["prices"]] == [seed.CONNECTED_SKU]
