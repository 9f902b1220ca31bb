"""Prices by area: a print costs its media's base plus a rate per square inch (plus the style's surcharge);
frames price by outer perimeter, mats and glazing by framed area. All arithmetic is Decimal, rounded to cents.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from .catalog import FRAMES, GLAZING, MATS, MEDIA, STYLES, Frame, cents
from .product_codes import ProductCode

ZERO = Decimal(0)


def money(value: Decimal) -> float:
    """A JSON number for a cent amount (floats of two-decimal values round-trip exactly enough for JSON)."""
    return float(cents(value))


@dataclass(frozen=True, slots=True)
class PriceBreakdown:
    """Per-unit prices of one product, in the fields FinerWorks reports."""

    product_price: Decimal = ZERO
    add_frame_price: Decimal = ZERO
    add_mat_1_price: Decimal = ZERO
    add_mat_2_price: Decimal = ZERO
    add_glazing_price: Decimal = ZERO
    add_color_correct_price: Decimal = ZERO

    @property
    def unit_price(self) -> Decimal:
        return (
            self.product_price
            + self.add_frame_price
            + self.add_mat_1_price
            + self.add_mat_2_price
            + self.add_glazing_price
            + self.add_color_correct_price
        )


def print_price(code: ProductCode) -> Decimal:
    media, style = MEDIA[code.media_id], STYLES[code.style_id]
    return cents(media.base + style.surcharge + media.rate * code.width * code.height)


def framing_breakdown(
    frame: Frame, mat_ids: tuple[int, ...], glazing_id: int | None, width: Decimal, height: Decimal
) -> PriceBreakdown:
    """Add-on prices for framing a piece of `width`×`height` (print plus mats)."""
    area = width * height
    mats = [cents(MATS[m].base + MATS[m].rate * area) for m in mat_ids]
    glazing = GLAZING[glazing_id] if glazing_id is not None else None
    return PriceBreakdown(
        add_frame_price=frame.price(width, height),
        add_mat_1_price=mats[0] if mats else ZERO,
        add_mat_2_price=mats[1] if len(mats) > 1 else ZERO,
        add_glazing_price=cents(glazing.base + glazing.rate * area) if glazing else ZERO,
    )


def breakdown(code: ProductCode) -> PriceBreakdown:
    """Prices of a valid code (check it with `code_problem` first)."""
    product = print_price(code)
    if code.frame_id is None:
        return PriceBreakdown(product_price=product)
    framing = framing_breakdown(FRAMES[code.frame_id], code.mat_ids, code.glazing_id, *code.outer_size)
    return PriceBreakdown(
        product_price=product,
        add_frame_price=framing.add_frame_price,
        add_mat_1_price=framing.add_mat_1_price,
        add_mat_2_price=framing.add_mat_2_price,
        add_glazing_price=framing.add_glazing_price,
    )


def line_total(prices: PriceBreakdown, qty: int) -> Decimal:
    return cents(prices.unit_price * qty)


def price_row(product_sku: str | None, product_code: str | None, qty: int, prices: PriceBreakdown) -> dict[str, Any]:
    """The §3.5 pricing item: add-ons and `product_price` per unit, `total_price` for all `qty` copies."""
    return {
        "product_qty": qty,
        "product_sku": product_sku,
        "product_code": product_code,
        "product_price": money(prices.product_price),
        "add_frame_price": money(prices.add_frame_price),
        "add_mat_1_price": money(prices.add_mat_1_price),
        "add_mat_2_price": money(prices.add_mat_2_price),
        "add_glazing_price": money(prices.add_glazing_price),
        "add_color_correct_price": money(prices.add_color_correct_price),
        "total_price": money(line_total(prices, qty)),
        "geo_price": 0,
        "info": None,
        "debug": None,
    }
