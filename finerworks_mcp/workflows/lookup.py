"""Where is my order: statuses with their labels, shipments with tracking links, for any number of ids and POs."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any
from urllib.parse import quote

from finerworks_mcp.api.answers import read_answer
from finerworks_mcp.api.client import FinerWorksClient
from finerworks_mcp.api.errors import FinerWorksError, MalformedResponse
from finerworks_mcp.api.money import shown, usd
from finerworks_mcp.api.reference import ReferenceData
from finerworks_mcp.api.schemas.common import UNPARSED
from finerworks_mcp.api.schemas.orders import OrderStatus, OrderStatuses, Shipment, StatusDefinitions
from finerworks_mcp.workflows.bounded import chunked, run_bounded
from finerworks_mcp.workflows.results import OrderLookup, OrderWhereabouts, TrackedShipment

ORDERS_PER_CALL = 50
"""Per list (ids, POs) in one fetch_order_status call: FinerWorks documents no limit; 50 is its list limit
elsewhere."""
# Where a carrier's tracking page lives, for shipments FinerWorks gives a number but no link for.
TRACKING_PAGES = {
    "UPS": "https://www.ups.com/track?tracknum={}",
    "USPS": "https://tools.usps.com/go/TrackConfirmAction?tLabels={}",
    "FEDEX": "https://www.fedex.com/fedextrack/?trknbr={}",
    "DHL": "https://www.dhl.com/global-en/home/tracking/tracking-express.html?tracking-id={}",
}


async def lookup_orders(
    client: FinerWorksClient,
    reference: ReferenceData,
    order_ids: Sequence[int],
    order_pos: Sequence[str],
    *,
    concurrency: int,
    account_key: str | None,
) -> OrderLookup:
    ids, pos = list(dict.fromkeys(order_ids)), list(dict.fromkeys(order_pos))
    id_chunks, po_chunks = chunked(ids, ORDERS_PER_CALL), chunked(pos, ORDERS_PER_CALL)
    calls = [
        functools.partial(
            _fetch,
            client,
            id_chunks[n] if n < len(id_chunks) else [],
            po_chunks[n] if n < len(po_chunks) else [],
            account_key,
        )
        for n in range(max(len(id_chunks), len(po_chunks)))
    ]
    answers = await run_bounded(calls, concurrency)
    by_id: dict[int, OrderStatus] = {}
    by_po: dict[str, list[OrderStatus]] = {}
    for order in (order for answer in answers for order in answer):
        if order.order_id is not None:
            by_id.setdefault(order.order_id, order)
        if order.order_po is not None:
            by_po.setdefault(order.order_po, []).append(order)
    # In the order asked, each order once: a PO can name several orders (a cancelled one and its resubmission).
    answered: dict[tuple[int | None, str | None], OrderStatus] = {}
    for order in [*(by_id[i] for i in ids if i in by_id), *(o for po in pos for o in by_po.get(po, []))]:
        answered.setdefault((order.order_id, order.order_po), order)
    labels = await _labels(client, reference)
    return OrderLookup(
        orders=[_whereabouts(order, labels) for order in answered.values()],
        unknown_order_ids=[i for i in ids if i not in by_id],
        unknown_order_pos=[po for po in pos if po not in by_po],
    )


async def _fetch(
    client: FinerWorksClient, ids: Sequence[int], pos: Sequence[str], account_key: str | None
) -> list[OrderStatus]:
    request: dict[str, Any] = {"order_ids": list(ids), "order_pos": list(pos)}
    if account_key:
        request["account_key"] = account_key
    statuses = await read_answer(client, "fetch_order_status", OrderStatuses, body=request)
    if "orders" in (statuses.model_extra or {}).get(UNPARSED, {}):
        # Read as "no such order", an unreadable list would tell the person their order does not exist.
        raise MalformedResponse(
            "The answer's orders could not be read (first problem at orders), so which orders FinerWorks knows is "
            "not known here.",
            endpoint="fetch_order_status",
        )
    return statuses.orders


async def _labels(client: FinerWorksClient, reference: ReferenceData) -> dict[int, str]:
    """Status labels by id, from the cached definitions (FinerWorks: the id is to be preferred over the label an
    order carries). Without them, each order's own label still answers the question."""
    try:
        definitions = StatusDefinitions.model_validate(await reference.get("status-definitions", client))
    except (FinerWorksError, ValueError):
        return {}
    return {d.order_status_id: d.order_status_label for d in definitions.definitions if d.order_status_label}


def _whereabouts(order: OrderStatus, labels: dict[int, str]) -> OrderWhereabouts:
    status_id = order.order_status_id
    label = labels.get(status_id) if status_id is not None else None
    return OrderWhereabouts(
        order_id=order.order_id,
        order_po=order.order_po,
        status_id=status_id,
        status=label or order.order_status_label or (f"status {status_id}" if status_id is not None else "unknown"),
        shipments=[_tracked(shipment) for shipment in order.shipments or []],
    )


def _tracked(shipment: Shipment) -> TrackedShipment:
    return TrackedShipment(
        carrier=shipment.carrier,
        service=shipment.service,
        tracking_number=shipment.tracking_number,
        tracking_url=shipment.tracking_url or tracking_link(shipment.carrier, shipment.tracking_number),
        shipped=_day(shipment.shipment_date),
        expected=_day(shipment.eta_date),
        delivered=_day(shipment.delivery_date),
    )


def tracking_link(carrier: str | None, number: str | None) -> str | None:
    if not carrier or not number:
        return None
    page = next((url for name, url in TRACKING_PAGES.items() if carrier.upper().startswith(name)), None)
    return page.format(quote(number, safe="")) if page else None


def _day(moment: str | None) -> str | None:
    """`2025-06-25` from FinerWorks' `2025-06-25T10:00:00.0000000-06:00`: the day is what a person asks about."""
    return moment[:10] if moment and len(moment) >= 10 and moment[4] == "-" else moment


def lookup_text(lookup: OrderLookup) -> str:
    text = [lookup.source] if lookup.source else []
    text += [_order_text(order) for order in lookup.orders]
    unknown = [f"id {order_id}" for order_id in lookup.unknown_order_ids]
    unknown += [f"PO '{po}'" for po in lookup.unknown_order_pos]
    if unknown:
        text.append(f"FinerWorks has no order with {_joined(unknown)}.")
    if lookup.source and not lookup.orders:
        text.append("No order matches.")
    if lookup.cannot_see:
        text.append(lookup.cannot_see)
    return "\n".join(text) or "No orders were asked about."


def _order_text(order: OrderWhereabouts) -> str:
    name = f"Order {order.order_id}" if order.order_id is not None else "Order"
    if order.order_po:
        name += f" (PO {order.order_po})"
    if order.date:
        total = f", {shown(usd(order.total))}" if order.total is not None else ""
        name = f"{order.date} {name}{total}"
    if not order.shipments:
        return f"{name}: {order.status}. Not shipped yet."
    if len(order.shipments) == 1:
        return f"{name}: {order.status}. {_shipment_text(order.shipments[0])}"
    lines = [f"{name}: {order.status}, in {len(order.shipments)} shipments:"]
    return "\n".join(lines + [f"  - {_shipment_text(shipment)}" for shipment in order.shipments])


def _shipment_text(shipment: TrackedShipment) -> str:
    service, carrier = shipment.service or "", shipment.carrier or ""
    # FinerWorks' service names often start with the carrier ("UPS Ground"); say it once.
    how = service if carrier and service.startswith(carrier) else f"{carrier} {service}".strip()
    by = f" by {how}" if how else ""
    if shipment.delivered:
        sentence = f"Delivered {shipment.delivered}{by}."
    else:
        sent = f"Sent {shipment.shipped}{by}" if shipment.shipped else f"Shipping{by}"
        sentence = f"{sent}, expected {shipment.expected}." if shipment.expected else f"{sent}."
    if shipment.tracking_number:
        link = f": {shipment.tracking_url}" if shipment.tracking_url else "."
        sentence += f" Tracking {shipment.tracking_number}{link}"
    elif shipment.tracking_url:
        sentence += f" Tracking: {shipment.tracking_url}"
    return sentence


def _joined(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} or {parts[-1]}"
