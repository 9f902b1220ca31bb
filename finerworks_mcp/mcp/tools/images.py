"""Image tools: the account's uploaded image files and the file selections kept under a master guid."""

from __future__ import annotations

from typing import Annotated

from mcp.types import CallToolResult

from finerworks_mcp.api.answers import request_body
from finerworks_mcp.api.schemas.common import AccountKey, Guid, PageNumber, PerPage, SortDirection
from finerworks_mcp.api.schemas.images import (
    DateFilter,
    FileSelection,
    GuidFilter,
    ImageGuids,
    ImageLibrary,
    Images,
    ImageSortField,
    ImageUpdates,
    NewImages,
    SearchFilter,
    SelectionGuids,
)
from finerworks_mcp.guard import Proposal
from finerworks_mcp.guard.previews.images import merged_images
from finerworks_mcp.mcp.context import Ctx
from finerworks_mcp.mcp.pages import Detail, images_page
from finerworks_mcp.mcp.tools.base import Toolset, acting_account, fetch
from finerworks_mcp.mcp.tools.guarded import client_of, merging, propose

images = Toolset("images", "uploaded image files and file selections")


@images.read("List images")
async def list_images(
    ctx: Ctx,
    library: ImageLibrary | None = None,
    search_filter: SearchFilter = None,
    guid_filter: GuidFilter = None,
    page_number: PageNumber | None = None,
    per_page: PerPage | None = None,
    sort_field: ImageSortField | None = None,
    sort_direction: SortDirection | None = None,
    upload_date_from: DateFilter = None,
    upload_date_to: DateFilter = None,
    list_products: bool | None = None,
    active: bool | None = None,
    detail: Detail = "compact",
) -> Annotated[CallToolResult, Images]:
    """Find uploaded images; list_products adds each image's inventory products. library defaults to inventory.
    To find images to delete, use plan_inventory_cleanup."""
    library = library or ImageLibrary()
    library = library.model_copy(update={"account_key": acting_account(ctx, library.account_key)})
    found = await fetch(
        ctx,
        "list_images",
        Images,
        json=request_body(
            library=library,
            search_filter=search_filter,
            guid_filter=guid_filter,
            page_number=page_number,
            per_page=per_page,
            sort_field=sort_field,
            sort_direction=sort_direction,
            upload_date_from=upload_date_from and upload_date_from.isoformat(),
            upload_date_to=upload_date_to and upload_date_to.isoformat(),
            list_products=list_products,
            active=active,
        ),
    )
    return images_page(found, detail)


@images.read("List file selection")
async def list_file_selection(ctx: Ctx, guid: Guid) -> FileSelection:
    """The image guids selected under a master guid."""
    return await fetch(ctx, "list_file_selection", FileSelection, params={"guid": guid})


@images.write("Add images", destructive=False)
async def add_images(ctx: Ctx, images: NewImages, library: ImageLibrary | None = None) -> Proposal:
    """Propose adding up to 5 images FinerWorks downloads from their URLs; returns a preview to confirm."""
    library = library or ImageLibrary()
    library = library.model_copy(update={"account_key": acting_account(ctx, library.account_key)})
    return await propose(ctx, "add_images", request_body(images=images, library=library))


@images.write("Update images", destructive=False)
async def update_images(ctx: Ctx, images: ImageUpdates, account_key: AccountKey = None) -> Proposal:
    """Propose new titles or descriptions for images; the preview shows current beside new."""
    acting = acting_account(ctx, account_key)
    merged = await merging(ctx, "update_images", merged_images(client_of(ctx), images, acting))
    return await propose(ctx, "update_images", request_body(images=merged, account_key=acting))


@images.write("Delete images", destructive=True)
async def delete_images(ctx: Ctx, guids: ImageGuids) -> Proposal:
    """Propose deleting inventory images and every product made from them; the preview lists all that goes."""
    library = ImageLibrary(account_key=acting_account(ctx, None))
    return await propose(ctx, "delete_images", request_body(guids=guids, library=library))


@images.write("Update file selection", destructive=False)
async def update_file_selection(ctx: Ctx, guid: Guid, guids: SelectionGuids) -> Proposal:
    """Propose replacing the images selected under master guid `guid` with `guids` (empty clears it)."""
    return await propose(ctx, "update_file_selection", request_body(guid=guid, guids=guids))
