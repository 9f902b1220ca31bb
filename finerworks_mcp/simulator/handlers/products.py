"""Catalog reads: product, media and style types, prices, and product details."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from finerworks_mcp.simulator.call import Call
from finerworks_mcp.simulator.catalog import MEDIA, PRODUCT_TYPES, STYLES
from finerworks_mcp.simulator.envelope import Refused, Reply
from finerworks_mcp.simulator.pricing import breakdown, price_row
from finerworks_mcp.simulator.product_codes import ProductCode
from finerworks_mcp.simulator.records import Product, catalog_product_json
from finerworks_mcp.simulator.rules import IDS, ORDER_ITEM, PRICING_ITEM
from finerworks_mcp.simulator.state import SimulatorState
from finerworks_mcp.simulator.validation import Problems, Rule, as_list, as_object


class _HasJson(Protocol):
    def as_json(self) -> dict[str, Any]: ...


T = TypeVar("T", bound=_HasJson)


def _by_ids(call: Call, table: Mapping[int, T], key: str) -> Reply:
    """All entries, or those named by `ids`; unknown ids are named in the message."""
    body = call.fields()
    problems = Problems()
    problems.check(body, IDS)
    ids = as_list(body.get("ids")) or []
    problems.check_each(ids, Rule("ids", "int", required=True), "ids")
    problems.raise_if_any()
    chosen = [table[i] for i in ids if i in table] if ids else list(table.values())
    unknown = [str(i) for i in ids if i not in table]
    return Reply({key: [entry.as_json() for entry in chosen]}, f"Unknown ids: {', '.join(unknown)}." if unknown else "")


def list_product_types(state: SimulatorState, call: Call) -> Reply:
    return _by_ids(call, PRODUCT_TYPES, "product_types")


def list_media_types(state: SimulatorState, call: Call) -> Reply:
    return _by_ids(call, MEDIA, "media_types")


def list_style_types(state: SimulatorState, call: Call) -> Reply:
    return _by_ids(call, STYLES, "style_types")


@dataclass(frozen=True, slots=True)
class _Wanted:
    requested: str
    code: ProductCode
    product: Product | None
    qty: int


def _priced_items(state: SimulatorState, call: Call, rules: tuple[Rule, ...], limit: int) -> tuple[list[_Wanted], str]:
    """The requested items that name real products, and a message naming the rest.

    Both endpoints take a bare array or `{"products": [...]}`; the model path is `products[i]` either way.
    """
    items = call.listing("products")
    problems = Problems()
    problems.check({"products": items}, (Rule("products", "list", required=True, low=1, high=limit),))
    for index, raw in enumerate(items or []):
        item = problems.require_object(raw, f"products[{index}]")
        if item is not None:
            problems.check(item, rules, f"products[{index}]")
    problems.raise_if_any()
    known: list[_Wanted] = []
    unknown: list[str] = []
    for raw in items or []:
        item = as_object(raw) or {}
        resolved = state.resolve(str(item["product_sku"]))
        if resolved.code is None:
            unknown.append(f"{resolved.requested} ({resolved.problem})")
        else:
            known.append(_Wanted(resolved.requested, resolved.code, resolved.product, item["product_qty"]))
    return known, f"Unknown product codes or skus: {'; '.join(unknown)}." if unknown else ""


def _reply(rows: list[dict[str, Any]], key: str, message: str) -> Reply:
    if not rows:
        raise Refused(message, {key: []})
    return Reply({key: rows}, message)


def get_prices(state: SimulatorState, call: Call) -> Reply:
    known, message = _priced_items(state, call, PRICING_ITEM, 50)
    rows = [price_row(w.requested, str(w.code), w.qty, breakdown(w.code)) for w in known]
    return _reply(rows, "prices", message)


def get_product_details(state: SimulatorState, call: Call) -> Reply:
    known, message = _priced_items(state, call, ORDER_ITEM, 25)
    rows = [w.product.as_json(w.qty) if w.product else catalog_product_json(w.code, w.qty) for w in known]
    return _reply(rows, "product_list", message)


HANDLERS = {
    "list_product_types": list_product_types,
    "list_media_types": list_media_types,
    "list_style_types": list_style_types,
    "get_prices": get_prices,
    "get_product_details": get_product_details,
}
