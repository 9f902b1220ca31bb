"""python -m bench --peer: this server beside the auto-generated alternative, FastMCP's `from_openapi` server built
from `finerworks-mcp openapi` (bench/peer_server.py; fastmcp from the optional `bench` extra), on one simulator.

Both run over stdio as users run them. Tool-list tokens count the tools/list each sends (compact JSON, cl100k, as
bench/sizes.py counts). The 1,000-SKU quote is one quote_prices call for ours and, for the peer, the 20 get_prices
calls an assistant would have to make (one after another, as turns come), at 50 ms FinerWorks latency; answer tokens
are the text the model reads (every text block of every answer).
"""

from __future__ import annotations

import json
import statistics
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench import sizes, subjects
from bench.jobs import PRICES_PER_CALL, skus
from bench.scale_suite import LATENCY_S, LIFTED
from bench.simulator_process import running
from bench.stats import Timing, ratio
from bench.stdio import StdioServer, python_module
from finerworks_mcp.openapi import document

QUOTE_ITEMS = 1_000


@dataclass(frozen=True)
class Side:
    tool_list_tokens: int
    cold_start: Timing
    per_call: Timing
    rss: int
    quote_calls: int
    quote_s: float
    quote_answer_tokens: int

    def as_json(self) -> dict[str, Any]:
        return {
            "tool_list_tokens": self.tool_list_tokens,
            "cold_start": self.cold_start.as_json(),
            "per_call": self.per_call.as_json(),
            "rss_mib": round(self.rss / 2**20, 1),
            "quote_1000": {
                "calls": self.quote_calls,
                "ms": round(self.quote_s * 1000, 1),
                "answer_tokens": self.quote_answer_tokens,
            },
        }


@dataclass(frozen=True)
class Peer:
    ours: Side
    peer: Side

    def as_json(self) -> dict[str, Any]:
        return {"ours": self.ours.as_json(), "fastmcp_from_openapi": self.peer.as_json()}

    def table(self) -> str:
        rows = [
            ("tools/list, cl100k tokens", self.ours.tool_list_tokens, self.peer.tool_list_tokens, "{:,}"),
            (
                "cold start to tools/list, median ms",
                self.ours.cold_start.median_us / 1000,
                self.peer.cold_start.median_us / 1000,
                "{:,.0f}",
            ),
            (
                "get_prices per call over stdio, median ms",
                self.ours.per_call.median_us / 1000,
                self.peer.per_call.median_us / 1000,
                "{:.2f}",
            ),
            ("resident memory after the calls, MiB", self.ours.rss / 2**20, self.peer.rss / 2**20, "{:.1f}"),
            ("1,000-SKU quote: tool calls", self.ours.quote_calls, self.peer.quote_calls, "{:,}"),
            (
                "1,000-SKU quote: time at 50 ms latency, ms",
                self.ours.quote_s * 1000,
                self.peer.quote_s * 1000,
                "{:,.0f}",
            ),
            ("1,000-SKU quote: answer tokens", self.ours.quote_answer_tokens, self.peer.quote_answer_tokens, "{:,}"),
        ]
        lines = ["| | finerworks-mcp | FastMCP from_openapi | peer / ours |", "| --- | --- | --- | --- |"]
        for label, ours, peer, shape in rows:
            lines.append(f"| {label} | {shape.format(ours)} | {shape.format(peer)} | {ratio(peer, ours):.2f}× |")
        lines.append("| asks a person before a write | yes (preview + token) | no | |")
        return "\n".join(lines)


def _peer(spec: Path, base_url: str | None) -> StdioServer:
    env = subjects.ours(base_url).env
    return StdioServer([*python_module("bench.peer_server"), str(spec), base_url or "http://127.0.0.1:9/v3"], env)


def _text_tokens(result: dict[str, Any]) -> int:
    return sum(sizes.tokens(block["text"]) for block in result.get("content", []) if block.get("type") == "text")


async def _cold(make: Any, runs: int) -> tuple[Timing, int]:
    times: list[float] = []
    tokens = 0
    for run in range(runs + 1):
        server: StdioServer = make()
        try:
            seconds = await server.start()
        finally:
            await server.close()
        tokens = sizes.tokens(sizes.compact_json({"tools": server.tools}))
        if run:
            times.append(seconds)
    return Timing.of(times), tokens


async def side_by_side(runs: int, calls: int, warmup: int) -> Peer:
    spec = Path(tempfile.mkdtemp(prefix="finerworks-peer-")) / "finerworks.openapi.json"
    spec.write_text(json.dumps(document()), encoding="utf-8")
    ours_cold, ours_tokens = await _cold(subjects.ours, runs)
    peer_cold, peer_tokens = await _cold(lambda: _peer(spec, None), runs)
    tool, arguments = subjects.READ_CALL
    with running(0) as base_url:
        ours, peer = subjects.ours(base_url, **subjects.FAST_LIMITS), _peer(spec, base_url)
        await ours.start()
        await peer.start()
        samples: dict[str, list[float]] = {"ours": [], "peer": []}
        try:
            for i in range(warmup + calls):
                for name, server in (("ours", ours), ("peer", peer)):
                    started = time.perf_counter()
                    await server.call(tool, arguments)
                    if i >= warmup:
                        samples[name].append(time.perf_counter() - started)
            rss = ours.rss_bytes(), peer.rss_bytes()
        finally:
            await ours.close()
            await peer.close()
    lines = skus(QUOTE_ITEMS)
    with running(LATENCY_S) as base_url:
        ours, peer = subjects.ours(base_url, **LIFTED), _peer(spec, base_url)
        await ours.start()
        await peer.start()
        quotes: dict[str, list[float]] = {"ours": [], "peer": []}
        answers = {"ours": 0, "peer": 0}
        try:
            await ours.call(tool, arguments)
            await peer.call(tool, arguments)
            for _ in range(runs):
                started = time.perf_counter()
                answers["ours"] = _text_tokens(await ours.call("quote_prices", {"items": lines}))
                quotes["ours"].append(time.perf_counter() - started)
                started = time.perf_counter()
                tokens = 0
                for start in range(0, QUOTE_ITEMS, PRICES_PER_CALL):
                    chunk = lines[start : start + PRICES_PER_CALL]
                    tokens += _text_tokens(await peer.call("get_prices", {"products": chunk}))
                quotes["peer"].append(time.perf_counter() - started)
                answers["peer"] = tokens
        finally:
            await ours.close()
            await peer.close()
    peer_calls = -(-QUOTE_ITEMS // PRICES_PER_CALL)
    return Peer(
        Side(
            ours_tokens,
            ours_cold,
            Timing.of(samples["ours"]),
            rss[0],
            1,
            statistics.median(quotes["ours"]),
            answers["ours"],
        ),
        Side(
            peer_tokens,
            peer_cold,
            Timing.of(samples["peer"]),
            rss[1],
            peer_calls,
            statistics.median(quotes["peer"]),
            answers["peer"],
        ),
    )
