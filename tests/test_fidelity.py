"""Issue 12 (and 11.5): the server works against FinerWorks as it really answers, not only as its reference says.

Each test reproduces a finding: it fails on the code before the fix and passes now. The simulator plays FinerWorks'
quirks (required image_library fields, null lists, replace-on-update, 200 refusals); `Rewriting` adds the rest.
"""

from __future__ import annotations

from typing import Any

import pytest
from mcp import Client

from finerworks_mcp.simulator import SIMULATOR_APP_KEY, SIMULATOR_WEB_API_KEY, SimulatorState, seed
from tests.support import QUIRKS, REFUSALS, TEXAS, call_error, call_ok, connect, each_object, upstream

pytestmark = pytest.mark.anyio

Result = dict[str, Any]
IMAGE_ENDPOINTS = ("list_images", "add_images", "delete_images")
NEW_IMAGE = {"title": "Dawn Heron", "file_name": "dawn-heron.jpg", "private_hires_uri": "https://files.example/d.jpg"}
ORDER = {
    "order_po": "PO-FID-1",
    "recipient": {**TEXAS, "country_code": "US"},
    "order_items": [{"product_sku": seed.VALID_PRODUCT_CODE, "product_qty": 1}],
    "shipping_code": "SD",
}
ORDER_ITEM_IMAGE = {"pixel_width": 4000, "pixel_height": 5000}
ORDER["order_items"] = [{**ORDER["order_items"][0], "product_image": ORDER_ITEM_IMAGE}]  # type: ignore[index]
SUBMIT = {"orders": [ORDER], "payment_token": "xxxx"}

# Every read tool, with arguments that find something in the seeded account.
READS: dict[str, Result] = {
    "quote_prices": {"items": [{"product_sku": seed.VALID_PRODUCT_CODE, "product_qty": 2}], "recipient": TEXAS},
    "lookup_orders": {"order_ids": [seed.SHIPPED_ORDER_ID], "order_pos": [seed.DELIVERED_ORDER_PO]},
    "get_prices": {"products": [{"product_sku": seed.VALID_PRODUCT_CODE}, {"product_sku": seed.CONNECTED_SKU}]},
    "get_product_details": {"products": [{"product_sku": seed.CONNECTED_SKU}]},
    "list_product_types": {},
    "list_media_types": {},
    "list_style_types": {},
    "list_collections": {},
    "frame_details": {"id": seed.FRAME_ID},
    "list_mats": {},
    "list_glazing": {},
    "frame_builder": {"product_code": seed.VALID_FRAMED_PRODUCT_CODE},
    "fetch_order_status": {"order_ids": [seed.SHIPPED_ORDER_ID], "order_pos": [seed.DELIVERED_ORDER_PO]},
    "list_order_status_definitions": {},
    "list_shipping_options_multiple": {"orders": [{k: v for k, v in ORDER.items() if k != "shipping_code"}]},
    "validate_recipient_address": {"recipient": TEXAS},
    "list_images": {"per_page": 5, "list_products": True},
    "list_file_selection": {"guid": seed.FILE_SELECTION_GUID},
    "list_virtual_inventory": {"per_page": 5},
    "test_my_credentials": {},
    "get_user": {},
    "list_event_logs": {"per_page": 5},
}

# Every write tool, with arguments the seeded account accepts.
WRITES: dict[str, Result] = {
    "submit_orders_v2": SUBMIT,
    "update_order": {"order_id": seed.RECEIVED_ORDER_ID, "update_command": "hold"},
    "update_customer": {"order_id": seed.RECEIVED_ORDER_ID, "customer_info": TEXAS},
    "submit_note": {"order_id": seed.RECEIVED_ORDER_ID, "subject": "Gift", "message": "Wrap it."},
    "add_images": {"images": [NEW_IMAGE]},
    "update_images": {"images": [{"guid": seed.IMAGE_WITH_PRODUCTS_GUID, "title": "Misty Heron at Dawn"}]},
    "delete_images": {"guids": [seed.IMAGE_WITH_PRODUCTS_GUID]},
    "update_file_selection": {"guid": seed.FILE_SELECTION_GUID, "guids": [seed.IMAGE_WITH_PRODUCTS_GUID]},
    "update_virtual_inventory": {"virtual_inventory": [{"sku": seed.CONNECTED_SKU, "asking_price": 99}]},
    "delete_virtual_inventory": {"skus": [seed.CONNECTED_SKU]},
    "update_user": {"shipping_preferences": [3]},
    "update_app_details": {"app_details": {"app_name": "Renamed", "app_live_mode": False}},
    "add_event": {"type": "warning", "name": "Low stock", "details": "Two left.", "site_id": 2},
}


async def confirm(client: Client, proposal: Result) -> Result:
    return await call_ok(client, "confirm_action", {"confirmation_token": proposal["confirmation_token"]})


async def confirm_error(client: Client, proposal: Result) -> str:
    return await call_error(client, "confirm_action", {"confirmation_token": proposal["confirmation_token"]})


# --- 1. image_library -------------------------------------------------------------------------------------------


def libraries(sim: SimulatorState) -> list[Result]:
    return [r.body["library"] for r in sim.requests if r.endpoint in IMAGE_ENDPOINTS]


async def test_image_calls_send_the_image_library_finerworks_requires(sim: SimulatorState, mode: str) -> None:
    async with connect(sim, mode) as client:
        await call_ok(client, "list_images", {})
        await confirm(client, await call_ok(client, "add_images", WRITES["add_images"]))
        await confirm(client, await call_ok(client, "delete_images", WRITES["delete_images"]))
        plan = await call_ok(client, "plan_inventory_cleanup", {"images": {"inactive": True}})
    async with connect(sim, mode) as client:  # a restarted server keeps the same session
        await call_ok(client, "list_images", {})

    assert plan["images"]["matched"] == seed.INACTIVE_IMAGE_COUNT
    sent = libraries(sim)
    assert {r.endpoint for r in sim.requests} >= set(IMAGE_ENDPOINTS)
    assert all(library["name"] == "inventory" and library["site_id"] == 2 for library in sent)
    sessions = {library["session_id"] for library in sent}
    assert len(sessions) == 1
    (session,) = sessions
    assert 8 <= len(session) <= 50
    assert SIMULATOR_WEB_API_KEY not in session
    assert SIMULATOR_APP_KEY not in session
    assert SIMULATOR_WEB_API_KEY[:8] not in session
    assert SIMULATOR_APP_KEY[:8] not in session


async def test_a_configured_image_session_id_is_sent_instead(sim: SimulatorState) -> None:
    async with connect(sim, env={"IMAGE_SESSION_ID": "studio-session-42"}) as client:
        await call_ok(client, "list_images", {})
        await call_ok(client, "delete_images", WRITES["delete_images"])
    assert {library["session_id"] for library in libraries(sim)} == {"studio-session-42"}


async def test_each_reseller_account_gets_its_own_image_session(sim: SimulatorState) -> None:
    async with connect(sim) as client:
        await call_ok(client, "list_images", {})
        await call_ok(client, "list_images", {"library": {"account_key": seed.ACCOUNT_KEY}})
    own, other = (library["session_id"] for library in libraries(sim))
    assert own != other


# --- 2. whole-record updates, re-checked at confirm --------------------------------------------------------------


async def test_a_price_only_edit_keeps_stock_name_description_and_shop_links(sim: SimulatorState, mode: str) -> None:
    def kept(sku: str) -> list[object]:
        listed = sim.products[sku].as_json()
        fields = ("name", "description_short", "description_long", "quantity_in_stock", "third_party_integrations")
        return [listed[field] for field in fields]

    before = kept(seed.CONNECTED_SKU)
    async with connect(sim, mode) as client:
        proposal = await call_ok(client, "update_virtual_inventory", WRITES["update_virtual_inventory"])
        done = await confirm(client, proposal)

    assert done["executed"] is True
    assert "price" in proposal["summary"]
    assert "stock" not in proposal["summary"]
    (shown,) = proposal["preview"]["products"]
    assert set(shown) == {"sku", "name", "price"}  # only what changes is shown as current -> new
    assert shown["price"]["new"] == 99
    (write,) = sim.write_requests
    (sent,) = write.body["virtual_inventory"]
    assert {"name", "description", "quantity_in_stock", "track_inventory", "third_party_integrations"} <= set(sent)
    assert float(sim.products[seed.CONNECTED_SKU].asking_price) == 99
    assert kept(seed.CONNECTED_SKU) == before


async def test_a_shop_id_change_keeps_the_other_shop_links(sim: SimulatorState) -> None:
    before = dict(sim.products[seed.CONNECTED_SKU].third_party_integrations)
    change = {"sku": seed.CONNECTED_SKU, "third_party_integrations": {"bigcommerce_product_id": 77}}
    async with connect(sim) as client:
        proposal = await call_ok(client, "update_virtual_inventory", {"virtual_inventory": [change]})
        await confirm(client, proposal)
    assert "bigcommerce_product_id" in proposal["summary"]
    assert sim.products[seed.CONNECTED_SKU].third_party_integrations == {**before, "bigcommerce_product_id": 77}


async def test_a_title_only_image_edit_keeps_the_description(sim: SimulatorState) -> None:
    description = sim.images[seed.IMAGE_WITH_PRODUCTS_GUID].description
    assert description
    async with connect(sim) as client:
        proposal = await call_ok(client, "update_images", WRITES["update_images"])
        await confirm(client, proposal)
    image = sim.images[seed.IMAGE_WITH_PRODUCTS_GUID]
    assert (image.title, image.description) == ("Misty Heron at Dawn", description)
    assert "description" not in proposal["preview"]["images"][0]


async def test_an_app_rename_keeps_its_description_and_misc_data(sim: SimulatorState) -> None:
    kept = {key: sim.app_details[key] for key in ("app_description", "app_misc_data")}
    async with connect(sim) as client:
        await confirm(client, await call_ok(client, "update_app_details", WRITES["update_app_details"]))
    assert sim.app_details["app_name"] == "Renamed"
    assert {key: sim.app_details[key] for key in kept} == kept


@pytest.mark.parametrize(
    ("tool", "edit"),
    [
        ("update_virtual_inventory", lambda sim: setattr(sim.products[seed.CONNECTED_SKU], "quantity_in_stock", 41)),
        ("update_images", lambda sim: setattr(sim.images[seed.IMAGE_WITH_PRODUCTS_GUID], "description", "Edited")),
        ("update_app_details", lambda sim: sim.app_details.update(app_description="Edited elsewhere")),
    ],
)
async def test_an_update_whose_record_changed_since_the_preview_is_refused_with_a_fresh_preview(
    sim: SimulatorState, tool: str, edit: Any
) -> None:
    async with connect(sim) as client:
        proposal = await call_ok(client, tool, WRITES[tool])
        edit(sim)  # someone changes the record between the preview and the person's yes
        result = await confirm(client, proposal)

    assert result["executed"] is False
    assert result["status"] == "changed"
    assert "changed at FinerWorks" in result["message"]
    assert result["new_proposal"]["confirmation_token"] != proposal["confirmation_token"]
    assert sim.write_requests == []


# --- 11.5: destructive changes re-checked at confirm ---------------------------------------------------------------


async def test_an_image_that_gained_a_product_after_the_cleanup_plan_is_not_deleted(sim: SimulatorState) -> None:
    criteria = {"images": {"without_products": True, "search": sim.images[seed.IMAGE_WITHOUT_PRODUCTS_GUID].title}}
    async with connect(sim) as client:
        plan = await call_ok(client, "plan_inventory_cleanup", criteria)
        assert seed.IMAGE_WITHOUT_PRODUCTS_GUID in [item["guid"] for item in plan["images"]["items"]]
        (batch,) = plan["images"]["batches"]
        sim.products[seed.CONNECTED_SKU].image_guid = seed.IMAGE_WITHOUT_PRODUCTS_GUID  # a product is added to it
        result = await confirm(client, batch)

    assert result["executed"] is False
    assert result["status"] == "changed"
    assert "product" in result["new_proposal"]["summary"]
    assert seed.IMAGE_WITHOUT_PRODUCTS_GUID in sim.images
    assert seed.CONNECTED_SKU in sim.products
    assert sim.write_requests == []


async def test_a_product_changed_since_its_delete_was_previewed_is_not_deleted(sim: SimulatorState) -> None:
    async with connect(sim) as client:
        proposal = await call_ok(client, "delete_virtual_inventory", WRITES["delete_virtual_inventory"])
        sim.products[seed.CONNECTED_SKU].name = "Now the best seller"
        result = await confirm(client, proposal)
    assert result["status"] == "changed"
    assert "Now the best seller" in result["new_proposal"]["summary"]
    assert seed.CONNECTED_SKU in sim.products


# --- 3. tolerant answers: the quirk matrix -------------------------------------------------------------------------


def leaves(value: Any, path: str = "") -> set[str]:
    """Every path to a non-empty value, keys lower-cased: what the model could read from a result."""
    if isinstance(value, dict):
        return {p for k, v in value.items() for p in leaves(v, f"{path}.{str(k).lower()}")}  # pyright: ignore[reportUnknownVariableType]
    if isinstance(value, list):
        return {p for i, v in enumerate(value) for p in leaves(v, f"{path}[{i}]")}  # pyright: ignore[reportUnknownVariableType, reportUnknownArgumentType]
    return set() if value in (None, "") else {path}


@pytest.mark.parametrize("quirk", list(QUIRKS))
@pytest.mark.parametrize("tool", list(READS))
async def test_every_read_tool_reads_every_quirk_of_finerworks_answers(tool: str, quirk: str) -> None:
    async with connect(SimulatorState()) as client:
        plain = await call_ok(client, tool, READS[tool])
    change = QUIRKS[quirk]
    async with connect(SimulatorState(), rewrite=lambda _e, _b, answer: each_object(answer, change)) as client:
        quirky = await call_ok(client, tool, READS[tool])
    assert "unparsed" not in str(quirky)
    lost = leaves(plain) - leaves(quirky)
    assert not lost, f"{tool} lost {sorted(lost)[:5]} when FinerWorks answered with {quirk}"


async def test_unknown_frame_builder_and_event_log_shapes_pass_through_as_data() -> None:
    def odd(endpoint: str, _body: Any, answer: Any) -> Any:
        if endpoint == "frame_builder":
            return {**answer, "frame": ["a", "list"], "price_details": "12.00 USD"}
        if endpoint == "list_event_logs":
            return {**answer, "events": [{"id": "evt-1", "details": {"order": 5}}]}
        return answer

    async with connect(SimulatorState(), rewrite=odd) as client:
        built = await call_ok(client, "frame_builder", READS["frame_builder"])
        events = await call_ok(client, "list_event_logs", {})
    assert built["unparsed"] == {"frame": ["a", "list"], "price_details": "12.00 USD"}
    assert events["events"] == [{"unparsed": {"id": "evt-1", "details": {"order": 5}}}]


async def test_an_order_preview_reads_orders_null_from_the_duplicate_po_check(sim: SimulatorState) -> None:
    def null_orders(endpoint: str, _body: Any, answer: Any) -> Any:
        return {**answer, "orders": None} if endpoint == "fetch_order_status" else answer

    async with connect(sim, rewrite=null_orders) as client:
        proposal = await call_ok(client, "submit_orders_v2", SUBMIT)
    assert proposal["confirmation_required"] is True


async def test_fractional_quantities_are_kept() -> None:
    def fractional(endpoint: str, _body: Any, answer: Any) -> Any:
        if endpoint != "list_virtual_inventory":
            return answer
        return {**answer, "products": [{**p, "quantity_in_stock": 2.5} for p in answer["products"]]}

    async with connect(SimulatorState(), rewrite=fractional) as client:
        listed = await call_ok(client, "list_virtual_inventory", {"per_page": 2, "detail": "full"})
    assert [p["quantity_in_stock"] for p in listed["products"]] == [2.5, 2.5]


# --- 4. honest write outcomes --------------------------------------------------------------------------------------


def refusing(tool: str, shape: Result) -> Any:
    endpoint = tool  # every write tool is named after its endpoint

    def rewrite(called: str, body: Any, answer: Any) -> Any:
        real = called == endpoint and not (isinstance(body, dict) and body.get("validate_only"))  # pyright: ignore[reportUnknownMemberType]
        return shape if real else answer

    return rewrite


@pytest.mark.parametrize("shape", list(REFUSALS))
@pytest.mark.parametrize("tool", list(WRITES))
async def test_every_write_reports_each_refusal_shape_as_refused(tool: str, shape: str) -> None:
    async with connect(SimulatorState(), rewrite=refusing(tool, REFUSALS[shape])) as client:
        proposal = await call_ok(client, tool, WRITES[tool])
        said = await confirm_error(client, proposal)
    assert "refused" in said
    assert "Quirk: declined." in said
    assert "Done at FinerWorks" not in said


async def test_an_order_answer_without_order_ids_is_outcome_unknown_with_the_lookup(sim: SimulatorState) -> None:
    def no_ids(endpoint: str, body: Any, answer: Any) -> Any:
        real = endpoint == "submit_orders_v2" and not body.get("validate_only")
        return {**answer, "orders": None} if real else answer

    async with connect(sim, rewrite=no_ids) as client:
        said = await confirm_error(client, await call_ok(client, "submit_orders_v2", SUBMIT))
    (created,) = [order for order in sim.orders.values() if order.order_po == "PO-FID-1"]
    assert "Outcome unknown" in said
    assert "without any order id" in said
    assert f"order_po PO-FID-1 is order {created.order_id}" in said
    assert "nothing was changed" not in said


async def test_a_payment_failure_says_an_unpaid_order_may_exist_and_looks_it_up(sim: SimulatorState) -> None:
    def payment_failed(endpoint: str, body: Any, answer: Any) -> Any:
        if endpoint == "submit_orders_v2" and not body.get("validate_only"):
            return {"status": {"success": False, "status_code": 200, "message": "Payment failed: card declined."}}
        return answer

    async with connect(sim, rewrite=payment_failed) as client:
        said = await confirm_error(client, await call_ok(client, "submit_orders_v2", SUBMIT))
    assert "Payment failed: card declined." in said
    assert "unpaid order" in said
    assert "fetch_order_status finds: order_po PO-FID-1" in said
    assert "nothing was changed" not in said


# --- 5. what every request carries --------------------------------------------------------------------------------


async def test_update_user_sends_the_accounts_own_key_when_none_is_configured(sim: SimulatorState) -> None:
    async with connect(sim) as client:
        done = await confirm(client, await call_ok(client, "update_user", WRITES["update_user"]))
    assert done["executed"] is True
    (write,) = sim.write_requests
    assert write.body["account_key"] == seed.ACCOUNT_KEY
    assert sim.user["shipping_preferences"] == [3]


async def test_fetch_order_status_always_sends_both_lists(sim: SimulatorState) -> None:
    async with connect(sim) as client:
        await call_ok(client, "fetch_order_status", {"order_pos": [seed.DELIVERED_ORDER_PO]})
        await call_ok(client, "fetch_order_status", {"order_ids": [seed.SHIPPED_ORDER_ID]})
    bodies = [r.body for r in upstream(sim, "fetch_order_status")]
    assert bodies == [
        {"order_pos": [seed.DELIVERED_ORDER_PO], "order_ids": []},
        {"order_ids": [seed.SHIPPED_ORDER_ID], "order_pos": []},
    ]


async def test_country_codes_are_sent_lower_case(sim: SimulatorState) -> None:
    async with connect(sim) as client:
        await confirm(client, await call_ok(client, "submit_orders_v2", SUBMIT))
    sent = [r.body["orders"][0]["recipient"]["country_code"] for r in upstream(sim, "submit_orders_v2")]
    assert sent
    assert set(sent) == {"us"}


async def test_update_user_preview_says_when_the_account_key_is_unknown(sim: SimulatorState) -> None:
    del sim.user["account_key"]
    async with connect(sim) as client:
        proposal = await call_ok(client, "update_user", WRITES["update_user"])
    assert "none is sent" in proposal["preview"]["not_checked"]
    assert "FINERWORKS_ACCOUNT_KEY" in proposal["preview"]["not_checked"]
