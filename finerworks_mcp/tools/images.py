"""Image tools: the account's uploaded image files and the file selections kept under a master guid."""

from __future__ import annotations

from finerworks_mcp.context import Ctx
from finerworks_mcp.schemas.common import Guid, PageNumber, PerPage, SortDirection
from finerworks_mcp.schemas.images import (
    DateFilter,
    FileSelection,
    GuidFilter,
    ImageLibrary,
    Images,
    ImageSortField,
    SearchFilter,
)
from finerworks_mcp.tools.base import Toolset, acting_account, body, fetch

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
) -> Images:
    """Find uploaded images; list_products adds each image's inventory products. library defaults to inventory."""
    library = library or ImageLibrary()
    library = library.model_copy(update={"account_key": acting_account(ctx, library.account_key)})
    return await fetch(
        ctx,
        "list_images",
        Images,
        json=body(
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


@images.read("List file selection")
async def list_file_selection(ctx: Ctx, guid: Guid) -> FileSelection:
    """The image guids selected under a master guid."""
    return await fetch(ctx, "list_file_selection", FileSelection, params={"guid": guid})
