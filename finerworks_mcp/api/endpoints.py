"""The 33 FinerWorks v3 endpoints this project covers, as FinerWorks lists them.

One table serves the client (which verb to use, whether a call may be retried), the tool registry (every endpoint
is one tool of the same name), the guard (which endpoints change state) and the simulator (its routes).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Method = Literal["GET", "POST", "PUT", "DELETE"]


@dataclass(frozen=True, slots=True)
class Endpoint:
    name: str
    method: Method
    writes: bool
    """True when a call changes state at FinerWorks: such a call is never retried and only runs once confirmed."""


def _e(name: str, method: Method, *, writes: bool = False) -> Endpoint:
    return Endpoint(name, method, writes)


ENDPOINTS: dict[str, Endpoint] = {
    e.name: e
    for e in (
        _e("test_my_credentials", "GET"),
        _e("list_order_status_definitions", "GET"),
        _e("list_file_selection", "GET"),
        _e("get_user", "GET"),
        _e("update_app_details", "PUT", writes=True),
        _e("update_user", "PUT", writes=True),
        _e("update_order", "PUT", writes=True),
        _e("update_customer", "PUT", writes=True),
        _e("update_virtual_inventory", "PUT", writes=True),
        _e("update_images", "PUT", writes=True),
        _e("update_file_selection", "PUT", writes=True),
        _e("submit_orders_v2", "POST", writes=True),
        _e("submit_note", "POST", writes=True),
        _e("add_images", "POST", writes=True),
        _e("add_event", "POST", writes=True),
        _e("fetch_order_status", "POST"),
        _e("list_shipping_options_multiple", "POST"),
        _e("validate_recipient_address", "POST"),
        _e("get_prices", "POST"),
        _e("get_product_details", "POST"),
        _e("list_images", "POST"),
        _e("list_virtual_inventory", "POST"),
        _e("list_event_logs", "POST"),
        _e("list_product_types", "POST"),
        _e("list_media_types", "POST"),
        _e("list_style_types", "POST"),
        _e("list_collections", "POST"),
        _e("frame_details", "POST"),
        _e("list_mats", "POST"),
        _e("list_glazing", "POST"),
        _e("frame_builder", "POST"),
        _e("delete_virtual_inventory", "DELETE", writes=True),
        _e("delete_images", "DELETE", writes=True),
    )
}

READ_ENDPOINTS = frozenset(name for name, e in ENDPOINTS.items() if not e.writes)
WRITE_ENDPOINTS = frozenset(name for name, e in ENDPOINTS.items() if e.writes)
