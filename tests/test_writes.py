"""The image, inventory, account and event writes: previewed with reads only, run once when confirmed, never
when declined, and refused before anything goes upstream when the input breaks FinerWorks' limits."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from unittest.mock import ANY

import httpx2
import pytest
from mcp import Client
from mcp.client import ClientRequestContext
from mcp.types import ElicitRequestParams, ElicitResult

from finerworks_mcp.api.client import RetryPolicy
from finerworks_mcp.mcp.server import build_server
from finerworks_mcp.simulator import SIMULATOR_APP_KEY, SimulatorState, SimulatorTransport, seed
from tests.support import (
    NEW_BILLING,
    NEW_IMAGE,
    NEW_SELECTION,
    NON_ORDER_WRITE_ARGUMENTS,
    Sleeps,
    call_error,
    call_ok,
    connect,
    settings,
    text_of,
    upstream,
)

pytestmark = pytest.mark.anyio

Result = dict[str, Any]
UNKNOWN_GUID = "00000000-0000-4000-8000-000000000000"
UNKNOWN_SKU = "AP1P1"
TOOLS = list(NON_ORDER_WRITE_ARGUMENTS)


async def propose(client: Client, tool: str, arguments: dict[str, Any] | None = None) -> Result:
    return await call_ok(client, tool, NON_ORDER_WRITE_ARGUMENTS[tool] if arguments is None else arguments)


async def confirm(client: Client, proposal: Result) -> Result:
    return await call_ok(client, "confirm_action", {"confirmation_token": proposal["confirmation_token"]})


@pytest.mark.parametrize("tool", TOOLS)
async def test_each_write_tool_returns_a_token_and_a_summary_and_sends_no_write(
    sim: SimulatorState, mode: str, tool: str
) -> None:
    async with connect(sim, mode) as client:
        proposal = await propose(client, tool)
        pending = await call_ok(client, "list_pending_actions")

    assert proposal["confirmation_required"] is True
    assert proposal["confirmation_token"]
    assert proposal["blocked_by"] == []
    assert proposal["summary"].endswith(" — simulator")
    assert "\n" not in proposal["summary"]
    assert [action["tool"] for action in pending["actions"]] == [tool]
    assert sim.write_requests == []


async def image_titled(client: Client, title: str) -> list[Result]:
    result = await call_ok(client, "list_images", {"search_filter": title, "detail": "full"})
    return [image for image in result["images"] if image["title"] == title]


async def images_with_guids(client: Client, guids: list[str]) -> list[Result]:
    return (await call_ok(client, "list_images", {"guid_filter": guids}))["images"]


async def products_with_skus(client: Client, skus: list[str]) -> list[Result]:
    return (await call_ok(client, "list_virtual_inventory", {"sku_filter": skus, "detail": "full"}))["products"]


async def added_image_is_listed(client: Client) -> bool:
    return [image["file_name"] for image in await image_titled(client, "Dawn Heron")] == ["dawn-heron.jpg"]


async def image_has_new_title(client: Client) -> bool:
    images = await images_with_guids(client, [seed.IMAGE_WITH_PRODUCTS_GUID])
    return [image["title"] for image in images] == ["Misty Heron at Dawn"]


async def image_and_its_products_are_gone(client: Client) -> bool:
    products = await call_ok(client, "list_virtual_inventory", {"guid_filter": [seed.IMAGE_WITH_PRODUCTS_GUID]})
    return (
        await images_with_guids(client, [seed.IMAGE_WITH_PRODUCTS_GUID]) == []
        and products["products"] == []
        and await products_with_skus(client, list(seed.IMAGE_WITH_PRODUCTS_SKUS)) == []
    )


async def selection_is_replaced(client: Client) -> bool:
    result = await call_ok(client, "list_file_selection", {"guid": seed.FILE_SELECTION_GUID})
    return result["guids"] == NEW_SELECTION


async def price_and_stock_are_updated(client: Client) -> bool:
    products = await products_with_skus(client, [seed.CONNECTED_SKU])
    return [(p["asking_price"], p["quantity_in_stock"]) for p in products] == [(149.5, 12)]


async def product_is_gone(client: Client) -> bool:
    """The one product is gone; the others made from its image are still there."""
    remaining = [p["sku"] for p in await products_with_skus(client, list(seed.IMAGE_WITH_PRODUCTS_SKUS))]
    return sorted(remaining) == sorted(seed.IMAGE_WITH_PRODUCTS_SKUS[1:])


async def billing_address_and_preferences_are_updated(client: Client) -> bool:
    user = (await call_ok(client, "get_user"))["user_account"]
    return user["billing_info"]["address_1"] == NEW_BILLING["address_1"] and user["shipping_preferences"] == [3, 0]


async def app_is_renamed_and_live(client: Client) -> bool:
    app = (await call_ok(client, "test_my_credentials"))["user_account"]["app_details"]
    return (app["app_name"], app["app_live_mode"]) == ("Lumen Atelier Live", True)


async def event_is_logged(client: Client) -> bool:
    events = (await call_ok(client, "list_event_logs", {"search_term": "Low stock"}))["events"]
    return [(event["type"], event["site_id"]) for event in events] == [("warning", 2)]


SHOWS_THE_CHANGE: dict[str, Callable[[Client], Awaitable[object]]] = {
    "add_images": added_image_is_listed,
    "update_images": image_has_new_title,
    "delete_images": image_and_its_products_are_gone,
    "update_file_selection": selection_is_replaced,
    "update_virtual_inventory": price_and_stock_are_updated,
    "delete_virtual_inventory": product_is_gone,
    "update_user": billing_address_and_preferences_are_updated,
    "update_app_details": app_is_renamed_and_live,
    "add_event": event_is_logged,
}


def test_every_tool_here_has_a_check_of_its_change() -> None:
    assert set(SHOWS_THE_CHANGE) == set(NON_ORDER_WRITE_ARGUMENTS)


@pytest.mark.parametrize("tool", TOOLS)
async def test_confirming_runs_the_write_once_and_the_read_tools_show_the_change(
    sim: SimulatorState, mode: str, tool: str
) -> None:
    async with connect(sim, mode) as client:
        assert not await SHOWS_THE_CHANGE[tool](client)
        proposal = await propose(client, tool)
        result = await confirm(client, proposal)
        again = await call_error(client, "confirm_action", {"confirmation_token": proposal["confirmation_token"]})
        shown = await SHOWS_THE_CHANGE[tool](client)

    assert (result["executed"], result["status"], result["summary"]) == (True, "executed", proposal["summary"])
    assert [request.endpoint for request in sim.write_requests] == [tool]
    assert "already used" in again
    assert shown


async def test_deleting_an_image_previews_its_products_and_the_shop_listings_they_lose(sim: SimulatorState) -> None:
    guids = [seed.IMAGE_WITH_PRODUCTS_GUID, seed.IMAGE_WITHOUT_PRODUCTS_GUID, UNKNOWN_GUID]
    async with connect(sim) as client:
        proposal = await call_ok(client, "delete_images", {"guids": guids})

    preview = proposal["preview"]
    assert proposal["summary"] == (
        "Delete 2 images and the 3 products on them (1 Etsy and 1 Shopify listings will be disconnected); "
        "1 guid not found — simulator"
    )
    assert [image["guid"] for image in preview["images"]] == guids[:2]
    with_products, without = preview["images"]
    assert [p["sku"] for p in with_products["products"]] == list(seed.IMAGE_WITH_PRODUCTS_SKUS)
    shops = {p["sku"]: p.get("shops") for p in with_products["products"]}
    assert (shops[seed.CONNECTED_SKU], shops[seed.UNCONNECTED_SKU]) == (["Shopify"], None)
    assert without["products"] == []
    assert (preview["products_deleted"], preview["listings_disconnected"]) == (3, {"Shopify": 1, "Etsy": 1})
    assert preview["not_found"] == [UNKNOWN_GUID]


async def test_deleting_fifty_images_counts_every_product_on_them(sim: SimulatorState) -> None:
    guids = [seed.image_guid(index) for index in range(50)]
    products = [p for guid in guids for p in sim.products_of(guid)]
    async with connect(sim) as client:
        proposal = await call_ok(client, "delete_images", {"guids": guids})

    assert len(proposal["preview"]["images"]) == 50
    assert proposal["preview"]["products_deleted"] == len(products) > 50
    assert proposal["summary"].startswith(f"Delete 50 images and the {len(products)} products on them (")
    assert sim.write_requests == []


async def test_deleting_inventory_previews_each_product_and_its_shops(sim: SimulatorState) -> None:
    skus = [seed.CONNECTED_SKU, seed.UNCONNECTED_SKU, UNKNOWN_SKU]
    async with connect(sim) as client:
        proposal = await call_ok(client, "delete_virtual_inventory", {"skus": skus})
        single = await call_ok(client, "delete_virtual_inventory", {"skus": [seed.CONNECTED_SKU]})

    preview = proposal["preview"]
    assert (
        proposal["summary"] == "Delete 2 products (1 Shopify listing will be disconnected); 1 SKU not found — simulator"
    )
    assert [(p["sku"], p.get("shops")) for p in preview["products"]] == [
        (seed.CONNECTED_SKU, ["Shopify"]),
        (seed.UNCONNECTED_SKU, None),
    ]
    assert preview["products"][0]["asking_price"] == f"${sim.products[seed.CONNECTED_SKU].asking_price}"
    assert preview["not_found"] == [UNKNOWN_SKU]
    name = sim.products[seed.CONNECTED_SKU].name
    assert single["summary"] == (
        f"Delete product {seed.CONNECTED_SKU} '{name}' (1 Shopify listing will be disconnected) — simulator"
    )


@dataclass(frozen=True)
class UnknownCase:
    tool: str
    arguments: dict[str, Any]
    """One thing FinerWorks knows and one it does not."""
    none_known: dict[str, Any]
    """Only things FinerWorks does not know."""
    unknown: str
    noun: str


def unknown_image_case(tool: str, make: Callable[[list[str]], dict[str, Any]]) -> UnknownCase:
    return UnknownCase(
        tool, make([seed.IMAGE_WITHOUT_PRODUCTS_GUID, UNKNOWN_GUID]), make([UNKNOWN_GUID]), UNKNOWN_GUID, "guid"
    )


def unknown_sku_case(tool: str, make: Callable[[list[str]], dict[str, Any]]) -> UnknownCase:
    return UnknownCase(tool, make([seed.UNCONNECTED_SKU, UNKNOWN_SKU]), make([UNKNOWN_SKU]), UNKNOWN_SKU, "SKU")


UNKNOWN_CASES = [
    unknown_image_case("update_images", lambda guids: {"images": [{"guid": g, "title": "New"} for g in guids]}),
    unknown_image_case("delete_images", lambda guids: {"guids": guids}),
    unknown_image_case("update_file_selection", lambda guids: {"guid": seed.FILE_SELECTION_GUID, "guids": guids}),
    unknown_sku_case(
        "update_virtual_inventory", lambda skus: {"virtual_inventory": [{"sku": s, "name": "New"} for s in skus]}
    ),
    unknown_sku_case("delete_virtual_inventory", lambda skus: {"skus": skus}),
]


UPDATES = ("update_images", "update_virtual_inventory")
PARTLY_KNOWN = [case for case in UNKNOWN_CASES if case.tool not in UPDATES]


@pytest.mark.parametrize("case", PARTLY_KNOWN, ids=[case.tool for case in PARTLY_KNOWN])
async def test_unknown_ids_are_named_in_the_preview(sim: SimulatorState, case: UnknownCase) -> None:
    async with connect(sim) as client:
        proposal = await call_ok(client, case.tool, case.arguments)
    assert proposal["confirmation_required"] is True
    assert proposal["preview"]["not_found"] == [case.unknown]
    assert f"; 1 {case.noun} not found — simulator" in proposal["summary"]


@pytest.mark.parametrize("case", [c for c in UNKNOWN_CASES if c.tool in UPDATES], ids=UPDATES)
async def test_an_update_naming_anything_unknown_gets_no_token_and_says_where_to_check(
    sim: SimulatorState, mode: str, case: UnknownCase
) -> None:
    # Issue 13: an update to an image or product that does not exist issued a token and failed only at confirm.
    async with connect(sim, mode) as client:
        proposal = await call_ok(client, case.tool, case.arguments)
    assert (proposal["confirmation_required"], proposal.get("confirmation_token")) == (False, None)
    (blocker,) = proposal["blocked_by"]
    assert case.unknown in blocker
    assert "check them with list_" in blocker
    assert sim.write_requests == []


@pytest.mark.parametrize("case", UNKNOWN_CASES, ids=[case.tool for case in UNKNOWN_CASES])
async def test_a_write_that_names_nothing_known_is_blocked(sim: SimulatorState, mode: str, case: UnknownCase) -> None:
    async with connect(sim, mode) as client:
        proposal = await call_ok(client, case.tool, case.none_known)
        pending = await call_ok(client, "list_pending_actions")

    assert (proposal["confirmation_required"], proposal.get("confirmation_token")) == (False, None)
    assert case.unknown in " ".join(proposal["blocked_by"])
    assert pending["actions"] == []
    assert sim.write_requests == []


async def test_updates_show_the_current_value_beside_the_new_one(sim: SimulatorState) -> None:
    product = sim.products[seed.CONNECTED_SKU]
    image = sim.images[seed.IMAGE_WITH_PRODUCTS_GUID]
    async with connect(sim) as client:
        inventory = await propose(client, "update_virtual_inventory")
        images = await propose(client, "update_images")
        selection = await propose(client, "update_file_selection")
        user = await propose(client, "update_user")

    (changed,) = inventory["preview"]["products"]
    assert changed["price"] == {"now": float(product.asking_price), "new": 149.5}
    assert changed["stock"] == {"now": product.quantity_in_stock, "new": 12}
    assert inventory["summary"] == (
        f"Update product {seed.CONNECTED_SKU} ({product.name}): price ${product.asking_price} → $149.50, "
        f"stock {product.quantity_in_stock} → 12 — simulator"
    )
    assert images["preview"]["images"][0]["title"] == {"now": image.title, "new": "Misty Heron at Dawn"}
    assert "caution" in images["preview"]  # the documentation's warning about products, since this image has some
    assert [i["guid"] for i in selection["preview"]["now"]] == list(seed.FILE_SELECTION_IMAGE_GUIDS)
    assert [i["guid"] for i in selection["preview"]["added"]] == [seed.IMAGE_WITH_PRODUCTS_GUID]
    assert len(selection["preview"]["removed"]) == len(seed.FILE_SELECTION_IMAGE_GUIDS) - 1
    assert selection["summary"].startswith(f"Change file selection {seed.FILE_SELECTION_GUID}: 4 → 2 images")
    billing = user["preview"]["billing address"]
    assert billing["now"].startswith("Ada Moreau, Lumen Atelier LLC, 1100 S Lamar Blvd, Austin TX 78704")
    assert billing["new"] == "Ada Moreau, Lumen Atelier LLC, 500 E Cesar Chavez St, Austin TX 78701, US"
    assert user["preview"]["shipping preferences"] == {"now": "economical, fastest", "new": "fastest, economical"}
    assert user["summary"] == (
        f"Update account {seed.ACCOUNT_USERNAME}: new billing address, "
        "shipping preferences economical, fastest → fastest, economical — simulator"
    )


async def test_switching_the_app_to_live_mode_says_orders_will_be_billed_and_never_shows_the_key(
    sim: SimulatorState,
) -> None:
    async with connect(sim) as client:
        listed = {tool.name: tool for tool in (await client.list_tools()).tools}
        result = await client.call_tool("update_app_details", NON_ORDER_WRITE_ARGUMENTS["update_app_details"])
        pending = await client.call_tool("list_pending_actions", {})

    assert "app_key" not in str(listed["update_app_details"].input_schema)
    assert not result.is_error
    proposal = result.structured_content or {}
    assert proposal["preview"]["live mode"] == {"now": "test", "new": "live"}
    assert "imported orders will be real and billed" in proposal["summary"]
    for shown in (text_of(result), str(proposal), text_of(pending), str(pending.structured_content)):
        assert SIMULATOR_APP_KEY not in shown
    # Reads only: the current record (merged into the whole record to send) and the preview's own read.
    assert {request.endpoint for request in upstream(sim)} == {"get_user"}


async def test_update_app_details_sends_this_servers_own_app_key(sim: SimulatorState) -> None:
    async with connect(sim) as client:
        await confirm(client, await propose(client, "update_app_details"))
    (write,) = sim.write_requests
    assert write.body["app_details"]["app_key"] == SIMULATOR_APP_KEY


def _bytes_under(folder: Path) -> bytes:
    """Everything written under `folder` (the SQLite file and its journal)."""
    return b"".join(path.read_bytes() for path in folder.iterdir())


async def test_a_pending_app_update_stored_on_disk_holds_no_key(sim: SimulatorState, tmp_path: Path) -> None:
    state = tmp_path / "state.db"
    env = {"STATE_URL": f"sqlite:///{state}", "GUARD_SECRET": "s" * 40}
    async with connect(sim, env=env) as client:
        proposal = await propose(client, "update_app_details")
        stored = _bytes_under(tmp_path)
        await confirm(client, proposal)
    assert b"Lumen Atelier Live" in stored  # the pending change really is in the store
    assert SIMULATOR_APP_KEY.encode() not in stored
    (write,) = sim.write_requests
    assert write.body["app_details"]["app_key"] == SIMULATOR_APP_KEY  # added only when sent


async def test_confirming_update_app_details_does_not_echo_the_app_key(sim: SimulatorState) -> None:
    async with connect(sim) as client:
        proposal = await propose(client, "update_app_details")
        result = await client.call_tool("confirm_action", {"confirmation_token": proposal["confirmation_token"]})
    assert SIMULATOR_APP_KEY not in text_of(result)
    assert SIMULATOR_APP_KEY not in str(result.structured_content)


async def test_add_images_warns_when_a_file_name_is_already_in_the_library(sim: SimulatorState) -> None:
    existing = sim.images[seed.IMAGE_WITHOUT_PRODUCTS_GUID]
    again = {**NEW_IMAGE, "file_name": existing.file_name}
    async with connect(sim) as client:
        proposal = await call_ok(client, "add_images", {"images": [again]})
    assert proposal["confirmation_required"] is True
    assert proposal["preview"]["already_in_library"] == [
        {"file_name": existing.file_name, "existing_guid": existing.guid, "existing_title": existing.title}
    ]
    assert proposal["summary"] == (
        "Add 1 image to the inventory library: 'Dawn Heron'; 1 file name already in the library — simulator"
    )


def answering(action: str, approve: bool | None = None) -> Callable[..., Awaitable[ElicitResult]]:
    async def answer(context: ClientRequestContext, params: ElicitRequestParams) -> ElicitResult:
        return ElicitResult(action=action, content=None if approve is None else {"approve": approve})  # type: ignore[arg-type]

    return answer


@pytest.mark.parametrize("tool", TOOLS)
async def test_a_person_who_declines_in_the_client_stops_the_write(sim: SimulatorState, mode: str, tool: str) -> None:
    async with connect(sim, mode, elicitation_callback=answering("decline")) as client:
        proposal = await propose(client, tool)
        result = await confirm(client, proposal)
        again = await call_error(client, "confirm_action", {"confirmation_token": proposal["confirmation_token"]})

    assert (result["executed"], result["status"]) == (False, "declined")
    assert "declined" in again
    assert sim.write_requests == []


@pytest.mark.parametrize("tool", ["delete_images", "update_virtual_inventory"])
async def test_a_person_who_answers_no_in_the_client_stops_the_write(sim: SimulatorState, mode: str, tool: str) -> None:
    async with connect(sim, mode, elicitation_callback=answering("accept", approve=False)) as client:
        result = await confirm(client, await propose(client, tool))
    assert result["status"] == "declined"
    assert sim.write_requests == []


async def test_a_person_who_approves_in_the_client_runs_the_write_once(sim: SimulatorState, mode: str) -> None:
    async with connect(sim, mode, elicitation_callback=answering("accept", approve=True)) as client:
        result = await confirm(client, await propose(client, "delete_virtual_inventory"))
        gone = await product_is_gone(client)
    assert result["status"] == "executed"
    assert [r.endpoint for r in sim.write_requests] == ["delete_virtual_inventory"]
    assert gone


@pytest.mark.parametrize(
    ("tool", "arguments", "complaint"),
    [
        pytest.param("add_images", {"images": [NEW_IMAGE] * 6}, "at most 5", id="add_images-6-images"),
        pytest.param(
            "add_images", {"images": [{**NEW_IMAGE, "title": "T" * 51}]}, "at most 50", id="add_images-long-title"
        ),
        pytest.param(
            "add_images",
            {"images": [{**NEW_IMAGE, "description": "D" * 301}]},
            "at most 300",
            id="add_images-long-description",
        ),
        pytest.param(
            "add_images", {"images": [{**NEW_IMAGE, "file_name": "f" * 201}]}, "at most 200", id="add_images-long-name"
        ),
        pytest.param(
            "add_images",
            {"images": [{**NEW_IMAGE, "private_hires_uri": "https://x.example/" + "a" * 500}]},
            "at most 500",
            id="add_images-long-uri",
        ),
        pytest.param(
            "add_images",
            {"images": [{**NEW_IMAGE, "private_hires_uri": "file:///home/ada/heron.tif"}]},
            "pattern",
            id="add_images-not-a-web-address",
        ),
        pytest.param(
            "update_images", {"images": [{"guid": seed.IMAGE_WITH_PRODUCTS_GUID}]}, "give a new title", id="no-change"
        ),
        pytest.param(
            "update_images",
            {"images": [{"guid": UNKNOWN_GUID, "title": "A"}, {"guid": UNKNOWN_GUID, "title": "B"}]},
            "may appear once",
            id="update_images-same-guid-twice",
        ),
        pytest.param("delete_images", {"guids": []}, "at least 1", id="delete_images-none"),
        pytest.param("delete_images", {"guids": [UNKNOWN_GUID] * 51}, "at most 50", id="delete_images-51-guids"),
        pytest.param(
            "update_virtual_inventory",
            {"virtual_inventory": [{"sku": f"AP1P{n}", "asking_price": 10} for n in range(51)]},
            "at most 50",
            id="update_virtual_inventory-51-items",
        ),
        pytest.param(
            "update_virtual_inventory",
            {"virtual_inventory": [{"sku": seed.CONNECTED_SKU, "asking_price": -1}]},
            "greater than or equal to 0",
            id="negative-price",
        ),
        pytest.param(
            "update_virtual_inventory",
            {"virtual_inventory": [{"sku": seed.CONNECTED_SKU, "asking_price": 10.005}]},
            "two decimal places",
            id="fraction-of-a-cent",
        ),
        pytest.param(
            "update_virtual_inventory",
            {"virtual_inventory": [{"sku": seed.CONNECTED_SKU}]},
            "at least one field to change",
            id="nothing-to-change",
        ),
        pytest.param(
            "update_virtual_inventory",
            {"virtual_inventory": [{"sku": seed.CONNECTED_SKU, "third_party_integrations": {"ebay_listing": 1}}]},
            "ebay_listing",
            id="unknown-shop",
        ),
        pytest.param(
            "delete_virtual_inventory", {"skus": [f"AP1P{n}" for n in range(51)]}, "at most 50", id="delete-51-skus"
        ),
        pytest.param("update_user", {}, "Nothing to change", id="update_user-nothing"),
        pytest.param(
            "update_user", {"shipping_preferences": [0, 1, 2, 3]}, "at most 3", id="four-shipping-preferences"
        ),
        pytest.param("update_user", {"shipping_preferences": [4]}, "0, 1, 2 or 3", id="unknown-shipping-preference"),
        pytest.param(
            "update_user",
            {"billing_info": {**NEW_BILLING, "zip_postal_code": "78701-12345"}},
            "at most 10",
            id="long-zip",
        ),
        pytest.param(
            "update_app_details",
            {"app_details": {"app_name": "N" * 51, "app_live_mode": False}},
            "at most 50",
            id="long-app-name",
        ),
        pytest.param(
            "update_app_details",
            {"app_details": {"app_name": "Shop", "app_live_mode": False, "app_description": "d" * 501}},
            "at most 500",
            id="long-app-description",
        ),
        pytest.param(
            "update_app_details", {"app_details": {"app_name": "Shop"}}, "app_live_mode", id="live-mode-required"
        ),
        pytest.param(
            "update_app_details",
            {"app_details": {"app_name": "Shop", "app_live_mode": False, "app_key": SIMULATOR_APP_KEY}},
            "app_key",
            id="app-key-is-not-asked-for",
        ),
        pytest.param(
            "add_event", {**NON_ORDER_WRITE_ARGUMENTS["add_event"], "type": "fatal"}, "'error'", id="add_event-bad-type"
        ),
        pytest.param(
            "add_event",
            {**NON_ORDER_WRITE_ARGUMENTS["add_event"], "site_id": 4},
            "less than or equal to 3",
            id="site-id-4",
        ),
        pytest.param(
            "add_event",
            {**NON_ORDER_WRITE_ARGUMENTS["add_event"], "name": "N" * 51},
            "at most 50",
            id="add_event-long-name",
        ),
    ],
)
async def test_input_limits_are_rejected_before_anything_goes_upstream(
    sim: SimulatorState, mode: str, tool: str, arguments: dict[str, Any], complaint: str
) -> None:
    async with connect(sim, mode) as client:
        message = await call_error(client, tool, arguments)
    assert complaint in message
    assert upstream(sim) == []


async def test_the_configured_account_key_goes_into_the_write(sim: SimulatorState) -> None:
    reseller = "9d2b6a4e-0c5f-4e8b-a1d7-3f6c2e9b8a10"
    async with connect(sim, env={"ACCOUNT_KEY": reseller}) as client:
        await confirm(client, await propose(client, "delete_virtual_inventory"))
        await confirm(client, await propose(client, "delete_images"))
    inventory, images = sim.write_requests
    assert inventory.body == {"skus": [seed.CONNECTED_SKU], "account_key": reseller}
    assert images.body == {
        "guids": [seed.IMAGE_WITH_PRODUCTS_GUID],
        "library": {"name": "inventory", "account_key": reseller, "site_id": 2, "session_id": ANY},
    }


async def test_write_tools_are_listed_as_proposals_and_deletes_as_destructive(sim: SimulatorState) -> None:
    async with connect(sim) as client:
        listed = {tool.name: tool for tool in (await client.list_tools()).tools}
    for tool in TOOLS:
        annotations = listed[tool].annotations
        assert annotations is not None, tool
        assert annotations.read_only_hint is False, tool
        assert annotations.destructive_hint is tool.startswith("delete_"), tool
        assert 0 < len(listed[tool].description or "") < 250, tool


CHECK_HINTS = {
    "add_images": "list_images sorted by date_added DESC",
    "update_images": f"list_images with guid_filter ['{seed.IMAGE_WITH_PRODUCTS_GUID}']",
    "delete_images": f"list_images with guid_filter ['{seed.IMAGE_WITH_PRODUCTS_GUID}']",
    "update_file_selection": f"list_file_selection with guid {seed.FILE_SELECTION_GUID}",
    "update_virtual_inventory": f"list_virtual_inventory with sku_filter ['{seed.CONNECTED_SKU}']",
    "delete_virtual_inventory": f"list_virtual_inventory with sku_filter ['{seed.CONNECTED_SKU}']",
    "update_user": "get_user",
    "update_app_details": "test_my_credentials",
    "add_event": "list_event_logs with search_term 'Low stock'",
}


@pytest.mark.parametrize("tool", TOOLS)
async def test_a_write_with_an_unknown_outcome_names_the_read_that_tells(sim: SimulatorState, tool: str) -> None:
    sim.faults.add("server_error", endpoint=tool)
    async with connect(sim) as client:
        proposal = await propose(client, tool)
        message = await call_error(client, "confirm_action", {"confirmation_token": proposal["confirmation_token"]})
    assert "Outcome unknown" in message
    assert f"check with {CHECK_HINTS[tool]}" in message
    assert len(sim.write_requests) == 1  # never retried


async def test_a_preview_that_cannot_read_sends_nothing_and_says_so(sim: SimulatorState) -> None:
    sim.faults.add("server_error", endpoint="list_virtual_inventory", times=None)
    async with connect(sim) as client:
        message = await call_error(
            client, "delete_virtual_inventory", NON_ORDER_WRITE_ARGUMENTS["delete_virtual_inventory"]
        )
        pending = await call_ok(client, "list_pending_actions")
    assert "Could not preview delete_virtual_inventory; nothing was sent." in message
    assert pending["actions"] == []
    assert sim.write_requests == []


class IgnoresListFilters(httpx2.AsyncBaseTransport):
    """A FinerWorks that ignores the guid and SKU filters (as it does with more than 50 values)."""

    def __init__(self, sim: SimulatorState) -> None:
        self.inner = SimulatorTransport(sim)

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        if request.url.path.endswith(("/list_images", "/list_virtual_inventory")):
            body = {k: v for k, v in json.loads(request.content).items() if k not in ("guid_filter", "sku_filter")}
            headers = {k: v for k, v in request.headers.items() if k.lower() != "content-length"}
            request = httpx2.Request(request.method, request.url, headers=headers, json=body)
        return await self.inner.handle_async_request(request)


async def test_a_preview_pages_through_and_still_shows_only_the_named_images(sim: SimulatorState) -> None:
    server = build_server(settings(), transport=IgnoresListFilters(sim), retry=RetryPolicy(sleep=Sleeps()))
    async with Client(server) as client:
        proposal = await call_ok(client, "delete_images", {"guids": [seed.IMAGE_WITH_PRODUCTS_GUID]})

    # The oldest image is on the last page of the newest-first list: every page was read, nothing else was kept.
    assert [r.body["page_number"] for r in upstream(sim, "list_images")] == [1, 2, 3]
    assert [image["guid"] for image in proposal["preview"]["images"]] == [seed.IMAGE_WITH_PRODUCTS_GUID]
    assert proposal["preview"]["products_deleted"] == len(seed.IMAGE_WITH_PRODUCTS_SKUS)
    assert sim.write_requests == []
