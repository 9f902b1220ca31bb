"""Previews that already know: when the reads show a change will fail, no token is issued and the answer says why
and what to do instead; the summary a person approves warns about stock, ZIP, shipping and unusually large totals."""

from __future__ import annotations

from typing import Any

import pytest

from finerworks_mcp.simulator import SimulatorState, seed
from tests.support import TEXAS, call_ok, connect, upstream

pytestmark = pytest.mark.anyio

PRINT = {
    "product_sku": seed.VALID_PRODUCT_CODE,
    "product_qty": 3,
    "product_image": {"pixel_width": 4000, "pixel_height": 5000},
}


def order(**changes: Any) -> dict[str, Any]:
    """One test order to Austin with the cheapest shipping the simulator offers there, so nothing warns."""
    return {"order_po": "PO-3001", "recipient": TEXAS, "order_items": [PRINT], "shipping_code": "EC"} | changes


async def submit(sim: SimulatorState, mode: str, *orders: dict[str, Any], **env: str) -> dict[str, Any]:
    async with connect(sim, mode, env=env) as client:
        return await call_ok(client, "submit_orders_v2", {"orders": list(orders), "payment_token": "xxxx"})


@pytest.mark.parametrize(
    ("order_id", "command", "instead"),
    [
        pytest.param(seed.SHIPPED_ORDER_ID, "cancel", "contact FinerWorks support", id="cancel shipped"),
        pytest.param(seed.DELIVERED_ORDER_ID, "hold", "contact FinerWorks support", id="hold delivered"),
        pytest.param(seed.IN_PRODUCTION_ORDER_ID, "cancel", "contact FinerWorks support", id="cancel in production"),
        pytest.param(seed.CANCELLED_ORDER_ID, "pending", "submit it with submit_orders_v2", id="release cancelled"),
    ],
)
async def test_changing_an_order_past_changes_issues_no_token_and_says_what_to_do(
    sim: SimulatorState, mode: str, order_id: int, command: str, instead: str
) -> None:
    # Reproduces: cancelling a Shipped order issued a token and failed only at confirm.
    async with connect(sim, mode) as client:
        proposal = await call_ok(client, "update_order", {"order_id": order_id, "update_command": command})
        pending = await call_ok(client, "list_pending_actions")
    assert proposal["confirmation_required"] is False
    assert "confirmation_token" not in proposal
    (reason,) = proposal["blocked_by"]
    assert str(order_id) in reason
    assert instead in reason
    assert proposal["summary"].startswith("Cannot ")
    assert pending["actions"] == []
    assert upstream(sim, "update_order") == []


async def test_changing_the_address_of_a_shipped_order_issues_no_token(sim: SimulatorState, mode: str) -> None:
    async with connect(sim, mode) as client:
        proposal = await call_ok(client, "update_customer", {"order_id": seed.SHIPPED_ORDER_ID, "customer_info": TEXAS})
    assert proposal["confirmation_required"] is False
    assert "only before production" in proposal["blocked_by"][0]


async def test_an_order_that_can_still_change_gets_a_token(sim: SimulatorState, mode: str) -> None:
    async with connect(sim, mode) as client:
        proposal = await call_ok(
            client, "update_order", {"order_id": seed.RECEIVED_ORDER_ID, "update_command": "cancel"}
        )
    assert proposal["confirmation_required"] is True


async def test_a_plain_order_carries_no_warning(sim: SimulatorState, mode: str) -> None:
    proposal = await submit(sim, mode, order())
    assert "WARNING" not in proposal["summary"]
    assert "warnings" not in proposal["preview"]


async def test_ordering_more_than_tracked_stock_warns_in_the_summary(sim: SimulatorState, mode: str) -> None:
    # Reproduces: 999 of a SKU with 5 in tracked stock went through with no warning.
    sku, product = next((sku, p) for sku, p in sim.products.items() if p.track_inventory and p.quantity_in_stock)
    proposal = await submit(sim, mode, order(order_items=[{"product_sku": sku, "product_qty": 999}]))
    warning = f"999 of {sku} ordered, but only {product.quantity_in_stock} in tracked stock"
    assert warning in proposal["summary"]
    assert warning in proposal["preview"]["warnings"]
    assert proposal["confirmation_required"] is True


async def test_a_zip_from_another_state_warns_that_the_tax_depends_on_it(sim: SimulatorState, mode: str) -> None:
    # Reproduces: state CA with ZIP 78701 (Austin) silently changed the tax.
    proposal = await submit(sim, mode, order(recipient=TEXAS | {"state_code": "CA", "zip_postal_code": "78701"}))
    assert "WARNING: order_po PO-3001: ZIP 78701 is in TX, not CA (the state sets the sales tax)" in proposal["summary"]


async def test_shipping_dearer_than_the_cheapest_offered_warns(sim: SimulatorState, mode: str) -> None:
    # Reproduces: shipping silently defaulted to SD when a cheaper option existed.
    proposal = await submit(sim, mode, order(shipping_code="SD"))
    assert "order_po PO-3001 ships SD (UPS Ground) for $" in proposal["summary"]
    assert "the cheapest offered is EC (USPS Ground Advantage)" in proposal["summary"]


async def test_an_unusually_large_total_warns_above_the_default_threshold(sim: SimulatorState, mode: str) -> None:
    # Reproduces: a $67,627 order went through with no warning.
    proposal = await submit(sim, mode, order(order_items=[{**PRINT, "product_qty": 500}]))
    total = proposal["preview"]["totals"]["grand_total"]
    assert float(total) > 1000
    assert "is unusually large (above $1,000.00, FINERWORKS_LARGE_ORDER_USD)" in proposal["summary"]


async def test_the_large_order_threshold_is_settable(sim: SimulatorState) -> None:
    small = await submit(sim, "auto", order())
    lowered = await submit(sim, "auto", order(), LARGE_ORDER_USD="20")
    assert "unusually large" not in small["summary"]
    assert "is unusually large (above $20.00, FINERWORKS_LARGE_ORDER_USD)" in lowered["summary"]
