"""The simulator's stored things (images, virtual-inventory products, orders, events) and their JSON shapes."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from enum import IntEnum
from typing import Any

from .dates import timestamp
from .pricing import breakdown, money, price_row
from .product_codes import ProductCode, describe, parse_product_code
from .shipping import item_parcel

ASSETS = "https://sim-assets.finerworks.local"
PLATFORMS = ("etsy", "shopify", "squarespace", "wix", "woocommerce")


class OrderStatus(IntEnum):
    """Production status ids; 1-3 are FinerWorks' documented ones, the rest follow their labels."""

    WAITING_CUSTOMER_RESPONSE = 1
    PENDING_PAYMENT = 2
    ORDER_RECEIVED = 3
    IN_PRODUCTION = 4
    SHIPPED = 5
    DELIVERED = 6
    ON_HOLD = 7
    CANCELLED = 8

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]


STATUS_LABELS: dict[OrderStatus, str] = {
    OrderStatus.WAITING_CUSTOMER_RESPONSE: "Waiting Customer Response",
    OrderStatus.PENDING_PAYMENT: "Pending Payment",
    OrderStatus.ORDER_RECEIVED: "Order Received",
    OrderStatus.IN_PRODUCTION: "In Production",
    OrderStatus.SHIPPED: "Shipped",
    OrderStatus.DELIVERED: "Delivered",
    OrderStatus.ON_HOLD: "On Hold",
    OrderStatus.CANCELLED: "Cancelled",
}
PAST_CHANGES = frozenset({OrderStatus.IN_PRODUCTION, OrderStatus.SHIPPED, OrderStatus.DELIVERED})
"""Statuses after which FinerWorks takes changes only through customer support."""


def _when(moment: datetime | None) -> str | None:
    return timestamp(moment) if moment is not None else None


@dataclass(slots=True)
class Image:
    id: int
    guid: str
    title: str
    description: str
    file_name: str
    file_size: int
    pix_w: int
    pix_h: int
    date_added: datetime
    active: bool = True
    library: str = "inventory"
    date_updated: datetime | None = None
    personal_gallery_title: str | None = None
    members_gallery_category: str | None = None
    uris: dict[str, str | None] = field(default_factory=dict[str, str | None])
    """Names and addresses the uploader gave; missing ones are derived from the guid."""

    def _uri(self, name: str, default: str) -> str | None:
        return self.uris.get(name) or default

    def as_json(self, products: list[Product] | None) -> dict[str, Any]:
        stem = f"{ASSETS}/images/{self.guid}"
        return {
            "id": self.id,
            "guid": self.guid,
            "title": self.title,
            "description": self.description,
            "file_name": self.file_name,
            "file_size": self.file_size,
            "thumbnail_file_name": self._uri("thumbnail_file_name", f"{self.guid}_thumb.jpg"),
            "preview_file_name": self._uri("preview_file_name", f"{self.guid}_preview.jpg"),
            "hires_file_name": self._uri("hires_file_name", f"{self.guid}_hires.jpg"),
            "public_thumbnail_uri": self._uri("public_thumbnail_uri", f"{stem}/thumb.jpg"),
            "public_preview_uri": self._uri("public_preview_uri", f"{stem}/preview.jpg"),
            "private_hires_uri": self._uri("private_hires_uri", f"{stem}/hires.jpg"),
            "personal_gallery_title": self.personal_gallery_title,
            "members_gallery_category": self.members_gallery_category,
            "pix_w": self.pix_w,
            "pix_h": self.pix_h,
            "date_added": timestamp(self.date_added),
            "date_updated": _when(self.date_updated),
            "date_expires": None,
            "active": self.active,
            # FinerWorks types this list nullable; an image without products answers null, as FinerWorks may.
            "products": ([p.as_json() for p in products] or None) if products is not None else None,
        }


def no_integrations() -> dict[str, int | str | None]:
    return {
        "etsy_product_id": 0,
        "shopify_product_id": 0,
        "shopify_variant_id": 0,
        "squarespace_product_id": None,
        "squarespace_variant_id": None,
        "wix_inventory_id": None,
        "wix_product_id": None,
        "wix_variant_id": None,
        "woocommerce_product_id": 0,
        "woocommerce_variant_id": 0,
    }


@dataclass(slots=True)
class Product:
    """A virtual-inventory product: a saved product code for one image, sold under a SKU."""

    id: int
    sku: str
    product_code: str
    product_guid: str
    image_guid: str
    name: str
    description: str
    asking_price: Decimal
    created: datetime
    artist: str
    quantity_in_stock: int = 0
    track_inventory: bool = False
    third_party_integrations: dict[str, int | str | None] = field(default_factory=no_integrations)
    updated: datetime | None = None

    @property
    def code(self) -> ProductCode:
        parsed = parse_product_code(self.product_code)
        assert parsed is not None, "products are only stored with valid codes"
        return parsed

    def platforms(self) -> set[str]:
        """Shops this product is connected to: those with a non-zero, non-null id."""
        return {
            key.split("_", 1)[0] for key, value in self.third_party_integrations.items() if value not in (0, None, "")
        }

    def as_json(self, qty: int = 1) -> dict[str, Any]:
        stem = f"{ASSETS}/products/{self.product_guid}"
        return {
            "id": self.id,
            "sku": self.sku,
            "product_guid": self.product_guid,
            "image_guid": self.image_guid,
            "name": self.name,
            "description_short": re.sub(r"<[^>]*>", "", self.description),
            "description_long": self.description if self.description.startswith("<") else f"<p>{self.description}</p>",
            "quantity_in_stock": self.quantity_in_stock,
            "track_inventory": self.track_inventory,
            "asking_price": money(self.asking_price),
            "labels": [{"key": "artist", "value": self.artist, "priority": 1}],
            **{f"image_url_{n}": f"{stem}/{n}.jpg" if n <= 2 else None for n in range(1, 6)},
            "third_party_integrations": dict(self.third_party_integrations),
            "artist": self.artist,
            "created_date": timestamp(self.created),
            "updated": timestamp(self.updated or self.created),
            **priced_fields(self.code, self.sku, qty),
        }


def catalog_product_json(code: ProductCode, qty: int) -> dict[str, Any]:
    """A product code that is not in the virtual inventory, in the inventory product's shape."""
    name = describe(code)
    return {
        "id": None,
        "sku": None,
        "product_guid": None,
        "image_guid": None,
        "name": name,
        "description_short": name,
        "description_long": f"<p>{name}</p>",
        "quantity_in_stock": 0,
        "track_inventory": False,
        "asking_price": None,
        "labels": [],
        **{f"image_url_{n}": None for n in range(1, 6)},
        "third_party_integrations": None,
        "artist": None,
        "created_date": None,
        "updated": None,
        **priced_fields(code, None, qty),
    }


def priced_fields(code: ProductCode, sku: str | None, qty: int) -> dict[str, Any]:
    prices = breakdown(code)
    row = price_row(sku or str(code), str(code), qty, prices)
    return {
        "product_code": str(code),
        "monetary_format": "USD",
        "quantity": qty,
        "price_details": row,
        "per_item_price": money(prices.unit_price),
        "total_price": row["total_price"],
        "geo_price": 0,
        "product_size": item_parcel(code).as_json(),
        "framing_options": None,
        "valid": True,
    }


@dataclass(slots=True)
class Shipment:
    carrier: str
    service: str
    tracking_number: str
    tracking_url: str
    creation_date: datetime
    shipment_date: datetime | None
    eta_date: datetime | None
    delivery_date: datetime | None
    weight: float
    width: float
    height: float
    depth: float

    def as_json(self) -> dict[str, Any]:
        return {
            "creation_date": timestamp(self.creation_date),
            "shipment_date": _when(self.shipment_date),
            "eta_date": _when(self.eta_date),
            "delivery_date": _when(self.delivery_date),
            "weight": self.weight,
            "width": self.width,
            "height": self.height,
            "depth": self.depth,
            "tracking_number": self.tracking_number,
            "tracking_url": self.tracking_url,
            "carrier": self.carrier,
            "service": self.service,
            "history": None,
        }


@dataclass(frozen=True, slots=True)
class Note:
    subject: str
    message: str
    created: datetime


@dataclass(slots=True)
class Order:
    order_id: int
    order_confirmation_id: int
    order_guid: str
    order_po: str
    status: OrderStatus
    recipient: dict[str, Any]
    order_items: list[dict[str, Any]]
    shipping_code: str
    created: datetime
    lines: list[tuple[ProductCode, int]] = field(default_factory=list[tuple[ProductCode, int]])
    """The items resolved to product codes with their quantities, for parcels and prices."""
    test_mode: bool = False
    shipments: list[Shipment] = field(default_factory=list[Shipment])
    notes: list[Note] = field(default_factory=list[Note])
    source: str = "api"

    def status_json(self) -> dict[str, Any]:
        """The §3.4 `order_status` model, as fetch_order_status and the webhook carry it."""
        return {
            "order_confirmation_id": self.order_confirmation_id,
            "order_po": self.order_po,
            "order_id": self.order_id,
            "order_status_id": int(self.status),
            "order_status_label": self.status.label,
            "shipments": [s.as_json() for s in self.shipments],
            "processing": self.status in (OrderStatus.ORDER_RECEIVED, OrderStatus.IN_PRODUCTION),
            "order_source": self.source,
        }

    def submitted_json(self) -> dict[str, Any]:
        return {
            "order_po": self.order_po,
            "order_id": self.order_id,
            "order_confirmation_id": self.order_confirmation_id,
            "order_guid": self.order_guid,
            "order_email": self.recipient.get("email"),
            "order_confirmation_datetime": timestamp(self.created),
            "order_source": self.source,
            "order_status": self.status_json(),
        }


EVENT_TYPES = ("error", "warning", "success", "other")


@dataclass(frozen=True, slots=True)
class Event:
    id: int
    type: str
    name: str
    details: str
    account_id: int
    site_id: int
    date_time: datetime

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "type": self.type,
            "name": self.name,
            "details": self.details,
            "account_id": self.account_id,
            "site_id": self.site_id,
            "date_time": timestamp(self.date_time),
        }
