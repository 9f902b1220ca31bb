"""Whole jobs at growing sizes, at FinerWorks' real latency (50 ms) and the default concurrency: quote_prices of
100, 1,000 and 10,000 SKUs, and a cleanup scan of 1,000 and 10,000 images. Each against its ideal (the round trips
the job cannot avoid) and against a bare httpx2 client sending the same requests at the same concurrency
(bench/bare_client.py), with time and peak memory, in one run.

Our server runs over stdio as users run it, fresh for every run, after one small call of the same kind (its
connection to FinerWorks open, the models the job uses built). Its politeness limit toward FinerWorks
(FINERWORKS_MAX_RPS, 20 calls a second) is lifted: it would pace 200 calls over ten seconds by design, and this
measures the server. Peak memory is the rise of the process's resident peak (VmHWM, reset before the job) over its
resident memory when the job starts.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from dataclasses import dataclass
from typing import Any

import anyio

from bench import subjects
from bench.jobs import ideal_seconds, quote_requests, scan_requests, skus
from bench.simulator_process import running
from bench.stdio import ROOT
from finerworks_mcp.settings import DEFAULT_WORKFLOW_CONCURRENCY

LATENCY_S = 0.05
QUOTE_SIZES = (100, 1_000, 10_000)
SCAN_SIZES = (1_000, 10_000)
LIFTED = {"FINERWORKS_MAX_RPS": "1000"}
VS_IDEAL_GOAL = 1.5
VS_BARE_GOAL = 1.3


@dataclass(frozen=True)
class JobRun:
    job: str
    """"quote" or "scan"."""
    size: int
    concurrency: int
    latency_s: float
    ours_s: float
    bare_s: float
    ours_peak: float
    """Bytes the peak rose during the job (median over runs)."""
    bare_peak: float
    answer_bytes: int
    """What the assistant receives: the tools/call result, as JSON."""
    upstream_bytes: int
    """What FinerWorks sent for the job."""
    runs: int

    @property
    def requests(self) -> int:
        return quote_requests(self.size) if self.job == "quote" else scan_requests(self.size)

    @property
    def ideal_s(self) -> float:
        return ideal_seconds(self.requests, self.concurrency, self.latency_s, first_alone=self.job == "scan")

    @property
    def vs_ideal(self) -> float:
        return self.ours_s / self.ideal_s

    @property
    def vs_bare(self) -> float:
        return self.ours_s / self.bare_s

    @property
    def met(self) -> bool:
        return self.vs_ideal <= VS_IDEAL_GOAL or self.vs_bare <= VS_BARE_GOAL

    def as_json(self) -> dict[str, Any]:
        return {
            "job": self.job,
            "size": self.size,
            "requests": self.requests,
            "concurrency": self.concurrency,
            "latency_ms": self.latency_s * 1000,
            "runs": self.runs,
            "ours_ms": round(self.ours_s * 1000, 1),
            "bare_httpx2_ms": round(self.bare_s * 1000, 1),
            "ideal_ms": round(self.ideal_s * 1000, 1),
            "vs_ideal": round(self.vs_ideal, 2),
            "vs_bare": round(self.vs_bare, 2),
            "ours_peak_mib": round(self.ours_peak / 2**20, 2),
            "bare_peak_mib": round(self.bare_peak / 2**20, 2),
            "answer_kib": round(self.answer_bytes / 1024, 1),
            "upstream_kib": round(self.upstream_bytes / 1024, 1),
            "met": self.met,
        }


def tool_call(job: str, size: int) -> tuple[str, dict[str, Any]]:
    if job == "quote":
        return "quote_prices", {"items": skus(size)}
    return "plan_inventory_cleanup", {"images": {"without_products": True}}


def warm_up(job: str) -> tuple[str, dict[str, Any]]:
    if job == "quote":
        return "quote_prices", {"items": skus(1)}
    return "list_images", {"per_page": 1, "list_products": True}


async def ours_once(base_url: str, job: str, size: int) -> tuple[float, int, int]:
    """Seconds, peak rise and answer bytes of one job on a fresh server."""
    server = subjects.ours(base_url, **LIFTED)
    await server.start()
    try:
        # As in a session that has done this once: the connection to FinerWorks is open and the answer models
        # the job uses are built (the bare client has done its one warm-up request too).
        await server.call(*warm_up(job))
        tool, arguments = tool_call(job, size)
        server.reset_peak()
        before = server.rss_bytes()
        started = time.perf_counter()
        result = await server.call(tool, arguments)
        seconds = time.perf_counter() - started
        peak = server.peak_bytes() - before
    finally:
        await server.close()
    _check(job, size, result)
    return seconds, peak, len(json.dumps(result, ensure_ascii=False).encode())


async def bare_once(base_url: str, job: str, size: int, concurrency: int) -> dict[str, Any]:
    argv = [sys.executable, "-m", "bench.bare_client", base_url, job, str(size), str(concurrency)]
    done = await anyio.run_process(argv, cwd=ROOT, check=True)
    return json.loads(done.stdout)


def _check(job: str, size: int, result: dict[str, Any]) -> None:
    structured = result.get("structuredContent") or {}
    if job == "quote" and len(structured.get("lines", [])) != size:
        raise RuntimeError(f"quote_prices priced {len(structured.get('lines', []))} of {size} items")
    if job == "scan" and (structured.get("images") or {}).get("listed") != size:
        raise RuntimeError(f"the cleanup scan listed {(structured.get('images') or {}).get('listed')} of {size} images")


async def measure(job: str, size: int, base_url: str, runs: int) -> JobRun:
    concurrency = DEFAULT_WORKFLOW_CONCURRENCY
    ours: list[tuple[float, int, int]] = []
    bare: list[dict[str, Any]] = []
    for _ in range(runs):  # alternating, so both see the same machine
        ours.append(await ours_once(base_url, job, size))
        bare.append(await bare_once(base_url, job, size, concurrency))
    return JobRun(
        job=job,
        size=size,
        concurrency=concurrency,
        latency_s=LATENCY_S,
        ours_s=statistics.median(seconds for seconds, _, _ in ours),
        bare_s=statistics.median(run["seconds"] for run in bare),
        ours_peak=statistics.median(peak for _, peak, _ in ours),
        bare_peak=statistics.median(run["peak_rss"] - run["rss_before"] for run in bare),
        answer_bytes=ours[-1][2],
        upstream_bytes=bare[-1]["answer_bytes"],
        runs=runs,
    )


async def job_runs(
    runs: int, quote_sizes: tuple[int, ...] = QUOTE_SIZES, scan_sizes: tuple[int, ...] = SCAN_SIZES
) -> list[JobRun]:
    measured: list[JobRun] = []
    with running(LATENCY_S) as base_url:
        for size in quote_sizes:
            measured.append(await measure("quote", size, base_url, runs))
    for size in scan_sizes:
        with running(LATENCY_S, images=size) as base_url:
            measured.append(await measure("scan", size, base_url, runs))
    return measured


def memory_linear(runs: list[JobRun]) -> dict[str, dict[str, float]]:
    """Per job, from its smallest to its largest size: how much the peak rose, against how much the answer grew
    (for a scan, what FinerWorks sent, since the plan itself is small); linear when the first is no larger."""
    growth: dict[str, dict[str, float]] = {}
    for job in ("quote", "scan"):
        sizes = sorted((run for run in runs if run.job == job), key=lambda run: run.size)
        if len(sizes) < 2:
            continue
        small, large = sizes[-2], sizes[-1]
        answer = (lambda run: run.answer_bytes) if job == "quote" else (lambda run: run.upstream_bytes)
        growth[job] = {
            "from": small.size,
            "to": large.size,
            "peak_growth": round(large.ours_peak / max(small.ours_peak, 1), 2),
            "answer_growth": round(answer(large) / answer(small), 2),
        }
    return growth
