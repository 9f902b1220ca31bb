"""Whether a write FinerWorks answered really happened (issue 12, point 4).

An HTTP 200 is not always a yes: FinerWorks' refusals arrive as 200 with `status.success` or a top-level `success`
false (the client's `_parse` turns both into `RequestRefused`), an order submission can answer without any order id,
and a failed payment can still leave an unpaid order behind. Those last two are neither done nor refused: the
outcome is unknown until the orders are looked up by PO, which is done here at once so the person hears what exists.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from typing import Any, cast

from finerworks_mcp.api.errors import FinerWorksError, OutcomeUnknown, RequestRefused

ORDERS = "submit_orders_v2"
PAYMENT = re.compile(r"payment|insufficient funds|braintree|credit card", re.IGNORECASE)
Read = Callable[[str, Any], Awaitable[dict[str, Any]]]


def _pos(body: Any) -> list[str]:
    orders = cast(dict[str, Any], body).get("orders") if isinstance(body, dict) else None
    if not isinstance(orders, list):
        return []
    return [str(cast(dict[str, Any], o).get("order_po")) for o in cast(list[Any], orders) if isinstance(o, dict)]


def _order_ids(payload: dict[str, Any]) -> list[object]:
    orders = next((value for key, value in payload.items() if key.lower() == "orders"), None)
    if not isinstance(orders, list):
        return []
    found = [cast(dict[str, Any], order) for order in cast(list[Any], orders) if isinstance(order, dict)]
    ids = [order.get("order_id") or order.get("order_confirmation_id") for order in found]
    return [order_id for order_id in ids if order_id]


async def _looked_up(read: Read, pos: list[str]) -> str:
    """What fetch_order_status says about these POs, in one sentence."""
    try:
        answer = await read("fetch_order_status", {"order_pos": pos, "order_ids": []})
    except FinerWorksError as error:
        return f"Looking the POs up failed too ({error.message}); check with fetch_order_status with order_pos {pos}."
    orders = next((value for key, value in answer.items() if key.lower() == "orders"), None)
    found = [cast(dict[str, Any], o) for o in cast(list[Any], orders or []) if isinstance(o, dict)]
    found = [o for o in found if str(o.get("order_po")) in pos]
    if not found:
        return f"fetch_order_status finds no order with order_po {', '.join(pos)} yet; check again before resubmitting."
    described = "; ".join(
        f"order_po {o.get('order_po')} is order {o.get('order_id')} ({o.get('order_status_label') or 'status unknown'})"
        for o in found
    )
    return f"fetch_order_status finds: {described}."


async def checked(
    endpoint: str, body: Any, send: Callable[[], Awaitable[dict[str, Any]]], read: Read
) -> dict[str, Any]:
    """Send a write; FinerWorks' answer when it says the write happened, else OutcomeUnknown or the refusal."""
    if endpoint != ORDERS:
        return await send()
    pos = _pos(body)
    try:
        payload = await send()
    except RequestRefused as refusal:
        if not PAYMENT.search(refusal.message):
            raise
        lookup = await _looked_up(read, pos)
        raise OutcomeUnknown(
            f"FinerWorks said: {refusal.message} A failed payment can still leave an unpaid order at FinerWorks. "
            f"{lookup}",
            endpoint=endpoint,
        ) from refusal
    if not _order_ids(payload):
        lookup = await _looked_up(read, pos)
        raise OutcomeUnknown(
            f"FinerWorks answered without any order id, so whether the orders were created is unknown. {lookup}",
            endpoint=endpoint,
        )
    return payload
