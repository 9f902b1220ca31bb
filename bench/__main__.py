"""python -m bench: measure everything against its baseline in one run, print the table, write the JSON.

    python -m bench [--quick] [--json PATH]

The full run writes bench/results/latest.json; --quick (a smoke test with few repetitions) writes only to --json.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import anyio

from bench import machine, sizes
from bench.memory_suite import per_call_overhead
from bench.quote_suite import quote_vs_sequential
from bench.stats import ratio
from bench.stdio import ROOT
from bench.stdio_suite import cold_start, import_ms, session

LATEST = Path(__file__).resolve().parent / "results" / "latest.json"


@dataclass(frozen=True)
class Reps:
    in_memory_calls: int
    stdio_calls: int
    cached_calls: int
    warmup: int
    cold_starts: int
    quote_runs: int
    import_runs: int


FULL = Reps(
    in_memory_calls=800, stdio_calls=10_000, cached_calls=1_000, warmup=100, cold_starts=5, quote_runs=3, import_runs=3
)
QUICK = Reps(
    in_memory_calls=200, stdio_calls=500, cached_calls=200, warmup=50, cold_starts=1, quote_runs=1, import_runs=1
)


@dataclass(frozen=True)
class Row:
    measure: str
    ours: str
    baseline: str
    ratio: str
    goal: str
    met: bool | None  # None: reported, no goal

    def as_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


def _us(value: float) -> str:
    return f"{value:,.0f} µs"


def _ms(value: float) -> str:
    return f"{value:,.0f} ms"


def _mib(value: float) -> str:
    return f"{value:.1f} MiB"


def _row(measure: str, ours: str, baseline: str, ratio_: float | None, goal: str = "", met: bool | None = None) -> Row:
    return Row(measure, ours, baseline, "" if ratio_ is None else f"{ratio_:.2f}×", goal, met)


async def run(reps: Reps) -> tuple[dict[str, Any], list[Row]]:
    results: dict[str, Any] = {}
    rows: list[Row] = []
    step = _Progress()

    step("in-memory per-call overhead")
    for mode, era in (("auto", "2026-07-28"), ("legacy", "2025-11-25")):
        overhead = await per_call_overhead(reps.in_memory_calls, reps.warmup, mode)
        results[f"in_memory_{mode}"] = overhead.as_json()
        mcp, bare = overhead.mcp, overhead.httpx2
        extra = mcp.median_us - bare.median_us
        rows.append(
            _row(
                f"per call in memory ({era}), get_prices: median",
                _us(mcp.median_us),
                f"{_us(bare.median_us)} httpx2",
                ratio(mcp.median_us, bare.median_us),
                f"overhead < 1,000 µs: {extra:,.0f}",
                extra < 1000,
            )
        )
        rows.append(
            _row(f"  same, p95 ({era})", _us(mcp.p95_us), f"{_us(bare.p95_us)} httpx2", ratio(mcp.p95_us, bare.p95_us))
        )

    step("stdio cold start")
    cold = await cold_start(reps.cold_starts)
    results["cold_start"] = cold.as_json()
    cold_ratio = ratio(cold.ours.median_us, cold.bare.median_us)
    rows.append(
        _row(
            "cold start over stdio to tools/list: median",
            _ms(cold.ours.median_us / 1000),
            f"{_ms(cold.bare.median_us / 1000)} bare",
            cold_ratio,
            "≤ 1.2×",
            cold_ratio <= 1.2,
        )
    )

    step("import time")
    ours_import = import_ms("import finerworks_mcp.mcp.server", reps.import_runs)
    sdk_import = import_ms("import mcp.server", reps.import_runs)
    results["import_ms"] = {"finerworks_mcp.mcp.server": ours_import, "mcp.server": sdk_import}
    rows.append(
        _row(
            "  of which: importing the server module",
            _ms(ours_import),
            f"{_ms(sdk_import)} mcp.server",
            ratio(ours_import, sdk_import),
        )
    )

    step(f"stdio: {reps.stdio_calls:,} calls each, memory")
    stdio = await session(reps.stdio_calls, reps.warmup, reps.cached_calls)
    results["stdio"] = stdio.as_json()
    ours, bare, request = stdio.per_call_ours, stdio.per_call_bare, stdio.per_call_upstream
    # The bare server's tool calls nobody; ours pays the SDK's floor plus the FinerWorks request itself.
    per_call = ratio(ours.median_us, bare.median_us + request.median_us)
    rows.append(
        _row(
            "per call over stdio, get_prices: median",
            _us(ours.median_us),
            f"{_us(bare.median_us)} bare + {_us(request.median_us)} request",
            per_call,
            "≤ 1.3×",
            per_call <= 1.3,
        )
    )
    rows.append(
        _row(
            "  same, p95 (stdio)",
            _us(ours.p95_us),
            f"{_us(bare.p95_us)} bare + {_us(request.p95_us)} request",
            ratio(ours.p95_us, bare.p95_us + request.p95_us),
        )
    )
    cached, bare = stdio.per_call_cached, stdio.per_call_bare_again
    cached_ratio = ratio(cached.median_us, bare.median_us)
    rows.append(
        _row(
            "per call over stdio, list_glazing (cached): median",
            _us(cached.median_us),
            f"{_us(bare.median_us)} bare",
            cached_ratio,
            "≤ 1.3×",
            cached_ratio <= 1.3,
        )
    )
    for label, index in (("after start", 0), (f"after {reps.stdio_calls:,} calls", 1)):
        ours_rss, bare_rss = stdio.rss_ours[index] / 2**20, stdio.rss_bare[index] / 2**20
        memory = ratio(ours_rss, bare_rss)
        rows.append(
            _row(f"resident memory {label}", _mib(ours_rss), f"{_mib(bare_rss)} bare", memory, "≤ 1.3×", memory <= 1.3)
        )

    step("quote_prices of 1,000 SKUs at 50 ms")
    quote = await quote_vs_sequential(1000, 0.05, reps.quote_runs)
    results["quote"] = quote.as_json()
    took = _ms(quote.quote_s * 1000)
    rows.append(
        _row(
            f"quote_prices, 1,000 SKUs, 50 ms latency, concurrency {quote.concurrency}",
            took,
            f"{_ms(quote.ideal_s * 1000)} ideal",
            quote.vs_ideal,
            "≤ 1.5×",
            quote.vs_ideal <= 1.5,
        )
    )
    rows.append(
        _row(
            f"  vs {quote.calls} sequential get_prices",
            took,
            f"{_ms(quote.sequential_s * 1000)} sequential",
            quote.speedup,
            "≥ 8× faster",
            quote.speedup >= 8,
        )
    )

    step("tools/list size")
    every = await sizes.tool_list_size(sizes.all_toolsets())
    full = await sizes.tool_list_size(sizes.all_toolsets(), schemas="full")
    default = await sizes.tool_list_size(None)
    results["tool_list"] = {
        "all_toolsets": every.as_json(),
        "all_toolsets_full_schemas": full.as_json(),
        "default_toolsets": default.as_json(),
    }
    rows.append(
        _row(
            f"tools/list, all {len(every.tools)} tools: tokens per tool, mean",
            f"{every.average_tokens:.0f}",
            f"{every.tokens:,} tokens, {every.bytes:,} B",
            None,
            f"< {sizes.AVERAGE_TOKENS_BUDGET}",
            every.average_tokens < sizes.AVERAGE_TOKENS_BUDGET,
        )
    )
    rows.append(
        _row(
            "  name + description + input schema only, mean",
            f"{every.average_model_tokens:.0f}",
            "what LLM tool APIs take",
            None,
            "",
            None,
        )
    )
    rows.append(_largest_row("  largest tool", every))
    rows.append(
        _row(
            "  with FINERWORKS_TOOL_SCHEMAS=full, mean",
            f"{full.average_tokens:.0f}",
            f"{full.tokens:,} tokens, {full.bytes:,} B",
            None,
            "opt-in",
            None,
        )
    )
    rows.append(_largest_row("  largest tool, full schemas", full))
    budget = sizes.DEFAULT_TOOLSETS_TOKEN_BUDGET
    rows.append(
        _row(
            f"tools/list, default settings ({len(default.tools)} tools): total",
            f"{default.tokens:,}",
            f"{default.bytes:,} B",
            None,
            f"≤ {budget:,}",
            default.tokens <= budget,
        )
    )
    return results, rows


def _largest_row(measure: str, listed: sizes.ToolListSize) -> Row:
    largest = listed.largest
    return _row(
        measure,
        f"{largest.tokens:,}",
        largest.name,
        None,
        f"≤ {sizes.MAX_TOKENS_PER_TOOL:,}",
        largest.tokens <= sizes.MAX_TOKENS_PER_TOOL,
    )


class _Progress:
    def __init__(self) -> None:
        self.started = time.perf_counter()

    def __call__(self, what: str) -> None:
        print(f"[{time.perf_counter() - self.started:5.1f} s] {what} ...", file=sys.stderr, flush=True)


def render(rows: list[Row]) -> str:
    header = ("Measure", "Ours", "Baseline", "Ratio", "Goal", "Met")
    cells = [header] + [
        (r.measure, r.ours, r.baseline, r.ratio, r.goal, "" if r.met is None else ("yes" if r.met else "NO"))
        for r in rows
    ]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    lines = [" | ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)) for row in cells]
    lines.insert(1, "-+-".join("-" * width for width in widths))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="few repetitions: a smoke test, numbers not comparable")
    parser.add_argument("--json", type=Path, help=f"where to write the results (default for a full run: {LATEST})")
    args = parser.parse_args(argv)
    reps = QUICK if args.quick else FULL
    # Measure the server as installed: pip compiles bytecode when it installs a package, and any run writes it,
    # but an editable checkout under PYTHONDONTWRITEBYTECODE never has it and would compile every module per start.
    compileall.compile_dir(ROOT / "finerworks_mcp", quiet=1)
    about = machine.describe()
    load_before = os.getloadavg()
    started = time.perf_counter()
    results, rows = anyio.run(run, reps)
    duration = time.perf_counter() - started
    print(
        f"Machine: {about['cpu']}, {about['cores']} cores, Python {about['python']}, mcp {about['mcp']}; "
        f"load average {load_before[0]:.2f} at start; {duration:.0f} s{' (quick)' if args.quick else ''}"
    )
    print(render(rows))
    target = args.json or (None if args.quick else LATEST)
    if target is not None:
        document = {
            "machine": about,
            "quick": args.quick,
            "load_average": {"start": round(load_before[0], 2), "end": round(os.getloadavg()[0], 2)},
            "duration_s": round(duration, 1),
            "table": [row.as_json() for row in rows],
            "results": results,
        }
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
        print(f"Wrote {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
