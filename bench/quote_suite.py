"""quote_prices of 1,000 SKUs with 50 ms of simulated FinerWorks latency, vs 20 sequential get_prices calls (the
naive client) and vs the ideal, ceil(20 / concurrency) x 50 ms.

The server runs over stdio with its default settings; the simulator runs in a process of its own with
`state.faults.add("latency", seconds=0.05, times=None)`, working beside the server as the remote FinerWorks does.
"""

from __future__ import annotations

import math
import statistics
import time
from dataclasses import dataclass
from typing import Any

import anyio

from bench import subjects
from bench.jobs import PRICES_PER_CALL, skus
from bench.simulator_process import running
from finerworks_mcp.settings import DEFAULT_MAX_RPS, DEFAULT_WORKFLOW_CONCURRENCY


@dataclass(frozen=True)
class QuoteRun:
    items: int
    latency_s: float
    concurrency: int
    quote_s: float
    sequential_s: float
    runs: int

    @property
    def calls(self) -> int:
        return math.ceil(self.items / PRICES_PER_CALL)

    @property
    def ideal_s(self) -> float:
        return math.ceil(self.calls / self.concurrency) * self.latency_s

    @property
    def vs_ideal(self) -> float:
        return self.quote_s / self.ideal_s

    @property
    def speedup(self) -> float:
        return self.sequential_s / self.quote_s

    def as_json(self) -> dict[str, Any]:
        return {
            "items": self.items,
            "get_prices_calls": self.calls,
            "latency_ms": self.latency_s * 1000,
            "concurrency": self.concurrency,
            "runs": self.runs,
            "quote_prices_ms": round(self.quote_s * 1000, 1),
            "sequential_get_prices_ms": round(self.sequential_s * 1000, 1),
            "ideal_ms": round(self.ideal_s * 1000, 1),
            "vs_ideal": round(self.vs_ideal, 2),
            "speedup_vs_sequential": round(self.speedup, 2),
        }


async def quote_vs_sequential(items: int, latency: float, runs: int) -> QuoteRun:
    """Median of `runs` of each, alternating."""
    lines = skus(items)
    quotes: list[float] = []
    sequential: list[float] = []
    # The server's default rate limiter holds a burst of DEFAULT_MAX_RPS requests: let it refill before each run.
    refill = math.ceil(items / PRICES_PER_CALL) / DEFAULT_MAX_RPS
    with running(latency) as base_url:
        server = subjects.ours(base_url)
        await server.start()
        try:
            for _ in range(runs):
                await anyio.sleep(refill)
                started = time.perf_counter()
                result = await server.call("quote_prices", {"items": lines})
                quotes.append(time.perf_counter() - started)
                _check(result, items)
                await anyio.sleep(refill)
                started = time.perf_counter()
                for start in range(0, items, PRICES_PER_CALL):
                    await server.call("get_prices", {"products": lines[start : start + PRICES_PER_CALL]})
                sequential.append(time.perf_counter() - started)
        finally:
            await server.close()
    return QuoteRun(
        items, latency, DEFAULT_WORKFLOW_CONCURRENCY, statistics.median(quotes), statistics.median(sequential), runs
    )


def _check(result: dict[str, Any], items: int) -> None:
    structured = result.get("structuredContent") or {}
    priced = len(structured.get("lines", []))
    if priced != items:
        raise RuntimeError(f"quote_prices priced {priced} of {items} items: {structured.get('not_priced', [])[:3]}")
