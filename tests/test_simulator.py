"""The offline FinerWorks: shapes, validation, pricing, paging, writes and faults, driven over httpx2."""

from __future__ import annotations

import base64
import json
import time
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from typing import Any

import httpx2
import pytest

from finerworks_mcp.api.endpoints import ENDPOINTS
from finerworks_mcp.simulator import (
    SIMULATOR_APP_KEY,
    SIMULATOR_WEB_API_KEY,
    SimulatorState,
    SimulatorTransport,
    create_app,
    seed,
    serve,
)
from finerworks_mcp.simulator.dates import CENTRAL
from finerworks_mcp.simulator.handlers import HANDLERS
from finerworks_mcp.simulator.product_codes import code_problem, parse_product_code

pytestmark = pytest.mark.anyio

AUTH = {"web_api_key": SIMULATOR_WEB_API_KEY, "app_key": SIMULATOR_APP_KEY}
NOW = datetime(2025, 7, 1, 10, 0, tzinfo=CENTRAL)
LIBRARY = {"name": "inventory", "session_id": "1234567890", "account_key": "", "site_id": 2}
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def state() -> SimulatorState:
    return SimulatorState(clock=lambda: NOW)


@pytest.fixture
async def client(state: SimulatorState) -> AsyncIterator[httpx2.AsyncClient]:
    async with httpx2.AsyncClient(
        transport=SimulatorTransport(state), base_url="http://sim/v3", headers=AUTH
    ) as session:
        yield session


def recipient(**changes: Any) -> dict[str, Any]:
    address: dict[str, Any] = {
        "first_name": "Bob",
        "last_name": "Ross",
        "company_name": None,
        "address_1": "742 Evergreen Terrace",
        "address_2": None,
        "address_3": None,
        "city": "Portland",
        "state_code": "OR",
        "province": None,
        "zip_postal_code": "97204",
        "country_code": "us",
        "phone": "555-555-5555",
        "email": "bob@example.com",
        "address_order_po": None,
    }
    return {**address, **changes}


def order(po: str = "PO-9001", *, sku: str = seed.VALID_PRODUCT_CODE, qty: int = 1, **changes: Any) -> dict[str, Any]:
    item: dict[str, Any] = {"product_order_po": po, "product_qty": qty, "product_sku": sku, "product_title": "Test"}
    if not sku.startswith("AP"):
        item["product_image"] = {"pixel_width": 4000, "pixel_height": 5000, "product_url_file": "https://x/hi.jpg"}
    return {"order_po": po, "recipient": recipient(), "order_items": [item], "shipping_code": "SD", **changes}


async def ok(response: httpx2.Response) -> dict[str, Any]:
    """The body of a handled call, after checking the HTTP status and the envelope."""
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    assert set(body["status"]) == {"success", "status_code", "message", "debug", "reference_id", "domain"}
    return body


def flat_refusal(response: httpx2.Response) -> str:
    """FinerWorks' other refusal shape: HTTP 200 with `success: false` and the message at the top level."""
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    assert body["success"] is False
    assert "status" not in body
    return str(body["message"])


def total_cents(value: float) -> int:
    return round(value * 100)


# --- credentials, routing, envelope -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"web_api_key": SIMULATOR_WEB_API_KEY},
        {"web_api_key": "8404ba48-b26e-4074-9a3f-41cf54c3f8d3", "app_key": SIMULATOR_APP_KEY},
        {"web_api_key": SIMULATOR_APP_KEY, "app_key": SIMULATOR_APP_KEY},
    ],
    ids=["none", "only-one", "wrong", "both-equal"],
)
async def test_missing_wrong_or_equal_credentials_answer_400_with_finerworks_model_state(
    state: SimulatorState, headers: dict[str, str]
) -> None:
    async with httpx2.AsyncClient(transport=SimulatorTransport(state), base_url="http://sim/v3") as bare:
        response = await bare.get("/test_my_credentials", headers=headers)
    assert response.status_code == 400
    assert response.json() == {
        "Message": "The request is invalid.",
        "ModelState": {"ApiC.Models.authorization_credentials": ["Missing or unauthorized api credentials"]},
    }


async def test_credentials_are_also_accepted_in_the_query_string(state: SimulatorState) -> None:
    async with httpx2.AsyncClient(transport=SimulatorTransport(state), base_url="http://sim/v3") as bare:
        body = await ok(await bare.get("/get_user", params={**AUTH, "account_key": seed.ACCOUNT_KEY}))
    assert body["user_account"]["account_id"] == seed.ACCOUNT_ID


async def test_test_my_credentials_returns_the_account_inside_the_status_envelope(client: httpx2.AsyncClient) -> None:
    body = await ok(await client.get("/test_my_credentials"))
    assert body["status"]["success"] is True
    assert body["user_account"]["account_username"] == seed.ACCOUNT_USERNAME


async def test_an_unknown_route_answers_404_with_the_asp_net_message(client: httpx2.AsyncClient) -> None:
    response = await client.post("/list_galleries", json={})
    assert response.status_code == 404
    assert response.json() == {
        "Message": "No HTTP resource was found that matches the request URI 'http://sim/v3/list_galleries'."
    }


async def test_a_wrong_verb_answers_405_naming_the_method(client: httpx2.AsyncClient) -> None:
    response = await client.get("/get_prices")
    assert response.status_code == 405
    assert response.json() == {"Message": "The requested resource does not support http method 'GET'."}


async def test_update_order_takes_post_as_well_as_put(client: httpx2.AsyncClient) -> None:
    command = {"order_id": seed.RECEIVED_ORDER_ID, "update_command": "hold"}
    assert (await ok(await client.post("/update_order", json=command)))["status"]["success"] is True
    assert (await ok(await client.put("/update_order", json=command)))["status"]["success"] is True


def test_every_endpoint_in_the_catalogue_has_a_handler() -> None:
    assert set(HANDLERS) == set(ENDPOINTS)


async def test_every_request_is_recorded_with_lower_cased_headers_and_its_json_body(
    client: httpx2.AsyncClient, state: SimulatorState
) -> None:
    await client.post("/get_prices", json={"products": [{"product_qty": 1, "product_sku": "5M6M9S16X20"}]})
    await client.get("/list_file_selection", params={"guid": seed.FILE_SELECTION_GUID})
    prices, selection = state.requests
    assert (prices.method, prices.endpoint, prices.fault) == ("POST", "get_prices", None)
    assert prices.headers["web_api_key"] == SIMULATOR_WEB_API_KEY
    assert prices.body == {"products": [{"product_qty": 1, "product_sku": "5M6M9S16X20"}]}
    assert selection.query == {"guid": seed.FILE_SELECTION_GUID}
    assert selection.body is None
    assert state.write_requests == []


# --- catalog and prices -------------------------------------------------------------------------------------------


async def test_get_prices_prices_by_area_and_multiplies_total_by_quantity(client: httpx2.AsyncClient) -> None:
    wanted = [
        {"product_qty": 1, "product_sku": "5M6M9S16X20"},
        {"product_qty": 3, "product_sku": "5M6M9S16X20"},
        {"product_qty": 1, "product_sku": "5M6M9S8X10"},
    ]
    body = await ok(await client.post("/get_prices", json={"products": wanted}))
    one, three, small = body["prices"]
    assert one["product_price"] == 17.10  # 3.50 base + 320 sq in x 0.0425
    assert total_cents(three["total_price"]) == 3 * total_cents(one["total_price"])
    assert small["product_price"] < one["product_price"]
    assert one["add_frame_price"] == one["add_mat_1_price"] == one["add_glazing_price"] == 0
    assert one["product_code"] == one["product_sku"] == "5M6M9S16X20"


async def test_get_prices_accepts_a_bare_array_like_older_clients(client: httpx2.AsyncClient) -> None:
    body = await ok(await client.post("/get_prices", json=[{"product_qty": 2, "product_sku": "5M6M9S16X20"}]))
    assert body["prices"][0]["total_price"] == 34.20


async def test_get_prices_omits_unknown_codes_and_names_them_in_the_message(client: httpx2.AsyncClient) -> None:
    wanted = [{"product_qty": 1, "product_sku": s} for s in ("5M6M9S16X20", "5M6M9S99X99", "AP1P1")]
    body = await ok(await client.post("/get_prices", json={"products": wanted}))
    assert body["status"]["success"] is True
    assert [row["product_sku"] for row in body["prices"]] == ["5M6M9S16X20"]
    assert "5M6M9S99X99" in body["status"]["message"]
    assert "AP1P1" in body["status"]["message"]


async def test_get_prices_with_nothing_known_is_refused(client: httpx2.AsyncClient) -> None:
    body = await ok(await client.post("/get_prices", json={"products": [{"product_qty": 1, "product_sku": "nope"}]}))
    assert body["status"]["success"] is False
    assert body["prices"] == []
    assert "nope" in body["status"]["message"]


async def test_inventory_skus_price_from_their_product_code(client: httpx2.AsyncClient) -> None:
    wanted = [{"product_qty": 1, "product_sku": seed.CONNECTED_SKU}]
    (row,) = (await ok(await client.post("/get_prices", json={"products": wanted})))["prices"]
    code = row["product_code"]
    (same,) = (await ok(await client.post("/get_prices", json=[{"product_qty": 1, "product_sku": code}])))["prices"]
    assert row["product_sku"] == seed.CONNECTED_SKU
    assert row["total_price"] == same["total_price"]


@pytest.mark.parametrize(
    ("products", "key", "fragment"),
    [
        ([], "products", "between 1 and 50"),
        ([{"product_qty": 1, "product_sku": "5M6M9S16X20"}] * 51, "products", "between 1 and 50"),
        ([{"product_qty": 0, "product_sku": "5M6M9S16X20"}], "products[0].product_qty", "between 1 and 999"),
        ([{"product_qty": 1000, "product_sku": "5M6M9S16X20"}], "products[0].product_qty", "between 1 and 999"),
        ([{"product_qty": 1}], "products[0].product_sku", "is required"),
        ([{"product_qty": "two", "product_sku": "5M6M9S16X20"}], "products[0].product_qty", "not valid"),
    ],
)
async def test_get_prices_limits_answer_400_model_state(
    client: httpx2.AsyncClient, products: list[Any], key: str, fragment: str
) -> None:
    response = await client.post("/get_prices", json={"products": products})
    assert response.status_code == 400
    body = response.json()
    assert body["Message"] == "The request is invalid."
    assert fragment in body["ModelState"][key][0]


@pytest.mark.parametrize(
    ("code", "fragment"),
    [
        ("5M6M9S16X20", None),
        ("5M6M9S16X20.5", None),
        ("5M6M9S20X16", None),
        ("5M1M9S16X20", "not made as product type 5"),
        ("5M6M2S16X20", "not offered on media 6"),
        ("5M6M9S2X3", "outside 4x4–40x90"),
        ("5M6M10S16.5X20", "whole-inch sizes only"),
        ("5M8M11S20X16", "portrait only"),
        ("1M1M2S13X17", "not offered for style 2"),
        ("5M6M9S16X20F480", "does not fit style 9"),
        ("5M6M9S16X20F458M1M2G3", None),
    ],
)
def test_product_codes_follow_the_media_style_and_size_rules(code: str, fragment: str | None) -> None:
    parsed = parse_product_code(code)
    assert parsed is not None
    problem = code_problem(parsed)
    assert problem is None if fragment is None else fragment in (problem or "")


def test_every_seeded_product_has_a_valid_code(state: SimulatorState) -> None:
    assert all(code_problem(p.code) is None for p in state.products.values())


async def test_get_product_details_describes_inventory_skus_and_catalog_codes(client: httpx2.AsyncClient) -> None:
    wanted = [{"product_qty": 2, "product_sku": seed.CONNECTED_SKU}, {"product_qty": 1, "product_sku": "5M6M9S16X20"}]
    body = await ok(await client.post("/get_product_details", json=wanted))
    inventory, catalog = body["product_list"]
    assert inventory["sku"] == seed.CONNECTED_SKU
    assert inventory["quantity"] == 2
    assert catalog["sku"] is None
    assert catalog["name"] == "Archival Matte Paper, Borderless, 16x20 in"
    assert catalog["product_size"]["width"] == 16
    too_many = await client.post("/get_product_details", json={"products": wanted * 13})
    assert too_many.status_code == 400
    assert "products" in too_many.json()["ModelState"]


async def test_catalog_lists_carry_the_fields_product_codes_are_built_from(client: httpx2.AsyncClient) -> None:
    types = (await ok(await client.post("/list_product_types", json={})))["product_types"]
    media = (await ok(await client.post("/list_media_types", json={"ids": [6]})))["media_types"]
    styles = await ok(await client.post("/list_style_types", json={"ids": [9, 999]}))
    assert 5 in {t["id"] for t in types}
    assert media == [media[0]]
    assert media[0]["product_type_id"] == 5
    assert 9 in media[0]["style_ids"]
    (borderless,) = styles["style_types"]
    assert (borderless["custom_sizing"], borderless["allow_decimal"], borderless["allow_rotate"]) == (True, True, True)
    assert borderless["min"] == {"width": 4, "height": 4}
    assert {"width": 16, "height": 20} in borderless["available_sizes"]
    assert "999" in styles["status"]["message"]


async def test_frame_collections_list_frames_only_for_a_named_collection(client: httpx2.AsyncClient) -> None:
    everything = (await ok(await client.post("/list_collections", json={})))["collections"]
    assert len(everything) >= 3
    assert all(c["frames"] is None for c in everything)
    (classic,) = (await ok(await client.post("/list_collections", json={"id": 1})))["collections"]
    assert seed.FRAME_ID in {f["id"] for f in classic["frames"]}
    for_paper = await ok(await client.post("/list_collections", json={"product_code": seed.VALID_PRODUCT_CODE}))
    assert "floaters" not in {c["alias"] for c in for_paper["collections"]}
    frame = (await ok(await client.post("/frame_details", json={"id": seed.FRAME_ID})))["frame"]
    assert frame["allow_matting"] is True
    missing = await ok(await client.post("/frame_details", json={"id": 1}))
    assert missing["status"]["success"] is False
    assert (await ok(await client.post("/list_mats", json={})))["mats"]
    assert (await ok(await client.post("/list_glazing", json={"id": 2})))["glazing"][0]["id"] == 2


async def test_frame_builder_prices_the_package_and_renders_a_png_only_when_asked(client: httpx2.AsyncClient) -> None:
    config = {"frame_id": seed.FRAME_ID, "width": 16, "height": 20, "mats": [{"id": 1}], "glazing": {"id": 2}}
    plain = await ok(await client.post("/frame_builder", json={"product_code": "5M6M9S16X20", "config": config}))
    assert plain["product_code"] == seed.VALID_FRAMED_PRODUCT_CODE
    assert plain["render_data"] is None
    price = plain["price_details"]
    assert price["product_price"] == 17.10
    assert min(price["add_frame_price"], price["add_mat_1_price"], price["add_glazing_price"]) > 0
    assert plain["frame"]["id"] == seed.FRAME_ID
    assert [m["id"] for m in plain["mats"]] == [1]
    rendered = await ok(await client.post("/frame_builder", json={"config": config, "render": {"render_size": 500}}))
    assert rendered["product_code"] is None
    assert rendered["price_details"]["product_price"] == 0
    assert base64.b64decode(rendered["render_data"]).startswith(PNG_SIGNATURE)
    framed = [{"product_qty": 1, "product_sku": seed.VALID_FRAMED_PRODUCT_CODE}]
    (row,) = (await ok(await client.post("/get_prices", json=framed)))["prices"]
    assert row["total_price"] == price["total_price"]


async def test_frame_builder_refuses_an_impossible_frame_and_rejects_unknown_ids(client: httpx2.AsyncClient) -> None:
    floater = {"frame_id": 480, "width": 16, "height": 20, "mats": [{"id": 1}]}
    refused = await ok(await client.post("/frame_builder", json={"config": floater}))
    assert refused["status"]["success"] is False
    assert "takes no mats" in refused["status"]["message"]
    unknown = await client.post("/frame_builder", json={"config": {"frame_id": 1, "width": 8, "height": 10}})
    assert unknown.status_code == 400
    assert "config.frame_id" in unknown.json()["ModelState"]


# --- shipping and addresses ---------------------------------------------------------------------------------------


async def quote(client: httpx2.AsyncClient, *orders: dict[str, Any]) -> list[dict[str, Any]]:
    body = await ok(await client.post("/list_shipping_options_multiple", json={"orders": list(orders)}))
    return body["orders"]


async def test_shipping_options_obey_the_rate_and_total_invariants(client: httpx2.AsyncClient) -> None:
    two_items = order("PO-A", qty=2)
    two_items["order_items"].append({"product_qty": 1, "product_sku": seed.CONNECTED_SKU})
    (quoted,) = await quote(client, two_items)
    assert quoted["order_po"] == "PO-A"
    assert quoted["order_size"]["ounces"] > 0
    assert {"EC", "SD", "FS"} <= {o["shipping_code"] for o in quoted["options"]}
    for option in quoted["options"]:
        total = option["calculated_total"]
        assert isinstance(option["id"], int)
        assert option["id"] > 0
        assert option["carrier"]
        assert option["shipping_method"]
        assert option["rate"] == total["order_shipping_rate"]
        assert total_cents(total["order_subtotal"]) == sum(
            total_cents(p["total_price"]) for p in total["product_pricing"]
        )
        assert total_cents(total["order_grand_total"]) == (
            total_cents(total["order_subtotal"])
            + total_cents(total["order_shipping_rate"])
            + total_cents(total["order_sales_tax"])
            + total_cents(total["order_expedite_fee"])
            - total_cents(total["order_discount"])
        )


async def test_texas_recipients_pay_sales_tax_and_others_do_not(client: httpx2.AsyncClient) -> None:
    texas = order("PO-TX", recipient=recipient(city="Austin", state_code="TX", zip_postal_code="78701"))
    oregon, tx = await quote(client, order("PO-OR"), texas)
    assert oregon["options"][0]["calculated_total"]["order_sales_tax"] == 0
    total = tx["options"][0]["calculated_total"]
    assert total["order_sales_tax"] == round(total["order_subtotal"] * 0.0825, 2)


async def test_remote_states_cost_more_and_international_gets_fewer_pricier_options(client: httpx2.AsyncClient) -> None:
    alaska = order("PO-AK", recipient=recipient(city="Anchorage", state_code="AK", zip_postal_code="99501"))
    canada = order(
        "PO-CA",
        shipping_code="EC",
        recipient=recipient(
            city="Toronto", state_code=None, province="ON", zip_postal_code="M5H 1J9", country_code="ca"
        ),
    )
    mainland, remote, abroad = await quote(client, order("PO-OR"), alaska, canada)
    rates = {o["shipping_code"]: o["rate"] for o in mainland["options"]}
    assert all(o["rate"] > rates[o["shipping_code"]] for o in remote["options"])
    assert len(abroad["options"]) < len(mainland["options"])
    assert min(o["rate"] for o in abroad["options"]) > max(rates.values()) / 2


async def test_a_product_code_without_pixel_dimensions_is_missing_or_invalid_info(client: httpx2.AsyncClient) -> None:
    no_pixels = order()
    no_pixels["order_items"][0]["product_image"] = {"product_url_file": "https://x/hi.jpg"}
    for endpoint, body in (
        ("/list_shipping_options_multiple", {"orders": [no_pixels]}),
        ("/submit_orders_v2", {"orders": [no_pixels], "payment_token": "xxxx"}),
    ):
        response = await client.post(endpoint, json=body)
        assert response.status_code == 400
        assert response.json()["ModelState"] == {"orders[0].order_items[0].product_image": ["missing or invalid info"]}


async def test_state_code_must_be_blank_outside_the_us(client: httpx2.AsyncClient) -> None:
    abroad = order(recipient=recipient(country_code="gb", state_code="LN", zip_postal_code="SW1A 1AA"))
    response = await client.post("/submit_orders_v2", json={"orders": [abroad], "payment_token": "xxxx"})
    assert response.status_code == 400
    assert response.json()["ModelState"]["orders[0].recipient.state_code"] == [
        "Must be left blank when country_code does not equal 'us'"
    ]


async def test_validate_recipient_address_normalizes_good_addresses_and_refuses_bad_ones(
    client: httpx2.AsyncClient,
) -> None:
    good = await ok(
        await client.post(
            "/validate_recipient_address", json={"recipient": recipient(state_code="or", city=" Portland ")}
        )
    )
    assert (good["address"]["state_code"], good["address"]["city"]) == ("OR", "Portland")
    bad = await ok(await client.post("/validate_recipient_address", json={"recipient": recipient(zip_postal_code="9")}))
    assert bad["status"]["success"] is False
    assert "zip_postal_code" in bad["status"]["message"]
    assert bad["address"] is None
    missing = await client.post("/validate_recipient_address", json={})
    assert missing.status_code == 400


# --- orders -------------------------------------------------------------------------------------------------------


async def status_of(client: httpx2.AsyncClient, **lookup: Any) -> dict[str, Any]:
    return await ok(await client.post("/fetch_order_status", json=lookup))


async def test_order_status_definitions_include_the_documented_three_and_more(client: httpx2.AsyncClient) -> None:
    definitions = (await ok(await client.get("/list_order_status_definitions")))["definitions"]
    labels = {d["order_status_id"]: d["order_status_label"] for d in definitions}
    assert len(labels) >= 8
    assert labels[3] == "Order Received"


async def test_submitting_an_order_creates_it_and_fetch_order_status_finds_it(
    client: httpx2.AsyncClient, state: SimulatorState
) -> None:
    body = await ok(await client.post("/submit_orders_v2", json={"orders": [order()], "payment_token": "xxxx"}))
    (created,) = body["orders"]
    assert created["order_po"] == "PO-9001"
    assert created["order_id"] > max(seed.ORDER_IDS)
    assert created["order_confirmation_datetime"] == "2025-07-01T10:00:00.0000000-06:00"
    assert created["order_status"]["order_status_label"] == "Order Received"
    assert state.orders[created["order_id"]].test_mode is True
    (found,) = (await status_of(client, order_ids=[created["order_id"]]))["orders"]
    assert found["order_status_id"] == 3
    assert found["shipments"] == []


async def test_validate_only_checks_the_order_and_creates_nothing(
    client: httpx2.AsyncClient, state: SimulatorState
) -> None:
    before = len(state.orders)
    request = {"orders": [order()], "payment_token": "xxxx", "validate_only": True}
    body = await ok(await client.post("/submit_orders_v2", json=request))
    assert body["status"]["success"] is True
    assert body["orders"] is None
    assert len(state.orders) == before


async def test_a_po_that_already_exists_is_refused_until_its_order_is_cancelled(client: httpx2.AsyncClient) -> None:
    repeat = {"orders": [order(seed.RECEIVED_ORDER_PO)], "payment_token": "xxxx"}
    taken = await client.post("/submit_orders_v2", json=repeat)
    assert taken.status_code == 400
    assert taken.json()["ModelState"] == {"orders[0].order_po": ["order_po already exists"]}
    await ok(await client.put("/update_order", json={"order_id": seed.RECEIVED_ORDER_ID, "update_command": "cancel"}))
    (resubmitted,) = (await ok(await client.post("/submit_orders_v2", json=repeat)))["orders"]
    assert resubmitted["order_po"] == seed.RECEIVED_ORDER_PO
    both = (await status_of(client, order_pos=[seed.RECEIVED_ORDER_PO]))["orders"]
    assert {o["order_status_label"] for o in both} == {"Cancelled", "Order Received"}


async def test_the_same_po_twice_in_one_submission_is_refused(client: httpx2.AsyncClient) -> None:
    response = await client.post("/submit_orders_v2", json={"orders": [order(), order()], "payment_token": "x"})
    assert response.status_code == 400
    assert list(response.json()["ModelState"]) == ["orders[1].order_po"]


async def test_advancing_an_order_moves_it_to_production_then_ships_it_with_tracking(
    client: httpx2.AsyncClient, state: SimulatorState
) -> None:
    (created,) = (await ok(await client.post("/submit_orders_v2", json={"orders": [order()], "payment_token": "t"})))[
        "orders"
    ]
    assert state.advance(created["order_id"]) == [created["order_id"]]
    assert (await status_of(client, order_ids=[created["order_id"]]))["orders"][0]["order_status_label"] == (
        "In Production"
    )
    state.advance(created["order_id"])
    (shipped,) = (await status_of(client, order_pos=["PO-9001"]))["orders"]
    assert shipped["order_status_label"] == "Shipped"
    (shipment,) = shipped["shipments"]
    assert shipment["carrier"] == "UPS"
    assert shipment["tracking_number"] in shipment["tracking_url"]
    assert shipment["shipment_date"].startswith("2025-07-01")


async def test_seeded_orders_carry_shipments_and_unknown_lookups_are_named(client: httpx2.AsyncClient) -> None:
    body = await status_of(client, order_ids=[*seed.ORDERS_WITH_SHIPMENTS, 1], order_pos=["PO-404"])
    assert [o["order_id"] for o in body["orders"]] == list(seed.ORDERS_WITH_SHIPMENTS)
    assert all(o["shipments"][0]["tracking_number"] for o in body["orders"])
    assert "order_id 1" in body["status"]["message"]
    assert "PO-404" in body["status"]["message"]
    empty = await status_of(client, order_ids=[], order_pos=None)
    assert empty["status"]["success"] is False


async def test_update_order_holds_orders_but_refuses_ones_in_production(client: httpx2.AsyncClient) -> None:
    held = await ok(
        await client.put("/update_order", json={"order_id": seed.RECEIVED_ORDER_ID, "update_command": "hold"})
    )
    assert held["status"]["success"] is True
    assert (await status_of(client, order_ids=[seed.RECEIVED_ORDER_ID]))["orders"][0]["order_status_label"] == "On Hold"
    late = flat_refusal(
        await client.put("/update_order", json={"order_id": seed.IN_PRODUCTION_ORDER_ID, "update_command": "cancel"})
    )
    assert "customer support" in late
    unknown = flat_refusal(await client.put("/update_order", json={"order_id": 42, "update_command": "hold"}))
    assert "42" in unknown
    bad = await client.put("/update_order", json={"order_id": seed.RECEIVED_ORDER_ID, "update_command": "ship"})
    assert "pending, hold, cancel" in bad.json()["ModelState"]["update_command"][0]


async def test_update_customer_changes_the_recipient(client: httpx2.AsyncClient, state: SimulatorState) -> None:
    moved = recipient(first_name="Alma", city="Austin", state_code="TX", zip_postal_code="78701")
    body = await ok(
        await client.put("/update_customer", json={"order_id": seed.RECEIVED_ORDER_ID, "customer_info": moved})
    )
    assert "Alma" in body["status"]["message"]
    assert state.orders[seed.RECEIVED_ORDER_ID].recipient["city"] == "Austin"
    assert "7" in flat_refusal(await client.put("/update_customer", json={"order_id": 7, "customer_info": moved}))


async def test_submit_note_appends_to_the_orders_log(client: httpx2.AsyncClient, state: SimulatorState) -> None:
    note = {"order_id": seed.SHIPPED_ORDER_ID, "subject": "Gift", "message": "Customer asked for gift wrap."}
    await ok(await client.post("/submit_note", json=note))
    assert [n.subject for n in state.orders[seed.SHIPPED_ORDER_ID].notes] == ["Gift"]
    too_long = await client.post("/submit_note", json={**note, "subject": "x" * 101})
    assert "maximum length of 100" in too_long.json()["ModelState"]["subject"][0]


# --- images, inventory, selections --------------------------------------------------------------------------------


async def list_images(client: httpx2.AsyncClient, **options: Any) -> dict[str, Any]:
    return await ok(await client.post("/list_images", json={"library": LIBRARY, **options}))


async def test_listing_images_pages_through_every_image_with_the_total_count(client: httpx2.AsyncClient) -> None:
    pages = [await list_images(client, page_number=n, per_page=50) for n in (1, 2, 3, 4)]
    guids = [image["guid"] for page in pages for image in page["images"]]
    assert [len(page["images"]) for page in pages] == [50, 50, 30, 0]
    assert {page["count"] for page in pages} == {seed.IMAGE_COUNT}
    assert len(set(guids)) == seed.IMAGE_COUNT
    ids = [image["id"] for image in pages[0]["images"]]
    assert ids == sorted(ids, reverse=True)
    default = await list_images(client)
    assert (default["page_number"], default["per_page"], len(default["images"])) == (1, 10, 10)
    oldest_first = await list_images(client, sort_field="date_added", sort_direction="ASC", per_page=1)
    assert oldest_first["images"][0]["id"] == seed.FIRST_IMAGE_ID


async def test_per_page_above_fifty_is_rejected(client: httpx2.AsyncClient) -> None:
    response = await client.post("/list_images", json={"library": LIBRARY, "per_page": 51})
    assert response.status_code == 400
    assert "per_page" in response.json()["ModelState"]


async def test_image_filters_search_titles_activity_dates_and_products(client: httpx2.AsyncClient) -> None:
    herons = await list_images(client, search_filter="heron", per_page=50)
    assert herons["count"] == 13
    inactive = await list_images(client, active=False, per_page=50)
    assert inactive["count"] == seed.INACTIVE_IMAGE_COUNT
    assert seed.INACTIVE_IMAGE_GUID in {i["guid"] for i in inactive["images"]}
    recent = await list_images(client, upload_date_from="2025-01-01")
    assert 0 < recent["count"] < seed.IMAGE_COUNT
    chosen = [seed.IMAGE_WITH_PRODUCTS_GUID, seed.IMAGE_WITHOUT_PRODUCTS_GUID]
    listed = await list_images(client, guid_filter=chosen, list_products=True)
    products = {i["guid"]: i["products"] for i in listed["images"]}
    assert {p["sku"] for p in products[seed.IMAGE_WITH_PRODUCTS_GUID]} == set(seed.IMAGE_WITH_PRODUCTS_SKUS)
    assert products[seed.IMAGE_WITHOUT_PRODUCTS_GUID] is None  # no products answers null, as FinerWorks may
    without = await list_images(client, guid_filter=chosen)
    assert all(i["products"] is None for i in without["images"])


async def list_inventory(client: httpx2.AsyncClient, **options: Any) -> dict[str, Any]:
    return await ok(await client.post("/list_virtual_inventory", json=options))


async def test_virtual_inventory_pages_and_filters_by_connection_sku_and_image(client: httpx2.AsyncClient) -> None:
    everything = await list_inventory(client, per_page=50)
    assert everything["count"] == seed.PRODUCT_COUNT >= 120
    connected = await list_inventory(client, third_party_connections_filter=["shopify", "etsy"])
    assert connected["count"] == seed.CONNECTED_PRODUCT_COUNT
    unconnected = await list_inventory(client, third_party_connections_filter=["none"])
    assert unconnected["count"] == seed.PRODUCT_COUNT - seed.CONNECTED_PRODUCT_COUNT
    by_sku = await list_inventory(client, sku_filter=[seed.CONNECTED_SKU])
    (product,) = by_sku["products"]
    assert product["third_party_integrations"]["shopify_product_id"] > 0
    by_image = await list_inventory(client, guid_filter=[seed.IMAGE_WITH_PRODUCTS_GUID])
    assert by_image["count"] == len(seed.IMAGE_WITH_PRODUCTS_SKUS)
    canvas = await list_inventory(client, product_type_ids_filter=[1])
    assert canvas["count"] == seed.PRODUCT_COUNT // 3


async def test_deleting_an_image_removes_its_inventory_products(client: httpx2.AsyncClient) -> None:
    body = await ok(
        await client.request(
            "DELETE", "/delete_images", json={"guids": [seed.IMAGE_WITH_PRODUCTS_GUID], "library": LIBRARY}
        )
    )
    assert "3 virtual-inventory product(s)" in body["status"]["message"]
    gone = await list_inventory(client, guid_filter=[seed.IMAGE_WITH_PRODUCTS_GUID])
    assert gone["count"] == 0
    assert (await list_images(client))["count"] == seed.IMAGE_COUNT - 1
    prices = await ok(await client.post("/get_prices", json=[{"product_qty": 1, "product_sku": seed.CONNECTED_SKU}]))
    assert prices["status"]["success"] is False
    again = await ok(
        await client.request(
            "DELETE", "/delete_images", json={"guids": [seed.IMAGE_WITH_PRODUCTS_GUID], "library": LIBRARY}
        )
    )
    assert again["status"]["success"] is False
    assert seed.IMAGE_WITH_PRODUCTS_GUID in again["status"]["message"]


async def test_deleting_inventory_removes_known_skus_and_names_unknown_ones(client: httpx2.AsyncClient) -> None:
    request = {"skus": [seed.CONNECTED_SKU, "AP9P9"]}
    body = await ok(await client.request("DELETE", "/delete_virtual_inventory", json=request))
    assert body["status"]["success"] is True
    assert "AP9P9" in body["status"]["message"]
    assert "shopify" in body["status"]["message"]
    assert (await list_inventory(client))["count"] == seed.PRODUCT_COUNT - 1


async def test_updating_inventory_changes_price_stock_and_connections(client: httpx2.AsyncClient) -> None:
    change = {
        "sku": seed.UNCONNECTED_SKU,
        "asking_price": 99.5,
        "quantity_in_stock": 4,
        "third_party_integrations": {"etsy_product_id": 123},
    }
    body = await ok(await client.put("/update_virtual_inventory", json={"virtual_inventory": [change]}))
    assert body["products"][0]["asking_price"] == 99.5
    (listed,) = (await list_inventory(client, sku_filter=[seed.UNCONNECTED_SKU]))["products"]
    assert (listed["quantity_in_stock"], listed["third_party_integrations"]["etsy_product_id"]) == (4, 123)
    too_many = await client.put("/update_virtual_inventory", json={"virtual_inventory": [change] * 51})
    assert too_many.status_code == 400


async def test_added_and_renamed_images_show_up_in_the_listing(client: httpx2.AsyncClient) -> None:
    new = {"title": "Night Owl", "file_name": "owl.jpg", "private_hires_uri": "https://x/owl.jpg", "pix_w": 10}
    (added,) = (await ok(await client.post("/add_images", json={"images": [new], "library": LIBRARY})))["images"]
    assert added["date_added"] == "2025-07-01T10:00:00.0000000-06:00"
    await ok(await client.put("/update_images", json={"images": [{"guid": added["guid"], "title": "Barn Owl"}]}))
    (found,) = (await list_images(client, search_filter="barn owl"))["images"]
    assert found["guid"] == added["guid"]
    six = await client.post("/add_images", json={"images": [new] * 6, "library": LIBRARY})
    assert six.status_code == 400
    assert "images" in six.json()["ModelState"]


async def test_a_file_selection_can_be_read_and_replaced(client: httpx2.AsyncClient) -> None:
    params = {"guid": seed.FILE_SELECTION_GUID}
    selected = await ok(await client.get("/list_file_selection", params=params))
    assert selected["guids"] == list(seed.FILE_SELECTION_IMAGE_GUIDS)
    replacement = {"guid": seed.FILE_SELECTION_GUID, "guids": [seed.IMAGE_WITHOUT_PRODUCTS_GUID, "no-such-guid"]}
    body = await ok(await client.put("/update_file_selection", json=replacement))
    assert "no-such-guid" in body["status"]["message"]
    after = await ok(await client.get("/list_file_selection", params=params))
    assert after["guids"] == [seed.IMAGE_WITHOUT_PRODUCTS_GUID]


# --- account and events -------------------------------------------------------------------------------------------


async def test_user_and_app_details_updates_show_in_get_user(client: httpx2.AsyncClient) -> None:
    billing = recipient(company_name="Happy Little Trees")
    change = {"billing_info": billing, "shipping_preferences": [3]}
    missing_key = await client.put("/update_user", json=change)
    assert "account_key" in missing_key.json()["ModelState"]  # test-api marks it Required
    await ok(await client.put("/update_user", json={**change, "account_key": seed.ACCOUNT_KEY}))
    app = {"app_key": SIMULATOR_APP_KEY, "app_name": "Renamed", "app_live_mode": True}
    await ok(await client.put("/update_app_details", json={"app_details": app}))
    user = (await ok(await client.get("/get_user")))["user_account"]
    assert user["billing_info"]["company_name"] == "Happy Little Trees"
    assert user["shipping_preferences"] == [3]
    assert user["app_details"]["app_name"] == "Renamed"
    long_name = await client.put("/update_app_details", json={"app_details": {**app, "app_name": "x" * 51}})
    assert "app_details.app_name" in long_name.json()["ModelState"]


async def test_added_events_appear_in_the_event_log(client: httpx2.AsyncClient) -> None:
    event = {"id": None, "type": "weird", "name": "Export ran", "details": "Nightly export", "site_id": 1}
    added = (await ok(await client.post("/add_event", json=event)))["event"]
    assert (added["id"], added["type"]) == (seed.EVENT_COUNT + 1, "other")
    logs = await ok(await client.post("/list_event_logs", json={"search_term": "export"}))
    assert [e["name"] for e in logs["events"]] == ["Export ran"]
    errors = await ok(await client.post("/list_event_logs", json={"type": "error", "per_page": 50}))
    assert errors["count"] == 2
    bad = await client.post("/add_event", json={**event, "name": "x" * 51, "site_id": 4})
    assert set(bad.json()["ModelState"]) == {"name", "site_id"}


# --- faults -------------------------------------------------------------------------------------------------------


async def test_latency_delays_the_real_answer(client: httpx2.AsyncClient, state: SimulatorState) -> None:
    state.faults.add("latency", seconds=0.05)
    started = time.perf_counter()
    await ok(await client.get("/list_order_status_definitions"))
    assert time.perf_counter() - started >= 0.05
    assert state.requests[-1].fault == "latency"


async def test_rate_limit_answers_429_with_retry_after(client: httpx2.AsyncClient, state: SimulatorState) -> None:
    state.faults.add("rate_limit", endpoint="get_prices", retry_after=7)
    response = await client.post("/get_prices", json=[{"product_qty": 1, "product_sku": "5M6M9S16X20"}])
    assert response.status_code == 429
    assert response.headers["retry-after"] == "7"
    assert "Message" in response.json()
    await ok(await client.post("/get_prices", json=[{"product_qty": 1, "product_sku": "5M6M9S16X20"}]))


async def test_server_errors_answer_html_by_default(client: httpx2.AsyncClient, state: SimulatorState) -> None:
    state.faults.add("server_error", status=502)
    state.faults.add("server_error", body="json")
    html = await client.get("/get_user")
    assert html.status_code == 502
    assert html.headers["content-type"].startswith("text/html")
    as_json = await client.get("/get_user")
    assert (as_json.status_code, as_json.json()) == (500, {"Message": "An error has occurred."})


async def test_a_timeout_raises_read_timeout_and_is_recorded(client: httpx2.AsyncClient, state: SimulatorState) -> None:
    state.faults.add("timeout", endpoint="submit_orders_v2")
    with pytest.raises(httpx2.ReadTimeout):
        await client.post("/submit_orders_v2", json={"orders": [order()], "payment_token": "xxxx"})
    (attempt,) = state.write_requests
    assert (attempt.endpoint, attempt.fault) == ("submit_orders_v2", "timeout")
    assert attempt.body["orders"][0]["order_po"] == "PO-9001"
    assert state.live_order_with_po("PO-9001") is None


async def test_a_connection_reset_raises_connect_error(client: httpx2.AsyncClient, state: SimulatorState) -> None:
    state.faults.add("connection_reset")
    with pytest.raises(httpx2.ConnectError):
        await client.get("/get_user")
    assert state.requests[-1].fault == "connection_reset"


@pytest.mark.parametrize("variant", ["truncated", "html"])
async def test_malformed_bodies_are_not_json(client: httpx2.AsyncClient, state: SimulatorState, variant: str) -> None:
    state.faults.add("malformed", variant=variant)
    response = await client.get("/get_user")
    assert response.status_code == 200
    with pytest.raises(json.JSONDecodeError):
        response.json()


async def test_model_state_and_refusal_faults_use_finerworks_shapes(
    client: httpx2.AsyncClient, state: SimulatorState
) -> None:
    state.faults.add("model_state", model_state={"orders[0].recipient.zip_postal_code": ["Invalid zip"]})
    state.faults.add("refusal", message="Payment failed")
    invalid = await client.post("/submit_orders_v2", json={"orders": [order()], "payment_token": "xxxx"})
    assert invalid.status_code == 400
    assert invalid.json()["ModelState"] == {"orders[0].recipient.zip_postal_code": ["Invalid zip"]}
    refused = await ok(await client.post("/submit_orders_v2", json={"orders": [order()], "payment_token": "xxxx"}))
    assert (refused["status"]["success"], refused["status"]["message"]) == (False, "Payment failed")
    assert state.live_order_with_po("PO-9001") is None


async def test_faults_last_until_cleared_when_times_is_none(client: httpx2.AsyncClient, state: SimulatorState) -> None:
    state.faults.add("server_error", endpoint="get_user", times=None, status=503)
    for _ in range(3):
        assert (await client.get("/get_user")).status_code == 503
    assert (await client.get("/test_my_credentials")).status_code == 200
    state.faults.clear()
    assert (await client.get("/get_user")).status_code == 200


def test_faults_reject_unknown_kinds_endpoints_and_parameters(state: SimulatorState) -> None:
    with pytest.raises(ValueError, match="kind"):
        state.faults.add("gremlins")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="endpoint"):
        state.faults.add("latency", endpoint="get_price")
    with pytest.raises(ValueError, match="retry_after"):
        state.faults.add("latency", retry_after=1)


async def test_the_asgi_app_alone_sleeps_on_timeout_then_answers_504(state: SimulatorState) -> None:
    state.faults.add("timeout", seconds=0.01)
    transport = httpx2.ASGITransport(app=create_app(state))
    async with httpx2.AsyncClient(transport=transport, base_url="http://sim/v3", headers=AUTH) as direct:
        response = await direct.get("/get_user")
    assert response.status_code == 504
    assert state.requests[-1].fault == "timeout"


def test_serve_refuses_a_host_that_is_not_loopback() -> None:
    with pytest.raises(ValueError, match="loopback"):
        serve(host="0.0.0.0")


def test_seed_dates_span_two_years(state: SimulatorState) -> None:
    dates = sorted(image.date_added for image in state.images.values())
    assert dates[-1] - dates[0] >= timedelta(days=700)
    assert dates[-1] < seed.SEED_NOW
