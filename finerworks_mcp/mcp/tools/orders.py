"""Order tools for conversation: where an order is, what its status means, what shipping costs, whether an
address is deliverable; and, behind the guard, placing orders and changing them before production."""

from __future__ import annotations

from typing import Annotated

from mcp.server.mcpserver.exceptions import ToolError
from pydantic import Field

from finerworks_mcp.api.answers import request_body
from finerworks_mcp.api.schemas.common import AccountKey, Address
from finerworks_mcp.api.schemas.orders import (
    AddressCheck,
    NoteMessage,
    NoteSubject,
    OrderId,
    OrderPo,
    OrderRequest,
    OrderStatuses,
    OrderSubmissions,
    PaymentToken,
    Recipient,
    ShippingOptions,
    StatusDefinitions,
    UpdateCommand,
)
from finerworks_mcp.guard import Proposal
from finerworks_mcp.mcp.context import Ctx
from finerworks_mcp.mcp.tools.base import Toolset, acting_account, cached, fetch
from finerworks_mcp.mcp.tools.guarded import propose

orders = Toolset(
    "orders",
    "order status and tracking, status definitions, shipping quotes, address checks; placing and changing orders",
)


@orders.read("Fetch order status")
async def fetch_order_status(
    ctx: Ctx,
    order_ids: Annotated[
        list[int] | None, Field(max_length=50, description="FinerWorks order_id numbers; POs go in order_pos.")
    ] = None,
    order_pos: Annotated[list[OrderPo] | None, Field(max_length=50)] = None,
    account_key: AccountKey = None,
) -> OrderStatuses:
    """Raw FinerWorks status records for known order_ids/order_pos; unknown ones are absent. To answer where an
    order is, use lookup_orders."""
    if not order_ids and not order_pos:
        raise ToolError("fetch_order_status needs at least one order id (order_ids) or PO (order_pos).")
    return await fetch(
        ctx,
        "fetch_order_status",
        OrderStatuses,
        json=request_body(order_ids=order_ids, order_pos=order_pos, account_key=acting_account(ctx, account_key)),
    )


@orders.read("List order status definitions")
async def list_order_status_definitions(ctx: Ctx) -> StatusDefinitions:
    """Every production status id and its label; use it to explain an order_status_id."""
    return await cached(ctx, "status-definitions", StatusDefinitions)


@orders.read("List shipping options")
async def list_shipping_options_multiple(
    ctx: Ctx, orders: Annotated[list[OrderRequest], Field(min_length=1, max_length=50)]
) -> ShippingOptions:
    """Raw shipping options per order (1-50): shipping_code, rate, grand total. To quote a job, use quote_prices."""
    return await fetch(ctx, "list_shipping_options_multiple", ShippingOptions, json=request_body(orders=orders))


@orders.read("Validate recipient address")
async def validate_recipient_address(ctx: Ctx, recipient: Address) -> AddressCheck:
    """Check an address before quoting or ordering; returns it normalised."""
    return await fetch(ctx, "validate_recipient_address", AddressCheck, json=request_body(recipient=recipient))


# Writes: each previews with reads only and returns a confirmation_token; confirm_action sends it, once.


@orders.write("Submit orders", destructive=True)
async def submit_orders_v2(
    ctx: Ctx, orders: OrderSubmissions, payment_token: PaymentToken, account_key: AccountKey = None
) -> Proposal:
    """Order prints: 1-50 orders. Returns FinerWorks' own check, shipping, tax and grand total, and a
    confirmation_token; nothing is ordered until confirm_action."""
    request = request_body(orders=orders, payment_token=payment_token, account_key=acting_account(ctx, account_key))
    return await propose(ctx, "submit_orders_v2", request)


@orders.write("Hold, release or cancel an order", destructive=True)
async def update_order(ctx: Ctx, order_id: OrderId, update_command: UpdateCommand) -> Proposal:
    """Hold, release (pending) or cancel an order before production."""
    return await propose(ctx, "update_order", request_body(order_id=order_id, update_command=update_command))


@orders.write("Change an order's shipping address", destructive=False)
async def update_customer(ctx: Ctx, order_id: OrderId, customer_info: Recipient) -> Proposal:
    """Replace an order's shipping address before production."""
    return await propose(ctx, "update_customer", request_body(order_id=order_id, customer_info=customer_info))


@orders.write("Add a note to an order", destructive=False)
async def submit_note(ctx: Ctx, order_id: OrderId, subject: NoteSubject, message: NoteMessage) -> Proposal:
    """Add a note to an order's log (for reference; FinerWorks sends it to no one)."""
    return await propose(ctx, "submit_note", request_body(order_id=order_id, subject=subject, message=message))
