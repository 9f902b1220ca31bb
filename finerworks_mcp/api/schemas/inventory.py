"""Virtual inventory: products saved from the account's images, each with a SKU."""

from decimal import Decimal
from typing import Annotated, Self

from pydantic import AfterValidator, ConfigDict, Field, model_validator

from finerworks_mcp.api.schemas.common import Page, Strict
from finerworks_mcp.api.schemas.images import distinct, unique_by
from finerworks_mcp.api.schemas.products import Product

CodeFilter = Annotated[list[Annotated[str, Field(min_length=1, max_length=50)]] | None, Field(max_length=50)]


class Inventory(Page):
    products: list[Product] = Field(default_factory=list[Product])


MAX_INVENTORY_UPDATES = 50
"""FinerWorks: "Update up to 50 at a time"."""
MAX_SKUS_PER_DELETE = 50
"""Ours: the preview reads the products back with sku_filter, which FinerWorks ignores beyond 50 values."""

InventorySku = Annotated[str, Field(min_length=1, max_length=50, description="Virtual-inventory SKU (AP1234P1234).")]
InventorySkus = Annotated[
    list[InventorySku], Field(min_length=1, max_length=MAX_SKUS_PER_DELETE), AfterValidator(distinct)
]


def _whole_cents(price: float) -> float:
    exact = Decimal(str(price))
    if exact != exact.quantize(Decimal("0.01")):
        raise ValueError("a price has at most two decimal places (USD cents)")
    return price


AskingPrice = Annotated[float, Field(ge=0, le=1_000_000, description="USD."), AfterValidator(_whole_cents)]
ShopId = Annotated[int, Field(ge=0)]
ShopKey = Annotated[str, Field(max_length=100)]


class ThirdPartyIntegrations(Strict):
    """Shop listing ids the product is synced with; only the ids given change, and 0 disconnects. Other `*_id` keys
    (FinerWorks' own app uses bigcommerce_*, square_* and shopify_graphql_* ids) pass through unchecked."""

    model_config = ConfigDict(extra="allow")

    etsy_product_id: ShopId | None = None
    shopify_product_id: ShopId | None = None
    shopify_variant_id: ShopId | None = None
    squarespace_product_id: ShopKey | None = None
    squarespace_variant_id: ShopKey | None = None
    wix_inventory_id: ShopKey | None = None
    wix_product_id: ShopKey | None = None
    wix_variant_id: ShopKey | None = None
    woocommerce_product_id: ShopId | None = None
    woocommerce_variant_id: ShopId | None = None

    @model_validator(mode="after")
    def _only_ids(self) -> Self:
        for key, value in (self.model_extra or {}).items():
            if not key.endswith("_id") or len(key) > 60:
                raise ValueError(f"unknown integration field {key!r}: integration fields end in _id")
            if (value is not None and not isinstance(value, int | str)) or isinstance(value, bool):
                raise ValueError(f"{key} must be a shop id (a number or text)")
            if isinstance(value, str) and len(value) > 100:
                raise ValueError(f"{key} is longer than 100 characters")
        return self


class InventoryUpdate(Strict):
    sku: InventorySku
    asking_price: AskingPrice | None = None
    name: str | None = Field(default=None, min_length=1, max_length=200)
    description: str | None = Field(default=None, max_length=4000, description="HTML allowed.")
    quantity_in_stock: int | None = Field(default=None, ge=0)
    track_inventory: bool | None = None
    third_party_integrations: ThirdPartyIntegrations | None = None

    @model_validator(mode="after")
    def _changes_something(self) -> Self:
        changes = self.model_dump(exclude={"sku"}, exclude_none=True)
        if all(value == {} for value in changes.values()):  # nothing, or only an empty third_party_integrations
            raise ValueError(f"sku {self.sku}: give at least one field to change")
        return self


InventoryUpdates = Annotated[
    list[InventoryUpdate],
    Field(min_length=1, max_length=MAX_INVENTORY_UPDATES),
    unique_by("sku"),
]


class UpdateInventoryRequest(Strict):
    virtual_inventory: list[InventoryUpdate]
    account_key: str | None = None


class DeleteInventoryRequest(Strict):
    skus: list[str]
    account_key: str | None = None
