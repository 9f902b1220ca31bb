"""Order tools for conversation: where an order is, what its status means, what shipping costs, whether an
address is deliverable."""

from __future__ import annotations

from typing import Annotated

from mcp.server.mcpserver.exceptions import ToolError
from pydantic import Field

from finerworks_mcp.context import Ctx
from finerworks_mcp.schemas.common import AccountKey, Address
from finerworks_mcp.schemas.orders import (
    AddressCheck,
    OrderPo,
    OrderRequest,
    OrderStatuses,
    ShippingOptions,
    StatusDefinitions,
)
from finerworks_mcp.tools.base import Toolset, acting_account, body, fetch

orders = Toolset("orders", "order status and tracking, status definitions, shipping quotes, address checks")


@orders.read("Fetch order status")
async def fetch_order_status(
    ctx: Ctx,
    order_ids: Annotated[list[int] | None, Field(max_length=50, description="FinerWorks order ids.")] = None,
    order_pos: Annotated[list[OrderPo] | None, Field(max_length=50)] = None,
    account_key: AccountKey = None,
) -> OrderStatuses:
    """Where is my order: production status and shipments (carrier, tracking) by order_ids and/or order_pos.
    Orders FinerWorks does not know are simply absent."""
    if not order_ids and not order_pos:
        raise ToolError("fetch_order_status needs at least one order id (order_ids) or PO (order_pos).")
    return await fetch(
        ctx,
        "fetch_order_status",
        OrderStatuses,
        json=body(order_ids=order_ids, order_pos=order_pos, account_key=acting_account(ctx, account_key)),
    )


@orders.read("List order status definitions")
async def list_order_status_definitions(ctx: Ctx) -> StatusDefinitions:
    """Every production status id and its label; use it to explain an order_status_id."""
    return await fetch(ctx, "list_order_status_definitions", StatusDefinitions)


@orders.read("List shipping options")
async def list_shipping_options_multiple(
    ctx: Ctx, orders: Annotated[list[OrderRequest], Field(min_length=1, max_length=50)]
) -> ShippingOptions:
    """Quote shipping before ordering: options per order (1-50) with shipping_code, rate and grand total."""
    return await fetch(ctx, "list_shipping_options_multiple", ShippingOptions, json=body(orders=orders))


@orders.read("Validate recipient address")
async def validate_recipient_address(ctx: Ctx, recipient: Address) -> AddressCheck:
    """Check an address before quoting or ordering; returns it normalised."""
    return await fetch(ctx, "validate_recipient_address", AddressCheck, json=body(recipient=recipient))
