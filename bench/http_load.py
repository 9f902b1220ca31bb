"""Load over streamable HTTP: many concurrent tool calls against one server process on the simulator.

    python -m bench.http_load [--calls 200] [--clients 20] [--save]

Starts `finerworks-mcp serve --transport http` on a free loopback port (FINERWORKS_ENV=simulator, bearer token),
opens CLIENTS MCP clients (alternating the two protocol eras), warms them up, then starts every call at once and
checks each answer. Prints errors, latency and the server's resident memory before and after; `--save` also writes
bench/results/http_load.json. tests/test_http.py runs the same load and asserts correctness and a memory bound.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import anyio
from mcp import Client

from bench.server_process import MODES, ServerProcess, http_client, http_server, text_of
from finerworks_mcp.simulator import seed

LOAD_ENV = {"FINERWORKS_MAX_RPS": "1000", "FINERWORKS_MAX_CONCURRENCY": "256"}
"""The server's own FinerWorks rate limiter would (rightly) refuse this burst; the simulator is in-process, so the
benchmark lifts it to measure the MCP HTTP layer."""
RESULTS = Path(__file__).resolve().parent / "results" / "http_load.json"
MIB = 1024 * 1024


@dataclass(frozen=True)
class Probe:
    """One read tool call and what its answer must contain."""

    tool: str
    arguments: dict[str, Any]
    correct: Callable[[dict[str, Any]], bool]


PROBES = (
    Probe(
        "get_prices",
        {"products": [{"product_sku": seed.VALID_PRODUCT_CODE, "product_qty": 2}]},
        lambda r: r["prices"][0]["product_code"] == seed.VALID_PRODUCT_CODE,
    ),
    Probe("test_my_credentials", {}, lambda r: r["user_account"]["account_username"] == seed.ACCOUNT_USERNAME),
    Probe("list_product_types", {"ids": [5]}, lambda r: r["product_types"][0]["name"] == "Giclee Paper Prints"),
)


@dataclass
class LoadReport:
    calls: int
    clients: int
    ok: int = 0
    errors: list[str] = field(default_factory=list[str])
    elapsed_s: float = 0.0
    latencies_ms: list[float] = field(default_factory=list[float])
    rss_before_mib: float = 0.0
    rss_after_mib: float = 0.0
    server_cpu_s: float = 0.0

    def summary(self) -> dict[str, Any]:
        latencies = sorted(self.latencies_ms)
        return {
            "calls": self.calls,
            "clients": self.clients,
            "ok": self.ok,
            "errors": len(self.errors),
            "first_errors": self.errors[:3],
            "elapsed_s": round(self.elapsed_s, 3),
            "calls_per_s": round(self.calls / self.elapsed_s, 1) if self.elapsed_s else None,
            "latency_ms": {
                "p50": round(statistics.median(latencies), 1) if latencies else None,
                "p95": round(latencies[int(0.95 * (len(latencies) - 1))], 1) if latencies else None,
                "max": round(latencies[-1], 1) if latencies else None,
            },
            "server_rss_mib": {"before": round(self.rss_before_mib, 1), "after": round(self.rss_after_mib, 1)},
            "server_cpu_s": round(self.server_cpu_s, 2),
        }


async def _call(client: Client, probe: Probe, report: LoadReport) -> None:
    started = time.perf_counter()
    try:
        result = await client.call_tool(probe.tool, probe.arguments)
    except Exception as error:  # any failure is a finding, not a crash of the benchmark
        report.errors.append(f"{probe.tool}: {type(error).__name__}: {error}")
        return
    report.latencies_ms.append((time.perf_counter() - started) * 1000)
    if result.is_error or result.structured_content is None or not probe.correct(result.structured_content):
        report.errors.append(f"{probe.tool}: wrong answer: {text_of(result)[:200]}")
    else:
        report.ok += 1


async def run_load(server: ServerProcess, calls: int = 200, clients: int = 20) -> LoadReport:
    """`calls` tool calls in flight at once, spread over `clients` MCP clients on alternating protocol eras."""
    report = LoadReport(calls=calls, clients=clients)
    warm_up = LoadReport(calls=clients, clients=clients)

    async def one_client(index: int, ready: anyio.Event, go: anyio.Event, done: Callable[[], None]) -> None:
        async with http_client(server.mcp_url, MODES[index % len(MODES)]) as client:
            await client.list_tools()
            await _call(client, PROBES[index % len(PROBES)], warm_up)
            ready.set()
            await go.wait()
            async with anyio.create_task_group() as group:
                for n in range(index, calls, clients):
                    group.start_soon(_call, client, PROBES[n % len(PROBES)], report)
            done()

    go = anyio.Event()
    finished = anyio.Event()
    remaining = clients

    def done() -> None:
        nonlocal remaining
        remaining -= 1
        if not remaining:
            finished.set()

    async with anyio.create_task_group() as group:
        readies = [anyio.Event() for _ in range(clients)]
        for index, ready in enumerate(readies):
            group.start_soon(one_client, index, ready, go, done)
        for ready in readies:
            await ready.wait()
        if warm_up.errors:
            raise RuntimeError(f"warm-up failed: {warm_up.errors[:3]}")
        report.rss_before_mib = server.rss_bytes() / MIB
        cpu_before, started = server.cpu_seconds(), time.perf_counter()
        go.set()
        await finished.wait()
        report.elapsed_s = time.perf_counter() - started
        report.server_cpu_s = server.cpu_seconds() - cpu_before
        report.rss_after_mib = server.rss_bytes() / MIB
    return report


async def _main(calls: int, clients: int, save: bool) -> int:
    with (
        tempfile.TemporaryDirectory(prefix="finerworks-http-load-") as scratch,
        http_server(Path(scratch), LOAD_ENV) as server,
        anyio.fail_after(300),
    ):
        report = await run_load(server, calls, clients)
    summary = report.summary() | {"machine": f"{platform.machine()}, Python {platform.python_version()}"}
    print(json.dumps(summary, indent=2))
    if save:
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        RESULTS.write_text(json.dumps(summary, indent=2) + "\n")
        print(f"saved {RESULTS}")
    return 0 if not report.errors else 1


def main() -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.http_load", description="Concurrent MCP tool calls over streamable HTTP."
    )
    parser.add_argument("--calls", type=int, default=200, help="tool calls in flight at once (default 200)")
    parser.add_argument("--clients", type=int, default=20, help="MCP clients sharing them (default 20)")
    parser.add_argument("--save", action="store_true", help="also write bench/results/http_load.json")
    args = parser.parse_args()
    return anyio.run(_main, args.calls, args.clients, args.save)


if __name__ == "__main__":
    raise SystemExit(main())
