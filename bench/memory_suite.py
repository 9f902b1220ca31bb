"""In memory: a read tool through the MCP client vs the same request with a bare httpx2 client, one simulator."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from mcp import Client

from bench import subjects
from bench.stats import Timing, ratio
from finerworks_mcp.mcp.server import build_server
from finerworks_mcp.offline import SIMULATOR_KEYS
from finerworks_mcp.simulator import SimulatorState, SimulatorTransport


@dataclass(frozen=True)
class Overhead:
    mcp: Timing
    httpx2: Timing
    mode: str

    def as_json(self) -> dict[str, Any]:
        return {
            "mode": self.mode,
            "mcp": self.mcp.as_json(),
            "httpx2": self.httpx2.as_json(),
            "overhead_median_us": round(self.mcp.median_us - self.httpx2.median_us, 1),
            "overhead_p95_us": round(self.mcp.p95_us - self.httpx2.p95_us, 1),
            "ratio": round(ratio(self.mcp.median_us, self.httpx2.median_us), 2),
        }


async def per_call_overhead(calls: int, warmup: int, mode: str = "auto") -> Overhead:
    """Alternate one MCP call and one bare httpx2 request for the same prices, both answered by the same simulator.

    `calls + warmup` stays under the server's burst allowance (FINERWORKS_MAX_RPS=1000), so its rate limiter never
    waits here."""
    settings = subjects.in_process_settings(**subjects.FAST_LIMITS)
    sim = SimulatorState()
    transport = SimulatorTransport(sim)
    tool, arguments = subjects.READ_CALL
    bare = subjects.finerworks_client(settings.api_base, transport)
    mcp_times: list[float] = []
    httpx_times: list[float] = []
    async with Client(build_server(settings, transport=transport, keys=SIMULATOR_KEYS), mode=mode) as client, bare:  # pyright: ignore[reportArgumentType]
        for i in range(warmup + calls):
            started = time.perf_counter()
            result = await client.call_tool(tool, arguments)
            middle = time.perf_counter()
            await subjects.bare_request(bare, subjects.READ_CALL)
            ended = time.perf_counter()
            if result.is_error:
                raise RuntimeError(f"{tool} failed: {result.content}")
            if i >= warmup:
                mcp_times.append(middle - started)
                httpx_times.append(ended - middle)
    return Overhead(Timing.of(mcp_times), Timing.of(httpx_times), mode)
