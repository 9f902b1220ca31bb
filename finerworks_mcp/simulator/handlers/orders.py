"""Orders: status definitions, quotes, submission, status, and the changes allowed before production."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from finerworks_mcp.simulator.addresses import check_address, delivery_problems, normalized
from finerworks_mcp.simulator.call import Call
from finerworks_mcp.simulator.envelope import Refused, RefusedFlat, Reply
from finerworks_mcp.simulator.pricing import ZERO, breakdown, line_total, money, price_row
from finerworks_mcp.simulator.product_codes import ProductCode
from finerworks_mcp.simulator.records import PAST_CHANGES, Note, Order, OrderStatus
from finerworks_mcp.simulator.rules import (
    FETCH_ORDER_STATUS,
    ORDER,
    ORDER_ITEM,
    RECIPIENT,
    SHIPPING_QUOTE,
    SUBMIT_NOTE,
    SUBMIT_ORDERS,
    UPDATE_CUSTOMER,
    UPDATE_ORDER,
)
from finerworks_mcp.simulator.seed import stable_guid
from finerworks_mcp.simulator.shipping import calculated_total, find_method, methods_for, order_parcel, quote
from finerworks_mcp.simulator.state import SimulatorState
from finerworks_mcp.simulator.validation import Problems, Rule, as_list, as_object, path

MISSING_IMAGE_INFO = "missing or invalid info"
PO_TAKEN = "order_po already exists"


@dataclass(slots=True)
class CheckedOrder:
    """An order that passed validation, with its items resolved and priced."""

    index: int
    fields: dict[str, Any]
    recipient: dict[str, Any]
    lines: list[tuple[ProductCode, int]]
    pricing: list[dict[str, Any]]
    subtotal: Decimal

    @property
    def order_po(self) -> str:
        return str(self.fields["order_po"])


def _has_pixel_size(image: object) -> bool:
    found = as_object(image)
    return found is not None and all(
        isinstance(found.get(side), int) and not isinstance(found.get(side), bool) and found[side] > 0
        for side in ("pixel_width", "pixel_height")
    )


@dataclass(frozen=True, slots=True)
class Line:
    product_sku: str
    code: ProductCode
    qty: int


def _check_item(state: SimulatorState, item: dict[str, Any], where: str, problems: Problems) -> Line | None:
    """The line item resolved to a product, or None with its problems filed."""
    mark = problems.count
    problems.check(item, ORDER_ITEM, where)
    sku = item.get("product_sku")
    if isinstance(sku, str) and sku.strip():
        resolved = state.resolve(sku)
        if resolved.code is None:
            problems.add(path(where, "product_sku"), f"'{sku}' is not a product FinerWorks makes: {resolved.problem}.")
        elif resolved.product is None and not _has_pixel_size(item.get("product_image")):
            # Print-on-demand items need the artwork's pixel size; inventory SKUs already carry an image.
            problems.add(path(where, "product_image"), MISSING_IMAGE_INFO)
        if problems.count == mark and resolved.code is not None:
            return Line(sku, resolved.code, item["product_qty"])
    return None


def check_orders(state: SimulatorState, orders: list[Any], problems: Problems) -> list[CheckedOrder]:
    """Validate every order (the shared model of submit_orders_v2 and list_shipping_options_multiple)."""
    checked: list[CheckedOrder] = []
    for index, raw in enumerate(orders):
        where = f"orders[{index}]"
        order = problems.require_object(raw, where)
        if order is None:
            continue
        mark = problems.count
        problems.check(order, ORDER, where)
        recipient = as_object(order.get("recipient"))
        if recipient is not None:
            check_address(problems, recipient, path(where, "recipient"), RECIPIENT)
        lines: list[tuple[ProductCode, int]] = []
        pricing: list[dict[str, Any]] = []
        subtotal = ZERO
        for item_index, raw_item in enumerate(as_list(order.get("order_items")) or []):
            item_where = f"{where}.order_items[{item_index}]"
            item = problems.require_object(raw_item, item_where)
            line = _check_item(state, item, item_where, problems) if item is not None else None
            if line is not None:
                prices = breakdown(line.code)
                lines.append((line.code, line.qty))
                pricing.append(price_row(line.product_sku, str(line.code), line.qty, prices))
                subtotal += line_total(prices, line.qty)
        if problems.count == mark and recipient is not None:
            checked.append(CheckedOrder(index, order, normalized(recipient), lines, pricing, subtotal))
    return checked


def list_order_status_definitions(state: SimulatorState, call: Call) -> Reply:
    return Reply({"definitions": [{"order_status_id": int(s), "order_status_label": s.label} for s in OrderStatus]})


def list_shipping_options_multiple(state: SimulatorState, call: Call) -> Reply:
    body = call.fields()
    problems = Problems()
    problems.check(body, SHIPPING_QUOTE)
    checked = check_orders(state, as_list(body.get("orders")) or [], problems)
    problems.raise_if_any()
    quoted: list[dict[str, Any]] = []
    for order in checked:
        parcel = order_parcel(order.lines)
        options: list[dict[str, Any]] = []
        for method in methods_for(order.recipient):
            rate = quote(method, parcel, order.recipient)
            options.append(
                {
                    "id": method.id,
                    "rate": money(rate),
                    "shipping_method": method.shipping_method,
                    "shipping_code": method.shipping_code,
                    "shipping_class_code": method.shipping_class_code,
                    "carrier": method.carrier,
                    "calculated_total": calculated_total(
                        order.order_po, order.pricing, order.subtotal, rate, order.recipient, state.terms
                    ),
                }
            )
        quoted.append({"order_po": order.order_po, "order_size": parcel.as_json(), "options": options})
    return Reply({"orders": quoted})


def submit_orders_v2(state: SimulatorState, call: Call) -> Reply:
    body = call.fields()
    problems = Problems()
    problems.check(body, SUBMIT_ORDERS)
    checked = check_orders(state, as_list(body.get("orders")) or [], problems)
    claimed: set[str] = set()
    for order in checked:
        if state.live_order_with_po(order.order_po) is not None or order.order_po in claimed:
            problems.add(f"orders[{order.index}].order_po", PO_TAKEN)
        claimed.add(order.order_po)
        shipping_code = str(order.fields["shipping_code"])
        if find_method(shipping_code, order.recipient) is None:
            offered = ", ".join(f"{m.shipping_code} ({m.id})" for m in methods_for(order.recipient))
            problems.add(
                f"orders[{order.index}].shipping_code",
                f"shipping_code '{shipping_code}' does not ship to country '{order.recipient['country_code']}'; "
                f"use one of {offered} or an option id from list_shipping_options_multiple.",
            )
    problems.raise_if_any()
    payment_token = str(body["payment_token"])
    if payment_token.lower() == "invoice" and not state.user["enable_invoice_payment"]:
        raise Refused("Payment failed: this account does not qualify for invoice payment.", {"orders": None})
    if body.get("validate_only"):
        return Reply({"orders": None}, f"Validation passed for {len(checked)} order(s); nothing was submitted.")
    created = [_create(state, order, force_test_mode=payment_token == "xxxx") for order in checked]
    for order in created:
        state.orders[order.order_id] = order
    return Reply({"orders": [order.submitted_json() for order in created]})


def _create(state: SimulatorState, checked: CheckedOrder, *, force_test_mode: bool) -> Order:
    order_id = state.next_id("order")
    fields = checked.fields
    return Order(
        order_id=order_id,
        order_confirmation_id=state.next_id("confirmation"),
        order_guid=stable_guid("order", order_id),
        order_po=checked.order_po,
        status=OrderStatus.ORDER_RECEIVED,
        recipient=checked.recipient,
        order_items=[dict(item) for item in fields["order_items"]],
        shipping_code=str(fields["shipping_code"]).upper(),
        created=state.now(),
        lines=checked.lines,
        test_mode=force_test_mode or bool(fields.get("test_mode")),
    )


def fetch_order_status(state: SimulatorState, call: Call) -> Reply:
    body = call.fields()
    problems = Problems()
    problems.check(body, FETCH_ORDER_STATUS)
    ids = as_list(body.get("order_ids")) or []
    pos = as_list(body.get("order_pos")) or []
    problems.check_each(ids, Rule("order_ids", "int", required=True), "order_ids")
    problems.check_each(pos, Rule("order_pos", required=True), "order_pos")
    problems.raise_if_any()
    if not ids and not pos:
        raise Refused("Provide order_ids or order_pos: at least one order to look up.", {"orders": []})
    found: dict[int, Order] = {}
    missing: list[str] = []
    for order_id in ids:
        if order_id in state.orders:
            found.setdefault(order_id, state.orders[order_id])
        else:
            missing.append(f"order_id {order_id}")
    for po in pos:
        matches = [o for o in state.orders.values() if o.order_po == po]
        missing.extend([] if matches else [f"order_po {po}"])
        for order in matches:
            found.setdefault(order.order_id, order)
    message = f"Not found: {', '.join(missing)}." if missing else ""
    # Like FinerWorks has been seen to: an empty list comes back as null.
    return Reply({"orders": [order.status_json() for order in found.values()] or None}, message)


def _changeable_order(state: SimulatorState, order_id: int) -> Order:
    order = state.orders.get(order_id)
    if order is None:
        raise RefusedFlat(f"No order with order_id {order_id} was found for this account.")
    if order.status in PAST_CHANGES:
        raise RefusedFlat(
            f"Order {order_id} is already {order.status.label}; once an order is in production only FinerWorks "
            "customer support can change it."
        )
    if order.status is OrderStatus.CANCELLED:
        raise Refused(f"Order {order_id} was cancelled; submit it again (order_po {order.order_po} is free).")
    return order


def update_order(state: SimulatorState, call: Call) -> Reply:
    body = call.validated(UPDATE_ORDER)
    order = _changeable_order(state, body["order_id"])
    match str(body["update_command"]).lower():
        case "hold":
            order.status = OrderStatus.ON_HOLD
        case "cancel":
            order.status = OrderStatus.CANCELLED
        case _:
            if order.status is OrderStatus.ON_HOLD:
                order.status = OrderStatus.ORDER_RECEIVED
    return Reply({}, f"Order {order.order_id} is now {order.status.label}.")


def update_customer(state: SimulatorState, call: Call) -> Reply:
    body = call.fields()
    problems = Problems()
    problems.check(body, UPDATE_CUSTOMER)
    customer = as_object(body.get("customer_info"))
    if customer is not None:
        check_address(problems, customer, "customer_info", RECIPIENT)
    problems.raise_if_any()
    assert customer is not None
    order = _changeable_order(state, body["order_id"])
    order.recipient = {**normalized(customer), "address_order_po": customer.get("address_order_po") or order.order_po}
    who = f"{order.recipient['first_name']} {order.recipient['last_name']}, {order.recipient['city']}"
    return Reply({}, f"Order {order.order_id} will ship to {who}.")


def submit_note(state: SimulatorState, call: Call) -> Reply:
    body = call.validated(SUBMIT_NOTE)
    order = state.orders.get(body["order_id"])
    if order is None:
        raise Refused(f"No order with order_id {body['order_id']} was found for this account.")
    order.notes.append(Note(body["subject"], body["message"], state.now()))
    return Reply({}, f"Note added to order {order.order_id}.")


def validate_recipient_address(state: SimulatorState, call: Call) -> Reply:
    body = call.fields()
    problems = Problems()
    recipient = problems.require_object(body.get("recipient"), "recipient")
    if recipient is not None:
        check_address(problems, recipient, "recipient", RECIPIENT)
    problems.raise_if_any()
    assert recipient is not None
    issues = delivery_problems(recipient)
    if issues:
        raise Refused(f"The address could not be validated: {'; '.join(issues)}.", {"address": None})
    return Reply({"address": normalized(recipient)})


HANDLERS = {
    "list_order_status_definitions": list_order_status_definitions,
    "list_shipping_options_multiple": list_shipping_options_multiple,
    "submit_orders_v2": submit_orders_v2,
    "fetch_order_status": fetch_order_status,
    "update_order": update_order,
    "update_customer": update_customer,
    "submit_note": submit_note,
    "validate_recipient_address": validate_recipient_address,
}
