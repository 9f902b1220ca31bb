"""Previews of the virtual-inventory writes: the exact products changed or deleted, and their shop listings."""

from __future__ import annotations

from collections import Counter
from typing import Any

from finerworks_mcp.api.answers import find_by_key, request_body, shop_names
from finerworks_mcp.api.client import FinerWorksClient
from finerworks_mcp.api.schemas.inventory import DeleteInventoryRequest, Inventory, InventoryUpdate
from finerworks_mcp.api.schemas.products import Product
from finerworks_mcp.guard.core import Preview
from finerworks_mcp.guard.merges import merged_product, not_checked, product_record, records_fingerprint, unreported
from finerworks_mcp.guard.previews.common import (
    Change,
    changes_detail,
    disconnected,
    in_order,
    money,
    not_found_note,
    plural,
    quoted,
    shown_value,
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


PRODUCT_FIELDS = (
    ("asking_price", "price"),
    ("quantity_in_stock", "stock"),
    ("track_inventory", "track_inventory"),
    ("name", "name"),
    ("description", "description"),
)
"""update_virtual_inventory's fields, each with the word a person reads."""


async def merged_inventory(
    client: FinerWorksClient, changes: list[InventoryUpdate], account_key: str | None
) -> list[dict[str, Any]]:
    """The whole records to send: each product as FinerWorks has it now, with the change laid over it."""
    found = await products_by_sku(client, [change.sku for change in changes], account_key)
    return [merged_product(change, found.get(change.sku)) for change in changes]


def _changes(product: Product, sent: dict[str, Any]) -> list[Change]:
    current = product_record(product)
    fields: list[Change] = []
    for field, label in PRODUCT_FIELDS:
        if field in sent:
            show = money if field == "asking_price" else shown_value
            fields.append(Change(label, current.get(field), sent[field], show=show, in_summary=field != "description"))
    links_now = dict(product.third_party_integrations or {})
    for field, new in dict(sent.get("third_party_integrations") or {}).items():
        if links_now.get(field) != new:
            fields.append(Change(field, links_now.get(field), new))
    return fields


@previewer(
    "update_virtual_inventory",
    check=lambda body: _sku_check([item["sku"] for item in body["virtual_inventory"]]),
    recheck=True,
)
async def preview_update_virtual_inventory(client: FinerWorksClient, body: Any) -> Preview:
    sent: list[dict[str, Any]] = body["virtual_inventory"]
    skus = [str(item["sku"]) for item in sent]
    found = await products_by_sku(client, skus, body.get("account_key"))
    missing = unknown(skus, found)
    items: list[tuple[str, list[Change]]] = []
    listed: list[dict[str, Any]] = []
    not_reported: dict[str, list[str]] = {}
    for item in sent:
        product = found.get(str(item["sku"]))
        if product is None:
            continue
        fields = _changes(product, item)
        items.append((f"{item['sku']} ({product.name})", fields))
        listed.append({"sku": item["sku"], "name": product.name, **changes_detail([f for f in fields if f.changes])})
        gaps = unreported(product_record(product), [field for field, _ in PRODUCT_FIELDS])
        if gaps:
            not_reported[str(item["sku"])] = gaps
    details: dict[str, Any] = {
        "products": listed,
        "sent": "each product's whole record: the fields not changed are sent as FinerWorks has them now",
    }
    if not_reported:
        details["not_checked"] = not_checked(not_reported)
    if missing:
        details["not_found"] = missing
    # An update naming a product that does not exist would fail at FinerWorks: no token for it.
    blockers = [f"No virtual-inventory product has these SKUs: {', '.join(missing)}; check them with "
                "list_virtual_inventory, or leave them out."] if missing else []  # fmt: skip
    return Preview(
        summary=summary(client, update_summary("product", items) + not_found_note(len(missing), "SKU")),
        details=details,
        blockers=blockers,
        fingerprint=records_fingerprint({sku: product_record(product) for sku, product in found.items()}),
    )


# Re-checked at confirm (issue 11.5): a product that changed since the preview is not deleted unseen.
@previewer("delete_virtual_inventory", check=lambda body: _sku_check(body["skus"]), recheck=True)
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
    return Preview(summary=summary(client, line), details=details, fingerprint=records_fingerprint({"products": going}))
