"""Whole-record updates (issue 12, point 2): read the current record, lay the change over it, send all of it.

FinerWorks documents neither patch nor replace semantics for update_virtual_inventory, update_images and
update_app_details, and its own app sends whole items: a partial update could reset what the caller did not mention
(price-only edit -> stock 0, name 'Untitled', shop links gone). A merged record is safe under either semantics.

A field FinerWorks did not report is left out of the merged record rather than guessed; the preview names it.
The merge runs when the write is proposed, so the stored (and signed) request is exactly what will be sent; the
preview fingerprints the records it read, and the confirm re-reads them and refuses if they changed meanwhile.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from typing import Any

from finerworks_mcp.api.schemas.account import AppDetails, AppDetailsChange
from finerworks_mcp.api.schemas.images import Image, ImageUpdate
from finerworks_mcp.api.schemas.inventory import InventoryUpdate
from finerworks_mcp.api.schemas.products import Product

RECORDS_PREFIX = "records:"


def records_fingerprint(records: Mapping[str, Any]) -> str:
    """A short digest of what a preview showed of the records it read (the fields the write sends or the person
    sees, not timestamps or prices that move by themselves), so a confirm can tell whether any of it changed."""
    digest = hashlib.sha256(json.dumps(records, sort_keys=True, default=str).encode()).hexdigest()[:16]
    return f"{RECORDS_PREFIX}{digest}"


def product_description(product: Product) -> object:
    extra = product.model_extra or {}
    return extra.get("description_long") or extra.get("description") or extra.get("description_short")


def _present(fields: Mapping[str, object]) -> dict[str, object]:
    return {key: value for key, value in fields.items() if value is not None}


def product_record(product: Product) -> dict[str, object]:
    """What update_virtual_inventory takes, as FinerWorks reports it now (unreported fields left out)."""
    return _present(
        {
            "asking_price": product.asking_price,
            "name": product.name,
            "description": product_description(product),
            "quantity_in_stock": product.quantity_in_stock,
            "track_inventory": product.track_inventory,
            "third_party_integrations": dict(product.third_party_integrations)
            if product.third_party_integrations is not None
            else None,
        }
    )


def merged_product(change: InventoryUpdate, product: Product | None) -> dict[str, Any]:
    given = change.model_dump(mode="json", exclude_none=True)
    if product is None:
        return given  # the preview blocks or names it; nothing to merge with
    current = product_record(product)
    links = {**dict(current.get("third_party_integrations") or {}), **given.get("third_party_integrations", {})}  # type: ignore[arg-type]
    merged: dict[str, Any] = {**current, **given}
    if links:
        merged["third_party_integrations"] = links
    return {"sku": change.sku, **{key: value for key, value in merged.items() if key != "sku"}}


def image_record(image: Image) -> dict[str, object]:
    return _present({"title": image.title, "description": image.description})


def merged_image(change: ImageUpdate, image: Image | None) -> dict[str, Any]:
    given = change.model_dump(mode="json", exclude_none=True)
    if image is None:
        return given
    return {"guid": change.guid, **image_record(image), **{k: v for k, v in given.items() if k != "guid"}}


def app_record(app: AppDetails | None) -> dict[str, object]:
    if app is None:
        return {}
    extra = app.model_extra or {}
    return _present(
        {
            "app_name": app.app_name,
            "app_description": extra.get("app_description"),
            "app_misc_data": extra.get("app_misc_data"),
            "app_live_mode": app.app_live_mode,
        }
    )


def merged_app(change: AppDetailsChange, app: AppDetails | None) -> dict[str, Any]:
    return {**app_record(app), **change.model_dump(mode="json", exclude_none=True)}


def unreported(record: Mapping[str, object], fields: Sequence[str]) -> list[str]:
    """The fields FinerWorks did not report, which a merged record therefore leaves out."""
    return [field for field in fields if field not in record]


def not_checked(not_reported: Mapping[str, Sequence[str]]) -> dict[str, str]:
    """What a preview tells the person about fields FinerWorks did not report, per record (guid or SKU)."""
    return {
        key: f"FinerWorks did not report {', '.join(gaps)}; left out of the request, so FinerWorks decides"
        for key, gaps in not_reported.items()
    }
