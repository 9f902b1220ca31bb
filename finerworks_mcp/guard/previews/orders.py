"""Previews of the four order writes, computed with reads only.

submit_orders_v2: FinerWorks' own dry run (`validate_only`), the shipping option each order would ship with, the
money per order and overall, and any order_po FinerWorks already holds (a blocker). The grand total is the
fingerprint, and the preview runs again at confirm time, so a total or a PO that changed meanwhile stops the submit.
update_order, update_customer, submit_note: the order as FinerWorks reports it; an order it does not know blocks.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from typing import Any

from finerworks_mcp.api.answers import read_answer
from finerworks_mcp.api.client import FinerWorksClient
from finerworks_mcp.api.errors import InvalidRequest, RequestRefused
from finerworks_mcp.api.money import OrderMoney, order_money, usd
from finerworks_mcp.api.schemas.orders import OrderStatus, OrderStatuses, ShippingOption, ShippingOptions
from finerworks_mcp.api.us_states import zip_outside_state
from finerworks_mcp.guard.core import Preview
from finerworks_mcp.guard.previews.common import money, plural, quote, summary
from finerworks_mcp.guard.previews.inventory import products_by_sku
from finerworks_mcp.guard.writes import previewer

Body = dict[str, Any]

SHOWN_POS = 5
"""Order POs named in a summary; the rest are counted."""
DRY_RUN = "submit_orders_v2 (validate_only dry run)"
# FinerWorks documents status ids 1-3 only, so the label is what tells a cancelled or shipped order.
FREES_PO = re.compile(r"cancel", re.IGNORECASE)
PAST_CHANGES = re.compile(r"production|ship|deliver", re.IGNORECASE)


async def order_statuses(
    client: FinerWorksClient,
    *,
    order_ids: list[int] | None = None,
    order_pos: list[str] | None = None,
    account_key: str | None = None,
) -> list[OrderStatus]:
    """What fetch_order_status reports, for the given account or else the configured one."""
    account_key = account_key or client.settings.account_key
    request = {"order_ids": order_ids, "order_pos": order_pos, "account_key": account_key}
    found = await read_answer(client, "fetch_order_status", OrderStatuses, body={k: v for k, v in request.items() if v})
    return found.orders


def describe(order: OrderStatus) -> str:
    return f"order {order.order_id} ({order.order_po}, {order.order_status_label or 'status unknown'})"


def recipient_line(address: Body) -> str:
    name = " ".join(str(address[key]) for key in ("first_name", "last_name") if address.get(key))
    region = address.get("state_code") or address.get("province")
    place = " ".join(str(part) for part in (address.get("city"), region, address.get("zip_postal_code")) if part)
    parts = (name, address.get("company_name"), address.get("address_1"), address.get("address_2"), place)
    return ", ".join(str(part) for part in parts if part) + f", {str(address.get('country_code', '')).upper()}"


# submit_orders_v2


def money_fields(figures: OrderMoney) -> dict[str, str]:
    """The figures a person checks before paying; a discount or an expedite fee only when there is one."""
    shown = {"subtotal": figures.subtotal, "shipping": figures.shipping, "sales_tax": figures.tax}
    if figures.expedite_fee:
        shown["expedite_fee"] = figures.expedite_fee
    if figures.discount:
        shown["discount"] = figures.discount
    return {key: str(value) for key, value in (shown | {"grand_total": figures.grand_total}).items()}


def submitted_pos(body: Body) -> list[str]:
    return [str(order["order_po"]) for order in body["orders"]]


def _payment(token: str) -> str:
    match token.lower():
        case "xxxx":
            return "test token 'xxxx'"
        case "invoice":
            return "invoice (billed to the account later)"
        case _:
            return f"payment method ending {token[-4:]}"


def _all_test(body: Body) -> bool:
    return str(body["payment_token"]).lower() == "xxxx" or all(order.get("test_mode") for order in body["orders"])


def _orders_phrase(body: Body) -> str:
    pos = submitted_pos(body)
    named = ", ".join(pos[:SHOWN_POS]) + (f" and {len(pos) - SHOWN_POS} more" if len(pos) > SHOWN_POS else "")
    return f"{plural(len(pos), 'test order' if _all_test(body) else 'order')} ({named})"


async def _taken_pos(client: FinerWorksClient, body: Body) -> tuple[dict[str, OrderStatus], list[str]]:
    """Orders already holding these POs, and notes on POs a cancelled order freed (FinerWorks allows reuse)."""
    pos = submitted_pos(body)
    taken: dict[str, OrderStatus] = {}
    notes: list[str] = []
    for order in await order_statuses(client, order_pos=pos, account_key=body.get("account_key")):
        if order.order_po not in pos:
            continue
        if FREES_PO.search(order.order_status_label or ""):
            notes.append(f"order_po {order.order_po} belonged to cancelled {describe(order)}; it may be used again")
        else:
            taken[order.order_po] = order
    return taken, notes


async def _dry_run(client: FinerWorksClient, body: Body, taken: set[str]) -> str:
    """FinerWorks' own check; its complaints about POs already reported as taken are left to the blockers."""
    try:
        await client.validate("submit_orders_v2", body)
    except InvalidRequest as error:
        taken_fields = {f"orders[{i}].order_po" for i, po in enumerate(submitted_pos(body)) if po in taken}
        remaining = {key: ms for key, ms in error.field_errors.items() if key not in taken_fields}
        if remaining:
            found = "; ".join(f"{key}: {' '.join(ms)}" for key, ms in remaining.items())
            raise InvalidRequest(
                f"FinerWorks found problems in the orders: {found}.", field_errors=remaining, endpoint=DRY_RUN
            ) from error
        return "FinerWorks' validate_only check found nothing besides the order_po(s) already in use"
    except RequestRefused as error:
        raise RequestRefused(error.message, endpoint=DRY_RUN) from error
    return "FinerWorks' validate_only check passed"


def _choose(shipping_code: str, options: list[ShippingOption]) -> tuple[ShippingOption, str]:
    """The option FinerWorks ships with for this code (a code or a quoted option's id), else the cheapest."""
    wanted = shipping_code.strip().upper()
    for option in options:
        if wanted in ((option.shipping_code or "").upper(), str(option.id)):
            return option, f"matches shipping_code {shipping_code}"
    cheapest = min(options, key=lambda option: usd(option.rate))
    return cheapest, (
        f"shipping_code {shipping_code} matched no quoted option; priced with the cheapest, "
        f"{cheapest.shipping_code} ({cheapest.shipping_method})"
    )


def _dearer_than_cheapest(po: str, option: ShippingOption, options: list[ShippingOption]) -> str | None:
    cheapest = min(options, key=lambda offered: usd(offered.rate))
    if usd(cheapest.rate) >= usd(option.rate):
        return None
    return (
        f"order_po {po} ships {option.shipping_code} ({option.shipping_method}) for {money(usd(option.rate))}; "
        f"the cheapest offered is {cheapest.shipping_code} ({cheapest.shipping_method}) for "
        f"{money(usd(cheapest.rate))}"
    )


def _priced(
    order: Body, options: list[ShippingOption], warnings: list[str]
) -> tuple[dict[str, Any], OrderMoney | None]:
    details: dict[str, Any] = {"order_po": order["order_po"], "recipient": recipient_line(order["recipient"])}
    if not options:
        return details, None
    option, reason = _choose(str(order["shipping_code"]), options)
    if dearer := _dearer_than_cheapest(str(order["order_po"]), option, options):
        warnings.append(dearer)
    details["shipping_option"] = {
        "shipping_code": option.shipping_code,
        "id": option.id,
        "method": option.shipping_method,
        "carrier": option.carrier,
        "chosen": reason,
    }
    figures = order_money(option)
    if figures is None or option.calculated_total is None:
        return details, None
    details["items"] = [
        {"product_sku": line.product_sku, "product_qty": line.product_qty, "total_price": str(usd(line.total_price))}
        for line in option.calculated_total.product_pricing or []
    ]
    return details | money_fields(figures), figures


@previewer(
    "submit_orders_v2",
    check=lambda body: f"fetch_order_status with order_pos {json.dumps(submitted_pos(body))}",
    recheck=True,
)
async def preview_submit_orders(client: FinerWorksClient, body: Body) -> Preview:
    taken, notes = await _taken_pos(client, body)
    blockers = [f"order_po {po} already exists as {describe(order)}; use a new order_po" for po, order in taken.items()]
    check = await _dry_run(client, body, set(taken))
    quote = await read_answer(
        client, "list_shipping_options_multiple", ShippingOptions, body={"orders": body["orders"]}
    )
    options = {quoted.order_po: quoted.options for quoted in quote.orders}
    orders: list[dict[str, Any]] = []
    total = OrderMoney()
    warnings = [*_zip_warnings(body), *await _stock_warnings(client, body)]
    for order in body["orders"]:
        details, figures = _priced(order, options.get(order["order_po"], []), warnings)
        orders.append(details)
        if figures is None:
            blockers.append(f"FinerWorks quoted no shipping option or total for order_po {order['order_po']}")
        else:
            total += figures

    payment = _payment(str(body["payment_token"]))
    if total.grand_total > client.settings.large_order_usd:
        warnings.append(
            f"the total {money(total.grand_total)} is unusually large (above {money(client.settings.large_order_usd)},"
            " FINERWORKS_LARGE_ORDER_USD): check the quantities"
        )
    if blockers:
        line = f"Cannot submit {_orders_phrase(body)}: {'; '.join(blockers)}"
    else:
        line = (
            f"Submit {_orders_phrase(body)} for {money(total.grand_total)} incl. {money(total.shipping)} shipping "
            f"and {money(total.tax)} tax, paid by {payment}"
        )
    preview: dict[str, Any] = {"finerworks_check": check, "payment": payment}
    if _all_test(body):
        preview["test_mode"] = "every order is a test order: FinerWorks neither produces nor bills it"
    preview |= {"orders": orders, "totals": money_fields(total)} | ({"notes": notes} if notes else {})
    if warnings and not blockers:
        line += ". WARNING: " + "; ".join(warnings)
        preview["warnings"] = warnings
    return Preview(
        summary=summary(client, line), details=preview, blockers=blockers, fingerprint=str(total.grand_total)
    )


def _zip_warnings(body: Body) -> list[str]:
    """US recipients whose ZIP belongs to another state: the state decides the sales tax, so one of them is wrong."""
    found: list[str] = []
    for order in body["orders"]:
        address: Body = order["recipient"]
        state, zip_code = str(address.get("state_code") or ""), str(address.get("zip_postal_code") or "")
        if str(address.get("country_code", "")).lower() != "us" or not state:
            continue
        if others := zip_outside_state(state, zip_code):
            found.append(
                f"order_po {order['order_po']}: ZIP {zip_code} is in {'/'.join(others)}, not {state.upper()} "
                "(the state sets the sales tax); check the address"
            )
    return found


async def _stock_warnings(client: FinerWorksClient, body: Body) -> list[str]:
    """Inventory products ordered beyond the stock FinerWorks tracks for them."""
    wanted: Counter[str] = Counter()
    for order in body["orders"]:
        for item in order["order_items"]:
            wanted[str(item["product_sku"])] += int(item.get("product_qty") or 0)
    products = await products_by_sku(client, list(wanted), body.get("account_key"))
    return [
        f"{wanted[sku]} of {sku} ordered, but only {product.quantity_in_stock} in tracked stock"
        for sku, product in products.items()
        if product.track_inventory and product.quantity_in_stock is not None and wanted[sku] > product.quantity_in_stock
    ]


# update_order, update_customer, submit_note: one order FinerWorks must know.


async def _known_order(client: FinerWorksClient, order_id: int, action: str) -> OrderStatus | Preview:
    """The order, or the blocked preview saying FinerWorks does not know it."""
    found = await order_statuses(client, order_ids=[order_id])
    order = next((order for order in found if order.order_id == order_id), None)
    if order is not None:
        return order
    return Preview(
        summary=summary(client, f"Cannot {action} order {order_id}: FinerWorks knows no such order"),
        details={"order_id": order_id},
        blockers=[f"FinerWorks knows no order {order_id} (fetch_order_status finds nothing); check the order_id"],
    )


def _order_fields(order: OrderStatus) -> dict[str, Any]:
    return {
        "order_id": order.order_id,
        "order_po": order.order_po,
        "production_status": order.order_status_label,
        "order_status_id": order.order_status_id,
    }


def _status_check(body: Body) -> str:
    return f"fetch_order_status with order_ids [{body['order_id']}]"


NEW_SUBMISSION_STATUS = {
    "pending": "released to production (pending)",
    "hold": "on hold: FinerWorks will not produce it until it is released with pending",
    "cancel": "cancelled: FinerWorks will not produce it, and its order_po is free to submit again",
}


def _update_line(command: str, order: OrderStatus) -> str:
    now = f"order {order.order_id} ({order.order_po}, now {order.order_status_label})"
    match command:
        case "cancel":
            return f"CANCEL {now}: it will not be produced; undoing this means submitting the order again"
        case "hold":
            return f"Put {now} on hold: it will not be produced until released"
        case _:
            return f"Release {now} to production (pending)"


def too_late(order: OrderStatus) -> str | None:
    """Why FinerWorks would refuse to change this order, with what to do instead; None while it can change."""
    label = order.order_status_label or ""
    if PAST_CHANGES.search(label):
        return (
            f"{describe(order)} is past the point of changes: FinerWorks takes holds, cancellations and address "
            "changes only before production. Tell the person to contact FinerWorks support at finerworks.com"
        )
    if FREES_PO.search(label):
        return (
            f"{describe(order)} is already cancelled. To order it again, submit it with submit_orders_v2 "
            "(its order_po may be used again)"
        )
    return None


def _blocked(client: FinerWorksClient, order: OrderStatus, action: str, reason: str) -> Preview:
    return Preview(
        summary=summary(client, f"Cannot {action} {describe(order)}"),
        details=_order_fields(order),
        blockers=[reason],
    )


@previewer("update_order", check=_status_check)
async def preview_update_order(client: FinerWorksClient, body: Body) -> Preview:
    command = str(body["update_command"]).lower()
    order = await _known_order(client, int(body["order_id"]), "update")
    if isinstance(order, Preview):
        return order
    if reason := too_late(order):
        return _blocked(client, order, {"pending": "release"}.get(command, command), reason)
    details = _order_fields(order) | {
        "update_command": command,
        "new_submission_status": NEW_SUBMISSION_STATUS[command],
    }
    return Preview(summary=summary(client, _update_line(command, order)), details=details)


@previewer(
    "update_customer",
    check=lambda body: (
        f"{_status_check(body)} (it shows the status, not the address: if unsure, ask FinerWorks support before "
        "sending the change again)"
    ),
)
async def preview_update_customer(client: FinerWorksClient, body: Body) -> Preview:
    order = await _known_order(client, int(body["order_id"]), "change the address of")
    if isinstance(order, Preview):
        return order
    if reason := too_late(order):
        return _blocked(client, order, "change the address of", reason)
    address: Body = body["customer_info"]
    return Preview(
        summary=summary(client, f"Change the shipping address of {describe(order)} to {recipient_line(address)}"),
        details=_order_fields(order)
        | {
            "new_address": address,
            "current_address": "not shown: FinerWorks does not report an order's current shipping address",
        },
    )


@previewer(
    "submit_note",
    check=lambda body: (
        f"the log of order {body['order_id']} at finerworks.com (notes cannot be read through the API; sending "
        "again may add the note twice)"
    ),
)
async def preview_submit_note(client: FinerWorksClient, body: Body) -> Preview:
    order = await _known_order(client, int(body["order_id"]), "add a note to")
    if isinstance(order, Preview):
        return order
    return Preview(
        summary=summary(client, f"Add the note {quote(str(body['subject']))} to {describe(order)}"),
        details=_order_fields(order)
        | {
            "subject": body["subject"],
            "message": body["message"],
            "visibility": "the order's log at FinerWorks only: notes are for reference and are not sent to anyone",
        },
    )
