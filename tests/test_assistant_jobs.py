"""Issue 13, points 1, 4 and 5, as an assistant meets them through an MCP client: orders found without an id, quotes
that name each product and say why a code cannot be priced, cleanup plans that show what each token deletes, and
confirm answers that say what changed."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from mcp.types import ResourceLink

from bench import sizes
from bench.assistant_trial import CLEANUP_ITEM_TOKENS, QUOTE_LINE_TOKENS
from finerworks_mcp.simulator import SimulatorState, seed
from finerworks_mcp.simulator.dates import SEED_NOW
from finerworks_mcp.simulator.product_codes import code_problem, describe, parse_product_code
from finerworks_mcp.simulator.records import Image
from finerworks_mcp.simulator.seed import stable_guid
from tests.support import TEXAS, call_error, call_ok, connect, each_shipping_option, text_of, upstream

pytestmark = pytest.mark.anyio

# What the seeded event log names, newest event first: PO-1004 (2 days ago), PO-1002 (5), PO-1007 (10).
EVENT_POS = [seed.RECEIVED_ORDER_PO, seed.SHIPPED_ORDER_PO, seed.PENDING_PAYMENT_ORDER_PO]
NEW_ORDER = {
    "order_po": "PO-3001",
    "recipient": TEXAS,
    "order_items": [
        {
            "product_sku": seed.VALID_PRODUCT_CODE,
            "product_qty": 2,
            "product_image": {"pixel_width": 4000, "pixel_height": 5000},
        }
    ],
    "shipping_code": "SD",
}


def own_audit(tmp_path: Path) -> dict[str, str]:
    """A server whose audit log (and the orders journal beside it) is this test's alone."""
    return {"AUDIT_LOG": str(tmp_path / "audit.jsonl")}


# 1. Orders can be found without an id


async def test_without_ids_lookup_orders_lists_the_orders_the_event_log_names_newest_first(
    sim: SimulatorState, mode: str, tmp_path: Path
) -> None:
    # Finding: "Where's my order?" without an id needed a guess that list_event_logs mentions POs.
    async with connect(sim, mode, env=own_audit(tmp_path)) as client:
        result = await client.call_tool("lookup_orders", {})
    assert not result.is_error, text_of(result)
    lookup = result.structured_content
    assert lookup is not None
    orders = lookup["orders"]
    assert [order["order_po"] for order in orders] == EVENT_POS
    assert [order["order_id"] for order in orders] == [sim.live_order_with_po(po).order_id for po in EVENT_POS]  # type: ignore[union-attr]
    assert [order["status"] for order in orders] == ["Order Received", "Shipped", "Pending Payment"]
    assert [order["date"] for order in orders] == sorted((order["date"] for order in orders), reverse=True)
    assert orders[0]["date"] == (SEED_NOW - timedelta(days=2)).date().isoformat()
    assert all(order["seen_in"].startswith("event log") for order in orders)
    text = text_of(result)
    assert "event-log" in lookup["source"]
    assert "submitted through this server" in lookup["source"]
    assert "no endpoint that lists orders" in lookup["cannot_see"]
    assert text.splitlines()[1].startswith(f"{orders[0]['date']} Order {orders[0]['order_id']}")
    assert [r.body["sort_direction"] for r in upstream(sim, "list_event_logs")] == ["DESC"]
    assert len(upstream(sim, "fetch_order_status")) == 1


async def test_an_order_submitted_here_is_listed_first_with_its_total_after_a_restart(
    sim: SimulatorState, mode: str, tmp_path: Path
) -> None:
    async with connect(sim, mode, env=own_audit(tmp_path)) as client:
        proposal = await call_ok(client, "submit_orders_v2", {"orders": [NEW_ORDER], "payment_token": "xxxx"})
        await call_ok(client, "confirm_action", {"confirmation_token": proposal["confirmation_token"]})
    created = sim.live_order_with_po("PO-3001")
    assert created is not None
    # A new server process: nothing in memory, only the journal beside the audit log.
    async with connect(sim, mode, env=own_audit(tmp_path)) as client:
        lookup = await call_ok(client, "lookup_orders", {})
    first = lookup["orders"][0]
    assert (first["order_po"], first["order_id"]) == ("PO-3001", created.order_id)
    assert first["seen_in"] == "submitted through this server"
    assert f"{first['total']:.2f}" == proposal["preview"]["totals"]["grand_total"]
    assert first["status"] == "Order Received"
    journal = (tmp_path / "orders-known.jsonl").read_text()
    assert "PO-3001" in journal
    assert seed.SIMULATOR_WEB_API_KEY not in journal
    assert seed.SIMULATOR_APP_KEY not in journal


async def test_the_recent_list_filters_by_po_text_and_days(sim: SimulatorState, mode: str, tmp_path: Path) -> None:
    shipped_day = (SEED_NOW - timedelta(days=5)).date()
    async with connect(sim, mode, env=own_audit(tmp_path)) as client:
        by_text = await call_ok(client, "lookup_orders", {"search": "1002"})
        since = await call_ok(client, "lookup_orders", {"since": shipped_day.isoformat()})
        until = await call_ok(client, "lookup_orders", {"until": shipped_day.isoformat()})
        window = await call_ok(client, "lookup_orders", {"since": "2030-01-01"})
        mixed = await call_error(client, "lookup_orders", {"order_ids": [seed.RECEIVED_ORDER_ID], "search": "1002"})
    assert [order["order_po"] for order in by_text["orders"]] == [seed.SHIPPED_ORDER_PO]
    assert [order["order_po"] for order in since["orders"]] == EVENT_POS[:2]
    assert [order["order_po"] for order in until["orders"]] == EVENT_POS[1:]
    assert window["orders"] == []
    assert "search, since and until filter the recent-orders list" in mixed
    assert "Next:" in mixed


async def test_without_the_event_log_the_journal_still_answers_and_the_answer_says_so(
    sim: SimulatorState, tmp_path: Path
) -> None:
    async with connect(sim, env=own_audit(tmp_path)) as client:
        proposal = await call_ok(client, "submit_orders_v2", {"orders": [NEW_ORDER], "payment_token": "xxxx"})
        await call_ok(client, "confirm_action", {"confirmation_token": proposal["confirmation_token"]})
        sim.faults.add("refusal", endpoint="list_event_logs", message="This key has no event-log permission.")
        result = await client.call_tool("lookup_orders", {})
    lookup = result.structured_content
    assert lookup is not None, text_of(result)
    assert [order["order_po"] for order in lookup["orders"]] == ["PO-3001"]
    assert "The event log could not be read (This key has no event-log permission.)" in text_of(result)


async def test_orders_of_another_environment_or_account_are_not_listed(sim: SimulatorState, tmp_path: Path) -> None:
    journal = tmp_path / "orders-known.jsonl"
    foreign = {"order_po": "PO-1003", "submitted": "2030-01-01T00:00:00Z", "order_id": seed.IN_PRODUCTION_ORDER_ID}
    journal.write_text(
        json.dumps({"environment": "production", "account": "main", **foreign})
        + "\n"
        + json.dumps({"environment": "simulator", "account": "0123456789abcdef", **foreign})
        + "\nnot json\n"
    )
    async with connect(sim, env=own_audit(tmp_path)) as client:
        lookup = await call_ok(client, "lookup_orders", {})
    assert [order["order_po"] for order in lookup["orders"]] == EVENT_POS


# 4. Quotes a person can read


def finerworks_name(product_sku: str, sim: SimulatorState) -> str:
    """What the simulated FinerWorks' get_product_details calls the product."""
    resolved = sim.resolve(product_sku)
    assert resolved.code is not None
    return resolved.product.name if resolved.product else describe(resolved.code)


async def test_each_quote_line_names_the_product_as_finerworks_does_within_its_token_budget(
    sim: SimulatorState, mode: str
) -> None:
    # Finding: lines read `5M6M9S16X20 x3: $17.10 each`; confirming what a code means took another call.
    skus = [seed.VALID_PRODUCT_CODE, seed.VALID_FRAMED_PRODUCT_CODE, "1M1M2S24X36", sorted(sim.products)[0]]
    items = [{"product_sku": sku, "product_qty": qty} for sku, qty in zip(skus, [3, 1, 1, 2], strict=True)]
    async with connect(sim, mode) as client:
        result = await client.call_tool("quote_prices", {"items": items})
    quote = result.structured_content
    assert quote is not None, text_of(result)
    assert [line["name"] for line in quote["lines"]] == [finerworks_name(sku, sim) for sku in skus]
    shown = [line for line in text_of(result).splitlines() if re.match(r"  \d+\. ", line)]
    assert [line.split(". ", 1)[1].split(" x")[0] for line in shown] == [line["name"] for line in quote["lines"]]
    assert "16x20 in x3: $17.10 each, $51.30" in shown[0]
    over = {line: sizes.tokens(line) for line in shown if sizes.tokens(line) > QUOTE_LINE_TOKENS}
    assert not over, over
    (details,) = upstream(sim, "get_product_details")
    assert [item["product_sku"] for item in details.body] == skus


async def test_naming_rides_beside_the_price_calls_and_a_quote_survives_without_it(sim: SimulatorState) -> None:
    sim.faults.add("server_error", endpoint="get_product_details", status=503, times=None)
    async with connect(sim) as client:
        quote = await call_ok(client, "quote_prices", {"items": [{"product_sku": seed.VALID_PRODUCT_CODE}]})
    assert upstream(sim, "get_product_details")  # asked, and refused
    assert quote["lines"][0].get("name") is None
    assert quote["lines"][0]["total_price"] > 0


@pytest.mark.parametrize(
    ("code", "nearest"),
    [
        pytest.param("1M1M2S25X37", ["1M1M2S24X36", "1M1M2S24X30"], id="size-not-offered"),
        pytest.param("1M1M2S37X25", ["1M1M2S36X24", "1M1M2S30X24"], id="landscape-size-not-offered"),
        pytest.param("1M6M9S16X20", None, id="media-not-made-as-type"),
    ],
)
async def test_a_code_that_cannot_be_priced_carries_finerworks_reason_and_the_nearest_codes(
    sim: SimulatorState, mode: str, code: str, nearest: list[str] | None
) -> None:
    # Finding: codes that cannot be priced were listed without the reason FinerWorks gives.
    parsed = parse_product_code(code)
    assert parsed is not None
    items = [{"product_sku": seed.VALID_PRODUCT_CODE}, {"product_sku": code}]
    async with connect(sim, mode) as client:
        result = await client.call_tool("quote_prices", {"items": items})
        (missing,) = (result.structured_content or {})["not_priced"]
        # Every suggestion is a code FinerWorks prices.
        suggested = [{"product_sku": sku} for sku in missing.get("try_instead") or [seed.VALID_PRODUCT_CODE]]
        retried = await call_ok(client, "quote_prices", {"items": suggested})
    assert missing["line"] == 2
    assert missing["reason"] == code_problem(parsed)
    assert missing.get("try_instead") == nearest
    text = text_of(result)
    assert f"line 2 {code}: " in text
    assert (f"nearest: {', '.join(nearest)}" in text) if nearest else (missing["reason"] in text)
    assert retried["not_priced"] == []


def estimate_delivery(option: dict[str, Any]) -> None:
    """FinerWorks documents no delivery estimate on shipping options; if it sends one, a quote shows it."""
    option["transit_days"] = {"EC": 6, "SD": 4, "2D": 2, "FS": 1}[option["shipping_code"]]


async def test_shipping_options_carry_a_delivery_estimate_when_finerworks_gives_one(
    sim: SimulatorState, mode: str
) -> None:
    arguments = {"items": [{"product_sku": seed.VALID_PRODUCT_CODE}], "recipient": TEXAS}
    async with connect(sim, mode) as client:
        plain = await call_ok(client, "quote_prices", arguments)
    async with connect(sim, mode, rewrite=each_shipping_option(estimate_delivery)) as client:
        result = await client.call_tool("quote_prices", arguments)
    quote = result.structured_content
    assert quote is not None, text_of(result)
    assert all(option.get("delivery") is None for option in plain["shipping_options"])
    delivery = {option["shipping_code"]: option["delivery"] for option in quote["shipping_options"]}
    assert delivery == {"EC": "6 day(s)", "SD": "4 day(s)", "2D": "2 day(s)", "FS": "1 day(s)"}
    assert "= total $" in text_of(result)
    assert ", delivery 6 day(s)" in text_of(result)


# 5. Plans that show what each token does


def batches_in_text(text: str) -> dict[str, list[str]]:
    """Each token in a plan's text with the item lines printed under it."""
    found: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in text.splitlines():
        header = re.search(r"token (\S+):$", line)
        if header:
            current = found.setdefault(header.group(1), [])
        elif line.startswith("  - ") and current is not None:
            current.append(line)
        else:
            current = None
    return found


async def test_a_cleanup_plan_names_every_item_of_every_batch_under_its_token_without_links(
    sim: SimulatorState, mode: str
) -> None:
    # Finding: the text showed 8 of 86 titles, said nothing of which items were in which batch, and attached 86
    # resource links (about 8,000 tokens).
    async with connect(sim, mode) as client:
        result = await client.call_tool("plan_inventory_cleanup", {"images": {"without_products": True}})
    plan = result.structured_content
    assert plan is not None, text_of(result)
    section = plan["images"]
    assert section["matched"] == 86
    text = text_of(result)
    titles = {item["guid"]: item["title"] for item in section["items"]}
    listed = batches_in_text(text)
    assert list(listed) == [batch["confirmation_token"] for batch in section["batches"]]
    for batch in section["batches"]:
        lines = listed[batch["confirmation_token"]]
        assert len(lines) == batch["count"] == len(batch["keys"])
        assert [line.split("'")[1] for line in lines] == [titles[guid] for guid in batch["keys"]]
    assert sorted(key for batch in section["batches"] for key in batch["keys"]) == sorted(titles)
    assert [block for block in result.content if isinstance(block, ResourceLink)] == []
    item_lines = [line for lines in listed.values() for line in lines]
    assert max(map(sizes.tokens, item_lines)) <= CLEANUP_ITEM_TOKENS
    assert sizes.tokens(text) <= CLEANUP_ITEM_TOKENS * len(item_lines) + 300


async def test_only_untitled_items_get_picture_links_and_never_more_than_a_handful(sim: SimulatorState) -> None:
    for n in range(8):
        image_id = sim.next_id("image")
        guid = stable_guid("image", image_id)
        sim.images[guid] = Image(image_id, guid, "", "", f"scan-{n}.jpg", 1000, 100, 100, SEED_NOW)
    async with connect(sim) as client:
        result = await client.call_tool("plan_inventory_cleanup", {"images": {"without_products": True}})
    plan = result.structured_content
    assert plan is not None
    untitled = [item for item in plan["images"]["items"] if not item["title"]]
    links = [block for block in result.content if isinstance(block, ResourceLink)]
    assert len(untitled) == 8
    assert [link.name for link in links] == [item["guid"] for item in untitled][:5]
    assert all(f"  - {item['guid']} " in text_of(result) for item in untitled)


async def test_a_cleanup_confirm_says_what_it_deleted_and_what_remains_in_the_other_batches(
    sim: SimulatorState, mode: str
) -> None:
    # Finding: the confirm answer did not say what it deleted.
    async with connect(sim, mode) as client:
        plan = await call_ok(client, "plan_inventory_cleanup", {"images": {"without_products": True}})
        first, second = plan["images"]["batches"]
        done = await call_ok(client, "confirm_action", {"confirmation_token": first["confirmation_token"]})
        last = await call_ok(client, "confirm_action", {"confirmation_token": second["confirmation_token"]})
    titles = {item["guid"]: item["title"] for item in plan["images"]["items"]}
    named = re.findall(r"'([^']+)'", done["message"].split("Changed: images ", 1)[1].split(".", 1)[0])
    assert named == [titles[guid] for guid in first["keys"]]
    assert "36 more image(s) remain in 1 other batch(es) waiting for confirmation" in done["message"]
    assert "No other delete_images batch is waiting for confirmation." in last["message"]


async def test_a_confirm_answer_names_the_order_it_changed(sim: SimulatorState, mode: str) -> None:
    async with connect(sim, mode) as client:
        proposal = await call_ok(client, "update_order", {"order_id": seed.RECEIVED_ORDER_ID, "update_command": "hold"})
        done = await call_ok(client, "confirm_action", {"confirmation_token": proposal["confirmation_token"]})
    assert f"Changed: order {seed.RECEIVED_ORDER_ID} (PO {seed.RECEIVED_ORDER_PO})." in done["message"]


async def test_a_submit_confirm_names_the_order_it_created(sim: SimulatorState, tmp_path: Path) -> None:
    async with connect(sim, env=own_audit(tmp_path)) as client:
        proposal = await call_ok(client, "submit_orders_v2", {"orders": [NEW_ORDER], "payment_token": "xxxx"})
        done = await call_ok(client, "confirm_action", {"confirmation_token": proposal["confirmation_token"]})
    created = sim.live_order_with_po("PO-3001")
    assert created is not None
    assert f"Submitted: order {created.order_id} (PO PO-3001)." in done["message"]
