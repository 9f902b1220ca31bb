"""FinerWorks' request models as validation tables: field types, required fields and the documented limits."""

from __future__ import annotations

from dataclasses import replace

from .validation import Rule


def requiring(rules: tuple[Rule, ...], *names: str) -> tuple[Rule, ...]:
    return tuple(replace(rule, required=True) if rule.name in names else rule for rule in rules)


def text(name: str, max_length: int | None = None, *, required: bool = False) -> Rule:
    return Rule(name, "str", required=required, max_length=max_length)


ADDRESS = (
    text("first_name", 50),
    text("last_name", 50),
    text("company_name", 50),
    text("address_1", 100),
    text("address_2", 100),
    text("address_3", 100),
    text("city", 50),
    text("state_code", 2),
    text("province", 50),
    text("zip_postal_code", 10),
    text("country_code", 2),
    text("phone", 50),
    text("email", 50),
    text("address_order_po", 50),
)
RECIPIENT = requiring(ADDRESS, "first_name", "last_name", "address_1", "city", "zip_postal_code", "country_code")

ORDER = (
    text("order_po", 50, required=True),
    Rule("recipient", "object", required=True),
    Rule("order_items", "list", required=True, low=1),
    text("shipping_code", 10, required=True),
    text("ship_by_date"),
    Rule("customs_tax_info", "object"),
    text("gift_message", 500),
    Rule("test_mode", "bool"),
    text("webhook_order_status_url", 500),
    text("document_url", 200),
    text("acct_number_ups", 50),
    text("acct_number_fedex", 50),
    text("custom_data_1", 255),
    text("custom_data_2", 255),
    text("custom_data_3", 255),
    text("source", 50),
)
ORDER_ITEM = (
    text("product_order_po", 50),
    Rule("product_qty", "int", required=True, low=1, high=999),
    text("product_sku", 50, required=True),
    Rule("product_image", "object"),
    text("product_title", 50),
    text("product_guid", 36),
    text("custom_data_1", 255),
    text("custom_data_2", 255),
    text("custom_data_3", 255),
)
PRICING_ITEM = (Rule("product_qty", "int", required=True, low=1, high=999), text("product_sku", 50, required=True))
SUBMIT_ORDERS = (
    Rule("orders", "list", required=True, low=1, high=50),
    Rule("validate_only", "bool"),
    text("payment_token", 100, required=True),
    text("account_key", 50),
)
SHIPPING_QUOTE = (Rule("orders", "list", required=True, low=1, high=50),)

PAGING = (
    Rule("page_number", "int", low=1),
    Rule("per_page", "int", low=1, high=50),
    Rule("sort_direction", choices=("ASC", "DESC")),
)

LIBRARY_NAMES = ("inventory", "temporary")
# FinerWorks' image_library model marks name, session_id (8-50 characters) and site_id Required.
LIBRARY = (
    Rule("name", required=True, choices=LIBRARY_NAMES),
    text("session_id", 50, required=True),
    text("account_key", 50),
    Rule("site_id", "int", required=True),
)
SESSION_ID_MIN = 8
LIST_IMAGES = (
    Rule("library", "object", required=True),
    text("search_filter", 200),
    Rule("guid_filter", "list"),
    text("upload_date_from"),
    text("upload_date_to"),
    Rule("list_products", "bool"),
    Rule("active", "bool"),
)
LIST_INVENTORY = (
    text("search_filter", 200),
    Rule("sku_filter", "list"),
    Rule("product_code_filter", "list"),
    Rule("guid_filter", "list"),
    text("created_date_from"),
    text("created_date_to"),
    Rule("third_party_connections_filter", "list"),
    Rule("product_type_ids_filter", "list"),
    text("account_key", 50),
)
NEW_IMAGE = (
    text("title", 50, required=True),
    text("description", 300),
    text("file_name", 200, required=True),
    Rule("file_size", "int", low=0),
    text("thumbnail_file_name", 200),
    text("preview_file_name", 200),
    text("hires_file_name", 200),
    text("public_thumbnail_uri", 500),
    text("public_preview_uri", 500),
    text("private_hires_uri", 500, required=True),
    Rule("pix_w", "int", low=1),
    Rule("pix_h", "int", low=1),
)
ADD_IMAGES = (Rule("images", "list", required=True, low=1, high=5), Rule("library", "object", required=True))
IMAGE_UPDATE = (text("guid", 36, required=True), text("title", 50), text("description", 300))
UPDATE_IMAGES = (Rule("images", "list", required=True, low=1), text("account_key", 50))
GUIDS = (Rule("guids", "list", required=True, low=1), Rule("library", "object", required=True))
FILE_SELECTION = (Rule("guids", "list", required=True), text("guid", 36, required=True))

INVENTORY_UPDATE = (
    text("sku", 50, required=True),
    Rule("asking_price", "number", low=0),
    text("name", 200),
    text("description", 4000),
    Rule("quantity_in_stock", "int", low=0),
    Rule("track_inventory", "bool"),
    Rule("third_party_integrations", "object"),
)
UPDATE_INVENTORY = (Rule("virtual_inventory", "list", required=True, low=1, high=50), text("account_key", 50))
DELETE_INVENTORY = (Rule("skus", "list", required=True, low=1), text("account_key", 50))

UPDATE_ORDER_COMMANDS = ("pending", "hold", "cancel")
UPDATE_ORDER = (
    Rule("order_id", "int", required=True, low=1),
    Rule("update_command", required=True, choices=UPDATE_ORDER_COMMANDS),
)
UPDATE_CUSTOMER = (Rule("order_id", "int", required=True, low=1), Rule("customer_info", "object", required=True))
SUBMIT_NOTE = (
    Rule("order_id", "int", required=True, low=1),
    text("subject", 100, required=True),
    text("message", 4000, required=True),
)
FETCH_ORDER_STATUS = (Rule("order_ids", "list"), Rule("order_pos", "list"), text("account_key", 50))

UPDATE_USER = (
    text("account_key", 50, required=True),  # test-api's help page marks it Required
    Rule("billing_info", "object"),
    Rule("business_info", "object"),
    text("logo_url", 500),
    text("logo_data"),
    text("portrait_data"),
    text("payment_profile_id", 100),
    Rule("shipping_preferences", "list", high=3),
    Rule("connections", "list"),
)
APP_DETAILS = (
    text("app_key", 36, required=True),
    text("app_name", 50, required=True),
    text("app_description", 500),
    text("app_misc_data", 500),
    Rule("app_live_mode", "bool", required=True),
)

EVENT = (
    text("type", 20),
    text("name", 50, required=True),
    text("details", 4000, required=True),
    Rule("account_id", "int"),
    Rule("site_id", "int", required=True, low=1, high=3),
)
LIST_EVENTS = (text("type", 20), text("search_term", 200))

IDS = (Rule("ids", "list"),)
ID_AND_CODE = (Rule("id", "int"), text("product_code", 100))
FRAME_DETAILS = (Rule("id", "int", required=True), text("product_code", 100))
FRAME_BUILDER = (text("product_code", 100), Rule("config", "object"), Rule("render", "object"))
FRAME_CONFIG = (
    Rule("frame_id", "int", required=True),
    Rule("width", "number", low=0.01),
    Rule("height", "number", low=0.01),
    Rule("mats", "list", high=2),
    Rule("glazing", "object"),
    Rule("units", "int", choices=("0", "1")),
)
