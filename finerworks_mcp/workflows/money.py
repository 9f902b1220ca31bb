"""USD amounts: exact Decimal arithmetic, rounded half-up to cents, shown as $1,234.50."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def usd(value: object) -> Decimal:
    """A FinerWorks amount (a JSON number, or text) as exact cents; missing or unreadable amounts count as zero.

    Going through `str` keeps a float such as 18.7 as 18.70 instead of 18.699999999999999289...
    """
    if value is None or isinstance(value, bool) or not isinstance(value, int | float | str):
        return ZERO
    return _cents(value)


@lru_cache(maxsize=8192)
def _cents(value: int | float | str) -> Decimal:
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
