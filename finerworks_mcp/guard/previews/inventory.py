"""Previews of the virtual-inventory writes: the exact products changed or deleted, and their shop listings."""

from __future__ import annotations

from collections import Counter
from typing import Any

from finerworks_mcp.api.answers import find_by_key, request_body, shop_names
from finerworks_mcp.api.client import FinerWorksClient
from finerworks_mcp.api.schemas.inventory import (
    DeleteInventoryRequest,
    Inventory,
    InventoryUpdate,
    UpdateInventoryRequest,
)
from finerworks_mcp.api.schemas.products import Product
from finerworks_mcp.guard.core import Preview
from finerworks_mcp.guard.previews.common import (
    Change,
    changes_detail,
    disconnected,
    in_order,
    money,
    not_found_note,
    plural,
    quoted,
    summary,
    unknown,
    update_summary,
)
from finerworks_mcp.guard.writes import previewer


async def products_by_sku(client: FinerWorksClient, skus: list[str], account_key: str | None) -> dict[str, Product]:
    return await find_by_key(
        client,
        "list_virtual_inventory",
        Inventory,
        lambda chunk: request_body(sku_filter=chunk, account_key=account_key),
        lambda page: page.products,
        lambda product: product.sku,
        skus,
    )


def _sku_check(skus: list[str]) -> str:
    return f"list_virtual_inventory with sku_filter {skus}"


def _description(product: Product) -> object:
    extra = product.model_extra or {}
    return extra.get("description_long") or extra.get("description_short") or extra.get("description")


def _changes(product: Product, change: InventoryUpdate) -> list[Change]:
    fields: list[Change] = []
    if change.asking_price is not None:
        fields.append(Change("price", product.asking_price, change.asking_price, show=money))
    if change.quantity_in_stock is not None:
        fields.append(Change("stock", product.quantity_in_stock, change.quantity_in_stock))
    if change.track_inventory is not None:
        fields.append(Change("track_inventory", product.track_inventory, change.track_inventory))
    if change.name is not None:
        fields.append(Change("name", product.name, change.name))
    if change.description is not None:
        fields.append(Change("description", _description(product), change.description, in_summary=False))
    links = change.third_party_integrations
    if links is not None:
        current = product.third_party_integrations or {}
        for field, new in links.model_dump(exclude_none=True).items():
            fields.append(Change(field, current.get(field), new))
    return fields


@previewer(
    "update_virtual_inventory",
    check=lambda body: _sku_check([item["sku"] for item in body["virtual_inventory"]]),
    recheck=False,
)
async def preview_update_virtual_inventory(client: FinerWorksClient, body: Any) -> Preview:
    request = UpdateInventoryRequest.model_validate(body)
    skus = [change.sku for change in request.virtual_inventory]
    found = await products_by_sku(client, skus, request.account_key)
    missing = unknown(skus, found)
    items: list[tuple[str, list[Change]]] = []
    listed: list[dict[str, Any]] = []
    for change in request.virtual_inventory:
        product = found.get(change.sku)
        if product is None:
            continue
        fields = _changes(product, change)
        items.append((f"{change.sku} ({product.name})", fields))
        listed.append({"sku": change.sku, "name": product.name, **changes_detail(fields)})
    details: dict[str, Any] = {"products": listed}
    if missing:
        details["not_found"] = missing
    # An update naming a product that does not exist would fail at FinerWorks: no token for it.
    blockers = [f"No virtual-inventory product has these SKUs: {', '.join(missing)}; check them with "
                "list_virtual_inventory, or leave them out."] if missing else []  # fmt: skip
    return Preview(
        summary=summary(client, update_summary("product", items) + not_found_note(len(missing), "SKU")),
        details=details,
        blockers=blockers,
    )


@previewer("delete_virtual_inventory", check=lambda body: _sku_check(body["skus"]), recheck=False)
async def preview_delete_virtual_inventory(client: FinerWorksClient, body: Any) -> Preview:
    request = DeleteInventoryRequest.model_validate(body)
    found = await products_by_sku(client, request.skus, request.account_key)
    missing = unknown(request.skus, found)
    listings: Counter[str] = Counter()
    going: list[dict[str, Any]] = []
    for product in in_order(request.skus, found):
        linked = shop_names(product.third_party_integrations)
        listings.update(linked)
        going.append(
            {
                "sku": product.sku,
                "name": product.name,
                "product_code": product.product_code,
                "image_guid": product.image_guid,
                "asking_price": money(product.asking_price),
                **({"shops": linked} if linked else {}),
            }
        )
    details: dict[str, Any] = {"products": going, "listings_disconnected": dict(listings)}
    if missing:
        details["not_found"] = missing
    if not found:
        return Preview(
            summary=summary(client, f"Delete nothing: {plural(len(missing), 'SKU')} not found"),
            details=details,
            blockers=[f"No virtual-inventory product has these SKUs: {', '.join(missing)}."],
        )
    only = next(iter(found.values()))
    what = f"product {only.sku} {quoted([only.name])}" if len(found) == 1 else plural(len(found), "product")
    line = f"Delete {what}{disconnected(listings)}{not_found_note(len(missing), 'SKU')}"
    return Preview(summary=summary(client, line), details=details)
