"""What the three jobs answer, as the tools return them: a quote, an order lookup, a cleanup plan.

The models live together so the answer shapes (and the output schemas built from them) are read in one place; the
jobs that fill them are quote.py, lookup.py and cleanup.py.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from finerworks_mcp.api.schemas.common import Upstream

# quote_prices


class QuoteLine(Upstream):
    # A quote can run to thousands of lines: fields that would repeat another are left out.
    line: int = Field(description="Position in the request, from 1.")
    product_sku: str
    product_code: str | None = Field(default=None, description="When it differs from product_sku.")
    name: str | None = Field(default=None, description="FinerWorks' name: medium, style and size.")
    product_qty: int
    unit_price: float = Field(description="One copy with its add-ons.")
    product_price: float | None = Field(default=None, description="One copy before add-ons, when there are any.")
    add_ons: dict[str, float] | None = Field(default=None, description="Per copy, only those charged.")
    total_price: float = Field(description="All copies.")


class NotPriced(Upstream):
    line: int
    product_sku: str
    product_qty: int
    reason: str | None = Field(default=None, description="FinerWorks' words.")
    try_instead: list[str] | None = Field(default=None, description="The nearest codes FinerWorks offers.")


class QuotedShipping(Upstream):
    id: int | None = None
    shipping_code: str | None = None
    shipping_method: str | None = None
    carrier: str | None = None
    rate: float
    sales_tax: float
    discount: float | None = Field(default=None, description="FinerWorks' discount on the order, when it gives one.")
    grand_total: float
    delivery: str | None = Field(default=None, description="FinerWorks' delivery estimate, when it gives one.")
    chosen: bool = False


class Quote(Upstream):
    currency: Literal["USD"] = "USD"
    lines: list[QuoteLine]
    not_priced: list[NotPriced] = Field(default_factory=list[NotPriced])
    subtotal: float
    ship_to: str | None = None
    shipping_options: list[QuotedShipping] | None = Field(default=None, description="Cheapest first.")
    grand_total: float | None = Field(default=None, description="Subtotal, chosen shipping and tax.")
    notes: list[str] = Field(default_factory=list[str])


# lookup_orders


class TrackedShipment(Upstream):
    carrier: str | None = None
    service: str | None = None
    tracking_number: str | None = None
    tracking_url: str | None = None
    shipped: str | None = None
    expected: str | None = None
    delivered: str | None = None


class OrderWhereabouts(Upstream):
    order_id: int | None = None
    order_po: str | None = None
    status_id: int | None = None
    status: str
    shipments: list[TrackedShipment] = Field(default_factory=list[TrackedShipment])
    date: str | None = Field(default=None, description="Recent list: the day it was submitted or last logged.")
    total: float | None = Field(default=None, description="Recent list: the grand total approved, when known.")
    seen_in: str | None = Field(default=None, description="Recent list: where the server learnt of it.")


class OrderLookup(Upstream):
    orders: list[OrderWhereabouts]
    unknown_order_ids: list[int] = Field(default_factory=list[int])
    unknown_order_pos: list[str] = Field(default_factory=list[str])
    source: str | None = Field(default=None, description="Recent list: where it comes from.")
    cannot_see: str | None = Field(default=None, description="Recent list: what it cannot include.")


# plan_inventory_cleanup


class CleanupImage(Upstream):
    guid: str
    title: str | None = None
    file_name: str | None = None
    uploaded: str | None = None
    active: bool | None = None
    products: int | None = Field(default=None, description="Products made from it; deleted with it.")
    thumbnail: str | None = None


class CleanupProduct(Upstream):
    sku: str
    name: str | None = None
    product_code: str | None = None
    image_guid: str | None = None
    shops: list[str] | None = None
    asking_price: float | None = None
    thumbnail: str | None = None


class CleanupBatch(Upstream):
    batch: int
    count: int
    keys: list[str] = Field(description="The image guids or product SKUs this batch deletes.")
    confirmation_token: str | None = None
    expires_at: str | None = None
    summary: str
    blocked_by: list[str] | None = None


class ImageCleanup(Upstream):
    criteria: str
    listed: int = Field(description="Images FinerWorks listed for the filters it applies.")
    matched: int
    products_going_with_them: int
    items: list[CleanupImage]
    batches: list[CleanupBatch] = Field(default_factory=list[CleanupBatch])


class ProductCleanup(Upstream):
    criteria: str
    listed: int
    matched: int
    going_with_images: int = Field(default=0, description="Matches left out: the image plan deletes them already.")
    skus_not_found: list[str] = Field(default_factory=list[str])
    items: list[CleanupProduct]
    batches: list[CleanupBatch] = Field(default_factory=list[CleanupBatch])


class CleanupPlan(Upstream):
    confirmation_required: bool = Field(description="True when some batch has a token to confirm.")
    summary: str
    images: ImageCleanup | None = None
    products: ProductCleanup | None = None
    next: str
