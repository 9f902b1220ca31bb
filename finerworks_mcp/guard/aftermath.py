"""What a confirm answer says after a write ran: what changed (which images, products, orders), what of the same
kind still waits for confirmation (a cleanup's other batches), and, for submitted orders, an entry in the journal
of orders known (guard/journal.py)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, cast

from finerworks_mcp.guard.journal import KnownOrder, OrderJournal
from finerworks_mcp.guard.store import PendingAction

BATCHED_KEYS = {"delete_images": ("guids", "image"), "delete_virtual_inventory": ("skus", "product")}
"""The deletes a cleanup plan proposes in batches, and the body list that holds each batch's items."""


def what_changed(action: PendingAction, result: Mapping[str, Any]) -> str:
    """One sentence naming every thing the write changed, from the preview the person approved and FinerWorks'
    answer; empty when the preview names nothing in particular (the summary says it then)."""
    preview = action.preview
    if action.endpoint == "submit_orders_v2":
        created = [_order_name(order) for order in _dicts(result.get("orders"))]
        return f"Submitted: {', '.join(created)}." if created else ""
    parts: list[str] = []
    images = [f"'{i['title']}'" if i.get("title") else str(i.get("guid")) for i in _dicts(preview.get("images"))]
    if images:
        parts.append(f"images {', '.join(images)}")
    products = [str(p.get("sku")) for p in _dicts(preview.get("products"))]
    if products:
        parts.append(f"products {', '.join(products)}")
    if preview.get("products_deleted"):
        parts.append(f"with the {preview['products_deleted']} product(s) made from them")
    if preview.get("order_id") is not None or preview.get("order_po"):
        parts.append(_order_name(preview))
    return f"Changed: {'; '.join(parts)}." if parts else ""


def still_waiting(action: PendingAction, pending: Sequence[PendingAction]) -> str:
    """For a batched delete: how many items remain in the other batches not yet confirmed."""
    batched = BATCHED_KEYS.get(action.endpoint)
    if batched is None:
        return ""
    key, noun = batched
    others = [other for other in pending if other.endpoint == action.endpoint and other.id != action.id]
    if not others:
        return f"No other {action.endpoint} batch is waiting for confirmation."
    items = sum(len(_list(other.body, key)) for other in others)
    return (
        f"{items} more {noun}(s) remain in {len(others)} other batch(es) waiting for confirmation; "
        "confirm each token the person approves, or cancel_action the rest."
    )


def record_submitted(journal: OrderJournal, action: PendingAction, result: Mapping[str, Any]) -> None:
    """Journal each order a submit created, with the grand total the person approved."""
    if action.endpoint != "submit_orders_v2":
        return
    totals = {str(o.get("order_po")): o.get("grand_total") for o in _dicts(action.preview.get("orders"))}
    now = datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
    known = [
        KnownOrder(
            environment=journal.environment,
            account=journal.account,
            order_po=str(order["order_po"]),
            order_id=order.get("order_id") if isinstance(order.get("order_id"), int) else None,
            submitted=str(order.get("order_confirmation_datetime") or now),
            total=str(totals[po]) if (po := str(order["order_po"])) in totals and totals[po] is not None else None,
        )
        for order in _dicts(result.get("orders"))
        if order.get("order_po")
    ]
    if known:
        journal.record(known)


def _order_name(order: Mapping[str, Any]) -> str:
    order_id, po = order.get("order_id"), order.get("order_po")
    name = f"order {order_id}" if order_id is not None else "order"
    return f"{name} (PO {po})" if po else name


def _dicts(value: object) -> list[dict[str, Any]]:
    items = cast(list[object], value) if isinstance(value, list) else []
    return [cast(dict[str, Any], item) for item in items if isinstance(item, dict)]


def _list(body: object, key: str) -> list[object]:
    value = cast(dict[str, Any], body).get(key) if isinstance(body, dict) else None
    return cast(list[object], value) if isinstance(value, list) else []
