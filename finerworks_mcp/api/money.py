"""USD amounts, the one way this package counts them: exact Decimal cents, rounded half-up, shown as $1,234.50.

An order's figures are read here too, once for the quote and the order preview alike: FinerWorks' own grand total
when it sends one (a $0.00 total is a total), else subtotal + shipping + sales tax + expedite fee - discount, the sum
FinerWorks' totals obey. It lives in `api`, under both `guard` (previews) and `workflows` (quotes), so both import it.
"""

from __future__ import annotations

from dataclasses import astuple, dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache
from typing import overload

from finerworks_mcp.api.schemas.orders import ShippingOption

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def usd(value: object) -> Decimal:
    """A FinerWorks amount (a JSON number, or text) as exact cents; missing or unreadable amounts count as zero.

    Going through `str` keeps a float such as 18.7 as 18.70 instead of 18.699999999999999289...
    """
    if value is None or isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
        return ZERO
    return _cents(value)


@lru_cache(maxsize=8192)
def _cents(value: int | float | str | Decimal) -> Decimal:
    # A 1,000-line quote converts ~8,000 amounts, most of them repeats (zero add-ons, the same sizes): cache them.
    try:
        return Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)
    except InvalidOperation:
        return ZERO


def number(amount: Decimal) -> float:
    """A cent amount as a JSON number, as FinerWorks writes money (two decimals survive the float exactly enough)."""
    return float(amount.quantize(CENT, rounding=ROUND_HALF_UP))


def shown(amount: Decimal) -> str:
    return f"${amount.quantize(CENT, rounding=ROUND_HALF_UP):,}"


@dataclass(frozen=True, slots=True)
class OrderMoney:
    """What one order costs with one shipping option, in cents."""

    subtotal: Decimal = ZERO
    shipping: Decimal = ZERO
    tax: Decimal = ZERO
    expedite_fee: Decimal = ZERO
    discount: Decimal = ZERO
    grand_total: Decimal = ZERO

    def __add__(self, other: OrderMoney) -> OrderMoney:
        return OrderMoney(*(mine + theirs for mine, theirs in zip(astuple(self), astuple(other), strict=True)))


@overload
def order_money(option: ShippingOption, *, subtotal: Decimal) -> OrderMoney: ...
@overload
def order_money(option: ShippingOption, *, subtotal: None = None) -> OrderMoney | None: ...
def order_money(option: ShippingOption, *, subtotal: Decimal | None = None) -> OrderMoney | None:
    """The order's figures with this option. `subtotal` stands in when FinerWorks sends none (a quote knows its own
    line prices); without either there is no total to show, and None says so."""
    total = option.calculated_total
    if total is not None and total.order_subtotal is not None:
        subtotal = usd(total.order_subtotal)
    if subtotal is None:
        return None
    # The option's rate and the total's shipping are the same figure (reference 4.15); either may be missing.
    shipping = usd(total.order_shipping_rate if total and total.order_shipping_rate is not None else option.rate)
    tax = usd(total.order_sales_tax if total else None)
    expedite = usd(total.order_expedite_fee if total else None)
    discount = usd(total.order_discount if total else None)
    added_up = subtotal + shipping + tax + expedite - discount
    grand = usd(total.order_grand_total) if total and total.order_grand_total is not None else added_up
    return OrderMoney(subtotal, shipping, tax, expedite, discount, grand)
