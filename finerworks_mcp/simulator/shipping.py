"""Parcels and shipping options: what an order weighs and measures, which services reach the recipient, and the
totals FinerWorks quotes for each (`calculated_total`, with the invariants of the reference's §4.15).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from .catalog import FRAMES, GLAZING, MEDIA, STYLES
from .pricing import ZERO, cents, money
from .product_codes import ProductCode, portrait

TEXAS_SALES_TAX_RATE = Decimal("0.0825")
PACKING = Decimal(2)
"""Inches of padding on each dimension of a parcel."""
PACKING_OUNCES = Decimal(8)
DIM_DIVISOR = Decimal(139)
"""Cubic inches per billable pound (carriers' dimensional weight)."""
OVERSIZE_INCHES = Decimal(36)
REMOTE_US_STATES = frozenset({"AK", "HI"})


@dataclass(frozen=True, slots=True)
class Parcel:
    width: Decimal
    height: Decimal
    depth: Decimal
    ounces: Decimal
    is_rigid: bool

    @property
    def cubic_volume(self) -> Decimal:
        return self.width * self.height * self.depth

    @property
    def billable_pounds(self) -> int:
        return max(1, math.ceil(max(self.ounces / 16, self.cubic_volume / DIM_DIVISOR)))

    def as_json(self) -> dict[str, Any]:
        return {
            "width": float(self.width),
            "height": float(self.height),
            "depth": float(self.depth),
            "ounces": float(round(self.ounces, 2)),
            "cubic_volume": float(round(self.cubic_volume, 2)),
            "is_rigid": self.is_rigid,
        }


def item_parcel(code: ProductCode) -> Parcel:
    """One finished piece, unpacked: the print, or the framed piece with its moulding."""
    media, style = MEDIA[code.media_id], STYLES[code.style_id]
    width, height = code.outer_size
    ounces = media.ounces_per_sq_in * code.width * code.height
    depth, rigid = style.depth, style.rigid
    if code.frame_id is not None:
        frame = FRAMES[code.frame_id]
        width, height = width + 2 * frame.thickness, height + 2 * frame.thickness
        ounces += Decimal("0.4") * 2 * (width + height)
        if code.glazing_id is not None and code.glazing_id in GLAZING:
            ounces += Decimal("0.03") * width * height
        depth, rigid = max(depth, frame.depth), True
    short, long = portrait(width, height)
    return Parcel(short, long, depth, ounces, rigid)


def order_parcel(items: list[tuple[ProductCode, int]]) -> Parcel:
    """All pieces of an order stacked in one padded box."""
    pieces = [(item_parcel(code), qty) for code, qty in items]
    return Parcel(
        width=max(p.width for p, _ in pieces) + PACKING,
        height=max(p.height for p, _ in pieces) + PACKING,
        depth=sum((p.depth * qty for p, qty in pieces), ZERO) + PACKING,
        ounces=sum((p.ounces * qty for p, qty in pieces), ZERO) + PACKING_OUNCES,
        is_rigid=any(p.is_rigid for p, _ in pieces),
    )


@dataclass(frozen=True, slots=True)
class ShippingMethod:
    id: int
    shipping_code: str
    shipping_method: str
    carrier: str
    shipping_class_code: str
    base: Decimal
    per_pound: Decimal
    transit_days: int

    def rate(self, parcel: Parcel, *, remote: bool, international: bool) -> Decimal:
        oversize = max(parcel.width, parcel.height) > OVERSIZE_INCHES
        surcharge = (Decimal(15) if remote else ZERO) + (Decimal(30 if international else 15) if oversize else ZERO)
        return cents(self.base + self.per_pound * parcel.billable_pounds + surcharge)


D = Decimal
DOMESTIC = (
    ShippingMethod(11, "EC", "USPS Ground Advantage", "USPS", "ECONOMY", D("6.95"), D("0.55"), 6),
    ShippingMethod(12, "SD", "UPS Ground", "UPS", "GROUND", D("9.95"), D("0.75"), 4),
    ShippingMethod(13, "2D", "UPS 2nd Day Air", "UPS", "EXPEDITED", D("24.95"), D("1.60"), 2),
    ShippingMethod(14, "FS", "UPS Next Day Air Saver", "UPS", "EXPRESS", D("39.95"), D("2.40"), 1),
)
INTERNATIONAL = (
    ShippingMethod(21, "EC", "USPS Priority Mail International", "USPS", "ECONOMY", D("34.95"), D("3.00"), 10),
    ShippingMethod(22, "FS", "DHL Express Worldwide", "DHL", "EXPRESS", D("64.95"), D("4.50"), 3),
)
METHODS_BY_ID = {m.id: m for m in DOMESTIC + INTERNATIONAL}


@dataclass
class AccountTerms:
    """What this account's quotes look like beyond the price book; a test changes them on `SimulatorState.terms`."""

    discount_rate: Decimal = ZERO
    """The account's discount on each order's subtotal (FinerWorks gives some accounts one)."""
    sends_grand_total: bool = True
    """False: quotes leave order_grand_total out, and the client must add the total up itself."""


def is_domestic(recipient: dict[str, Any]) -> bool:
    return str(recipient.get("country_code") or "").lower() == "us"


def methods_for(recipient: dict[str, Any]) -> tuple[ShippingMethod, ...]:
    return DOMESTIC if is_domestic(recipient) else INTERNATIONAL


def find_method(shipping_code: str, recipient: dict[str, Any]) -> ShippingMethod | None:
    """Accepts EC/SD/FS, any code a quote returned, or a quoted option's id as a string (reference §5.3)."""
    wanted = shipping_code.strip().upper()
    return next((m for m in methods_for(recipient) if wanted in (m.shipping_code, str(m.id))), None)


def quote(method: ShippingMethod, parcel: Parcel, recipient: dict[str, Any]) -> Decimal:
    remote = is_domestic(recipient) and str(recipient.get("state_code") or "").upper() in REMOTE_US_STATES
    return method.rate(parcel, remote=remote, international=not is_domestic(recipient))


def sales_tax_rate(recipient: dict[str, Any]) -> Decimal:
    texas = is_domestic(recipient) and str(recipient.get("state_code") or "").upper() == "TX"
    return TEXAS_SALES_TAX_RATE if texas else ZERO


def calculated_total(
    order_po: str,
    product_pricing: list[dict[str, Any]],
    subtotal: Decimal,
    shipping: Decimal,
    recipient: dict[str, Any],
    terms: AccountTerms,
) -> dict[str, Any]:
    rate = sales_tax_rate(recipient)
    tax = cents(subtotal * rate)
    discount = cents(subtotal * terms.discount_rate)
    total: dict[str, Any] = {
        "order_po": order_po,
        "order_subtotal": money(subtotal),
        "order_shipping_rate": money(shipping),
        "order_discount": money(discount),
        "order_sales_tax": money(tax),
        "order_sales_tax_rate": float(rate),
        "order_expedite_fee": 0,
        "order_credits_used": 0,
        "order_grand_total": money(subtotal + shipping + tax - discount),
        "product_pricing": product_pricing,
    }
    if not terms.sends_grand_total:
        del total["order_grand_total"]
    return total
