"""Orders: production status, status definitions, shipping quotes and address checks."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from finerworks_mcp.schemas.common import Address, Strict, Upstream
from finerworks_mcp.schemas.products import PriceLine, ProductRequest

OrderPo = Annotated[str, Field(min_length=1, max_length=50, description="The customer's own order reference.")]
ShippingCode = Annotated[
    str,
    Field(
        min_length=1,
        max_length=10,
        description="EC economy, SD ground, FS fastest, or a code from list_shipping_options_multiple.",
    ),
]


class OrderRequest(Strict):
    """An order as FinerWorks spells it: who receives it, what is in it, how it ships."""

    order_po: OrderPo
    recipient: Address
    order_items: list[ProductRequest] = Field(min_length=1, max_length=100)
    shipping_code: ShippingCode = "SD"


class PostalAddress(Upstream):
    """An address FinerWorks returned (normalised recipient, billing or business address)."""

    first_name: str | None = None
    last_name: str | None = None
    company_name: str | None = None
    address_1: str | None = None
    address_2: str | None = None
    city: str | None = None
    state_code: str | None = None
    province: str | None = None
    zip_postal_code: str | None = None
    country_code: str | None = None


class Shipment(Upstream):
    carrier: str | None = None
    service: str | None = None
    tracking_number: str | None = None
    tracking_url: str | None = None
    shipment_date: str | None = None
    eta_date: str | None = None
    delivery_date: str | None = None


class OrderStatus(Upstream):
    order_id: int | None = None
    order_po: str | None = None
    order_confirmation_id: int | None = None
    order_status_id: int | None = None
    order_status_label: str | None = None
    shipments: list[Shipment] | None = None


class OrderStatuses(Upstream):
    orders: list[OrderStatus] = Field(default_factory=list[OrderStatus])


class StatusDefinition(Upstream):
    order_status_id: int
    order_status_label: str | None = None


class StatusDefinitions(Upstream):
    definitions: list[StatusDefinition] = Field(default_factory=list[StatusDefinition])


class OrderTotal(Upstream):
    """What the order would cost with this option, in USD."""

    order_subtotal: float | None = None
    order_shipping_rate: float | None = None
    order_sales_tax: float | None = None
    order_discount: float | None = None
    order_grand_total: float | None = None
    product_pricing: list[PriceLine] | None = None


class ShippingOption(Upstream):
    id: int | None = None
    shipping_code: str | None = None
    shipping_method: str | None = None
    carrier: str | None = None
    rate: float | None = None
    calculated_total: OrderTotal | None = None


class OrderShipping(Upstream):
    order_po: str | None = None
    options: list[ShippingOption] = Field(default_factory=list[ShippingOption])


class ShippingOptions(Upstream):
    orders: list[OrderShipping] = Field(default_factory=list[OrderShipping])


class AddressCheck(Upstream):
    address: PostalAddress | None = None
