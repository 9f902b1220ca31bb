"""Answers of the catalog endpoints: product, media and style types, prices, product details."""

from pydantic import Field

from finerworks_mcp.api.schemas.common import Upstream
from finerworks_mcp.api.schemas.products import PriceLine, Product


class Size(Upstream):
    width: float | None = None
    height: float | None = None


class ProductType(Upstream):
    id: int
    name: str | None = None
    description: str | None = None
    media_ids: list[int] | None = None


class MediaType(Upstream):
    id: int
    product_type_id: int | None = None
    name: str | None = None
    description: str | None = None
    style_ids: list[int] | None = None


class StyleType(Upstream):
    id: int
    name: str | None = None
    description: str | None = None
    can_frame: bool | None = None
    custom_sizing: bool | None = None
    min: Size | None = None
    max: Size | None = None
    available_sizes: list[Size] | None = None


class ProductTypes(Upstream):
    product_types: list[ProductType] = Field(default_factory=list[ProductType])


class MediaTypes(Upstream):
    media_types: list[MediaType] = Field(default_factory=list[MediaType])


class StyleTypes(Upstream):
    style_types: list[StyleType] = Field(default_factory=list[StyleType])


class Prices(Upstream):
    prices: list[PriceLine] = Field(default_factory=list[PriceLine])
    not_found: list[str] = Field(default_factory=list[str])
    """Requested codes or SKUs FinerWorks returned no price for."""


class ProductDetails(Upstream):
    product_list: list[Product] = Field(default_factory=list[Product])
