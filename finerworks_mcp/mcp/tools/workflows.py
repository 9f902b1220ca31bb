"""Workflow tools: the three jobs end to end, each in one call, answered in text a person reads at a glance."""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable, Sequence
from typing import Annotated, TypeVar

from mcp.server.mcpserver.exceptions import ToolError
from mcp.types import CallToolResult
from pydantic import Field

from finerworks_mcp.api.errors import FinerWorksError
from finerworks_mcp.api.schemas.common import Address
from finerworks_mcp.api.schemas.images import MAX_GUIDS_PER_CALL
from finerworks_mcp.api.schemas.inventory import MAX_SKUS_PER_DELETE
from finerworks_mcp.api.schemas.orders import OrderPo
from finerworks_mcp.api.schemas.products import PricedItem
from finerworks_mcp.guard import Proposal
from finerworks_mcp.mcp.content import Thumbnail, thumbnail_links, tool_result
from finerworks_mcp.mcp.context import Ctx, app_state
from finerworks_mcp.mcp.tools.base import Toolset
from finerworks_mcp.mcp.tools.images import delete_images
from finerworks_mcp.mcp.tools.inventory import delete_virtual_inventory
from finerworks_mcp.workflows.bounded import Steps, chunked, run_bounded
from finerworks_mcp.workflows.cleanup import (
    NEXT_STEP,
    NOTHING_TO_DO,
    CleanupBatch,
    CleanupPlan,
    ImageCriteria,
    ProductCriteria,
    cleanup_text,
    find_images,
    find_products,
    plan_summary,
)
from finerworks_mcp.workflows.lookup import OrderLookup, lookup_text
from finerworks_mcp.workflows.lookup import lookup_orders as find_orders
from finerworks_mcp.workflows.quote import Quote, quote_text
from finerworks_mcp.workflows.quote import quote_prices as price_items

workflows = Toolset("workflows", "quote any number of items, look up orders, plan an inventory cleanup")

T = TypeVar("T")
MAX_QUOTE_ITEMS = 10_000
MAX_LOOKUPS = 1000
THUMBNAIL_LINKS = 100
"""Resource links per cleanup plan: enough to see what goes, not so many that the links crowd the answer."""

LineItems = Annotated[
    list[PricedItem], Field(min_length=1, max_length=MAX_QUOTE_ITEMS, description="Codes or SKUs with quantities.")
]
ShippingPreference = Annotated[
    str, Field(min_length=1, max_length=20, description="cheapest, fastest, or a shipping_code or option id.")
]
OrderIds = Annotated[list[Annotated[int, Field(ge=1)]] | None, Field(max_length=MAX_LOOKUPS)]
OrderPos = Annotated[list[OrderPo] | None, Field(max_length=MAX_LOOKUPS)]


async def _run(job: Awaitable[T]) -> T:
    try:
        return await job
    except FinerWorksError as error:
        raise ToolError(error.tool_message()) from error


@workflows.read("Quote prices")
async def quote_prices(
    ctx: Ctx,
    items: LineItems,
    recipient: Address | None = None,
    shipping_preference: ShippingPreference = "cheapest",
) -> Annotated[CallToolResult, Quote]:
    """Price any number of product codes or inventory SKUs in one call: per line with add-ons, and the subtotal.
    With a recipient, every shipping option and its grand total. Prefer this over get_prices."""
    state = app_state(ctx)
    quote = await _run(
        price_items(
            state.client,
            items,
            recipient=recipient,
            shipping_preference=shipping_preference,
            concurrency=state.settings.quote_concurrency,
            account_key=state.settings.account_key,
            progress=ctx.report_progress,
        )
    )
    return tool_result(quote, text=quote_text(quote))


@workflows.read("Look up orders")
async def lookup_orders(
    ctx: Ctx, order_ids: OrderIds = None, order_pos: OrderPos = None
) -> Annotated[CallToolResult, OrderLookup]:
    """Where is my order: status and shipments (carrier, tracking number and link) for any number of FinerWorks
    order_ids and/or the customer's order_pos; names those FinerWorks does not know."""
    if not order_ids and not order_pos:
        raise ToolError("lookup_orders needs at least one order id (order_ids) or PO (order_pos).")
    state = app_state(ctx)
    lookup = await _run(
        find_orders(
            state.client,
            state.reference,
            order_ids or [],
            order_pos or [],
            concurrency=state.settings.quote_concurrency,
            account_key=state.settings.account_key,
        )
    )
    return tool_result(lookup, text=lookup_text(lookup))


@workflows.write("Plan an inventory cleanup", destructive=True)
async def plan_inventory_cleanup(
    ctx: Ctx, images: ImageCriteria | None = None, products: ProductCriteria | None = None
) -> Annotated[CallToolResult, CleanupPlan]:
    """Find images and/or inventory products to delete (scans every page) and propose deleting them in batches,
    one confirmation token per batch; nothing is deleted until a token is confirmed. Without criteria: images
    with no products, and products in no shop."""
    if images is None and products is None:
        images, products = ImageCriteria(without_products=True), ProductCriteria(not_connected=True)
    state = app_state(ctx)
    settings = state.settings
    image_plan = product_plan = None
    if images is not None:
        steps = Steps(ctx.report_progress, "Scanning image pages")
        image_plan = await _run(
            find_images(
                state.client,
                images,
                account_key=settings.account_key,
                concurrency=settings.quote_concurrency,
                steps=steps,
            )
        )
        guids = [item.guid for item in image_plan.items]
        image_plan.batches = await _propose_batches(ctx, guids, MAX_GUIDS_PER_CALL, delete_images)
    if products is not None:
        steps = Steps(ctx.report_progress, "Scanning product pages")
        product_plan = await _run(
            find_products(
                state.client,
                products,
                account_key=settings.account_key,
                concurrency=settings.quote_concurrency,
                steps=steps,
                going_with_images={item.guid for item in image_plan.items} if image_plan else set(),
            )
        )
        skus = [item.sku for item in product_plan.items]
        product_plan.batches = await _propose_batches(ctx, skus, MAX_SKUS_PER_DELETE, delete_virtual_inventory)
    batches = [b for section in (image_plan, product_plan) if section is not None for b in section.batches]
    ready = any(batch.confirmation_token for batch in batches)
    plan = CleanupPlan(
        confirmation_required=ready,
        summary=plan_summary(image_plan, product_plan),
        images=image_plan,
        products=product_plan,
        next=NEXT_STEP if ready else NOTHING_TO_DO,
    )
    thumbnails = [Thumbnail(i.thumbnail, i.guid, i.title) for i in (image_plan.items if image_plan else [])]
    thumbnails += [Thumbnail(p.thumbnail, p.sku, p.name) for p in (product_plan.items if product_plan else [])]
    return tool_result(plan, *thumbnail_links(thumbnails, THUMBNAIL_LINKS), text=cleanup_text(plan))


async def _propose_batches(
    ctx: Ctx, keys: Sequence[str], size: int, delete: Callable[[Ctx, list[str]], Awaitable[Proposal]]
) -> list[CleanupBatch]:
    """One proposal per FinerWorks delete call, through the same write tool a person could call by hand."""
    batches = chunked(keys, size)
    calls = [functools.partial(delete, ctx, list(batch)) for batch in batches]
    proposals = await run_bounded(calls, app_state(ctx).settings.quote_concurrency)
    return [
        CleanupBatch(
            batch=number,
            count=len(batch),
            confirmation_token=proposal.confirmation_token,
            expires_at=proposal.expires_at,
            summary=proposal.summary,
            blocked_by=proposal.blocked_by or None,
        )
        for number, (batch, proposal) in enumerate(zip(batches, proposals, strict=True), start=1)
    ]
