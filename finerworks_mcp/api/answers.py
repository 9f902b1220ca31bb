"""Typed reads and request bodies: FinerWorks' answers parsed into the schemas, and the schemas dumped as bodies."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from finerworks_mcp.api.client import FinerWorksClient
from finerworks_mcp.api.errors import MalformedResponse
from finerworks_mcp.api.schemas.common import Page

Model = TypeVar("Model", bound=BaseModel)
Listing = TypeVar("Listing", bound=Page)
Item = TypeVar("Item")

PER_PAGE = 50
FILTER_SIZE = 50
"""FinerWorks' list filters take at most 50 values (more and the filter is ignored)."""
MAX_PAGES = 20
"""A filter FinerWorks ignored would page through the whole account; a preview stops here and names the rest."""
SHOP_NAMES = {
    "etsy": "Etsy",
    "shopify": "Shopify",
    "squarespace": "Squarespace",
    "wix": "Wix",
    "woocommerce": "WooCommerce",
    "square": "Square",
    "bigcommerce": "BigCommerce",
}


async def read_answer(
    client: FinerWorksClient,
    endpoint: str,
    model: type[Model],
    *,
    params: Mapping[str, str] | None = None,
    body: Any = None,
) -> Model:
    """A read, parsed; an answer of the wrong shape is FinerWorks' problem and is reported as such."""
    return parse_answer(endpoint, model, await client.read(endpoint, params=params, body=body))


def parse_answer(endpoint: str, model: type[Model], payload: dict[str, Any]) -> Model:
    """FinerWorks' answer (without its status) as `model`; MalformedResponse names the first problem's place."""
    try:
        return model.model_validate({key: value for key, value in payload.items() if key != "status"})
    except ValidationError as error:
        place = ".".join(str(part) for part in error.errors()[0]["loc"]) or "the top level"
        raise MalformedResponse(
            f"The answer did not have the expected shape ({error.error_count()} problem(s), first at {place}).",
            endpoint=endpoint,
        ) from error


async def find_by_key(
    client: FinerWorksClient,
    endpoint: str,
    model: type[Listing],
    filtered: Callable[[list[str]], dict[str, Any]],
    items: Callable[[Listing], list[Item]],
    key: Callable[[Item], str | None],
    wanted: Sequence[str],
) -> dict[str, Item]:
    """The listed things whose key is wanted, by key; keys FinerWorks does not know are simply absent.

    `filtered(chunk)` is the request body for one chunk of keys. Results are matched on the key again here, so a
    filter FinerWorks ignored cannot make a preview show (or count) things nobody asked about.
    """
    found: dict[str, Item] = {}
    for start in range(0, len(wanted), FILTER_SIZE):
        chunk = list(wanted[start : start + FILTER_SIZE])
        remaining = set(chunk)
        for page_number in range(1, MAX_PAGES + 1):
            page = await read_answer(
                client, endpoint, model, body={**filtered(chunk), "page_number": page_number, "per_page": PER_PAGE}
            )
            batch = items(page)
            for item in batch:
                item_key = key(item)
                if item_key is not None and item_key in remaining:
                    found[item_key] = item
                    remaining.discard(item_key)
            seen_all = page.count is not None and page_number * PER_PAGE >= page.count
            if not remaining or len(batch) < PER_PAGE or seen_all:
                break
    return found


def shop_names(integrations: Mapping[str, object] | None) -> list[str]:
    """The shops a product is listed in: those whose product or variant id is set (0 and empty mean none)."""
    linked = {key.split("_", 1)[0] for key, value in (integrations or {}).items() if value not in (None, 0, "", "0")}
    return sorted(SHOP_NAMES.get(name, name.title()) for name in linked)


def request_body(**fields: Any) -> dict[str, Any]:
    """A FinerWorks request body: models dumped as FinerWorks spells them, unset fields left out."""
    return {key: _dump(value) for key, value in fields.items() if value is not None}


def _dump(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json", exclude_none=True)
    if isinstance(value, list | tuple):
        return [_dump(item) for item in value]  # pyright: ignore[reportUnknownVariableType]
    return value
