"""FinerWorks' request models as validation tables: field types, required fields and the documented limits."""

from __future__ import annotations

from dataclasses import replace

from .validation import Rule


def requiring(rules: tuple[Rule, ...], *names: str) -> tuple[Rule, ...]:
    return tuple(replace(rule, required=True) if rule.name in names else rule for rule in rules)


def text_field(name: str, max_length: int | None = None, *, required: bool = False) -> Rule:
    return Rule(name, "str", required=required, max_length=max_length)


ADDRESS = (
    text_field("first_name", 50),
    text_field("last_name", 50),
    text_field("company_name", 50),
    text_field("address_1", 100),
    text_field("address_2", 100),
    text_field("address_3", 100),
    text_field("city", 50),
    text_field("state_code", 2),
    text_field("province", 50),
    text_field("zip_postal_code", 10),
    text_field("country_code", 2),
    text_field("phone", 50),
    text_field("email", 50),
    text_field("address_order_po", 50),
)
RECIPIENT = requiring(ADDRESS, "first_name", "last_name", "address_1", "city", "zip_postal_code", "country_code")

ORDER = (
    text_field("order_po", 50, required=True),
    Rule("recipient", "object", required=True),
    Rule("order_items", "list", required=True, low=1),
    text_field("shipping_code", 10, required=True),
    text_field("ship_by_date"),
    Rule("customs_tax_info", "object"),
    text_field("gift_message", 500),
    Rule("test_mode", "bool"),
    text_field("webhook_order_status_url", 500),
    text_field("document_url", 200),
    text_field("acct_number_ups", 50),
    text_field("acct_number_fedex", 50),
    text_field("custom_data_1", 255),
    text_field("custom_data_2", 255),
    text_field("custom_data_3", 255),
    text_field("source", 50),
)
ORDER_ITEM = (
    text_field("product_order_po", 50),
    Rule("product_qty", "int", required=True, low=1, high=999),
    text_field("product_sku", 50, required=True),
    Rule("product_image", "object"),
    text_field("product_title", 50),
    text_field("product_guid", 36),
    text_field("custom_data_1", 255),
    text_field("custom_data_2", 255),
    text_field("custom_data_3", 255),
)
PRICING_ITEM = (
    Rule("product_qty", "int", required=True, low=1, high=999),
    text_field("product_sku", 50, required=True),
)
SUBMIT_ORDERS = (
    Rule("orders", "list", required=True, low=1, high=50),
    Rule("validate_only", "bool"),
    text_field("payment_token", 100, required=True),
    text_field("account_key", 50),
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
    text_field("session_id", 50, required=True),
    text_field("account_key", 50),
    Rule("site_id", "int", required=True),
)
SESSION_ID_MIN = 8
LIST_IMAGES = (
    Rule("library", "object", required=True),
    text_field("search_filter", 200),
    Rule("guid_filter", "list"),
    text_field("upload_date_from"),
    text_field("upload_date_to"),
    Rule("list_products", "bool"),
    Rule("active", "bool"),
)
LIST_INVENTORY = (
    text_field("search_filter", 200),
    Rule("sku_filter", "list"),
    Rule("product_code_filter", "list"),
    Rule("guid_filter", "list"),
    text_field("created_date_from"),
    text_field("created_date_to"),
    Rule("third_party_connections_filter", "list"),
    Rule("product_type_ids_filter", "list"),
    text_field("account_key", 50),
)
NEW_IMAGE = (
    text_field("title", 50, required=True),
    text_field("description", 300),
    text_field("file_name", 200, required=True),
    Rule("file_size", "int", low=0),
    text_field("thumbnail_file_name", 200),
    text_field("preview_file_name", 200),
    text_field("hires_file_name", 200),
    text_field("public_thumbnail_uri", 500),
    text_field("public_preview_uri", 500),
    text_field("private_hires_uri", 500, required=True),
    Rule("pix_w", "int", low=1),
    Rule("pix_h", "int", low=1),
)
ADD_IMAGES = (Rule("images", "list", required=True, low=1, high=5), Rule("library", "object", required=True))
IMAGE_UPDATE = (text_field("guid", 36, required=True), text_field("title", 50), text_field("description", 300))
UPDATE_IMAGES = (Rule("images", "list", required=True, low=1), text_field("account_key", 50))
GUIDS = (Rule("guids", "list", required=True, low=1), Rule("library", "object", required=True))
FILE_SELECTION = (Rule("guids", "list", required=True), text_field("guid", 36, required=True))

INVENTORY_UPDATE = (
    text_field("sku", 50, required=True),
    Rule("asking_price", "number", low=0),
    text_field("name", 200),
    text_field("description", 4000),
    Rule("quantity_in_stock", "int", low=0),
    Rule("track_inventory", "bool"),
    Rule("third_party_integrations", "object"),
)
UPDATE_INVENTORY = (Rule("virtual_inventory", "list", required=True, low=1, high=50), text_field("account_key", 50))
DELETE_INVENTORY = (Rule("skus", "list", required=True, low=1), text_field("account_key", 50))

UPDATE_ORDER_COMMANDS = ("pending", "hold", "cancel")
UPDATE_ORDER = (
    Rule("order_id", "int", required=True, low=1),
    Rule("update_command", required=True, choices=UPDATE_ORDER_COMMANDS),
)
UPDATE_CUSTOMER = (Rule("order_id", "int", required=True, low=1), Rule("customer_info", "object", required=True))
SUBMIT_NOTE = (
    Rule("order_id", "int", required=True, low=1),
    text_field("subject", 100, required=True),
    text_field("message", 4000, required=True),
)
FETCH_ORDER_STATUS = (Rule("order_ids", "list"), Rule("order_pos", "list"), text_field("account_key", 50))

UPDATE_USER = (
    text_field("account_key", 50, required=True),  # test-api's help page marks it Required
    Rule("billing_info", "object"),
    Rule("business_info", "object"),
    text_field("logo_url", 500),
    text_field("logo_data"),
    text_field("portrait_data"),
    text_field("payment_profile_id", 100),
    Rule("shipping_preferences", "list", high=3),
    Rule("connections", "list"),
)
APP_DETAILS = (
    text_field("app_key", 36, required=True),
    text_field("app_name", 50, required=True),
    text_field("app_description", 500),
    text_field("app_misc_data", 500),
    Rule("app_live_mode", "bool", required=True),
)

EVENT = (
    text_field("type", 20),
    text_field("name", 50, required=True),
    text_field("details", 4000, required=True),
    Rule("account_id", "int"),
    Rule("site_id", "int", required=True, low=1, high=3),
)
LIST_EVENTS = (text_field("type", 20), text_field("search_term", 200))

IDS = (Rule("ids", "list"),)
ID_AND_CODE = (Rule("id", "int"), text_field("product_code", 100))
FRAME_DETAILS = (Rule("id", "int", required=True), text_field("product_code", 100))
FRAME_BUILDER = (text_field("product_code", 100), Rule("config", "object"), Rule("render", "object"))
FRAME_CONFIG = (
    Rule("frame_id", "int", required=True),
    Rule("width", "number", low=0.01),
    Rule("height", "number", low=0.01),
    Rule("mats", "list", high=2),
    Rule("glazing", "object"),
    Rule("units", "int", choices=("0", "1")),
)
