"""Over stdio, against the bare SDK server: cold start, per-call latency, and resident memory."""

from __future__ import annotations

import re
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx2

from bench import subjects
from bench.simulator_process import running
from bench.stats import Timing, ratio
from bench.stdio import ROOT, StdioServer

MIB = 1024 * 1024


@dataclass(frozen=True)
class ColdStart:
    ours: Timing
    bare: Timing

    def as_json(self) -> dict[str, Any]:
        return {
            "ours": self.ours.as_json(),
            "bare": self.bare.as_json(),
            "ratio": round(ratio(self.ours.median_us, self.bare.median_us), 2),
        }


async def cold_start(runs: int) -> ColdStart:
    """Spawn to first tools/list answer, alternating the two servers; one unmeasured start each warms the disk."""
    makers: dict[str, Callable[[], StdioServer]] = {"ours": subjects.ours, "bare": subjects.bare}
    times: dict[str, list[float]] = {name: [] for name in makers}
    for run in range(runs + 1):
        for name, make in makers.items():
            server = make()
            try:
                seconds = await server.start()
            finally:
                await server.close()
            if run:
                times[name].append(seconds)
    return ColdStart(Timing.of(times["ours"]), Timing.of(times["bare"]))


@dataclass(frozen=True)
class Session:
    per_call_ours: Timing
    per_call_bare: Timing
    per_call_upstream: Timing
    """The same get_prices request made with a bare httpx2 client to the same simulator process."""
    per_call_cached: Timing
    per_call_bare_again: Timing
    rss_ours: tuple[int, int]
    rss_bare: tuple[int, int]
    calls: int

    @property
    def _floor_us(self) -> float:
        """What ours cannot go below: the SDK's own per-call floor plus the FinerWorks request itself."""
        return self.per_call_bare.median_us + self.per_call_upstream.median_us

    def as_json(self) -> dict[str, Any]:
        def rss(start_end: tuple[int, int]) -> dict[str, float]:
            return {"after_start_mib": round(start_end[0] / MIB, 1), "after_calls_mib": round(start_end[1] / MIB, 1)}

        return {
            "calls": self.calls,
            "per_call": {
                "tool": subjects.READ_CALL[0],
                "ours": self.per_call_ours.as_json(),
                "bare": self.per_call_bare.as_json(),
                "upstream_request": self.per_call_upstream.as_json(),
                "ratio_to_bare_plus_request": round(
                    ratio(
                        self.per_call_ours.median_us, self.per_call_bare.median_us + self.per_call_upstream.median_us
                    ),
                    2,
                ),
            },
            "per_call_cached": {
                "tool": subjects.CACHED_CALL[0],
                "ours": self.per_call_cached.as_json(),
                "bare": self.per_call_bare_again.as_json(),
                "ratio": round(ratio(self.per_call_cached.median_us, self.per_call_bare_again.median_us), 2),
            },
            "memory": {
                "ours": rss(self.rss_ours),
                "bare": rss(self.rss_bare),
                "ratio_after_start": round(ratio(self.rss_ours[0], self.rss_bare[0]), 2),
                "ratio_after_calls": round(ratio(self.rss_ours[1], self.rss_bare[1]), 2),
            },
        }


async def session(calls: int, warmup: int, cached_calls: int) -> Session:
    """Both servers up side by side. `calls` calls each, alternating: ours prices a product (FinerWorks being a
    simulator process on loopback), the bare server adds two numbers, and a bare httpx2 client sends the same
    get_prices request (ours pays the SDK's floor plus that request); latency after the warm-up, memory after start
    and after the calls. Then `cached_calls` more with a read ours answers from its cache (no FinerWorks request)."""
    with running(latency=0) as base_url:
        ours, bare = subjects.ours(base_url, **subjects.FAST_LIMITS), subjects.bare()
        await ours.start()
        await bare.start()
        try:
            async with subjects.finerworks_client(base_url) as upstream:
                rss_start = ours.rss_bytes(), bare.rss_bytes()
                read, bare_read, request = await _alternate(ours, subjects.READ_CALL, bare, calls, warmup, upstream)
                rss_end = ours.rss_bytes(), bare.rss_bytes()
            cached, bare_cached, _ = await _alternate(ours, subjects.CACHED_CALL, bare, cached_calls, warmup)
        finally:
            await ours.close()
            await bare.close()
    rss_ours, rss_bare = (rss_start[0], rss_end[0]), (rss_start[1], rss_end[1])
    assert request is not None
    return Session(read, bare_read, request, cached, bare_cached, rss_ours, rss_bare, calls)


async def _alternate(
    ours: StdioServer,
    call: tuple[str, dict[str, Any]],
    bare: StdioServer,
    calls: int,
    warmup: int,
    upstream: httpx2.AsyncClient | None = None,
) -> tuple[Timing, Timing, Timing | None]:
    """Median timings of `call` on ours, the trivial tool on the bare server, and (with `upstream`) the same
    FinerWorks request made directly, interleaved so that all three see the same machine."""
    times: tuple[list[float], list[float], list[float]] = ([], [], [])
    for i in range(calls):
        for server, (tool, arguments), samples in ((ours, call, times[0]), (bare, subjects.BARE_CALL, times[1])):
            started = time.perf_counter()
            await server.call(tool, arguments)
            if i >= warmup:
                samples.append(time.perf_counter() - started)
        if upstream is not None:
            started = time.perf_counter()
            await subjects.bare_request(upstream, call)
            if i >= warmup:
                times[2].append(time.perf_counter() - started)
    return Timing.of(times[0]), Timing.of(times[1]), Timing.of(times[2]) if upstream is not None else None


_IMPORT_ROW = re.compile(r"import time:\s+\d+ \|\s+(\d+) \| ( *)(\S+)$")


def import_ms(statement: str, runs: int) -> float:
    """Median import time of `statement` (python -X importtime: the cumulative times of its top-level imports,
    interpreter start-up excluded), in milliseconds."""
    samples: list[float] = []
    for _ in range(runs):
        done = subprocess.run(
            [sys.executable, "-X", "importtime", "-c", statement], capture_output=True, text=True, cwd=ROOT, check=True
        )
        rows = [_IMPORT_ROW.match(line) for line in done.stderr.splitlines()]
        # `site` and what it pulls in are imported before the statement runs; they are the interpreter's cost.
        statement_rows = [row for row in rows if row]
        at = max(i for i, row in enumerate(statement_rows) if row.group(3) == "site") + 1
        samples.append(sum(int(row.group(1)) for row in statement_rows[at:] if not row.group(2)) / 1000)
    return statistics.median(samples)
