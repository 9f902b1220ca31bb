"""The baseline for a whole job: a bare httpx2.AsyncClient sending the same FinerWorks requests as our server does,
at the same concurrency, keeping every parsed answer; in a process of its own, so its time and peak memory are its
own.

    python -m bench.bare_client BASE_URL quote|scan SIZE CONCURRENCY

Prints one JSON line: seconds (first request to last answer parsed, after one warm-up request on the connection),
requests, answer_bytes (what FinerWorks sent), rss_before and peak_rss in bytes.
"""

from __future__ import annotations

import json
import math
import sys
import time
from pathlib import Path
from typing import Any

import anyio
import httpx2

from bench.jobs import CLEANUP_SCAN_BODY, PER_PAGE, PRICES_PER_CALL, skus
from finerworks_mcp.simulator import seed


def memory(field: str) -> int:
    """VmRSS (now) or VmHWM (the peak so far) of this process, in bytes, from /proc (Linux)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) * 1024
    raise RuntimeError(f"no {field} in /proc/self/status")


def reset_peak() -> None:
    Path("/proc/self/clear_refs").write_text("5")  # VmHWM back to VmRSS


Answer = tuple[int, Any]
"""Bytes FinerWorks sent, and the parsed answer (kept, as a client building a result keeps it)."""


async def _answer(client: httpx2.AsyncClient, endpoint: str, body: dict[str, Any]) -> Answer:
    response = await client.post(endpoint, json=body)
    response.raise_for_status()
    return len(response.content), response.json()


async def _all(client: httpx2.AsyncClient, endpoint: str, bodies: list[dict[str, Any]], limit: int) -> list[Answer]:
    """Every request, at most `limit` in flight; each answer parsed as it arrives."""
    answers: list[Answer] = [(0, None)] * len(bodies)
    limiter = anyio.CapacityLimiter(limit)

    async def one(index: int) -> None:
        async with limiter:
            answers[index] = await _answer(client, endpoint, bodies[index])

    async with anyio.create_task_group() as group:
        for index in range(len(bodies)):
            group.start_soon(one, index)
    return answers


async def run(base_url: str, job: str, size: int, concurrency: int) -> dict[str, Any]:
    headers = {"web_api_key": seed.SIMULATOR_WEB_API_KEY, "app_key": seed.SIMULATOR_APP_KEY}
    async with httpx2.AsyncClient(base_url=base_url + "/", headers=headers, timeout=60) as client:
        (await client.post("get_prices", json={"products": skus(1)})).raise_for_status()  # open the connection
        reset_peak()  # the peak from here on
        rss_before = memory("VmRSS")
        started = time.perf_counter()
        if job == "quote":
            lines = skus(size)
            bodies = [{"products": lines[i : i + PRICES_PER_CALL]} for i in range(0, size, PRICES_PER_CALL)]
            answers = await _all(client, "get_prices", bodies, concurrency)
        else:
            first = await _answer(client, "list_images", {**CLEANUP_SCAN_BODY, "page_number": 1, "per_page": PER_PAGE})
            pages = math.ceil(first[1]["count"] / PER_PAGE)
            bodies = [{**CLEANUP_SCAN_BODY, "page_number": n, "per_page": PER_PAGE} for n in range(2, pages + 1)]
            answers = [first, *await _all(client, "list_images", bodies, concurrency)]
        seconds = time.perf_counter() - started
    return {
        "seconds": seconds,
        "requests": len(answers),
        "answer_bytes": sum(size for size, _ in answers),
        "rss_before": rss_before,
        "peak_rss": memory("VmHWM"),
    }


if __name__ == "__main__":
    base, job, size, limit = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    print(json.dumps(anyio.run(run, base, job, size, limit)))
