"""Virtual inventory: the products saved from images, and their links to third-party shops."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from finerworks_mcp.simulator.call import Call
from finerworks_mcp.simulator.envelope import Refused, Reply
from finerworks_mcp.simulator.filters import date_range
from finerworks_mcp.simulator.paging import paginate, paging_rules
from finerworks_mcp.simulator.records import PLATFORMS, Product, no_integrations
from finerworks_mcp.simulator.rules import DELETE_INVENTORY, INVENTORY_UPDATE, LIST_INVENTORY, UPDATE_INVENTORY
from finerworks_mcp.simulator.state import SimulatorState
from finerworks_mcp.simulator.validation import Problems, Rule, as_list, as_object

PRODUCT_SORTS: dict[str, Callable[[Product], Any]] = {
    "id": lambda p: p.id,
    "sku": lambda p: (p.sku, p.id),
    "name": lambda p: (p.name.lower(), p.id),
    "title": lambda p: (p.name.lower(), p.id),
    "product_code": lambda p: (p.product_code, p.id),
    "asking_price": lambda p: (p.asking_price, p.id),
    "created_date": lambda p: (p.created, p.id),
    "date_added": lambda p: (p.created, p.id),
}
FILTER_LIMIT = 50
"""FinerWorks ignores a sku or product-code filter longer than this."""
UNCONNECTED = "none"
INTEGRATION_FIELDS = frozenset(no_integrations())


def _text_filter(body: dict[str, Any], name: str, problems: Problems) -> set[str]:
    values = problems.strings(body.get(name), name)
    return set(values) if len(values) <= FILTER_LIMIT else set()


def list_virtual_inventory(state: SimulatorState, call: Call) -> Reply:
    body = call.fields()
    problems = Problems()
    problems.check(body, LIST_INVENTORY + paging_rules(PRODUCT_SORTS))
    created_from, created_to = date_range(body, ("created_date_from", "created_date_to"), problems)
    skus = _text_filter(body, "sku_filter", problems)
    codes = _text_filter(body, "product_code_filter", problems)
    image_guids = set(problems.strings(body.get("guid_filter"), "guid_filter"))
    platforms = {
        p.lower()
        for p in problems.strings(body.get("third_party_connections_filter"), "third_party_connections_filter")
    }
    if platforms - {*PLATFORMS, UNCONNECTED}:
        allowed = ", ".join((*PLATFORMS, UNCONNECTED))
        problems.add("third_party_connections_filter", f"Unknown platform; use any of: {allowed}.")
    type_ids = as_list(body.get("product_type_ids_filter")) or []
    problems.check_each(type_ids, Rule("product_type_ids_filter", "int", required=True), "product_type_ids_filter")
    problems.raise_if_any()
    search = str(body.get("search_filter") or "").lower()

    def wanted(product: Product) -> bool:
        linked = product.platforms()
        return (
            (
                not search
                or search in f"{product.name}\n{product.sku}\n{product.product_code}\n{product.description}".lower()
            )
            and (not skus or product.sku in skus)
            and (not codes or product.product_code in codes)
            and (not image_guids or product.image_guid in image_guids)
            and (created_from is None or product.created >= created_from)
            and (created_to is None or product.created <= created_to)
            and (not platforms or bool(linked & platforms) or (UNCONNECTED in platforms and not linked))
            and (not type_ids or product.code.product_type_id in type_ids)
        )

    page, paging = paginate([p for p in state.products.values() if wanted(p)], body, PRODUCT_SORTS)
    return Reply({"products": [p.as_json() for p in page], **paging})


def _check_update(change: dict[str, Any], where: str, problems: Problems) -> None:
    problems.check(change, INVENTORY_UPDATE, where)
    links = as_object(change.get("third_party_integrations")) or {}
    # FinerWorks' own app sends bigcommerce_*, square_* and shopify_graphql_* ids beside the documented ones.
    for key in sorted(set(links) - INTEGRATION_FIELDS):
        if not key.endswith("_id"):
            problems.add(f"{where}.third_party_integrations.{key}", f"Unknown integration field {key}.")


def _apply(product: Product, change: dict[str, Any]) -> None:
    """Replace semantics, with the defaults FinerWorks' own app fills in: a field left out is reset, not kept."""
    product.asking_price = Decimal(str(change.get("asking_price") or 0))
    product.quantity_in_stock = change.get("quantity_in_stock") or 0
    track = change.get("track_inventory")
    product.track_inventory = True if track is None else track
    product.name = change.get("name") or "Untitled"
    product.description = change.get("description") or ""
    links = as_object(change.get("third_party_integrations")) or {}
    product.third_party_integrations = {**no_integrations(), **links}


def update_virtual_inventory(state: SimulatorState, call: Call) -> Reply:
    body = call.fields()
    problems = Problems()
    problems.check(body, UPDATE_INVENTORY)
    raw_changes = as_list(body.get("virtual_inventory")) or []
    changes = [problems.require_object(raw, f"virtual_inventory[{i}]") for i, raw in enumerate(raw_changes)]
    for index, change in enumerate(changes):
        if change is not None:
            _check_update(change, f"virtual_inventory[{index}]", problems)
    problems.raise_if_any()
    updated: list[Product] = []
    unknown: list[str] = []
    for change in changes:
        assert change is not None
        product = state.products.get(change["sku"])
        if product is None:
            unknown.append(change["sku"])
            continue
        _apply(product, change)
        product.updated = state.now()
        updated.append(product)
    note = f"No virtual-inventory product found for: {', '.join(unknown)}." if unknown else ""
    if not updated:
        raise Refused(note, {"products": []})
    return Reply({"products": [p.as_json() for p in updated]}, note)


def delete_virtual_inventory(state: SimulatorState, call: Call) -> Reply:
    body = call.fields()
    problems = Problems()
    problems.check(body, DELETE_INVENTORY)
    skus = problems.strings(body.get("skus"), "skus")
    problems.raise_if_any()
    known = [sku for sku in dict.fromkeys(skus) if sku in state.products]
    unknown = [sku for sku in skus if sku not in state.products]
    note = f"No virtual-inventory product found for: {', '.join(unknown)}." if unknown else ""
    if not known:
        raise Refused(note)
    disconnected = sorted({platform for sku in known for platform in state.products[sku].platforms()})
    for sku in known:
        del state.products[sku]
    done = f"Deleted {len(known)} product(s)."
    if disconnected:
        done += f" Products synced with {', '.join(disconnected)} are no longer connected to FinerWorks."
    return Reply({}, " ".join(filter(None, (done, note))))


HANDLERS = {
    "list_virtual_inventory": list_virtual_inventory,
    "update_virtual_inventory": update_virtual_inventory,
    "delete_virtual_inventory": delete_virtual_inventory,
}
