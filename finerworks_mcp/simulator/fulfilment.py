"""How an order moves through production: Order Received → In Production → Shipped → Delivered."""

from __future__ import annotations

from datetime import datetime, timedelta

from .records import Order, OrderStatus, Shipment
from .shipping import DOMESTIC, INTERNATIONAL, ShippingMethod, find_method, is_domestic, order_parcel

NEXT_STATUS = {
    OrderStatus.ORDER_RECEIVED: OrderStatus.IN_PRODUCTION,
    OrderStatus.IN_PRODUCTION: OrderStatus.SHIPPED,
    OrderStatus.SHIPPED: OrderStatus.DELIVERED,
}

_TRACKING_URLS = {
    "UPS": "https://www.ups.com/track?tracknum={}",
    "USPS": "https://tools.usps.com/go/TrackConfirmAction?tLabels={}",
    "DHL": "https://www.dhl.com/en/express/tracking.html?AWB={}",
}


def tracking_number(carrier: str, order_id: int) -> str:
    match carrier:
        case "UPS":
            return f"1Z9A7W{order_id:010d}"
        case "USPS":
            return f"94001000000{order_id:011d}"
        case _:
            return f"{order_id:010d}"


def method_of(order: Order) -> ShippingMethod:
    found = find_method(order.shipping_code, order.recipient)
    return found or (DOMESTIC[1] if is_domestic(order.recipient) else INTERNATIONAL[0])


def make_shipment(order: Order, shipped_at: datetime, delivered_at: datetime | None = None) -> Shipment:
    method = method_of(order)
    parcel = order_parcel(order.lines)
    number = tracking_number(method.carrier, order.order_id)
    return Shipment(
        carrier=method.carrier,
        service=method.shipping_method,
        tracking_number=number,
        tracking_url=_TRACKING_URLS[method.carrier].format(number),
        creation_date=shipped_at - timedelta(hours=3),
        shipment_date=shipped_at,
        eta_date=shipped_at + timedelta(days=method.transit_days),
        delivery_date=delivered_at,
        weight=float(round(parcel.ounces, 1)),
        width=float(parcel.width),
        height=float(parcel.height),
        depth=float(parcel.depth),
    )


def advance_order(order: Order, now: datetime) -> bool:
    """Move the order one production step on; False when it has no next step (held, cancelled, delivered...)."""
    following = NEXT_STATUS.get(order.status)
    if following is None:
        return False
    if following is OrderStatus.SHIPPED:
        order.shipments.append(make_shipment(order, now))
    if following is OrderStatus.DELIVERED:
        for shipment in order.shipments:
            shipment.delivery_date = shipment.delivery_date or now
    order.status = following
    return True
