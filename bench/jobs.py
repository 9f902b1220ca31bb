"""The whole jobs the scaling benchmark runs, as both our server and the bare client (bench/bare_client.py) send
them: a quote of N product codes, and a cleanup scan of a library of N images."""

from __future__ import annotations

import math
from typing import Any

PRICES_PER_CALL = 50
"""FinerWorks' own limit for one get_prices call."""
PER_PAGE = 50
"""FinerWorks' largest page of list_images."""
CLEANUP_SCAN_BODY: dict[str, Any] = {
    # What the server's client completes every image call with (api/requests.py): FinerWorks requires all three.
    "library": {"name": "inventory", "site_id": 2, "session_id": "fwmcp-bench-session"},
    "list_products": True,
    "sort_field": "id",
    "sort_direction": "ASC",
}
"""The list_images request plan_inventory_cleanup sends for images without products (workflows/cleanup.py); every
image of the bench's library has a product, so the scan reads every page and plans nothing."""
_SIZES = [(w, h) for w in range(4, 41) for h in range(4, 41)]
"""Every whole-inch size borderless paper prints at (up to 40 inches on the short side)."""


def skus(count: int) -> list[dict[str, Any]]:
    """`count` lines the simulator prices: archival matte paper, borderless, in 1,369 sizes, then again in another
    quantity; the lines of any one get_prices call are distinct."""
    lines: list[dict[str, Any]] = []
    for i in range(count):
        width, height = _SIZES[i % len(_SIZES)]
        lines.append({"product_sku": f"5M6M9S{width}X{height}", "product_qty": 1 + (i + i // len(_SIZES)) % 3})
    return lines


def quote_requests(items: int) -> int:
    return math.ceil(items / PRICES_PER_CALL)


def scan_requests(images: int) -> int:
    return max(1, math.ceil(images / PER_PAGE))


def ideal_seconds(requests: int, concurrency: int, latency: float, *, first_alone: bool = False) -> float:
    """ceil(requests / concurrency) round trips; a scan's first page comes back alone first, since it says how many
    pages there are."""
    if first_alone:
        return latency * (1 + math.ceil((requests - 1) / concurrency))
    return latency * math.ceil(requests / concurrency)
