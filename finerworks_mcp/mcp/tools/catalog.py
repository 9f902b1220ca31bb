"""Catalog tools: what FinerWorks prints on, in which styles and sizes, and at what price."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from finerworks_mcp.api.answers import request_body
from finerworks_mcp.api.schemas.catalog import MediaTypes, Prices, ProductDetails, ProductTypes, StyleTypes
from finerworks_mcp.api.schemas.common import AccountKey
from finerworks_mcp.api.schemas.products import PricedItem, ProductRequest
from finerworks_mcp.mcp.context import Ctx
from finerworks_mcp.mcp.tools.base import Toolset, acting_account, fetch, reference

catalog = Toolset("catalog", "product, media and style types; prices and product details")

Ids = Annotated[list[int] | None, Field(max_length=100, description="Only these ids; omit for all.")]


@catalog.read("Get prices")
async def get_prices(
    ctx: Ctx,
    products: Annotated[list[PricedItem], Field(min_length=1, max_length=50)],
    account_key: AccountKey = None,
) -> Prices:
    """Raw FinerWorks price lines for 1-50 codes or SKUs, add-ons broken out. To quote a job, use quote_prices."""
    result = await fetch(
        ctx, "get_prices", Prices, json=request_body(products=products, account_key=acting_account(ctx, account_key))
    )
    priced = {key for line in result.prices for key in (line.product_sku, line.product_code) if key}
    result.not_found = [item.product_sku for item in products if item.product_sku not in priced]
    return result


@catalog.read("Get product details")
async def get_product_details(
    ctx: Ctx, products: Annotated[list[ProductRequest], Field(min_length=1, max_length=25)]
) -> ProductDetails:
    """Details and pricing for 1-25 product codes or SKUs (name, size, description, prices)."""
    return await fetch(ctx, "get_product_details", ProductDetails, json=request_body(products=products)["products"])


@catalog.read("List product types")
async def list_product_types(ctx: Ctx, ids: Ids = None) -> ProductTypes:
    """Product types (canvas, paper prints, ...) with the media each offers. Start here to build a product code."""
    return await reference(ctx, "product-types", ProductTypes, ids=ids)


@catalog.read("List media types")
async def list_media_types(ctx: Ctx, ids: Ids = None) -> MediaTypes:
    """Media (papers, canvases) with their product type and the style ids they allow."""
    return await reference(ctx, "media-types", MediaTypes, ids=ids)


@catalog.read("List style types")
async def list_style_types(ctx: Ctx, ids: Ids = None) -> StyleTypes:
    """Styles (borders, wraps) with sizes in inches: fixed available_sizes, or custom within min/max."""
    return await reference(ctx, "style-types", StyleTypes, ids=ids)
