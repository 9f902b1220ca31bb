"""Orders: production status, status definitions, shipping quotes, address checks, and the order writes."""

from datetime import date
from typing import Annotated, Literal

from pydantic import AfterValidator, Field

from finerworks_mcp.api.schemas.common import Address, Strict, Upstream
from finerworks_mcp.api.schemas.products import PriceLine, ProductRequest

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
    order_expedite_fee: float | None = None
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


# Writes: submit_orders_v2, update_order, update_customer and submit_note (limits from reference §2.6 and §3.2).


class CustomsTaxInfo(Strict):
    """The recipient's tax number, for international orders."""

    tax_id: str = Field(min_length=1, max_length=50)
    tax_type: Literal[0, 1, 2] = Field(description="0 VAT, 1 IOSS, 2 other.")


class Recipient(Address):
    # Whom an order ships to: FinerWorks refuses an order whose recipient has no first or last name.

    first_name: str = Field(min_length=1, max_length=50)  # pyright: ignore[reportIncompatibleVariableOverride]
    last_name: str = Field(min_length=1, max_length=50)  # pyright: ignore[reportIncompatibleVariableOverride]


class OrderSubmission(OrderRequest):
    """An order to place: the quoted order plus what FinerWorks takes only when ordering."""

    recipient: Recipient  # pyright: ignore[reportIncompatibleVariableOverride]

    ship_by_date: date | None = None
    customs_tax_info: CustomsTaxInfo | None = None
    gift_message: str | None = Field(default=None, max_length=500, description="Printed on the packing slip.")
    test_mode: bool | None = Field(default=None, description="True: FinerWorks does not produce or bill it.")
    webhook_order_status_url: str | None = Field(default=None, max_length=500)
    document_url: str | None = Field(default=None, max_length=200, description="One-page JPG or PDF, 8.5x11 in.")
    acct_number_ups: str | None = Field(default=None, max_length=50, description="Ship on your own UPS account.")
    acct_number_fedex: str | None = Field(default=None, max_length=50)
    custom_data_1: str | None = Field(default=None, max_length=255)
    custom_data_2: str | None = Field(default=None, max_length=255)
    custom_data_3: str | None = Field(default=None, max_length=255)


def _distinct_pos(orders: list[OrderSubmission]) -> list[OrderSubmission]:
    seen: set[str] = set()
    for order in orders:
        if order.order_po in seen:
            raise ValueError(f"order_po {order.order_po!r} appears twice; every order needs its own order_po")
        seen.add(order.order_po)
    return orders


OrderSubmissions = Annotated[list[OrderSubmission], Field(min_length=1, max_length=50), AfterValidator(_distinct_pos)]
PaymentToken = Annotated[
    str,
    Field(
        min_length=1,
        max_length=100,
        description="'xxxx' for test orders (nothing billed); 'invoice' to pay later (qualifying accounts); or a "
        "payment-method token from the account's BrainTree payment profile (get_user: payment_profile_id).",
    ),
]
OrderId = Annotated[
    int, Field(ge=1, description="FinerWorks' order_id number (lookup_orders shows it), not the order_po.")
]
UpdateCommand = Annotated[
    Literal["pending", "hold", "cancel"],
    Field(description="pending releases to production, hold pauses, cancel cancels (frees the order_po)."),
]
NoteSubject = Annotated[str, Field(min_length=1, max_length=100)]
NoteMessage = Annotated[str, Field(min_length=1, max_length=4000)]
