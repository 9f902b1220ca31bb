"""One way to count money: a quote and the preview of the same order agree to the cent on every figure, with a
discount, whether FinerWorks sends its own grand total or leaves it to be added up, and $0.00 is a total."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from finerworks_mcp.simulator import SimulatorState, seed
from finerworks_mcp.simulator.shipping import DOMESTIC, AccountTerms
from tests.support import ARTWORK, FORT_WORTH, LARGE_PAPER_PRINT, call_ok, connect, each_shipping_option

pytestmark = pytest.mark.anyio

ITEMS = [
    {"product_sku": seed.VALID_PRODUCT_CODE, "product_qty": 3},
    {"product_sku": LARGE_PAPER_PRINT, "product_qty": 2},
]
# 12.5% off: a discount that is rarely a round number of dollars.
DISCOUNT_RATE = Decimal("0.125")


def cents(value: Any) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"))


async def quote_and_preview(client: Any, shipping_code: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """The chosen option of a quote for ITEMS to Fort Worth, and the preview's totals for the same order."""
    quote = await call_ok(
        client, "quote_prices", {"items": ITEMS, "recipient": FORT_WORTH, "shipping_preference": shipping_code}
    )
    (chosen,) = [option for option in quote["shipping_options"] if option["chosen"]]
    assert quote["grand_total"] == chosen["grand_total"]
    order = {
        "order_po": "PO-3001",
        "recipient": FORT_WORTH,
        "order_items": [item | {"product_image": ARTWORK} for item in ITEMS],
        "shipping_code": shipping_code,
    }
    proposal = await call_ok(client, "submit_orders_v2", {"orders": [order], "payment_token": "xxxx"})
    quoted = {
        "subtotal": cents(quote["subtotal"]),
        "shipping": cents(chosen["rate"]),
        "sales_tax": cents(chosen["sales_tax"]),
        "discount": cents(chosen.get("discount") or 0),
        "grand_total": cents(chosen["grand_total"]),
    }
    totals = proposal["preview"]["totals"]
    previewed = {name: Decimal(totals.get(name, "0.00")) for name in quoted}
    return quoted, previewed


@pytest.mark.parametrize("sends_grand_total", [True, False], ids=["finerworks-total", "total-added-up"])
async def test_a_quote_and_the_order_preview_agree_to_the_cent_for_every_shipping_option(
    sim: SimulatorState, sends_grand_total: bool
) -> None:
    sim.terms = AccountTerms(discount_rate=DISCOUNT_RATE, sends_grand_total=sends_grand_total)
    async with connect(sim) as client:
        for method in DOMESTIC:
            quoted, previewed = await quote_and_preview(client, method.shipping_code)
            assert quoted == previewed, method.shipping_code
            assert quoted["discount"] > 0
            expected = quoted["subtotal"] + quoted["shipping"] + quoted["sales_tax"] - quoted["discount"]
            assert quoted["grand_total"] == expected, method.shipping_code


def paid_by_credit(option: dict[str, Any]) -> None:
    """FinerWorks when account credit covers the whole order: every quoted grand total is $0.00."""
    option["calculated_total"]["order_grand_total"] = 0


async def test_a_grand_total_of_zero_is_shown_as_zero_by_the_quote_and_the_preview(sim: SimulatorState) -> None:
    async with connect(sim, rewrite=each_shipping_option(paid_by_credit)) as client:
        quoted, previewed = await quote_and_preview(client, "SD")
    assert quoted["grand_total"] == previewed["grand_total"] == Decimal("0.00")
    assert quoted == previewed
