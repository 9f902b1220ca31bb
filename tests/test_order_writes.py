"""The four order writes: each previews with reads only, and only confirm_action places or changes an order."""

from __future__ import annotations

import copy
import json
from dataclasses import replace
from decimal import Decimal
from typing import Any

import httpx2
import pytest
from mcp.types import ElicitResult

from finerworks_mcp.api.client import RetryPolicy
from finerworks_mcp.mcp.server import build_server
from finerworks_mcp.simulator import SimulatorState, SimulatorTransport, seed
from finerworks_mcp.simulator import catalog as sim_catalog
from finerworks_mcp.simulator.pricing import breakdown, cents, line_total
from finerworks_mcp.simulator.shipping import DOMESTIC, TEXAS_SALES_TAX_RATE, order_parcel, quote
from tests.support import (
    FORT_WORTH,
    ORDER_WRITE_ARGUMENTS,
    OREGON_ORDER,
    PRINT,
    TEXAS_ORDER,
    Sleeps,
    call_error,
    call_ok,
    connect,
    is_dry_run,
    real_writes,
    settings,
)

pytestmark = pytest.mark.anyio


def arguments(tool: str, **changes: Any) -> dict[str, Any]:
    return copy.deepcopy(ORDER_WRITE_ARGUMENTS[tool]) | changes


async def status_of(client: Any, po: str) -> dict[str, Any]:
    found = await call_ok(client, "fetch_order_status", {"order_pos": [po]})
    (order,) = found["orders"]
    return order


async def confirm(client: Any, proposal: dict[str, Any]) -> dict[str, Any]:
    return await call_ok(client, "confirm_action", {"confirmation_token": proposal["confirmation_token"]})


@pytest.mark.parametrize("tool", sorted(ORDER_WRITE_ARGUMENTS))
async def test_each_order_write_returns_a_proposal_and_sends_nothing(sim: SimulatorState, mode: str, tool: str) -> None:
    async with connect(sim, mode) as client:
        proposal = await call_ok(client, tool, arguments(tool))
    assert proposal["confirmation_required"] is True
    assert proposal["confirmation_token"]
    assert proposal["expires_at"]
    assert proposal["environment"] == "simulator"
    assert proposal["summary"].endswith("— simulator")
    assert proposal["preview"]
    assert real_writes(sim) == []
    dry_runs = [r for r in sim.write_requests if is_dry_run(r)]
    # Only the order submit has a dry run, and it is the one write-endpoint request a preview may make.
    assert len(dry_runs) == (1 if tool == "submit_orders_v2" else 0)
    assert len(sim.write_requests) == len(dry_runs)


async def test_order_writes_are_annotated_as_proposals_and_destructive_where_they_can_cancel(
    sim: SimulatorState,
) -> None:
    async with connect(sim) as client:
        tools = {t.name: t for t in (await client.list_tools()).tools}
    destructive = {name: tools[name].annotations.destructive_hint for name in ORDER_WRITE_ARGUMENTS}  # type: ignore[union-attr]
    assert destructive == {
        "submit_orders_v2": True,
        "update_order": True,
        "update_customer": False,
        "submit_note": False,
    }
    assert all(tools[name].annotations.read_only_hint is False for name in ORDER_WRITE_ARGUMENTS)  # type: ignore[union-attr]
    # The dry run belongs to the preview: a model cannot ask for a submit that only pretends.
    assert set(tools["submit_orders_v2"].input_schema["properties"]) == {"orders", "payment_token", "account_key"}


async def test_a_confirmed_order_is_submitted_once_and_then_tracked_to_its_shipment(
    sim: SimulatorState, mode: str
) -> None:
    async with connect(sim, mode) as client:
        proposal = await call_ok(client, "submit_orders_v2", arguments("submit_orders_v2"))
        result = await confirm(client, proposal)
        assert result["executed"] is True
        assert result["environment"] == "simulator"
        (submitted,) = result["result"]["orders"]
        order_id = submitted["order_id"]
        received = await status_of(client, "PO-2001")
        assert (received["order_id"], received["order_status_label"]) == (order_id, "Order Received")

        sim.advance(order_id)
        sim.advance(order_id)
        shipped = await status_of(client, "PO-2001")
        again = await call_error(client, "confirm_action", {"confirmation_token": proposal["confirmation_token"]})
    assert shipped["order_status_label"] == "Shipped"
    assert shipped["shipments"][0]["carrier"] == "UPS"
    assert shipped["shipments"][0]["tracking_number"]
    assert "already used" in again
    assert len(real_writes(sim)) == 1
    assert real_writes(sim)[0].body["orders"][0]["order_po"] == "PO-2001"


def expected_order(sim: SimulatorState, order: dict[str, Any], shipping_index: int) -> dict[str, Decimal]:
    """The simulator's own figures: line prices, its rate for the chosen service, and Texas' 8.25 %."""
    lines: list[tuple[Any, int]] = []
    subtotal = Decimal(0)
    for item in order["order_items"]:
        code = sim.resolve(item["product_sku"]).code
        assert code is not None
        lines.append((code, item["product_qty"]))
        subtotal += line_total(breakdown(code), item["product_qty"])
    shipping = quote(DOMESTIC[shipping_index], order_parcel(lines), order["recipient"])
    tax = cents(subtotal * TEXAS_SALES_TAX_RATE) if order["recipient"]["state_code"] == "TX" else Decimal("0.00")
    return {"subtotal": subtotal, "shipping": shipping, "tax": tax, "grand_total": subtotal + shipping + tax}


async def test_the_preview_adds_up_to_the_cent_with_texas_tax_on_the_texas_order_only(
    sim: SimulatorState, mode: str
) -> None:
    texas, oregon = (
        expected_order(sim, TEXAS_ORDER, 1),
        expected_order(sim, OREGON_ORDER, 0),
    )  # SD is UPS Ground, EC USPS
    assert texas["tax"] > 0
    async with connect(sim, mode) as client:
        proposal = await call_ok(
            client, "submit_orders_v2", {"orders": [TEXAS_ORDER, OREGON_ORDER], "payment_token": "xxxx"}
        )
    preview = proposal["preview"]
    first, second = preview["orders"]
    for shown, expected in ((first, texas), (second, oregon)):
        assert shown["subtotal"] == str(expected["subtotal"])
        assert shown["shipping"] == str(expected["shipping"])
        assert shown["sales_tax"] == str(expected["tax"])
        assert shown["grand_total"] == str(expected["grand_total"])
    assert first["shipping_option"]["method"] == "UPS Ground"
    assert second["shipping_option"]["method"] == "USPS Ground Advantage"
    assert second["sales_tax"] == "0.00"
    total = texas["grand_total"] + oregon["grand_total"]
    assert preview["totals"]["grand_total"] == str(total)
    shipping, tax = texas["shipping"] + oregon["shipping"], texas["tax"]
    assert proposal["summary"].startswith(
        f"Submit 2 test orders (PO-2001, PO-2002) for ${total} incl. ${shipping} shipping and ${tax} tax, "
        f"paid by test token 'xxxx'. WARNING: order_po PO-2001 ships SD (UPS Ground) for ${texas['shipping']}; "
        "the cheapest offered is EC (USPS Ground Advantage) for $"
    )
    assert proposal["summary"].endswith(" — simulator")


async def test_a_shipping_option_id_is_priced_with_that_option(sim: SimulatorState, mode: str) -> None:
    order = TEXAS_ORDER | {"shipping_code": "14"}  # the id of UPS Next Day Air Saver in a quote
    async with connect(sim, mode) as client:
        proposal = await call_ok(client, "submit_orders_v2", {"orders": [order], "payment_token": "xxxx"})
    option = proposal["preview"]["orders"][0]["shipping_option"]
    assert (option["id"], option["method"]) == (14, "UPS Next Day Air Saver")
    assert option["chosen"] == "matches shipping_code 14"


async def test_an_order_po_finerworks_already_holds_blocks_the_preview(sim: SimulatorState, mode: str) -> None:
    order = TEXAS_ORDER | {"order_po": seed.SHIPPED_ORDER_PO}
    async with connect(sim, mode) as client:
        proposal = await call_ok(client, "submit_orders_v2", {"orders": [order], "payment_token": "xxxx"})
    assert proposal["confirmation_required"] is False
    assert "confirmation_token" not in proposal
    (blocker,) = proposal["blocked_by"]
    assert seed.SHIPPED_ORDER_PO in blocker
    assert str(seed.SHIPPED_ORDER_ID) in blocker
    assert "Shipped" in blocker
    assert proposal["summary"].startswith(f"Cannot submit 1 test order ({seed.SHIPPED_ORDER_PO})")
    assert real_writes(sim) == []


async def test_the_po_of_a_cancelled_order_may_be_used_again(sim: SimulatorState, mode: str) -> None:
    order = TEXAS_ORDER | {"order_po": seed.CANCELLED_ORDER_PO}
    async with connect(sim, mode) as client:
        proposal = await call_ok(client, "submit_orders_v2", {"orders": [order], "payment_token": "xxxx"})
    assert proposal["confirmation_required"] is True
    assert any("cancelled" in note and seed.CANCELLED_ORDER_PO in note for note in proposal["preview"]["notes"])


async def test_a_po_submitted_after_the_preview_stops_the_confirm_with_a_blocked_fresh_preview(
    sim: SimulatorState, mode: str
) -> None:
    async with connect(sim, mode) as client:
        first = await call_ok(client, "submit_orders_v2", arguments("submit_orders_v2"))
        second = await call_ok(client, "submit_orders_v2", arguments("submit_orders_v2"))
        assert (await confirm(client, second))["executed"] is True
        stopped = await confirm(client, first)
        replay = await call_error(client, "confirm_action", {"confirmation_token": first["confirmation_token"]})
    assert stopped["executed"] is False
    assert stopped["status"] == "changed"
    assert "PO-2001 already exists" in stopped["message"]
    fresh = stopped["new_proposal"]
    assert fresh["confirmation_required"] is False
    assert any("PO-2001" in blocker for blocker in fresh["blocked_by"])
    assert "replaced by a newer preview" in replay
    assert len(real_writes(sim)) == 1


async def test_a_price_change_before_confirm_returns_a_fresh_preview_with_a_new_token(
    sim: SimulatorState, mode: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with connect(sim, mode) as client:
        proposal = await call_ok(client, "submit_orders_v2", arguments("submit_orders_v2"))
        # FinerWorks raises the price of the paper (media 6) between the preview and the person's yes.
        paper = sim_catalog.MEDIA[6]
        monkeypatch.setitem(sim_catalog.MEDIA, 6, replace(paper, base=paper.base + Decimal(5)))
        changed = await confirm(client, proposal)
        assert real_writes(sim) == []
        fresh = changed["new_proposal"]
        done = await confirm(client, fresh)
    old_total = proposal["preview"]["totals"]["grand_total"]
    new_total = fresh["preview"]["totals"]["grand_total"]
    # 3 prints at $5 more each, plus Texas tax on the $15.
    assert Decimal(new_total) - Decimal(old_total) == Decimal("15.00") + cents(Decimal(15) * TEXAS_SALES_TAX_RATE)
    assert changed["status"] == "changed"
    assert changed["executed"] is False
    assert f"the total changed from {old_total} to {new_total}" in changed["message"]
    assert fresh["confirmation_required"] is True
    assert fresh["confirmation_token"] != proposal["confirmation_token"]
    assert f"${new_total}" in fresh["summary"]
    assert done["executed"] is True
    assert len(real_writes(sim)) == 1


async def test_a_person_who_declines_gets_nothing_submitted(sim: SimulatorState, mode: str) -> None:
    asked: list[str] = []

    async def decline(context: Any, params: Any) -> ElicitResult:
        asked.append(params.message)
        return ElicitResult(action="decline")

    async with connect(sim, mode, elicitation_callback=decline) as client:
        proposal = await call_ok(client, "submit_orders_v2", arguments("submit_orders_v2"))
        result = await confirm(client, proposal)
        found = await call_ok(client, "fetch_order_status", {"order_pos": ["PO-2001"]})
    assert result["executed"] is False
    assert result["status"] == "declined"
    assert asked
    assert proposal["summary"] in asked[0]
    assert found["orders"] == []
    assert real_writes(sim) == []


class FaultAtTheRealSubmit(httpx2.AsyncBaseTransport):
    """The simulator, with a fault armed just as the real submit goes out. Confirming re-runs the preview, whose
    validate_only dry run is also a submit_orders_v2 call: that one must not be the call that meets the fault."""

    def __init__(self, sim: SimulatorState, kind: Any) -> None:
        self.sim, self.kind = sim, kind
        self.simulator = SimulatorTransport(sim)

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        if request.url.path.endswith("/submit_orders_v2") and not json.loads(await request.aread()).get(
            "validate_only"
        ):
            self.sim.faults.add(self.kind, endpoint="submit_orders_v2")
        return await self.simulator.handle_async_request(request)


def server_with_fault_at_submit(sim: SimulatorState, fault: str) -> Any:
    transport = FaultAtTheRealSubmit(sim, fault)
    return build_server(settings(), transport=transport, retry=RetryPolicy(sleep=Sleeps()))


@pytest.mark.parametrize("fault", ["timeout", "server_error"])
async def test_a_submit_without_a_clear_answer_says_outcome_unknown_and_how_to_check(
    sim: SimulatorState, mode: str, fault: str
) -> None:
    async with connect(sim, mode, server=server_with_fault_at_submit(sim, fault)) as client:
        proposal = await call_ok(client, "submit_orders_v2", arguments("submit_orders_v2"))
        error = await call_error(client, "confirm_action", {"confirmation_token": proposal["confirmation_token"]})
        again = await call_error(client, "confirm_action", {"confirmation_token": proposal["confirmation_token"]})
    assert "Outcome unknown" in error
    assert 'fetch_order_status with order_pos ["PO-2001"]' in error
    assert "outcome is unknown" in again
    assert [r.fault for r in real_writes(sim)] == [fault]


async def test_finerworks_validation_problems_name_the_fields_and_issue_no_token(
    sim: SimulatorState, mode: str
) -> None:
    abroad = FORT_WORTH | {"country_code": "ca", "province": "ON", "zip_postal_code": "M5H 1J9"}  # state_code TX stays
    order = TEXAS_ORDER | {"recipient": abroad, "shipping_code": "EC"}
    async with connect(sim, mode) as client:
        error = await call_error(client, "submit_orders_v2", {"orders": [order], "payment_token": "xxxx"})
        pending = await call_ok(client, "list_pending_actions")
    assert "nothing was changed" in error  # its validate_only dry run was sent (once)
    assert "orders[0].recipient.state_code" in error
    assert "Must be left blank when country_code does not equal 'us'" in error
    assert "validate_only" in error
    assert pending["actions"] == []
    assert real_writes(sim) == []


async def test_two_orders_with_one_po_are_refused_before_anything_is_asked(sim: SimulatorState, mode: str) -> None:
    async with connect(sim, mode) as client:
        error = await call_error(
            client, "submit_orders_v2", {"orders": [TEXAS_ORDER, TEXAS_ORDER], "payment_token": "xxxx"}
        )
    assert "PO-2001" in error
    assert "appears twice" in error
    assert sim.requests == []


async def test_documented_limits_are_enforced_before_anything_is_sent(sim: SimulatorState, mode: str) -> None:
    too_long = TEXAS_ORDER | {"document_url": "https://example.com/" + "x" * 200}
    too_many = {**PRINT, "product_qty": 1000}
    async with connect(sim, mode) as client:
        for orders in (
            [too_long],
            [TEXAS_ORDER | {"order_items": [too_many]}],
            [],
            [TEXAS_ORDER | {"order_po": "P" * 51}],
        ):
            await call_error(client, "submit_orders_v2", {"orders": orders, "payment_token": "xxxx"})
        await call_error(client, "submit_note", arguments("submit_note", subject="s" * 101))
        await call_error(client, "update_order", arguments("update_order", update_command="delete"))
    assert sim.requests == []


@pytest.mark.parametrize("command", ["hold", "cancel"])
async def test_update_order_shows_the_production_status_beside_the_new_one_then_changes_it(
    sim: SimulatorState, mode: str, command: str
) -> None:
    async with connect(sim, mode) as client:
        proposal = await call_ok(client, "update_order", arguments("update_order", update_command=command))
        assert real_writes(sim) == []
        assert (await confirm(client, proposal))["executed"] is True
        after = await status_of(client, seed.RECEIVED_ORDER_PO)
    preview = proposal["preview"]
    assert preview["production_status"] == "Order Received"
    assert preview["update_command"] == command
    assert preview["new_submission_status"].startswith("on hold" if command == "hold" else "cancelled")
    if command == "cancel":
        assert proposal["summary"].startswith(f"CANCEL order {seed.RECEIVED_ORDER_ID} ({seed.RECEIVED_ORDER_PO}")
    assert after["order_status_label"] == ("On Hold" if command == "hold" else "Cancelled")
    assert len(real_writes(sim)) == 1


@pytest.mark.parametrize("tool", ["update_order", "update_customer", "submit_note"])
async def test_an_order_finerworks_does_not_know_blocks_the_change(sim: SimulatorState, mode: str, tool: str) -> None:
    async with connect(sim, mode) as client:
        proposal = await call_ok(client, tool, arguments(tool, order_id=999))
    assert proposal["confirmation_required"] is False
    assert "confirmation_token" not in proposal
    assert "FinerWorks knows no order 999" in proposal["blocked_by"][0]
    assert sim.write_requests == []


async def test_update_customer_shows_the_new_address_and_says_the_current_one_is_not_reported(
    sim: SimulatorState, mode: str
) -> None:
    async with connect(sim, mode) as client:
        proposal = await call_ok(client, "update_customer", arguments("update_customer"))
        result = await confirm(client, proposal)
    preview = proposal["preview"]
    assert (preview["order_po"], preview["production_status"]) == (seed.RECEIVED_ORDER_PO, "Order Received")
    assert preview["new_address"]["city"] == "Portland"
    assert "does not report" in preview["current_address"]
    assert "Jonah Pierce, 415 SW Yamhill St, Portland OR 97204, US" in proposal["summary"]
    assert result["executed"] is True
    assert sim.orders[seed.RECEIVED_ORDER_ID].recipient["city"] == "Portland"


async def test_submit_note_names_the_order_and_the_note_then_adds_it_once(sim: SimulatorState, mode: str) -> None:
    async with connect(sim, mode) as client:
        proposal = await call_ok(client, "submit_note", arguments("submit_note"))
        assert sim.orders[seed.RECEIVED_ORDER_ID].notes == []
        result = await confirm(client, proposal)
    assert proposal["summary"] == (
        f"Add the note 'Gift' to order {seed.RECEIVED_ORDER_ID} ({seed.RECEIVED_ORDER_PO}, Order Received) — simulator"
    )
    assert proposal["preview"]["message"] == "Wrap it, no invoice inside."
    assert result["executed"] is True
    assert [note.subject for note in sim.orders[seed.RECEIVED_ORDER_ID].notes] == ["Gift"]


async def test_a_configured_account_key_goes_with_the_order_and_with_its_po_check(sim: SimulatorState) -> None:
    async with connect(sim, env={"ACCOUNT_KEY": seed.ACCOUNT_KEY}) as client:
        proposal = await call_ok(client, "submit_orders_v2", arguments("submit_orders_v2"))
        await confirm(client, proposal)
    (po_check, *_) = [r for r in sim.requests if r.endpoint == "fetch_order_status"]
    assert po_check.body == {"order_pos": ["PO-2001"], "order_ids": [], "account_key": seed.ACCOUNT_KEY}
    assert real_writes(sim)[0].body["account_key"] == seed.ACCOUNT_KEY
