"""The three jobs end to end through an MCP client: quote any number of items, look up orders, plan and confirm an
inventory cleanup; plus the prompts that start them and the pictures that go with them."""

from __future__ import annotations

import base64
import math
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import httpx2
import pytest
from mcp import Client
from mcp.types import ImageContent, ResourceLink

from finerworks_mcp.api.client import RetryPolicy
from finerworks_mcp.mcp.server import build_server
from finerworks_mcp.simulator import SimulatorState, SimulatorTransport, seed
from finerworks_mcp.simulator.dates import SEED_NOW
from finerworks_mcp.simulator.pricing import breakdown, line_total
from finerworks_mcp.simulator.records import Image, Product
from finerworks_mcp.simulator.seed import stable_guid
from tests.support import TEXAS, Sleeps, call_error, call_ok, connect, line_items, settings, text_of, upstream

pytestmark = pytest.mark.anyio

Result = dict[str, Any]
CENT = Decimal("0.01")


def cents(value: Any) -> Decimal:
    return Decimal(str(value)).quantize(CENT)


class ProgressSeen(list[tuple[float, float | None, str | None]]):
    """A progress callback that remembers every notification."""

    async def __call__(self, progress: float, total: float | None, message: str | None) -> None:
        self.append((progress, total, message))


def expected_total(sim: SimulatorState, item: dict[str, Any]) -> Decimal:
    """What the simulated FinerWorks charges for a line: its own price book, worked out independently."""
    code = sim.resolve(item["product_sku"]).code
    assert code is not None
    return line_total(breakdown(code), item["product_qty"])


# Quoting


@pytest.mark.parametrize("count", [1, 50, 51, 1000])
async def test_a_quote_of_any_size_is_priced_in_calls_of_fifty_in_the_callers_order_to_the_cent(
    sim: SimulatorState, mode: str, count: int
) -> None:
    items = line_items(sim, count)
    async with connect(sim, mode) as client:
        quote = await call_ok(client, "quote_prices", {"items": items})

    calls = upstream(sim, "get_prices")
    assert len(calls) == math.ceil(count / 50)
    assert sorted(len(call.body["products"]) for call in calls) == sorted(
        [50] * (count // 50) + ([count % 50] if count % 50 else [])
    )
    assert [(line["line"], line["product_sku"], line["product_qty"]) for line in quote["lines"]] == [
        (n, item["product_sku"], item["product_qty"]) for n, item in enumerate(items, start=1)
    ]
    assert [cents(line["total_price"]) for line in quote["lines"]] == [expected_total(sim, i) for i in items]
    assert cents(quote["subtotal"]) == sum((expected_total(sim, item) for item in items), Decimal(0))
    assert quote["not_priced"] == []
    assert quote["currency"] == "USD"


async def test_a_framed_line_breaks_out_its_add_ons_per_copy(sim: SimulatorState) -> None:
    async with connect(sim) as client:
        quote = await call_ok(
            client, "quote_prices", {"items": [{"product_sku": seed.VALID_FRAMED_PRODUCT_CODE, "product_qty": 2}]}
        )
    (line,) = quote["lines"]
    code = sim.resolve(seed.VALID_FRAMED_PRODUCT_CODE).code
    assert code is not None
    prices = breakdown(code)
    assert cents(line["product_price"]) == prices.product_price
    assert {name: cents(amount) for name, amount in line["add_ons"].items()} == {
        "frame": prices.add_frame_price,
        "mat": prices.add_mat_1_price,
        "glazing": prices.add_glazing_price,
    }
    assert cents(line["unit_price"]) == prices.unit_price
    assert cents(line["total_price"]) == prices.unit_price * 2


async def test_unknown_skus_are_listed_not_fatal_even_when_a_whole_chunk_is_unknown(
    sim: SimulatorState, mode: str
) -> None:
    items = line_items(sim, 52)
    items[2] = {"product_sku": "AP1P1", "product_qty": 1}  # shaped like a SKU, not in the inventory
    items[50] = {"product_sku": "NOT-A-PRODUCT", "product_qty": 2}
    items[51] = {"product_sku": "9M9M9S1X1", "product_qty": 1}  # the second chunk knows nothing at all
    async with connect(sim, mode) as client:
        result = await client.call_tool("quote_prices", {"items": items})

    assert not result.is_error, text_of(result)
    quote = result.structured_content
    assert quote is not None
    assert [(i["line"], i["product_sku"]) for i in quote["not_priced"]] == [
        (3, "AP1P1"),
        (51, "NOT-A-PRODUCT"),
        (52, "9M9M9S1X1"),
    ]
    known = [item for n, item in enumerate(items) if n not in (2, 50, 51)]
    assert [line["product_sku"] for line in quote["lines"]] == [item["product_sku"] for item in known]
    assert cents(quote["subtotal"]) == sum((expected_total(sim, item) for item in known), Decimal(0))
    text = text_of(result)
    assert "line 3 AP1P1: no such virtual-inventory sku" in text
    assert "line 51 NOT-A-PRODUCT: neither a product code nor a virtual-inventory sku" in text


async def test_with_a_recipient_every_shipping_option_has_its_grand_total_and_the_cheapest_is_chosen(
    sim: SimulatorState, mode: str
) -> None:
    items = [
        {"product_sku": seed.VALID_PRODUCT_CODE, "product_qty": 2},
        {"product_sku": seed.CONNECTED_SKU, "product_qty": 1},
        {"product_sku": "AP1P1", "product_qty": 1},
    ]
    async with connect(sim, mode) as client:
        result = await client.call_tool("quote_prices", {"items": items, "recipient": TEXAS})
    quote = result.structured_content
    assert quote is not None

    (request,) = upstream(sim, "list_shipping_options_multiple")
    (order,) = request.body["orders"]
    # Only priced items ship; a product code carries a stand-in artwork size (16x20 in at 300 ppi), a SKU its own.
    assert order["order_items"] == [
        {
            "product_sku": seed.VALID_PRODUCT_CODE,
            "product_qty": 2,
            "product_image": {"pixel_width": 4800, "pixel_height": 6000},
        },
        {"product_sku": seed.CONNECTED_SKU, "product_qty": 1},
    ]
    options = quote["shipping_options"]
    assert [o["shipping_code"] for o in options] == ["EC", "SD", "2D", "FS"]
    subtotal = cents(quote["subtotal"])
    for option in options:
        assert cents(option["grand_total"]) == subtotal + cents(option["rate"]) + cents(option["sales_tax"])
    assert cents(options[0]["sales_tax"]) == (subtotal * Decimal("0.0825")).quantize(CENT)  # Texas
    assert [o["chosen"] for o in options] == [True, False, False, False]
    assert quote["grand_total"] == options[0]["grand_total"]
    text = text_of(result)
    assert f"Grand total with USPS Ground Advantage: ${cents(options[0]['grand_total']):,}." in text
    assert "[chosen] EC USPS Ground Advantage" in text


@pytest.mark.parametrize(
    ("preference", "chosen"), [("fastest", "FS"), ("SD", "SD"), ("sd", "SD"), ("13", "2D"), ("cheapest", "EC")]
)
async def test_the_shipping_preference_marks_the_chosen_option(
    sim: SimulatorState, preference: str, chosen: str
) -> None:
    items = [{"product_sku": seed.VALID_PRODUCT_CODE}]
    async with connect(sim) as client:
        quote = await call_ok(
            client, "quote_prices", {"items": items, "recipient": TEXAS, "shipping_preference": preference}
        )
    marked = [o for o in quote["shipping_options"] if o["chosen"]]
    assert [o["shipping_code"] for o in marked] == [chosen]
    assert quote["grand_total"] == marked[0]["grand_total"]


async def test_a_shipping_code_not_offered_chooses_nothing_and_says_what_is_offered(sim: SimulatorState) -> None:
    items = [{"product_sku": seed.VALID_PRODUCT_CODE}]
    async with connect(sim) as client:
        result = await client.call_tool(
            "quote_prices", {"items": items, "recipient": TEXAS, "shipping_preference": "ZZ"}
        )
    quote = result.structured_content
    assert quote is not None
    assert not any(option["chosen"] for option in quote["shipping_options"])
    assert "grand_total" not in quote
    assert "No shipping option matches 'ZZ'; offered codes: 2D, EC, FS, SD." in text_of(result)


async def test_a_recipient_finerworks_cannot_ship_to_still_gets_the_prices(sim: SimulatorState) -> None:
    # FinerWorks wants state_code blank outside the US (a province goes in province).
    nowhere = {**TEXAS, "country_code": "ca", "state_code": "ON", "zip_postal_code": "M5H 1J9"}
    async with connect(sim) as client:
        result = await client.call_tool(
            "quote_prices", {"items": [{"product_sku": seed.VALID_PRODUCT_CODE}], "recipient": nowhere}
        )
    quote = result.structured_content
    assert not result.is_error, text_of(result)
    assert quote is not None
    assert len(quote["lines"]) == 1
    assert "shipping_options" not in quote
    assert "Shipping could not be quoted" in text_of(result)
    assert "Must be left blank when country_code does not equal 'us'" in text_of(result)


class InFlight(httpx2.AsyncBaseTransport):
    """Counts the get_prices requests on their way to FinerWorks at the same moment."""

    def __init__(self, inner: httpx2.AsyncBaseTransport) -> None:
        self.inner = inner
        self.now = 0
        self.peak = 0

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        counted = request.url.path.endswith("/get_prices")
        self.now += counted
        self.peak = max(self.peak, self.now)
        try:
            return await self.inner.handle_async_request(request)
        finally:
            self.now -= counted


@asynccontextmanager
async def counting(sim: SimulatorState, mode: str, **env: str) -> AsyncIterator[tuple[Client, InFlight]]:
    transport = InFlight(SimulatorTransport(sim))
    server = build_server(settings(**env), transport=transport, retry=RetryPolicy(sleep=Sleeps()))
    async with connect(sim, mode, server=server) as client:
        yield client, transport


@pytest.mark.parametrize(("env", "limit"), [({"WORKFLOW_CONCURRENCY": "4"}, 4), ({}, 20)])
async def test_prices_are_fetched_concurrently_never_more_at_once_than_configured(
    sim: SimulatorState, mode: str, env: dict[str, str], limit: int
) -> None:
    # Each get_prices answer takes a while (long enough that sending 20 requests on a busy machine fits inside
    # it), so every call the limit allows is in flight together.
    sim.faults.add("latency", endpoint="get_prices", seconds=0.25, times=None)
    async with counting(sim, mode, **env) as (client, transport):
        quote = await call_ok(client, "quote_prices", {"items": line_items(sim, 1000)})
    assert len(quote["lines"]) == 1000
    assert len(upstream(sim, "get_prices")) == 20
    assert transport.peak == limit


async def test_a_failed_price_call_fails_the_quote_with_finerworks_words(sim: SimulatorState) -> None:
    sim.faults.add("model_state", endpoint="get_prices", model_state={"products[0]": ["Bad product."]})
    async with connect(sim) as client:
        message = await call_error(client, "quote_prices", {"items": line_items(sim, 120)})
    assert "get_prices failed" in message
    assert "Bad product." in message


async def test_quote_progress_is_reported_per_call_to_a_client_that_asks(sim: SimulatorState, mode: str) -> None:
    seen = ProgressSeen()
    async with connect(sim, mode) as client:
        await client.call_tool("quote_prices", {"items": line_items(sim, 120)}, progress_callback=seen)
    assert sorted(done for done, _, _ in seen) == [1, 2, 3]
    assert {total for _, total, _ in seen} == {3}


# Looking up orders


async def test_orders_are_found_by_id_and_by_po_with_status_labels_tracking_and_the_unknown_named(
    sim: SimulatorState, mode: str
) -> None:
    arguments = {
        "order_ids": [seed.SHIPPED_ORDER_ID, 999999],
        "order_pos": [seed.DELIVERED_ORDER_PO, seed.RECEIVED_ORDER_PO, "PO-NOT-OURS"],
    }
    async with connect(sim, mode) as client:
        result = await client.call_tool("lookup_orders", arguments)
    found = result.structured_content
    assert found is not None

    assert [(o["order_id"], o["order_po"], o["status_id"], o["status"]) for o in found["orders"]] == [
        (seed.SHIPPED_ORDER_ID, seed.SHIPPED_ORDER_PO, 5, "Shipped"),
        (seed.DELIVERED_ORDER_ID, seed.DELIVERED_ORDER_PO, 6, "Delivered"),
        (seed.RECEIVED_ORDER_ID, seed.RECEIVED_ORDER_PO, 3, "Order Received"),
    ]
    shipped = sim.orders[seed.SHIPPED_ORDER_ID].shipments[0]
    (tracked,) = found["orders"][0]["shipments"]
    assert (tracked["carrier"], tracked["tracking_number"], tracked["tracking_url"]) == (
        shipped.carrier,
        shipped.tracking_number,
        shipped.tracking_url,
    )
    assert shipped.shipment_date is not None
    assert tracked["shipped"] == shipped.shipment_date.date().isoformat()
    assert found["orders"][2]["shipments"] == []
    assert found["unknown_order_ids"] == [999999]
    assert found["unknown_order_pos"] == ["PO-NOT-OURS"]

    text = text_of(result)
    assert shipped.shipment_date is not None
    assert shipped.eta_date is not None
    assert (
        f"Order {seed.SHIPPED_ORDER_ID} (PO {seed.SHIPPED_ORDER_PO}): Shipped. Sent {tracked['shipped']} by "
        f"{shipped.service}, expected {tracked['expected']}. Tracking {shipped.tracking_number}: {shipped.tracking_url}"
    ) in text
    assert f"Order {seed.RECEIVED_ORDER_ID} (PO {seed.RECEIVED_ORDER_PO}): Order Received. Not shipped yet." in text
    assert "FinerWorks has no order with id 999999 or PO 'PO-NOT-OURS'." in text


async def test_a_shipment_without_a_link_gets_the_carriers_tracking_page(sim: SimulatorState) -> None:
    shipment = sim.orders[seed.DELIVERED_ORDER_ID].shipments[0]
    shipment.tracking_url = ""
    async with connect(sim) as client:
        found = await call_ok(client, "lookup_orders", {"order_ids": [seed.DELIVERED_ORDER_ID]})
    assert shipment.carrier == "UPS"
    assert found["orders"][0]["shipments"][0]["tracking_url"] == (
        f"https://www.ups.com/track?tracknum={shipment.tracking_number}"
    )


async def test_any_number_of_orders_is_looked_up_in_calls_of_fifty(sim: SimulatorState) -> None:
    ids = [*seed.ORDER_IDS, *range(1, 114)]
    async with connect(sim) as client:
        found = await call_ok(client, "lookup_orders", {"order_ids": ids, "order_pos": list(seed.ORDER_POS)})
    calls = upstream(sim, "fetch_order_status")
    assert sorted(len(call.body["order_ids"]) for call in calls) == [20, 50, 50]
    assert [order["order_id"] for order in found["orders"]] == list(seed.ORDER_IDS)
    assert found["unknown_order_ids"] == list(range(1, 114))
    assert found["unknown_order_pos"] == []


async def test_status_labels_come_from_the_cached_definitions(sim: SimulatorState) -> None:
    async with connect(sim) as client:
        await call_ok(client, "lookup_orders", {"order_ids": [seed.SHIPPED_ORDER_ID]})
        await call_ok(client, "lookup_orders", {"order_pos": [seed.SHIPPED_ORDER_PO]})
        await call_ok(client, "list_order_status_definitions")
    assert len(upstream(sim, "list_order_status_definitions")) == 1


# Planning and confirming an inventory cleanup

EXTRA = 60
"""Added to the seed so that what every criterion matches spans more than one page of 50."""


def add_old_inactive_heron_studies(sim: SimulatorState) -> None:
    for n in range(EXTRA):
        image_id = sim.next_id("image")
        guid = stable_guid("image", image_id)
        sim.images[guid] = Image(
            id=image_id,
            guid=guid,
            title=f"Heron Study {n}",
            description="A pencil study.",
            file_name=f"heron-study-{n}.jpg",
            file_size=1_000_000,
            pix_w=3000,
            pix_h=2000,
            date_added=SEED_NOW - timedelta(days=800 + n),
            active=False,
        )


def add_unlisted_canvases(sim: SimulatorState) -> None:
    image = sim.images[seed.IMAGE_WITHOUT_PRODUCTS_GUID]
    for n in range(EXTRA):
        product_id = sim.next_id("product")
        sim.products[f"AP{image.id}P{product_id}"] = Product(
            id=product_id,
            sku=f"AP{image.id}P{product_id}",
            product_code="1M1M2S16X20",
            product_guid=stable_guid("product", product_id),
            image_guid=image.guid,
            name=f"{image.title} – Canvas proof {n}",
            description="A canvas proof.",
            asking_price=Decimal("99.00"),
            created=SEED_NOW - timedelta(days=n),
            artist=seed.ARTIST,
        )


def scan_pages(sim: SimulatorState, endpoint: str) -> list[Any]:
    """The plan's own scan (it pages sorted by id); the batch previews read by guid or SKU instead."""
    return [request for request in upstream(sim, endpoint) if "sort_field" in request.body]


def _searched(image: Image, text: str) -> bool:
    return text.lower() in f"{image.title}\n{image.description}\n{image.file_name}".lower()


IMAGE_CRITERIA: list[tuple[str, dict[str, Any], Callable[[SimulatorState, Image], bool]]] = [
    ("without-products", {"without_products": True}, lambda sim, image: not sim.products_of(image.guid)),
    ("inactive", {"inactive": True}, lambda sim, image: not image.active),
    (
        "uploaded-before",
        {"uploaded_before": "2024-07-01"},
        lambda sim, image: image.date_added.date() < date(2024, 7, 1),
    ),
    ("search", {"search": "heron"}, lambda sim, image: _searched(image, "heron")),
    (
        "combined",
        {"without_products": True, "uploaded_before": "2024-07-01"},
        lambda sim, image: not sim.products_of(image.guid) and image.date_added.date() < date(2024, 7, 1),
    ),
]


@pytest.mark.parametrize(("criteria", "wanted"), [c[1:] for c in IMAGE_CRITERIA], ids=[c[0] for c in IMAGE_CRITERIA])
async def test_an_image_cleanup_plan_scans_every_page_and_proposes_batches_of_fifty(
    sim: SimulatorState, mode: str, criteria: dict[str, Any], wanted: Callable[[SimulatorState, Image], bool]
) -> None:
    add_old_inactive_heron_studies(sim)
    expected = sorted((i for i in sim.images.values() if wanted(sim, i)), key=lambda image: image.id)
    async with connect(sim, mode) as client:
        result = await client.call_tool("plan_inventory_cleanup", {"images": criteria})
    plan = result.structured_content
    assert plan is not None, text_of(result)
    section = plan["images"]

    pages = scan_pages(sim, "list_images")
    assert all(page.body["per_page"] == 50 for page in pages)
    assert sorted(page.body["page_number"] for page in pages) == list(range(1, len(pages) + 1))
    assert len(pages) == math.ceil(section["listed"] / 50) > 1
    assert len(expected) > 50
    assert [item["guid"] for item in section["items"]] == [image.guid for image in expected]
    assert section["matched"] == len(expected)
    first = section["items"][0]
    assert {"guid", "title", "file_name", "uploaded", "products", "thumbnail"} <= set(first)
    assert [b["count"] for b in section["batches"]] == [min(50, len(expected) - n) for n in range(0, len(expected), 50)]
    assert all(batch["confirmation_token"] for batch in section["batches"])
    assert plan["confirmation_required"] is True
    assert sim.write_requests == []
    # Every seeded image has a title, so the text names each one and no picture link is needed.
    assert [block for block in result.content if isinstance(block, ResourceLink)] == []


PRODUCT_CRITERIA: list[tuple[str, dict[str, Any], Callable[[Product], bool]]] = [
    ("not-connected", {"not_connected": True}, lambda product: not product.platforms()),
    (
        "search",
        {"search": "canvas"},
        lambda product: "canvas" in f"{product.name}\n{product.sku}\n{product.description}".lower(),
    ),
    ("skus", {"skus": sorted(seed.IMAGE_WITH_PRODUCTS_SKUS)}, lambda p: p.sku in seed.IMAGE_WITH_PRODUCTS_SKUS),
    (
        "search-and-not-connected",
        {"search": "canvas", "not_connected": True},
        lambda p: "canvas" in p.name.lower() and not p.platforms(),
    ),
]


@pytest.mark.parametrize(
    ("criteria", "wanted"), [c[1:] for c in PRODUCT_CRITERIA], ids=[c[0] for c in PRODUCT_CRITERIA]
)
async def test_a_product_cleanup_plan_finds_what_matches_and_names_the_shops(
    sim: SimulatorState, mode: str, criteria: dict[str, Any], wanted: Callable[[Product], bool]
) -> None:
    add_unlisted_canvases(sim)
    expected = sorted((p for p in sim.products.values() if wanted(p)), key=lambda product: product.id)
    async with connect(sim, mode) as client:
        plan = await call_ok(client, "plan_inventory_cleanup", {"products": criteria})
    section = plan["products"]
    assert [item["sku"] for item in section["items"]] == [product.sku for product in expected]
    pages = scan_pages(sim, "list_virtual_inventory")
    assert all(page.body["per_page"] == 50 for page in pages)
    assert len(pages) > 1 or "skus" in criteria
    shops = {item["sku"]: item.get("shops") for item in section["items"]}
    assert shops.get(seed.CONNECTED_SKU, ["Shopify"]) == ["Shopify"]
    assert sum(batch["count"] for batch in section["batches"]) == len(expected)
    assert sim.write_requests == []


async def test_a_long_sku_list_is_searched_fifty_at_a_time_and_unknown_skus_are_named(sim: SimulatorState) -> None:
    skus = [*sorted(sim.products)[:70], "AP1P1", "AP2P2"]
    async with connect(sim) as client:
        plan = await call_ok(client, "plan_inventory_cleanup", {"products": {"skus": skus}})
    filters = [page.body["sku_filter"] for page in scan_pages(sim, "list_virtual_inventory")]
    assert sorted(len(chunk) for chunk in filters) == [22, 50]
    assert plan["products"]["skus_not_found"] == ["AP1P1", "AP2P2"]
    assert [item["sku"] for item in plan["products"]["items"]] == sorted(
        skus[:70], key=lambda sku: sim.products[sku].id
    )
    assert [batch["count"] for batch in plan["products"]["batches"]] == [50, 20]


async def test_products_of_images_already_in_the_plan_are_not_proposed_twice(sim: SimulatorState) -> None:
    heron_products = [p for p in sim.products.values() if "heron" in p.name.lower()]
    async with connect(sim) as client:
        plan = await call_ok(
            client, "plan_inventory_cleanup", {"images": {"search": "heron"}, "products": {"search": "heron"}}
        )
    assert plan["products"]["items"] == []
    assert plan["products"]["going_with_images"] == len(heron_products) > 0
    assert plan["images"]["products_going_with_them"] == len(heron_products)
    assert plan["summary"] == (
        f"Delete {plan['images']['matched']} image(s) with their {len(heron_products)} product(s), in 1 batch(es)"
    )


async def test_a_plan_that_matches_nothing_has_nothing_to_confirm(sim: SimulatorState) -> None:
    async with connect(sim) as client:
        result = await client.call_tool("plan_inventory_cleanup", {"images": {"search": "no such picture"}})
    plan = result.structured_content
    assert plan is not None
    assert plan["confirmation_required"] is False
    assert plan["images"]["batches"] == []
    assert "Delete nothing: nothing matches" in text_of(result)


async def test_criteria_that_ask_for_nothing_are_refused(sim: SimulatorState) -> None:
    async with connect(sim) as client:
        message = await call_error(client, "plan_inventory_cleanup", {"images": {"search": ""}})
    assert "give at least one of without_products, inactive, uploaded_before or search" in message
    assert upstream(sim) == []


async def test_confirming_each_batch_of_a_multi_batch_plan_deletes_exactly_that_batch(
    sim: SimulatorState, mode: str
) -> None:
    unused = sorted((i for i in sim.images.values() if not sim.products_of(i.guid)), key=lambda image: image.id)
    products_before = set(sim.products)
    async with connect(sim, mode) as client:
        plan = await call_ok(client, "plan_inventory_cleanup", {"images": {"without_products": True}})
        batches = plan["images"]["batches"]
        assert [batch["count"] for batch in batches] == [50, len(unused) - 50]
        assert sim.write_requests == []
        results = [
            await call_ok(client, "confirm_action", {"confirmation_token": batch["confirmation_token"]})
            for batch in batches
        ]
        again = await call_error(client, "confirm_action", {"confirmation_token": batches[0]["confirmation_token"]})

    deletes = upstream(sim, "delete_images")
    assert [request.body["guids"] for request in deletes] == [
        [image.guid for image in unused[:50]],
        [image.guid for image in unused[50:]],
    ]
    assert [result["executed"] for result in results] == [True, True]
    assert [result["summary"] for result in results] == [batch["summary"] for batch in batches]
    assert all(image.guid not in sim.images for image in unused)
    assert len(sim.images) == seed.IMAGE_COUNT - len(unused)
    assert set(sim.products) == products_before
    assert "already used" in again


async def test_scanning_reports_progress_page_by_page_to_a_client_that_asks(sim: SimulatorState, mode: str) -> None:
    seen = ProgressSeen()
    async with connect(sim, mode) as client:
        result = await client.call_tool(
            "plan_inventory_cleanup",
            {"images": {"without_products": True}, "products": {"not_connected": True}},
            progress_callback=seen,
        )
    assert not result.is_error, text_of(result)
    images = [(d, t) for d, t, m in seen if m and m.startswith("Scanning image pages")]
    products = [(d, t) for d, t, m in seen if m and m.startswith("Scanning product pages")]
    assert sorted(images) == [(1, 3), (2, 3), (3, 3)]
    assert sorted(products) == [(1, 3), (2, 3), (3, 3)]


async def test_the_plan_reads_at_a_glance(sim: SimulatorState) -> None:
    async with connect(sim) as client:
        result = await client.call_tool("plan_inventory_cleanup", {"images": {"inactive": True}})
    plan = result.structured_content
    assert plan is not None
    text = text_of(result)
    batch = plan["images"]["batches"][0]
    assert text.startswith(f"Cleanup plan: Delete {plan['images']['matched']} image(s)")
    assert f"token {batch['confirmation_token']}" in text
    assert "Nothing has been deleted" in text
    # A header, the section, each batch's token line and one line per item, the next step.
    assert len(text.splitlines()) == 3 + len(plan["images"]["batches"]) + plan["images"]["matched"]


async def test_a_read_only_server_offers_no_cleanup_plan(sim: SimulatorState) -> None:
    async with connect(sim, env={"READ_ONLY": "true"}) as client:
        names = {tool.name for tool in (await client.list_tools()).tools}
        prompts = {prompt.name for prompt in (await client.list_prompts()).prompts}
    assert {"quote_prices", "lookup_orders"} <= names
    assert "plan_inventory_cleanup" not in names
    assert prompts == {"quote_a_print", "where_is_my_order"}


async def test_workflow_tools_come_first_in_the_tool_list(sim: SimulatorState) -> None:
    async with connect(sim) as client:
        names = [tool.name for tool in (await client.list_tools()).tools]
    assert names[:3] == ["quote_prices", "lookup_orders", "plan_inventory_cleanup"]


# Prompts and pictures


async def test_the_three_prompts_are_listed_and_start_the_job_with_its_tool(sim: SimulatorState, mode: str) -> None:
    async with connect(sim, mode) as client:
        listed = {prompt.name: prompt for prompt in (await client.list_prompts()).prompts}
        quote = await client.get_prompt("quote_a_print", {"prints": "a 16x20 matte print", "ship_to": "Austin TX"})
        order = await client.get_prompt("where_is_my_order", {"orders": "PO-1002"})
        tidy = await client.get_prompt("tidy_my_inventory", {})
    assert {name: prompt.title for name, prompt in listed.items()} == {
        "quote_a_print": "Quote a print",
        "where_is_my_order": "Where is my order",
        "tidy_my_inventory": "Tidy my inventory",
    }
    assert [a.name for a in listed["quote_a_print"].arguments or []] == ["prints", "ship_to"]
    texts = [getattr(p.messages[0].content, "text", "") for p in (quote, order, tidy)]
    for text, needles in zip(
        texts,
        [("a 16x20 matte print", "Austin TX", "quote_prices"), ("PO-1002", "lookup_orders"), ("confirm_action",)],
        strict=True,
    ):
        assert all(needle in text for needle in needles), text
    assert "plan_inventory_cleanup" in texts[2]


async def test_a_rendered_frame_comes_back_as_a_picture_beside_the_data(sim: SimulatorState, mode: str) -> None:
    arguments = {"product_code": seed.VALID_FRAMED_PRODUCT_CODE, "render": {"render_size": 300}}
    async with connect(sim, mode) as client:
        rendered = await client.call_tool("frame_builder", arguments)
        plain = await client.call_tool("frame_builder", {"product_code": seed.VALID_FRAMED_PRODUCT_CODE})
    pictures = [block for block in rendered.content if isinstance(block, ImageContent)]
    assert [picture.mime_type for picture in pictures] == ["image/png"]
    assert base64.b64decode(pictures[0].data).startswith(b"\x89PNG\r\n\x1a\n")
    assert rendered.structured_content is not None
    assert rendered.structured_content["price_details"]["add_frame_price"] > 0
    assert pictures[0].data not in text_of(rendered)  # the text carries the data, not the picture again
    assert not [block for block in plain.content if isinstance(block, ImageContent)]


async def test_listed_images_offer_their_thumbnails_as_resource_links(sim: SimulatorState, mode: str) -> None:
    async with connect(sim, mode) as client:
        result = await client.call_tool(
            "list_images", {"per_page": 3, "sort_field": "id", "sort_direction": "ASC", "detail": "full"}
        )
    images = (result.structured_content or {})["images"]
    links = [block for block in result.content if isinstance(block, ResourceLink)]
    assert [(link.uri, link.name, link.title) for link in links] == [
        (image["public_thumbnail_uri"], image["guid"], image["title"]) for image in images
    ]
    assert {link.mime_type for link in links} == {"image/jpeg"}
