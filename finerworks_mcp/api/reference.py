"""Reference data that rarely changes (catalog, framing options, order status definitions), cached per server.

One `ReferenceData` lives as long as the server, not a connection: every client shares it, and FinerWorks is asked
for each kind at most once per FINERWORKS_CACHE_TTL seconds (0 turns the cache off). Failures are not cached.
The clock is injected so expiry can be tested without waiting.

MCP resources read without a tool call and so without a request's lifespan state; `serving(client)` records the
FinerWorks client of each running lifespan so resource reads can use one.
"""

from __future__ import annotations

import copy
import time
from collections.abc import AsyncGenerator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import anyio

from finerworks_mcp.api.client import FinerWorksClient, JsonObject


@dataclass(frozen=True, slots=True)
class ReferenceKind:
    name: str
    endpoint: str
    uri: str
    title: str
    description: str

    @property
    def request_body(self) -> dict[str, Any] | None:
        # The POST lists answer everything to an empty filter; the one GET takes no body at all.
        return None if self.endpoint == "list_order_status_definitions" else {}


REFERENCE_KINDS: dict[str, ReferenceKind] = {
    kind.name: kind
    for kind in (
        ReferenceKind(
            "product-types",
            "list_product_types",
            "finerworks://catalog/product-types",
            "Product types",
            "Every product type (canvas, paper prints, ...) with the media ids it offers.",
        ),
        ReferenceKind(
            "media-types",
            "list_media_types",
            "finerworks://catalog/media-types",
            "Media types",
            "Every medium (papers, canvases) with its product type and the style ids it allows.",
        ),
        ReferenceKind(
            "style-types",
            "list_style_types",
            "finerworks://catalog/style-types",
            "Style types",
            "Every style (borders, wraps) with its sizes in inches.",
        ),
        ReferenceKind(
            "frame-collections",
            "list_collections",
            "finerworks://framing/collections",
            "Frame collections",
            "Every frame collection with its starting price (frames: list_collections with an id).",
        ),
        ReferenceKind(
            "mats", "list_mats", "finerworks://framing/mats", "Mats", "Every mat board with colour and starting price."
        ),
        ReferenceKind(
            "glazing",
            "list_glazing",
            "finerworks://framing/glazing",
            "Glazing",
            "Every glazing option with its starting price.",
        ),
        ReferenceKind(
            "status-definitions",
            "list_order_status_definitions",
            "finerworks://orders/status-definitions",
            "Order status definitions",
            "Every production status id with its label.",
        ),
    )
}


@dataclass(frozen=True, slots=True)
class _Entry:
    payload: JsonObject
    fetched_at: float


class NotServing(RuntimeError):
    """No lifespan is running, so there is no FinerWorks client to refresh the cache with."""


class ReferenceData:
    def __init__(self, *, ttl: float, clock: Callable[[], float] = time.time) -> None:
        self.ttl = ttl
        self.clock = clock
        self._entries: dict[str, _Entry] = {}
        # One lock per kind: concurrent misses for the same kind make one FinerWorks call, not several.
        self._locks = {name: anyio.Lock() for name in REFERENCE_KINDS}
        self._clients: list[FinerWorksClient] = []

    async def get(self, name: str, client: FinerWorksClient) -> JsonObject:
        """The kind's whole answer (without FinerWorks' status envelope), from the cache while it is fresh."""
        kind = REFERENCE_KINDS[name]
        async with self._locks[name]:
            entry = self._entries.get(name)
            if entry is None or self.clock() - entry.fetched_at >= self.ttl:
                payload = await client.read(kind.endpoint, body=kind.request_body)
                payload.pop("status", None)
                entry = _Entry(payload, self.clock())
                self._entries[name] = entry
        # Callers may change what they get; the cached answer must stay as FinerWorks gave it.
        return copy.deepcopy(entry.payload)

    @asynccontextmanager
    async def serving(self, client: FinerWorksClient) -> AsyncGenerator[None]:
        """While a lifespan runs, its client may refresh the cache for resource reads."""
        self._clients.append(client)
        try:
            yield
        finally:
            self._clients.remove(client)

    async def get_for_resource(self, name: str) -> JsonObject:
        if not self._clients:
            raise NotServing("the server is not running")
        return await self.get(name, self._clients[-1])
