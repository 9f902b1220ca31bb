"""The simulator's starting data, and named constants that tests and demos can rely on.

Credentials
    SIMULATOR_WEB_API_KEY, SIMULATOR_APP_KEY  the only keys the simulator accepts
Account
    ACCOUNT_ID, ACCOUNT_KEY, ACCOUNT_USERNAME  the user get_user and test_my_credentials return
Orders (ids are ints, POs `PO-1001`…`PO-1007`; ORDER_IDS / ORDER_POS list them all)
    DELIVERED_ORDER_ID / _PO        status 6 Delivered, one UPS shipment with a delivery date
    SHIPPED_ORDER_ID / _PO          status 5 Shipped, one USPS shipment in transit
    IN_PRODUCTION_ORDER_ID / _PO    status 4: update_order and update_customer refuse it
    RECEIVED_ORDER_ID / _PO         status 3 Order Received (Alaska): can be held, cancelled, advanced
    ON_HOLD_ORDER_ID / _PO          status 7 On Hold (Canada)
    CANCELLED_ORDER_ID / _PO        status 8 Cancelled: its PO may be submitted again
    PENDING_PAYMENT_ORDER_ID / _PO  status 2 Pending Payment (Texas recipient)
    ORDERS_WITH_SHIPMENTS           the delivered and the shipped order
SEED_NOW                            every seeded date lies before it (2025-06-30 09:00 -06:00)
Images (IMAGE_COUNT in the inventory library; ids from FIRST_IMAGE_ID count up with upload date over two years)
    IMAGE_WITH_PRODUCTS_GUID        active, three products: IMAGE_WITH_PRODUCTS_SKUS
    IMAGE_WITHOUT_PRODUCTS_GUID     active, no products
    INACTIVE_IMAGE_GUID             inactive, no products (INACTIVE_IMAGE_COUNT images are inactive)
    IMAGES_WITH_PRODUCTS_COUNT      images that carry products; titles are "<Mood> <Subject>", e.g. "Misty Heron"
Virtual inventory (PRODUCT_COUNT products, PRODUCTS_PER_IMAGE per image with products: paper, canvas, metal)
    CONNECTED_SKU                   connected to Shopify (non-zero ids in third_party_integrations)
    UNCONNECTED_SKU                 connected to nothing; both belong to IMAGE_WITH_PRODUCTS_GUID
    CONNECTED_PRODUCT_COUNT         products connected to a shop (Shopify or Etsy)
File selection
    FILE_SELECTION_GUID             master guid; FILE_SELECTION_IMAGE_GUIDS are the selected images
Catalog
    VALID_PRODUCT_CODE              `5M6M9S16X20`: Archival Matte Paper, Borderless, 16x20 in
    VALID_FRAMED_PRODUCT_CODE       the same print in frame 458 with mat 1 and glazing 2 (simulator grammar)
    FRAME_ID                        frame 458, Walnut Gallery, in collection 1
Events
    EVENT_COUNT                     event logs seeded for list_event_logs
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from decimal import ROUND_CEILING, Decimal
from typing import Any

from .dates import SEED_NOW
from .fulfilment import make_shipment
from .pricing import breakdown
from .product_codes import ProductCode, describe, parse_product_code
from .records import Event, Image, Order, OrderStatus, Product, no_integrations

_NAMESPACE = uuid.UUID("5f0c7a4e-2b1d-4c39-9a57-1e6f0d2c8b13")


def stable_guid(kind: str, number: int) -> str:
    """The same guid for the same thing in every run, so the seed and new records are reproducible."""
    return str(uuid.uuid5(_NAMESPACE, f"{kind}-{number}"))


SIMULATOR_WEB_API_KEY = "6f1d9c2a-3b7e-4d58-a0c4-9e2b7f513a61"
SIMULATOR_APP_KEY = "c47e0b95-82d6-4f3a-b91e-5d0a6c28e7f4"

ACCOUNT_ID = 48213
ACCOUNT_KEY = stable_guid("account", ACCOUNT_ID)
ACCOUNT_USERNAME = "lumen_atelier"
ARTIST = "Ada Moreau"

DELIVERED_ORDER_ID, DELIVERED_ORDER_PO = 500101, "PO-1001"
SHIPPED_ORDER_ID, SHIPPED_ORDER_PO = 500102, "PO-1002"
IN_PRODUCTION_ORDER_ID, IN_PRODUCTION_ORDER_PO = 500103, "PO-1003"
RECEIVED_ORDER_ID, RECEIVED_ORDER_PO = 500104, "PO-1004"
ON_HOLD_ORDER_ID, ON_HOLD_ORDER_PO = 500105, "PO-1005"
CANCELLED_ORDER_ID, CANCELLED_ORDER_PO = 500106, "PO-1006"
PENDING_PAYMENT_ORDER_ID, PENDING_PAYMENT_ORDER_PO = 500107, "PO-1007"
ORDER_IDS = tuple(range(500101, 500108))
ORDER_POS = tuple(f"PO-{n}" for n in range(1001, 1008))
ORDERS_WITH_SHIPMENTS = (DELIVERED_ORDER_ID, SHIPPED_ORDER_ID)

FIRST_IMAGE_ID = 70001
FIRST_PRODUCT_ID = 90001
IMAGE_COUNT = 130
_MOODS = ("Morning", "Evening", "Winter", "Autumn", "Misty", "Golden", "Quiet", "Stormy", "Summer", "Spring", "Blue",
          "Crimson", "Silver")  # fmt: skip
_SUBJECTS = ("Harbor", "Heron", "Meadow", "Lighthouse", "Aspen Grove", "Desert Bloom", "Tide Pools", "Old Barn",
             "City Lights", "Mountain Pass")  # fmt: skip
_GALLERIES = ("Coast", "Wildlife", "Fields", "Coast", "Forest", "Desert", "Coast", "Rural", "Urban", "Mountains")
# Each image shape is offered as a paper print, a gallery-wrapped canvas and a float-mounted metal print.
_SHAPES: tuple[tuple[tuple[int, int], tuple[str, str, str]], ...] = (
    ((3600, 4800), ("5M6M9S12X16", "1M1M2S18X24", "2M3M4S12X16")),
    ((4000, 5000), ("5M6M9S16X20", "1M1M2S16X20", "2M3M4S8X10")),
    ((4800, 3600), ("5M7M9S16X12", "1M1M2S24X18", "2M3M4S16X12")),
    ((6000, 4000), ("5M6M9S24X16", "1M1M2S36X24", "2M3M4S30X20")),
    ((4000, 4000), ("5M8M9S12X12", "1M1M2S20X20", "2M3M4S12X12")),
)
_FIRST_UPLOAD = SEED_NOW - timedelta(days=729)
_UPLOAD_STEP = timedelta(days=729) / IMAGE_COUNT
PRODUCTS_PER_IMAGE = 3


def _has_products(index: int) -> bool:
    return index % 3 == 0


def _is_active(index: int) -> bool:
    return index % 10 != 9


def image_guid(index: int) -> str:
    return stable_guid("image", FIRST_IMAGE_ID + index)


def _sku(image_index: int, product_number: int) -> str:
    return f"AP{FIRST_IMAGE_ID + image_index}P{FIRST_PRODUCT_ID + product_number}"


IMAGES_WITH_PRODUCTS_COUNT = sum(_has_products(i) for i in range(IMAGE_COUNT))
INACTIVE_IMAGE_COUNT = sum(not _is_active(i) for i in range(IMAGE_COUNT))
PRODUCT_COUNT = IMAGES_WITH_PRODUCTS_COUNT * PRODUCTS_PER_IMAGE
CONNECTED_PRODUCT_COUNT = sum(n % 4 in (0, 1) for n in range(PRODUCT_COUNT))

IMAGE_WITH_PRODUCTS_GUID = image_guid(0)
IMAGE_WITH_PRODUCTS_SKUS = tuple(_sku(0, n) for n in range(PRODUCTS_PER_IMAGE))
IMAGE_WITHOUT_PRODUCTS_GUID = image_guid(1)
INACTIVE_IMAGE_GUID = image_guid(19)
CONNECTED_SKU = IMAGE_WITH_PRODUCTS_SKUS[0]
UNCONNECTED_SKU = IMAGE_WITH_PRODUCTS_SKUS[2]

FILE_SELECTION_GUID = stable_guid("selection", 1)
FILE_SELECTION_IMAGE_GUIDS = tuple(image_guid(i) for i in (3, 4, 5, 6))

VALID_PRODUCT_CODE = "5M6M9S16X20"
VALID_FRAMED_PRODUCT_CODE = "5M6M9S16X20F458M1G2"
FRAME_ID = 458


def _title(index: int) -> str:
    return f"{_MOODS[index % len(_MOODS)]} {_SUBJECTS[index // len(_MOODS) % len(_SUBJECTS)]}"


def images() -> list[Image]:
    seeded: list[Image] = []
    for index in range(IMAGE_COUNT):
        title = _title(index)
        (pix_w, pix_h), _ = _SHAPES[index % len(_SHAPES)]
        subject = index // len(_MOODS) % len(_SUBJECTS)
        seeded.append(
            Image(
                id=FIRST_IMAGE_ID + index,
                guid=image_guid(index),
                title=title,
                description=f"{title}: an original photograph by {ARTIST}.",
                file_name=f"{title.lower().replace(' ', '-')}-{index + 1:03d}.jpg",
                file_size=pix_w * pix_h * 3 // 10 + index * 1337,
                pix_w=pix_w,
                pix_h=pix_h,
                date_added=_FIRST_UPLOAD + _UPLOAD_STEP * index,
                active=_is_active(index),
                personal_gallery_title=_GALLERIES[subject],
                members_gallery_category="Landscape" if subject != 1 else "Wildlife",
            )
        )
    return seeded


def _integrations(number: int) -> dict[str, int | str | None]:
    links = no_integrations()
    if number % 4 == 0:
        links.update(shopify_product_id=7_400_000_000 + number, shopify_variant_id=4_300_000_000 + number)
    elif number % 4 == 1:
        links.update(etsy_product_id=1_550_000_000 + number)
    return links


def _asking_price(code: ProductCode) -> Decimal:
    """A retail price about 2.5 times cost, ending in .99."""
    return (breakdown(code).unit_price * Decimal("2.5")).quantize(Decimal(1), rounding=ROUND_CEILING) - Decimal("0.01")


def products(seeded_images: list[Image]) -> list[Product]:
    seeded: list[Product] = []
    for index, image in enumerate(seeded_images):
        if not _has_products(index):
            continue
        for code_text in _SHAPES[index % len(_SHAPES)][1]:
            number = len(seeded)
            code = parse_product_code(code_text)
            assert code is not None
            created = image.date_added + timedelta(days=1, hours=number % PRODUCTS_PER_IMAGE)
            seeded.append(
                Product(
                    id=FIRST_PRODUCT_ID + number,
                    sku=_sku(index, number),
                    product_code=code_text,
                    product_guid=stable_guid("product", FIRST_PRODUCT_ID + number),
                    image_guid=image.guid,
                    name=f"{image.title} – {describe(code)}",
                    description=f"{image.title} printed on {describe(code)}.",
                    asking_price=_asking_price(code),
                    created=created,
                    artist=ARTIST,
                    quantity_in_stock=5 if number % 10 == 0 else 0,
                    track_inventory=number % 10 == 0,
                    third_party_integrations=_integrations(number),
                )
            )
    return seeded


def _address(first: str, last: str, street: str, city: str, state: str | None, zip_code: str, country: str = "us",
             province: str | None = None, email: str | None = None) -> dict[str, Any]:  # fmt: skip
    return {
        "first_name": first,
        "last_name": last,
        "company_name": None,
        "address_1": street,
        "address_2": None,
        "address_3": None,
        "city": city,
        "state_code": state,
        "province": province,
        "zip_postal_code": zip_code,
        "country_code": country,
        "phone": "555-555-0100",
        "email": email,
        "address_order_po": None,
    }


_ORDER_PLAN: tuple[tuple[int, str, OrderStatus, dict[str, Any], str, str, int, int], ...] = (
    (DELIVERED_ORDER_ID, DELIVERED_ORDER_PO, OrderStatus.DELIVERED,
     _address("Maya", "Lindqvist", "2100 Guadalupe St", "Austin", "TX", "78705", email="maya@example.com"),
     CONNECTED_SKU, "SD", 1, 40),
    (SHIPPED_ORDER_ID, SHIPPED_ORDER_PO, OrderStatus.SHIPPED,
     _address("Jonah", "Pierce", "415 SW Yamhill St", "Portland", "OR", "97204"), VALID_PRODUCT_CODE, "EC", 2, 9),
    (IN_PRODUCTION_ORDER_ID, IN_PRODUCTION_ORDER_PO, OrderStatus.IN_PRODUCTION,
     _address("Priya", "Raman", "88 Orchard St", "New York", "NY", "10002"), IMAGE_WITH_PRODUCTS_SKUS[1], "FS", 1, 4),
    (RECEIVED_ORDER_ID, RECEIVED_ORDER_PO, OrderStatus.ORDER_RECEIVED,
     _address("Sam", "Okafor", "1200 W 7th Ave", "Anchorage", "AK", "99501"), UNCONNECTED_SKU, "SD", 1, 2),
    (ON_HOLD_ORDER_ID, ON_HOLD_ORDER_PO, OrderStatus.ON_HOLD,
     _address("Claire", "Tremblay", "150 King St W", "Toronto", None, "M5H 1J9", "ca", "ON"), VALID_PRODUCT_CODE,
     "EC", 1, 3),
    (CANCELLED_ORDER_ID, CANCELLED_ORDER_PO, OrderStatus.CANCELLED,
     _address("Diego", "Alvarez", "1701 Wynkoop St", "Denver", "CO", "80202"), CONNECTED_SKU, "SD", 1, 6),
    (PENDING_PAYMENT_ORDER_ID, PENDING_PAYMENT_ORDER_PO, OrderStatus.PENDING_PAYMENT,
     _address("Hana", "Kim", "500 Commerce St", "Fort Worth", "TX", "76102"), IMAGE_WITH_PRODUCTS_SKUS[1], "SD", 3, 1),
)  # fmt: skip


def orders(resolve: dict[str, str]) -> list[Order]:
    """The seeded orders; `resolve` maps inventory SKUs to their product codes."""
    seeded: list[Order] = []
    for order_id, po, status, recipient, sku, shipping_code, qty, days_ago in _ORDER_PLAN:
        code = parse_product_code(resolve.get(sku, sku))
        assert code is not None
        created = SEED_NOW - timedelta(days=days_ago)
        item: dict[str, Any] = {"product_order_po": po, "product_qty": qty, "product_sku": sku, "product_title": None}
        if sku == VALID_PRODUCT_CODE:
            item["product_image"] = {"pixel_width": 4000, "pixel_height": 5000, "product_url_file": None}
        order = Order(
            order_id=order_id,
            order_confirmation_id=411000000 + order_id % 1000,
            order_guid=stable_guid("order", order_id),
            order_po=po,
            status=status,
            recipient={**recipient, "address_order_po": po},
            order_items=[item],
            shipping_code=shipping_code,
            created=created,
            lines=[(code, qty)],
        )
        if status in (OrderStatus.SHIPPED, OrderStatus.DELIVERED):
            shipped = created + timedelta(days=min(4, days_ago - 1))
            delivered = shipped + timedelta(days=4) if status is OrderStatus.DELIVERED else None
            order.shipments.append(make_shipment(order, shipped, delivered))
        seeded.append(order)
    return seeded


_EVENT_PLAN = (
    ("error", "Checkout failed", "Card declined for PO-1007; order left in Pending Payment.", 10),
    ("warning", "Low resolution image", "'Misty Heron' is 1600 px wide; 24x36 prints will look soft.", 8),
    ("success", "Order submitted", "PO-1004 submitted through the API.", 2),
    ("other", "Shopify sync", "Synced 66 products with lumen-atelier.myshopify.com.", 5),
    ("success", "Order shipped", "PO-1002 shipped via USPS Ground Advantage.", 5),
    ("error", "Webhook delivery failed", "POST to https://shop.example/hooks/finerworks returned 502.", 1),
)
EVENT_COUNT = len(_EVENT_PLAN)


def events() -> list[Event]:
    return [
        Event(n, kind, name, details, ACCOUNT_ID, 1, SEED_NOW - timedelta(days=days_ago))
        for n, (kind, name, details, days_ago) in enumerate(_EVENT_PLAN, start=1)
    ]


def user_account() -> dict[str, Any]:
    business = _address(
        "Ada", "Moreau", "1100 S Lamar Blvd", "Austin", "TX", "78704", email="studio@lumen-atelier.example"
    )
    return {
        "account_id": ACCOUNT_ID,
        "account_username": ACCOUNT_USERNAME,
        "account_email": "studio@lumen-atelier.example",
        "account_firstname": "Ada",
        "account_lastname": "Moreau",
        "account_title": "Lumen Atelier",
        "billing_info": {**business, "company_name": "Lumen Atelier LLC"},
        "business_info": {**business, "company_name": "Lumen Atelier"},
        "logo_url": "https://sim-assets.finerworks.local/accounts/lumen-atelier/logo.jpg",
        "profile_img_url": None,
        "payment_profile_id": "sim-braintree-771204",
        "user_account_credits": 25.0,
        "enable_invoice_payment": False,
        "account_key": ACCOUNT_KEY,
        "shipping_preferences": [0, 3],
        "connections": [
            {"name": "shopify", "id": "lumen-atelier.myshopify.com", "data": None},
            {"name": "etsy", "id": "LumenAtelierPrints", "data": None},
        ],
        "user_profile_complete": True,
    }


def app_details() -> dict[str, Any]:
    return {
        "app_key": SIMULATOR_APP_KEY,
        "app_name": "Lumen Atelier Storefront",
        "app_description": "Print fulfilment for the Lumen Atelier shop.",
        "app_misc_data": "{}",
        "app_live_mode": False,
    }


def selections() -> dict[str, list[str]]:
    return {FILE_SELECTION_GUID: list(FILE_SELECTION_IMAGE_GUIDS)}
