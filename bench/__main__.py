"""python -m bench: measure everything against its baseline in one run, print the table, write the JSON.

    python -m bench [--quick] [--json PATH]
    python -m bench --trial        # only the assistant trial (bench/assistant_trial.py): calls and tokens per job
    python -m bench --peer      # this server beside FastMCP's from_openapi server (pip install -e '.[bench]')

The full run writes bench/results/latest.json; --quick (a smoke test with few repetitions) writes only to --json;
--peer writes bench/results/peer.json.
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
from bench.assistant_trial import JOBS, run_trial
from bench.assistant_trial import JobRun as TrialRun
from bench.memory_suite import per_call_overhead
from bench.quote_suite import quote_vs_sequential
from bench.scale_suite import QUOTE_SIZES, SCAN_SIZES, VS_BARE_GOAL, VS_IDEAL_GOAL, JobRun, job_runs, memory_linear
from bench.stats import ratio
from bench.stdio import ROOT
from bench.stdio_suite import cold_start, import_ms, session
from bench.variants import every_variant

RESULTS = Path(__file__).resolve().parent / "results"
LATEST = RESULTS / "latest.json"
PEER = RESULTS / "peer.json"
COLD_START_GOAL = 1.15
PER_CALL_GOAL = 1.1
MEMORY_GOAL = 1.2


@dataclass(frozen=True)
class Reps:
    in_memory_calls: int
    stdio_calls: int
    cached_calls: int
    warmup: int
    cold_starts: int
    quote_runs: int
    import_runs: int
    job_runs: int
    variant_runs: int
    quote_sizes: tuple[int, ...] = QUOTE_SIZES
    scan_sizes: tuple[int, ...] = SCAN_SIZES


FULL = Reps(
    in_memory_calls=800,
    stdio_calls=10_000,
    cached_calls=1_000,
    warmup=100,
    cold_starts=5,
    quote_runs=3,
    import_runs=3,
    job_runs=3,
    variant_runs=7,
)
QUICK = Reps(
    in_memory_calls=200,
    stdio_calls=500,
    cached_calls=200,
    warmup=50,
    cold_starts=1,
    quote_runs=1,
    import_runs=1,
    job_runs=1,
    variant_runs=2,
    quote_sizes=(100, 1_000),
    scan_sizes=(1_000,),
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
            f"≤ {COLD_START_GOAL}×",
            cold_ratio <= COLD_START_GOAL,
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
            f"≤ {PER_CALL_GOAL}×",
            per_call <= PER_CALL_GOAL,
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
            f"≤ {PER_CALL_GOAL}×",
            cached_ratio <= PER_CALL_GOAL,
        )
    )
    for label, index in (("after start", 0), (f"after {reps.stdio_calls:,} calls", 1)):
        ours_rss, bare_rss = stdio.rss_ours[index] / 2**20, stdio.rss_bare[index] / 2**20
        memory = ratio(ours_rss, bare_rss)
        rows.append(
            _row(
                f"resident memory {label}",
                _mib(ours_rss),
                f"{_mib(bare_rss)} bare",
                memory,
                f"≤ {MEMORY_GOAL}×",
                memory <= MEMORY_GOAL,
            )
        )

    step("quote_prices of 1,000 SKUs at 50 ms vs sequential get_prices")
    quote = await quote_vs_sequential(1000, 0.05, reps.quote_runs)
    results["quote"] = quote.as_json()
    rows.append(
        _row(
            f"quote_prices, 1,000 SKUs, vs {quote.calls} sequential get_prices (50 ms)",
            _ms(quote.quote_s * 1000),
            f"{_ms(quote.sequential_s * 1000)} sequential",
            quote.speedup,
            "≥ 8× faster",
            quote.speedup >= 8,
        )
    )

    step("whole jobs at growing sizes, 50 ms: ours, the ideal, a bare httpx2 client")
    jobs = await job_runs(reps.job_runs, reps.quote_sizes, reps.scan_sizes)
    growth = memory_linear(jobs)
    results["jobs"] = {"runs": [job.as_json() for job in jobs], "memory_growth": growth}
    for job in jobs:
        rows += _job_rows(job)
    for job, seen in growth.items():
        linear = seen["peak_growth"] <= seen["answer_growth"]
        what = "answer" if job == "quote" else "FinerWorks' pages"
        rows.append(
            Row(
                f"  {job} peak memory, {seen['from']:,} -> {seen['to']:,}: grows no faster than the {what}",
                f"{seen['peak_growth']:.1f}×",
                f"{seen['answer_growth']:.1f}× the {what}",
                "",
                "≤ the answer's growth",
                linear,
            )
        )

    step("optimisations, with and without")
    variants = await every_variant(reps.variant_runs, reps.variant_runs)
    results["optimisations"] = [variant.as_json() for variant in variants]
    for variant in variants:
        rows.append(
            Row(
                f"trick: {variant.trick} ({variant.measure})",
                _ms(variant.with_trick_ms),
                f"{_ms(variant.without_ms)} without",
                f"saves {variant.saves_ms:,.0f} ms (noise {variant.spread_ms:,.0f})",
                "kept only if it pays",
                None,
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
    step("assistant trial")
    trial = await run_trial()
    results["assistant_trial"] = [run.as_json() for run in trial]
    rows += [_trial_row(run) for run in trial]
    answers = await sizes.answer_sizes()
    results["answers"] = answers.as_json()
    for measure, value, goal in (
        ("list_images answer: tokens per image", answers.per_image, sizes.MAX_TOKENS_PER_IMAGE),
        ("list_virtual_inventory answer: tokens per product", answers.per_product, sizes.MAX_TOKENS_PER_PRODUCT),
    ):
        rows.append(_row(measure, f"{value:.0f}", "50 per page, compact", None, f"≤ {goal}", value <= goal))
    largest = max(answers.default_pages, key=answers.default_pages.__getitem__)
    most = answers.default_pages[largest]
    rows.append(
        _row(
            "list tools, default page: largest answer",
            f"{most:,}",
            largest,
            None,
            f"≤ {sizes.MAX_TOKENS_PER_DEFAULT_PAGE:,}",
            most <= sizes.MAX_TOKENS_PER_DEFAULT_PAGE,
        )
    )
    return results, rows


def _trial_row(run: TrialRun) -> Row:
    tools = ", ".join(call.tool for call in run.calls)
    return _row(
        f"assistant trial: {JOBS[run.job]}",
        f"{len(run.calls)} calls, {run.tokens:,} tokens",
        tools,
        None,
        f"≤ {run.goal.calls} calls, ≤ {run.goal.tokens:,} tokens",
        run.met,
    )


def _job_rows(job: JobRun) -> list[Row]:
    name = f"quote_prices, {job.size:,} SKUs" if job.job == "quote" else f"cleanup scan, {job.size:,} images"
    return [
        Row(
            f"{name} ({job.requests} requests, 50 ms, concurrency {job.concurrency})",
            _ms(job.ours_s * 1000),
            f"{_ms(job.ideal_s * 1000)} ideal; {_ms(job.bare_s * 1000)} bare httpx2",
            f"{job.vs_ideal:.2f}× ideal, {job.vs_bare:.2f}× bare",
            f"≤ {VS_IDEAL_GOAL}× ideal or ≤ {VS_BARE_GOAL}× bare",
            job.met,
        ),
        Row(
            "  peak memory rise during the job",
            _mib(job.ours_peak / 2**20),
            f"{_mib(job.bare_peak / 2**20)} bare; answer {job.answer_bytes / 1024:,.0f} KiB, "
            f"FinerWorks sent {job.upstream_bytes / 1024:,.0f} KiB",
            f"{ratio(job.ours_peak, job.bare_peak):.2f}× bare",
            "",
            None,
        ),
    ]


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
    parser.add_argument("--trial", action="store_true", help="only the assistant trial: calls and tokens per job")
    parser.add_argument("--peer", action="store_true", help="only this server beside FastMCP's from_openapi server")
    args = parser.parse_args(argv)
    if args.trial:
        trial = anyio.run(run_trial)
        print(render([_trial_row(run) for run in trial]))
        return 0 if all(run.met for run in trial) else 1
    if args.peer:
        return _peer(args.json or PEER, QUICK if args.quick else FULL)
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


def _peer(target: Path, reps: Reps) -> int:
    from bench.peer import side_by_side  # needs the optional `bench` extra (fastmcp)

    compileall.compile_dir(ROOT / "finerworks_mcp", quiet=1)
    about = machine.describe()
    load = os.getloadavg()[0]
    peer = anyio.run(side_by_side, reps.cold_starts, reps.in_memory_calls // 2, reps.warmup // 2)
    print(f"Machine: {about['cpu']}, {about['cores']} cores, Python {about['python']}; load average {load:.2f}")
    print(peer.table())
    document = {"machine": about, "load_average": round(load, 2), "results": peer.as_json(), "table": peer.table()}
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    print(f"Wrote {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
