"""The image library and file selections."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from finerworks_mcp.simulator.call import Call
from finerworks_mcp.simulator.envelope import FailsModelValidation, Refused, Reply
from finerworks_mcp.simulator.filters import date_range
from finerworks_mcp.simulator.paging import paginate, paging_rules
from finerworks_mcp.simulator.records import Image, Product
from finerworks_mcp.simulator.rules import (
    ADD_IMAGES,
    FILE_SELECTION,
    GUIDS,
    IMAGE_UPDATE,
    LIBRARY,
    LIST_IMAGES,
    NEW_IMAGE,
    SESSION_ID_MIN,
    UPDATE_IMAGES,
)
from finerworks_mcp.simulator.seed import stable_guid
from finerworks_mcp.simulator.state import SimulatorState
from finerworks_mcp.simulator.validation import Problems, as_list, as_object

IMAGE_SORTS: dict[str, Callable[[Image], Any]] = {
    "id": lambda i: i.id,
    "title": lambda i: (i.title.lower(), i.id),
    "file_name": lambda i: (i.file_name.lower(), i.id),
    "file_size": lambda i: (i.file_size, i.id),
    "date_added": lambda i: (i.date_added, i.id),
}
_URI_FIELDS = (
    "thumbnail_file_name",
    "preview_file_name",
    "hires_file_name",
    "public_thumbnail_uri",
    "public_preview_uri",
    "private_hires_uri",
)


def _library_name(body: dict[str, Any], problems: Problems) -> str:
    library = as_object(body.get("library"))
    if library is not None:
        problems.check(library, LIBRARY, "library")
        session = library.get("session_id")
        if isinstance(session, str) and len(session) < SESSION_ID_MIN:
            problems.add("library.session_id", f"The session_id must be {SESSION_ID_MIN} to 50 characters.")
    return str((library or {}).get("name") or "inventory").lower()


def list_images(state: SimulatorState, call: Call) -> Reply:
    body = call.fields()
    problems = Problems()
    problems.check(body, LIST_IMAGES + paging_rules(IMAGE_SORTS))
    library = _library_name(body, problems)
    uploaded_from, uploaded_to = date_range(body, ("upload_date_from", "upload_date_to"), problems)
    guids = set(problems.strings(body.get("guid_filter"), "guid_filter"))
    problems.raise_if_any()
    search = str(body.get("search_filter") or "").lower()
    active = body.get("active")
    matching = [
        image
        for image in state.images.values()
        if image.library == library
        and (not search or search in f"{image.title}\n{image.description}\n{image.file_name}".lower())
        and (not guids or image.guid in guids)
        and (uploaded_from is None or image.date_added >= uploaded_from)
        and (uploaded_to is None or image.date_added <= uploaded_to)
        and (active is None or image.active == active)
    ]
    page, paging = paginate(matching, body, IMAGE_SORTS)
    with_products = bool(body.get("list_products")) and library == "inventory"
    by_image: dict[str, list[Product]] = {}
    if with_products:
        for product in state.products.values():
            by_image.setdefault(product.image_guid, []).append(product)
    images = [image.as_json(by_image.get(image.guid, []) if with_products else None) for image in page]
    return Reply({"images": images, **paging})


def add_images(state: SimulatorState, call: Call) -> Reply:
    body = call.fields()
    problems = Problems()
    problems.check(body, ADD_IMAGES)
    library = _library_name(body, problems)
    new = [problems.require_object(raw, f"images[{i}]") for i, raw in enumerate(as_list(body.get("images")) or [])]
    for index, image in enumerate(new):
        if image is not None:
            problems.check(image, NEW_IMAGE, f"images[{index}]")
    problems.raise_if_any()
    added = [_stored_image(state, image, library) for image in new if image is not None]
    return Reply({"images": [image.as_json(None) for image in added]}, f"Added {len(added)} image(s) to {library}.")


def _stored_image(state: SimulatorState, fields: dict[str, Any], library: str) -> Image:
    image_id = state.next_id("image")
    image = Image(
        id=image_id,
        guid=stable_guid("image", image_id),
        title=fields["title"],
        description=fields.get("description") or "",
        file_name=fields["file_name"],
        file_size=fields.get("file_size") or 0,
        pix_w=fields.get("pix_w") or 0,
        pix_h=fields.get("pix_h") or 0,
        date_added=state.now(),
        library=library,
        uris={name: fields.get(name) for name in _URI_FIELDS},
    )
    state.images[image.guid] = image
    return image


def _unknown_note(kind: str, unknown: list[str]) -> str:
    return f"No {kind} found for: {', '.join(unknown)}." if unknown else ""


def update_images(state: SimulatorState, call: Call) -> Reply:
    body = call.fields()
    problems = Problems()
    problems.check(body, UPDATE_IMAGES)
    changes = [problems.require_object(raw, f"images[{i}]") for i, raw in enumerate(as_list(body.get("images")) or [])]
    for index, change in enumerate(changes):
        if change is not None:
            problems.check(change, IMAGE_UPDATE, f"images[{index}]")
    problems.raise_if_any()
    updated: list[Image] = []
    unknown: list[str] = []
    for change in changes:
        assert change is not None
        image = state.images.get(change["guid"])
        if image is None:
            unknown.append(change["guid"])
            continue
        # Replace semantics, as FinerWorks' own app assumes: what the update leaves out is cleared.
        image.title = change.get("title") or ""
        image.description = change.get("description") or ""
        image.date_updated = state.now()
        updated.append(image)
    note = _unknown_note("image", unknown)
    if not updated:
        raise Refused(note, {"images": []})
    return Reply({"images": [image.as_json(None) for image in updated]}, note)


def delete_images(state: SimulatorState, call: Call) -> Reply:
    body = call.fields()
    problems = Problems()
    problems.check(body, GUIDS)
    _library_name(body, problems)
    guids = problems.strings(body.get("guids"), "guids")
    problems.raise_if_any()
    known = [g for g in dict.fromkeys(guids) if g in state.images]
    unknown = [g for g in guids if g not in state.images]
    if not known:
        raise Refused(_unknown_note("image", unknown))
    products = [sku for sku, p in state.products.items() if p.image_guid in known]
    for guid in known:
        del state.images[guid]
    for sku in products:
        del state.products[sku]
    for selected in state.file_selections.values():
        selected[:] = [g for g in selected if g not in known]
    done = f"Deleted {len(known)} image(s) and {len(products)} virtual-inventory product(s) made from them."
    return Reply({}, " ".join(filter(None, (done, _unknown_note("image", unknown)))))


def list_file_selection(state: SimulatorState, call: Call) -> Reply:
    guid = call.query.get("guid")
    if not guid:
        raise FailsModelValidation({"guid": ["The guid field is required."]})
    selected = state.file_selections.get(guid)
    return Reply({"guids": list(selected or [])}, "" if selected is not None else f"No file selection has guid {guid}.")


def update_file_selection(state: SimulatorState, call: Call) -> Reply:
    body = call.fields()
    problems = Problems()
    problems.check(body, FILE_SELECTION)
    guids = problems.strings(body.get("guids"), "guids")
    problems.raise_if_any()
    known = [g for g in dict.fromkeys(guids) if g in state.images]
    unknown = [g for g in guids if g not in state.images]
    state.file_selections[body["guid"]] = known
    return Reply({"guid": body["guid"], "guids": known}, _unknown_note("image", unknown))


HANDLERS = {
    "list_images": list_images,
    "add_images": add_images,
    "update_images": update_images,
    "delete_images": delete_images,
    "list_file_selection": list_file_selection,
    "update_file_selection": update_file_selection,
}
