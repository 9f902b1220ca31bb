"""Previews of the image writes: what would be added, renamed, deleted (with its products) or selected."""

from __future__ import annotations

from collections import Counter
from typing import Any

from finerworks_mcp.api.answers import find_by_key, read_answer, request_body, shop_names
from finerworks_mcp.api.client import FinerWorksClient
from finerworks_mcp.api.schemas.images import (
    AddImagesRequest,
    DeleteImagesRequest,
    FileSelection,
    FileSelectionRequest,
    Image,
    ImageLibrary,
    Images,
    ImageUpdate,
)
from finerworks_mcp.guard.core import Preview
from finerworks_mcp.guard.merges import image_record, merged_image, not_checked, records_fingerprint, unreported
from finerworks_mcp.guard.previews.common import (
    Change,
    changes_detail,
    disconnected,
    in_order,
    not_found_note,
    plural,
    quote,
    quoted,
    summary,
    unknown,
    update_summary,
)
from finerworks_mcp.guard.writes import previewer


async def images_by_guid(
    client: FinerWorksClient, guids: list[str], library: ImageLibrary, *, with_products: bool = False
) -> dict[str, Image]:
    return await find_by_key(
        client,
        "list_images",
        Images,
        lambda chunk: request_body(library=library, guid_filter=chunk, list_products=with_products or None),
        lambda page: page.images,
        lambda image: image.guid,
        guids,
    )


def _deleted_check(body: Any) -> str:
    return f"list_images with guid_filter {body['guids']}"


def _updated_check(body: Any) -> str:
    return f"list_images with guid_filter {[image['guid'] for image in body['images']]}"


def _added_check(body: Any) -> str:
    titles = [image.get("title") for image in body.get("images", [])]
    return f"list_images sorted by date_added DESC, looking for the titles {titles}"


@previewer("add_images", check=_added_check, recheck=False)
async def preview_add_images(client: FinerWorksClient, body: Any) -> Preview:
    request = AddImagesRequest.model_validate(body)
    library = request.library
    # Uploading a file twice makes two images (and, later, two sets of products): worth a word before it happens.
    already: list[dict[str, Any]] = []
    for new in request.images:
        matches = await read_answer(
            client, "list_images", Images, body=request_body(library=library, search_filter=new.file_name)
        )
        already += [
            {"file_name": new.file_name, "existing_guid": image.guid, "existing_title": image.title}
            for image in matches.images
            if image.file_name == new.file_name
        ]
    details: dict[str, Any] = {
        "library": library.name,
        "images": [
            {"title": image.title, "file_name": image.file_name, "fetched_from": image.private_hires_uri}
            for image in request.images
        ],
        "note": "FinerWorks downloads each file from its address; the images appear once it has them.",
    }
    if already:
        details["already_in_library"] = already
    duplicates = f"; {plural(len(already), 'file name')} already in the library" if already else ""
    titles = quoted([image.title for image in request.images])
    return Preview(
        summary=summary(
            client, f"Add {plural(len(request.images), 'image')} to the {library.name} library: {titles}{duplicates}"
        ),
        details=details,
    )


async def merged_images(
    client: FinerWorksClient, changes: list[ImageUpdate], account_key: str | None
) -> list[dict[str, Any]]:
    """The whole records to send: each image's title and description as FinerWorks has them, the change laid over."""
    found = await images_by_guid(client, [change.guid for change in changes], ImageLibrary(account_key=account_key))
    return [merged_image(change, found.get(change.guid)) for change in changes]


@previewer("update_images", check=_updated_check, recheck=True)
async def preview_update_images(client: FinerWorksClient, body: Any) -> Preview:
    sent: list[dict[str, Any]] = body["images"]
    guids = [str(image["guid"]) for image in sent]
    found = await images_by_guid(client, guids, ImageLibrary(account_key=body.get("account_key")), with_products=True)
    missing = unknown(guids, found)
    items: list[tuple[str, list[Change]]] = []
    listed: list[dict[str, Any]] = []
    not_reported: dict[str, list[str]] = {}
    with_products = 0
    for change in sent:
        image = found.get(str(change["guid"]))
        if image is None:
            continue
        current = image_record(image)
        fields: list[Change] = []
        if "title" in change:
            fields.append(Change("title", current.get("title"), change["title"]))
        if "description" in change:
            fields.append(Change("description", current.get("description"), change["description"], in_summary=False))
        items.append((quote(image.title) if image.title else "(untitled)", fields))
        listed.append({"guid": image.guid, **changes_detail([f for f in fields if f.changes])})
        gaps = unreported(current, ["title", "description"])
        if gaps:
            not_reported[str(image.guid)] = gaps
        with_products += len(image.products or [])
    details: dict[str, Any] = {"images": listed, "sent": "each image's title and description, changed or not"}
    if not_reported:
        details["not_checked"] = not_checked(not_reported)
    if missing:
        details["not_found"] = missing
    if with_products:
        # The documentation's warning reads like a copy of delete_images'; a person should still know it exists.
        details["caution"] = (
            f"FinerWorks' documentation says updating an inventory image also removes its virtual-inventory "
            f"products ({plural(with_products, 'product')} here). This is thought to be a documentation error."
        )
    # An update naming an image that does not exist would fail at FinerWorks: no token for it.
    blockers = [f"No image with these guids is in the inventory library: {', '.join(missing)}; check them with "
                "list_images, or leave them out."] if missing else []  # fmt: skip
    return Preview(
        summary=summary(client, update_summary("image", items) + not_found_note(len(missing), "guid")),
        details=details,
        blockers=blockers,
        fingerprint=records_fingerprint({guid: image_record(image) for guid, image in found.items()}),
    )


# Re-checked at confirm (issue 11.5): an image that gained a product since the preview (a cleanup batch planned
# earlier, say) is not deleted with that product unseen; the confirm is refused with a fresh preview.
@previewer("delete_images", check=_deleted_check, recheck=True)
async def preview_delete_images(client: FinerWorksClient, body: Any) -> Preview:
    request = DeleteImagesRequest.model_validate(body)
    library = request.library or ImageLibrary()
    found = await images_by_guid(client, request.guids, library, with_products=library.name == "inventory")
    missing = unknown(request.guids, found)
    listings: Counter[str] = Counter()
    going: list[dict[str, Any]] = []
    product_count = 0
    for image in in_order(request.guids, found):
        products = image.products or []
        product_count += len(products)
        listed: list[dict[str, Any]] = []
        for product in products:
            linked = shop_names(product.third_party_integrations)
            listings.update(linked)
            listed.append({"sku": product.sku, "name": product.name, **({"shops": linked} if linked else {})})
        going.append({"guid": image.guid, "title": image.title, "file_name": image.file_name, "products": listed})
    details: dict[str, Any] = {
        "images": going,
        "products_deleted": product_count,
        "listings_disconnected": dict(listings),
    }
    if missing:
        details["not_found"] = missing
    if not found:
        return Preview(
            summary=summary(client, f"Delete nothing: {plural(len(missing), 'guid')} not found"),
            details=details,
            blockers=[f"No image with these guids is in the {library.name} library: {', '.join(missing)}."],
        )
    what = (
        f"image {quoted([image.title for image in found.values()])}" if len(found) == 1 else plural(len(found), "image")
    )
    on_them = "it" if len(found) == 1 else "them"
    products = f" and the {plural(product_count, 'product')} on {on_them}" if product_count else ""
    line = f"Delete {what}{products}{disconnected(listings)}{not_found_note(len(missing), 'guid')}"
    # What the person approves: these images, with these products (a product added or relinked changes it).
    return Preview(summary=summary(client, line), details=details, fingerprint=records_fingerprint({"images": going}))


@previewer("update_file_selection", check=lambda body: f"list_file_selection with guid {body['guid']}", recheck=False)
async def preview_update_file_selection(client: FinerWorksClient, body: Any) -> Preview:
    request = FileSelectionRequest.model_validate(body)
    before = (await read_answer(client, "list_file_selection", FileSelection, params={"guid": request.guid})).guids
    found = await images_by_guid(client, list(dict.fromkeys(before + request.guids)), ImageLibrary())
    missing = unknown(request.guids, found)
    after = [guid for guid in request.guids if guid in found]  # an image that does not exist cannot be selected

    def titled(guids: list[str]) -> list[dict[str, Any]]:
        return [{"guid": guid, "title": found[guid].title if guid in found else None} for guid in guids]

    added = [guid for guid in after if guid not in before]
    removed = [guid for guid in before if guid not in after]
    details: dict[str, Any] = {
        "guid": request.guid,
        "now": titled(before),
        "new": titled(after),
        "added": titled(added),
        "removed": titled(removed),
    }
    if missing:
        details["not_found"] = missing
    if request.guids and not after:
        return Preview(
            summary=summary(client, f"Change nothing: {plural(len(missing), 'guid')} not found"),
            details=details,
            blockers=[f"None of these images is in the inventory library: {', '.join(missing)}."],
        )
    if not request.guids:
        now = f"{plural(len(before), 'image')} now" if before else "already empty"
        line = f"Clear file selection {request.guid} ({now})"
    elif not before:
        line = f"Create file selection {request.guid} with {plural(len(after), 'image')}"
    else:
        line = (
            f"Change file selection {request.guid}: {len(before)} → {plural(len(after), 'image')} "
            f"({len(added)} added, {len(removed)} removed)"
        )
    return Preview(summary=summary(client, line + not_found_note(len(missing), "guid")), details=details)
