"""Workflow tools: the three jobs end to end, each in one call, answered in text a person reads at a glance."""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable, Sequence
from datetime import date
from typing import Annotated

from mcp.server.mcpserver.exceptions import ToolError
from mcp.types import CallToolResult
from pydantic import Field

from finerworks_mcp.api.schemas.common import Address
from finerworks_mcp.api.schemas.images import MAX_GUIDS_PER_CALL
from finerworks_mcp.api.schemas.inventory import MAX_SKUS_PER_DELETE
from finerworks_mcp.api.schemas.orders import OrderPo
from finerworks_mcp.api.schemas.products import PricedItem
from finerworks_mcp.guard import Proposal
from finerworks_mcp.guard.journal import OrderJournal
from finerworks_mcp.mcp.content import Thumbnail, thumbnail_links, tool_result
from finerworks_mcp.mcp.context import Ctx, app_state
from finerworks_mcp.mcp.tools.base import Toolset
from finerworks_mcp.mcp.tools.images import delete_images
from finerworks_mcp.mcp.tools.inventory import delete_virtual_inventory
from finerworks_mcp.workflows.bounded import Steps, chunked, run_bounded
from finerworks_mcp.workflows.cleanup import (
    NEXT_STEP,
    NOTHING_TO_DO,
    ImageCriteria,
    ProductCriteria,
    cleanup_text,
    find_images,
    find_products,
    plan_summary,
)
from finerworks_mcp.workflows.lookup import lookup_orders as find_orders
from finerworks_mcp.workflows.lookup import lookup_text
from finerworks_mcp.workflows.quote import quote_prices as price_items
from finerworks_mcp.workflows.quote import quote_text
from finerworks_mcp.workflows.recent import RecentFilter, recent_orders
from finerworks_mcp.workflows.results import CleanupBatch, CleanupPlan, OrderLookup, Quote

workflows = Toolset("workflows", "quote any number of items, look up orders, plan an inventory cleanup")

MAX_QUOTE_ITEMS = 10_000
MAX_LOOKUPS = 1000
THUMBNAIL_LINKS = 5
"""Resource links per cleanup plan: only for items the text cannot name (no title), and a handful at most; every
thumbnail address is in the structured result."""

LineItems = Annotated[
    list[PricedItem], Field(min_length=1, max_length=MAX_QUOTE_ITEMS, description="Codes or SKUs with quantities.")
]
ShippingPreference = Annotated[
    str, Field(min_length=1, max_length=20, description="cheapest, fastest, or a shipping_code or option id.")
]
OrderIds = Annotated[list[Annotated[int, Field(ge=1)]] | None, Field(max_length=MAX_LOOKUPS)]
OrderPos = Annotated[list[OrderPo] | None, Field(max_length=MAX_LOOKUPS)]
PoSearch = Annotated[str | None, Field(min_length=1, max_length=50)]
RecentLimit = Annotated[int, Field(ge=1, le=50)]


@workflows.read("Quote prices")
async def quote_prices(
    ctx: Ctx,
    items: LineItems,
    recipient: Address | None = None,
    shipping_preference: ShippingPreference = "cheapest",
) -> Annotated[CallToolResult, Quote]:
    """The way to quote: any number of product codes or SKUs in one call, per line with add-ons and subtotal;
    with a recipient, every shipping option and its grand total."""
    state = app_state(ctx)
    quote = await price_items(
        state.client,
        items,
        recipient=recipient,
        shipping_preference=shipping_preference,
        concurrency=state.settings.workflow_concurrency,
        account_key=state.settings.account_key,
        progress=ctx.report_progress,
    )
    return tool_result(quote, text=quote_text(quote))


@workflows.read("Look up orders")
async def lookup_orders(
    ctx: Ctx,
    order_ids: OrderIds = None,
    order_pos: OrderPos = None,
    search: PoSearch = None,
    since: date | None = None,
    until: date | None = None,
    limit: RecentLimit = 10,
) -> Annotated[CallToolResult, OrderLookup]:
    """The way to answer "where is my order": status and shipments (carrier, tracking link) for FinerWorks
    order_ids and/or the customer's order_pos. Without them: the recent orders this server knows of, newest first,
    filtered by PO text (search) and days (since, until)."""
    state = app_state(ctx)
    settings = state.settings
    if order_ids or order_pos:
        if search or since or until:
            raise ToolError(
                "search, since and until filter the recent-orders list; order_ids and order_pos look up named "
                "orders. Next: give one or the other."
            )
        lookup = await find_orders(
            state.client,
            state.reference,
            order_ids or [],
            order_pos or [],
            concurrency=settings.workflow_concurrency,
            account_key=settings.account_key,
        )
    else:
        lookup = await recent_orders(
            state.client,
            state.reference,
            OrderJournal.for_settings(settings),
            RecentFilter(search, since, until, limit),
            concurrency=settings.workflow_concurrency,
            account_key=settings.account_key,
        )
    return tool_result(lookup, text=lookup_text(lookup))


@workflows.plan("Plan an inventory cleanup", proposes=("delete_images", "delete_virtual_inventory"))
async def plan_inventory_cleanup(
    ctx: Ctx, images: ImageCriteria | None = None, products: ProductCriteria | None = None
) -> Annotated[CallToolResult, CleanupPlan]:
    """The way to clean up: finds images and/or products to delete (every page) and proposes deleting them in
    batches, one confirmation token each; only plans, nothing is deleted until a token is confirmed. Without
    criteria: images with no products, and products in no shop."""
    if images is None and products is None:
        images, products = ImageCriteria(without_products=True), ProductCriteria(not_connected=True)
    state = app_state(ctx)
    settings = state.settings
    image_plan = product_plan = None
    if images is not None:
        steps = Steps(ctx.report_progress, "Scanning image pages")
        image_plan = await find_images(
            state.client,
            images,
            account_key=settings.account_key,
            concurrency=settings.workflow_concurrency,
            steps=steps,
        )
        guids = [item.guid for item in image_plan.items]
        image_plan.batches = await _propose_batches(ctx, guids, MAX_GUIDS_PER_CALL, delete_images)
    if products is not None:
        steps = Steps(ctx.report_progress, "Scanning product pages")
        product_plan = await find_products(
            state.client,
            products,
            account_key=settings.account_key,
            concurrency=settings.workflow_concurrency,
            steps=steps,
            going_with_images={item.guid for item in image_plan.items} if image_plan else set(),
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
    # A titled item is named in the text already; a picture is how a person recognises one without a title.
    thumbnails = [Thumbnail(i.thumbnail, i.guid) for i in (image_plan.items if image_plan else []) if not i.title]
    thumbnails += [Thumbnail(p.thumbnail, p.sku) for p in (product_plan.items if product_plan else []) if not p.name]
    return tool_result(plan, *thumbnail_links(thumbnails, THUMBNAIL_LINKS), text=cleanup_text(plan))


async def _propose_batches(
    ctx: Ctx, keys: Sequence[str], size: int, delete: Callable[[Ctx, list[str]], Awaitable[Proposal]]
) -> list[CleanupBatch]:
    """One proposal per FinerWorks delete call, through the same write tool a person could call by hand."""
    batches = chunked(keys, size)
    calls = [functools.partial(delete, ctx, list(batch)) for batch in batches]
    proposals = await run_bounded(calls, app_state(ctx).settings.workflow_concurrency)
    return [
        CleanupBatch(
            batch=number,
            count=len(batch),
            keys=list(batch),
            confirmation_token=proposal.confirmation_token,
            expires_at=proposal.expires_at,
            summary=proposal.summary,
            blocked_by=proposal.blocked_by or None,
        )
        for number, (batch, proposal) in enumerate(zip(batches, proposals, strict=True), start=1)
    ]
