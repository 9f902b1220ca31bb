"""Plan an inventory cleanup: scan every page of the image library or the virtual inventory, keep what matches the
criteria, and describe it so a person can decide. Deleting is the guard's business: the tool proposes one batch
per FinerWorks delete call and nothing goes until a batch's token is confirmed.

FinerWorks filters on the server where it can (search, active, upload date, SKUs); every criterion with an exact
meaning is checked again here, so a filter FinerWorks ignored can never put something in a plan nobody asked for.
When a fact needed to decide is missing (no products list, an unreadable date), the item stays out of the plan.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from typing import Any, TypeVar

from pydantic import Field, model_validator

from finerworks_mcp.api.answers import read_answer, shop_names
from finerworks_mcp.api.client import FinerWorksClient
from finerworks_mcp.api.money import number, usd
from finerworks_mcp.api.schemas.common import Page, Strict
from finerworks_mcp.api.schemas.images import Image, Images, SearchFilter
from finerworks_mcp.api.schemas.inventory import Inventory, InventorySku
from finerworks_mcp.api.schemas.products import Product
from finerworks_mcp.workflows.bounded import Steps, chunked, run_bounded
from finerworks_mcp.workflows.results import (
    CleanupBatch,
    CleanupImage,
    CleanupPlan,
    CleanupProduct,
    ImageCleanup,
    ProductCleanup,
)

PER_PAGE = 50
"""FinerWorks' largest page."""
SKU_FILTER_SIZE = 50
"""FinerWorks ignores a sku_filter of more than 50 values."""
MAX_SKUS = 1000

Listing = TypeVar("Listing", bound=Page)
Item = TypeVar("Item")


class ImageCriteria(Strict):
    """Which images to remove; every criterion given must hold."""

    without_products: bool = Field(default=False, description="No inventory product is made from it.")
    inactive: bool = Field(default=False, description="Marked inactive.")
    uploaded_before: date | None = Field(default=None, description="Uploaded before this day.")
    search: SearchFilter = None

    @model_validator(mode="after")
    def _some_criterion(self) -> ImageCriteria:
        if not (self.without_products or self.inactive or self.uploaded_before or self.search):
            raise ValueError("give at least one of without_products, inactive, uploaded_before or search")
        return self


class ProductCriteria(Strict):
    """Which virtual-inventory products to remove; every criterion given must hold."""

    search: SearchFilter = None
    skus: list[InventorySku] | None = Field(default=None, max_length=MAX_SKUS)
    not_connected: bool = Field(default=False, description="Not listed in any shop (Etsy, Shopify, ...).")

    @model_validator(mode="after")
    def _some_criterion(self) -> ProductCriteria:
        if not (self.search or self.skus or self.not_connected):
            raise ValueError("give at least one of search, skus or not_connected")
        return self


def plan_summary(images: ImageCleanup | None, products: ProductCleanup | None) -> str:
    parts: list[str] = []
    if images is not None and images.items:
        going = images.products_going_with_them
        parts.append(f"{len(images.items)} image(s)" + (f" with their {going} product(s)" if going else ""))
    if products is not None and products.items:
        parts.append(f"{len(products.items)} product(s)")
    batches = sum(len(section.batches) for section in (images, products) if section is not None)
    if not parts:
        return "Delete nothing: nothing matches"
    return f"Delete {' and '.join(parts)}, in {batches} batch(es)"


async def every_page(
    client: FinerWorksClient,
    endpoint: str,
    model: type[Listing],
    request: dict[str, Any],
    items: Callable[[Listing], list[Item]],
    *,
    concurrency: int,
    steps: Steps,
) -> list[Item]:
    """Every item of a paged list: the first page says how many there are, the rest are fetched concurrently."""

    def page(number_: int) -> functools.partial[Any]:
        return functools.partial(
            read_answer, client, endpoint, model, body={**request, "page_number": number_, "per_page": PER_PAGE}
        )

    steps.expect(1)
    first: Listing = await page(1)()
    pages = math.ceil(first.count / PER_PAGE) if first.count is not None else None
    steps.expect(max(0, (pages or 1) - 1))
    await steps.step()
    found = list(items(first))
    if pages is not None:
        calls = [page(n) for n in range(2, pages + 1)]
        rest: list[Listing] = await run_bounded(calls, concurrency, after_each=steps.step)
        return found + [item for listing in rest for item in items(listing)]
    # Without a total, keep going until a page comes back short.
    number_, latest = 1, found
    while len(latest) == PER_PAGE:
        number_ += 1
        steps.expect(1)
        latest = items(await page(number_)())
        await steps.step()
        found += latest
    return found


async def find_images(
    client: FinerWorksClient, criteria: ImageCriteria, *, account_key: str | None, concurrency: int, steps: Steps
) -> ImageCleanup:
    library: dict[str, Any] = {"name": "inventory"}
    if account_key:
        library["account_key"] = account_key
    request: dict[str, Any] = {"library": library, "list_products": True, "sort_field": "id", "sort_direction": "ASC"}
    if criteria.search:
        request["search_filter"] = criteria.search
    if criteria.inactive:
        request["active"] = False
    if criteria.uploaded_before:
        # FinerWorks' upload_date_to includes that whole day; "before" does not.
        request["upload_date_to"] = (criteria.uploaded_before - timedelta(days=1)).isoformat()
    listed = _distinct(
        await every_page(
            client, "list_images", Images, request, lambda p: p.images, concurrency=concurrency, steps=steps
        ),
        lambda image: image.guid,
    )
    matched = [image for image in listed if _image_matches(image, criteria)]
    return ImageCleanup(
        criteria=describe_images(criteria),
        listed=len(listed),
        matched=len(matched),
        products_going_with_them=sum(len(image.products or []) for image in matched),
        items=[_image_item(image) for image in matched],
    )


def _image_matches(image: Image, criteria: ImageCriteria) -> bool:
    if criteria.inactive and image.active is not False:
        return False
    if criteria.without_products and image.products != []:
        return False
    if criteria.uploaded_before:
        uploaded = _day(image.date_added)
        return uploaded is not None and uploaded < criteria.uploaded_before
    return True


def _day(moment: str | None) -> date | None:
    try:
        return date.fromisoformat(moment[:10]) if moment else None
    except ValueError:
        return None


def _image_item(image: Image) -> CleanupImage:
    uploaded = _day(image.date_added)
    return CleanupImage(
        guid=image.guid or "",
        title=image.title,
        file_name=image.file_name,
        uploaded=uploaded.isoformat() if uploaded else image.date_added,
        active=image.active,
        products=len(image.products) if image.products is not None else None,
        thumbnail=image.public_thumbnail_uri,
    )


async def find_products(
    client: FinerWorksClient,
    criteria: ProductCriteria,
    *,
    account_key: str | None,
    concurrency: int,
    steps: Steps,
    going_with_images: set[str],
) -> ProductCleanup:
    request: dict[str, Any] = {"sort_field": "id", "sort_direction": "ASC"}
    if criteria.search:
        request["search_filter"] = criteria.search
    if account_key:
        request["account_key"] = account_key
    skus = list(dict.fromkeys(criteria.skus or []))
    requests = [{**request, "sku_filter": list(chunk)} for chunk in chunked(skus, SKU_FILTER_SIZE)] or [request]
    listed: list[Product] = []
    for each in requests:
        products = await every_page(
            client, "list_virtual_inventory", Inventory, each, _products_of, concurrency=concurrency, steps=steps
        )
        listed += products
    listed = _distinct(listed, lambda product: product.sku)
    wanted = set(skus)
    matched = [product for product in listed if _product_matches(product, criteria, wanted)]
    kept = [product for product in matched if product.image_guid not in going_with_images]
    seen = {product.sku for product in listed}
    return ProductCleanup(
        criteria=describe_products(criteria),
        listed=len(listed),
        matched=len(matched),
        going_with_images=len(matched) - len(kept),
        skus_not_found=[sku for sku in skus if sku not in seen],
        items=[_product_item(product) for product in kept],
    )


def _products_of(page: Inventory) -> list[Product]:
    return page.products


def _product_matches(product: Product, criteria: ProductCriteria, wanted: set[str]) -> bool:
    if wanted and product.sku not in wanted:
        return False
    # A product whose shop links FinerWorks did not report might still be listed somewhere: leave it.
    return not criteria.not_connected or (
        product.third_party_integrations is not None and not shop_names(product.third_party_integrations)
    )


def _product_item(product: Product) -> CleanupProduct:
    linked = shop_names(product.third_party_integrations)
    thumbnail = (product.model_extra or {}).get("image_url_1")
    return CleanupProduct(
        sku=product.sku or "",
        name=product.name,
        product_code=product.product_code,
        image_guid=product.image_guid,
        shops=linked or None,
        asking_price=number(usd(product.asking_price)) if product.asking_price is not None else None,
        thumbnail=thumbnail if isinstance(thumbnail, str) else None,
    )


def _distinct(items: Sequence[Item], key: Callable[[Item], str | None]) -> list[Item]:
    """Each item once (a page can repeat an item when the list changes during the scan); keyless items are
    dropped, since nothing could delete them."""
    seen: dict[str, Item] = {}
    for item in items:
        found = key(item)
        if found:
            seen.setdefault(found, item)
    return list(seen.values())


def describe_images(criteria: ImageCriteria) -> str:
    parts = ["with no products"] if criteria.without_products else []
    parts += ["inactive"] if criteria.inactive else []
    parts += [f"uploaded before {criteria.uploaded_before.isoformat()}"] if criteria.uploaded_before else []
    parts += [f"matching '{criteria.search}'"] if criteria.search else []
    return "images " + ", ".join(parts)


def describe_products(criteria: ProductCriteria) -> str:
    parts = [f"{len(criteria.skus)} SKU(s) named"] if criteria.skus else []
    parts += [f"matching '{criteria.search}'"] if criteria.search else []
    parts += ["not connected to any shop"] if criteria.not_connected else []
    return "products " + ", ".join(parts)


NOTHING_TO_DO = "Nothing matches, so there is nothing to confirm. Tell the person, or try other criteria."
NEXT_STEP = (
    "Nothing has been deleted. Show the person the plan; for each batch they approve, call confirm_action with "
    "that batch's token (one call per batch). Tokens they do not approve can be dropped with cancel_action."
)


def cleanup_text(plan: CleanupPlan) -> str:
    """Every item of every batch, one short line each, under the token that deletes it: the person approves a
    token knowing exactly what it removes."""
    text = [f"Cleanup plan: {plan.summary}. Nothing has been deleted yet."]
    if plan.images is not None:
        section = plan.images
        going = section.products_going_with_them
        products = f", and the {going} product(s) made from them go too" if going else ""
        text.append(
            f"{_capital(section.criteria)}: {section.matched} of the {section.listed} images checked{products}."
        )
        lines = {image.guid: _image_text(image) for image in section.items}
        text += _batches_text(section.batches, lines, "image")
    if plan.products is not None:
        section = plan.products
        going = f"; {section.going_with_images} more go with the images above" if section.going_with_images else ""
        text.append(
            f"{_capital(section.criteria)}: {len(section.items)} of the {section.listed} products checked{going}."
        )
        if section.skus_not_found:
            text.append(f"  Not in the inventory: {', '.join(section.skus_not_found)}.")
        lines = {product.sku: _product_text(product) for product in section.items}
        text += _batches_text(section.batches, lines, "product")
    text.append(plan.next)
    return "\n".join(text)


def _batches_text(batches: Sequence[CleanupBatch], lines: dict[str, str], noun: str) -> list[str]:
    text: list[str] = []
    for batch in batches:
        what = f"Batch {batch.batch} of {len(batches)}, {batch.count} {noun}(s)"
        if batch.confirmation_token is None:
            text.append(f"{what}, cannot be confirmed: {'; '.join(batch.blocked_by or [])}")
        else:
            text.append(f"{what}, token {batch.confirmation_token}:")
        text += [lines.get(key, f"  - {key}") for key in batch.keys]
    return text


def _image_text(image: CleanupImage) -> str:
    # The title is what a person recognises; the guid only when there is none. The day is enough to tell apart.
    products = f", {image.products} product(s)" if image.products else ""
    name = f"'{image.title}'" if image.title else image.guid
    return f"  - {name} {image.uploaded or ''}{products}".rstrip()


def _product_text(product: CleanupProduct) -> str:
    shops = f" ({', '.join(product.shops)})" if product.shops else ""
    return f"  - {product.sku} {product.name or ''}{shops}".rstrip()


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]
