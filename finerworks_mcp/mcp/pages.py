"""Pages of images and inventory products, compact by default: one short line per item the assistant acts on
(its id, name, size or price, what uses it), and the same few fields in the structured content.

FinerWorks returns every image with six file names and web addresses, and every product with its descriptions,
pictures, price breakdown and ten shop ids: a page of 10 images cost about 3,400 cl100k tokens, 50 products about
10,000. `detail: "full"` returns everything FinerWorks sent, as before; bench and tests/test_answer_budget.py hold
the compact budgets.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any, Literal

from mcp.types import CallToolResult
from pydantic import Field

from finerworks_mcp.api.answers import shop_names
from finerworks_mcp.api.money import shown, usd
from finerworks_mcp.api.schemas.common import Page
from finerworks_mcp.api.schemas.images import Image, Images
from finerworks_mcp.api.schemas.inventory import Inventory
from finerworks_mcp.api.schemas.products import Product
from finerworks_mcp.mcp.content import Thumbnail, thumbnail_links, tool_result

Detail = Annotated[
    Literal["compact", "full"],
    Field(description="compact: the fields to act on; full: every field FinerWorks returned (file names, URLs...)."),
]
IMAGE_FIELDS = ("guid", "title", "pix_w", "pix_h", "date_added", "active")
PRODUCT_FIELDS = ("sku", "product_code", "name", "image_guid", "asking_price", "per_item_price")
FULL_DETAIL = 'detail "full" adds every field FinerWorks returned.'


def images_page(found: Images, detail: str) -> CallToolResult:
    if detail == "full":
        thumbnails = (Thumbnail(i.public_thumbnail_uri, i.guid or str(i.id), i.title) for i in found.images)
        return tool_result(found, *thumbnail_links(thumbnails))
    compact = found.model_copy(update={"images": [_compact_image(image) for image in found.images]})
    lines = [_page_line(found, len(found.images), "image"), *(_image_line(image) for image in found.images)]
    return tool_result(compact, text="\n".join(lines))


def inventory_page(found: Inventory, detail: str) -> CallToolResult:
    if detail == "full":
        return tool_result(found)
    compact = found.model_copy(update={"products": [_compact_product(product) for product in found.products]})
    lines = [_page_line(found, len(found.products), "product"), *(_product_line(p) for p in found.products)]
    return tool_result(compact, text="\n".join(lines))


def _page_line(page: Page, shown: int, noun: str) -> str:
    first = ((page.page_number or 1) - 1) * (page.per_page or shown) + 1
    span = f"{first}-{first + shown - 1}" if shown else "none"
    more = (page.count or 0) > first + shown - 1
    after = f" Next page: page_number {(page.page_number or 1) + 1}." if more and shown else ""
    return f"{noun.title()}s {span} of {page.count if page.count is not None else '?'}.{after} {FULL_DETAIL}"


def _only(model: Image | Product, fields: Sequence[str]) -> dict[str, Any]:
    return {name: getattr(model, name) for name in fields if getattr(model, name) is not None}


def _compact_product(product: Product) -> Product:
    kept = _only(product, PRODUCT_FIELDS)
    if product.track_inventory:
        kept |= {"track_inventory": True, "quantity_in_stock": product.quantity_in_stock}
    shops = shop_names(product.third_party_integrations)
    return Product.model_validate(kept | ({"shops": shops} if shops else {}))


def _compact_image(image: Image) -> Image:
    kept = _only(image, IMAGE_FIELDS)
    if image.products is not None:
        kept["products"] = [_only(product, ("sku", "product_code")) for product in image.products]
    return Image.model_validate(kept)


def _image_line(image: Image) -> str:
    size = f"{image.pix_w}x{image.pix_h} px" if image.pix_w and image.pix_h else "size unknown"
    parts = [image.guid or str(image.id), f"'{image.title or '(untitled)'}'", size, (image.date_added or "")[:10]]
    if image.active is False:
        parts.append("inactive")
    if image.products is not None:
        skus = [product.sku or product.product_code or "?" for product in image.products]
        parts.append(f"products: {', '.join(skus)}" if skus else "no products")
    return "- " + " | ".join(part for part in parts if part)


def _product_line(product: Product) -> str:
    price = f"asks {shown(usd(product.asking_price))}, costs {shown(usd(product.per_item_price))}"
    parts = [product.sku or str(product.id), f"'{product.name or '(unnamed)'}'", product.product_code or "", price]
    if product.track_inventory:
        parts.append(f"stock {product.quantity_in_stock}")
    shops = shop_names(product.third_party_integrations)
    parts.append(f"in {', '.join(shops)}" if shops else "in no shop")
    parts.append(f"image {product.image_guid}" if product.image_guid else "")
    return "- " + " | ".join(part for part in parts if part)
