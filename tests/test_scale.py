"""Large jobs: quote_prices takes 10,000 items and prices every one; the limit is said plainly beyond that."""

from __future__ import annotations

from typing import Any

import pytest

from finerworks_mcp.simulator import SimulatorState
from tests.support import call_error, call_ok, connect, upstream

pytestmark = pytest.mark.anyio

LIFTED = {"MAX_RPS": "1000"}
"""The server's politeness limit toward FinerWorks (20 calls a second by default) would pace 200 calls over ten
seconds; the tests lift it to check the quote itself."""


def lines(count: int) -> list[dict[str, Any]]:
    """`count` lines of borderless paper in every size it prints (up to 40 in on the short side), repeated in
    other quantities; the lines of one get_prices call are distinct."""
    sizes = [(w, h) for w in range(4, 41) for h in range(4, 41)]
    return [
        {"product_sku": "5M6M9S{}X{}".format(*sizes[i % len(sizes)]), "product_qty": 1 + i // len(sizes) % 3}
        for i in range(count)
    ]


async def test_a_quote_of_ten_thousand_items_prices_every_line_in_two_hundred_calls(sim: SimulatorState) -> None:
    items = lines(10_000)
    async with connect(sim, env=LIFTED) as client:
        quote = await call_ok(client, "quote_prices", {"items": items})
    assert len(upstream(sim, "get_prices")) == 200
    assert [line["line"] for line in quote["lines"]] == list(range(1, 10_001))
    assert [line["product_sku"] for line in quote["lines"]] == [item["product_sku"] for item in items]
    assert quote.get("not_priced", []) == []


async def test_more_than_ten_thousand_items_are_refused_before_anything_is_sent(sim: SimulatorState, mode: str) -> None:
    async with connect(sim, mode, env=LIFTED) as client:
        error = await call_error(client, "quote_prices", {"items": lines(10_001)})
    assert "10000" in error.replace(",", "")
    assert upstream(sim, "get_prices") == []
