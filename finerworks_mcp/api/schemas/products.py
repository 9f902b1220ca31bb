"""Prices and products: the shapes get_prices, get_product_details and the inventory endpoints share."""

from pydantic import Field

from finerworks_mcp.api.schemas.common import Count, ProductSku, Quantity, Strict, Upstream


class ProductImage(Strict):
    """Print file for a product code; inventory SKUs carry their own."""

    pixel_width: int = Field(ge=1)
    pixel_height: int = Field(ge=1)
    product_url_file: str | None = Field(default=None, max_length=500)
    product_url_thumbnail: str | None = Field(default=None, max_length=500)


class PriceLine(Upstream):
    """One priced line in USD; `total_price` covers every copy and all add-ons."""

    product_sku: str | None = None
    product_code: str | None = None
    product_qty: Count | None = None
    product_price: float | None = None
    add_frame_price: float | None = None
    add_mat_1_price: float | None = None
    add_mat_2_price: float | None = None
    add_glazing_price: float | None = None
    add_color_correct_price: float | None = None
    total_price: float | None = None
    info: str | None = None


class Product(Upstream):
    """A virtual-inventory product (a saved product code on one of the account's images)."""

    id: int | None = None
    sku: str | None = None
    product_code: str | None = None
    image_guid: str | None = None
    name: str | None = None
    asking_price: float | None = None
    per_item_price: float | None = None
    quantity_in_stock: Count | None = None
    track_inventory: bool | None = None
    third_party_integrations: dict[str, object] | None = None


class PricedItem(Strict):
    product_sku: ProductSku
    product_qty: Quantity = 1


class ProductRequest(PricedItem):
    product_image: ProductImage | None = None
    product_title: str | None = Field(default=None, max_length=50)
