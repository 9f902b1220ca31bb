"""Inventory tools: the products saved in the account's virtual inventory."""

from __future__ import annotations

from typing import Annotated

from mcp.types import CallToolResult
from pydantic import Field

from finerworks_mcp.api.answers import request_body
from finerworks_mcp.api.schemas.common import AccountKey, PageNumber, PerPage, SortDirection
from finerworks_mcp.api.schemas.images import DateFilter, GuidFilter, SearchFilter
from finerworks_mcp.api.schemas.inventory import CodeFilter, Inventory, InventorySkus, InventoryUpdates
from finerworks_mcp.guard import Proposal
from finerworks_mcp.guard.previews.inventory import merged_inventory
from finerworks_mcp.mcp.context import Ctx
from finerworks_mcp.mcp.pages import Detail, inventory_page
from finerworks_mcp.mcp.tools.base import Toolset, acting_account, fetch
from finerworks_mcp.mcp.tools.guarded import client_of, merging, propose

inventory = Toolset("inventory", "virtual-inventory products")

# FinerWorks' documented list for this field is a copy of list_images'; which fields it really sorts by is unknown.
SortField = Annotated[str | None, Field(max_length=50, description="Default id.")]


@inventory.read("List virtual inventory")
async def list_virtual_inventory(
    ctx: Ctx,
    search_filter: SearchFilter = None,
    sku_filter: CodeFilter = None,
    product_code_filter: CodeFilter = None,
    guid_filter: GuidFilter = None,
    page_number: PageNumber | None = None,
    per_page: PerPage | None = None,
    sort_field: SortField = None,
    sort_direction: SortDirection | None = None,
    created_date_from: DateFilter = None,
    created_date_to: DateFilter = None,
    account_key: AccountKey = None,
    detail: Detail = "compact",
) -> Annotated[CallToolResult, Inventory]:
    """Find saved inventory products: SKU, product code, image guid, prices, shop links. To find products to
    delete, use plan_inventory_cleanup."""
    found = await fetch(
        ctx,
        "list_virtual_inventory",
        Inventory,
        json=request_body(
            search_filter=search_filter,
            sku_filter=sku_filter,
            product_code_filter=product_code_filter,
            guid_filter=guid_filter,
            page_number=page_number,
            per_page=per_page,
            sort_field=sort_field,
            sort_direction=sort_direction,
            created_date_from=created_date_from and created_date_from.isoformat(),
            created_date_to=created_date_to and created_date_to.isoformat(),
            account_key=acting_account(ctx, account_key),
        ),
    )
    return inventory_page(found, detail)


@inventory.write("Update virtual inventory", destructive=False)
async def update_virtual_inventory(
    ctx: Ctx, virtual_inventory: InventoryUpdates, account_key: AccountKey = None
) -> Proposal:
    """Propose changes to up to 50 products (price, stock, name, shop ids); the preview shows current beside new."""
    acting = acting_account(ctx, account_key)
    # Whole records (issue 12): FinerWorks may replace what it is not sent, so nothing unmentioned is left out.
    merged = await merging(ctx, "update_virtual_inventory", merged_inventory(client_of(ctx), virtual_inventory, acting))
    return await propose(ctx, "update_virtual_inventory", request_body(virtual_inventory=merged, account_key=acting))


@inventory.write("Delete virtual inventory", destructive=True)
async def delete_virtual_inventory(ctx: Ctx, skus: InventorySkus, account_key: AccountKey = None) -> Proposal:
    """Propose deleting products by SKU; their shop listings get disconnected. The preview lists each one."""
    return await propose(
        ctx, "delete_virtual_inventory", request_body(skus=skus, account_key=acting_account(ctx, account_key))
    )
