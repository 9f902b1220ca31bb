"""Each start-up or per-call trick of the server measured with and without it, in one run, at FinerWorks' real
latency: it stays only where this shows it pays (DESIGN.md "Optimisations earn their place").

- One httpx2 pool (api/connections.py) against four taken in turn (the trick it had before this measured it):
  the 1,000-SKU quote at 50 ms.
- Tool modules with `from __future__ import annotations` (mcp/tools/*, as every other module) against without it
  (the trick they had): cold start to tools/list.
"""

from __future__ import annotations

import compileall
import shutil
import statistics
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import anyio

from bench import subjects
from bench.jobs import skus
from bench.scale_suite import LATENCY_S, LIFTED
from bench.simulator_process import running
from bench.stdio import ROOT, StdioServer, python_module

QUOTE_ITEMS = 1_000
POOLS = 4
"""The round-robin pools api/connections.py had (bench/variant_server.py --pools)."""
FUTURE_ANNOTATIONS = "from __future__ import annotations\n"


@dataclass(frozen=True)
class Variant:
    trick: str
    measure: str
    with_trick_ms: float
    without_ms: float
    spread_ms: float
    """The larger interquartile spread of the two: differences below it are run-to-run noise."""
    runs: int

    @property
    def saves_ms(self) -> float:
        return self.without_ms - self.with_trick_ms

    @property
    def pays(self) -> bool:
        return self.saves_ms > self.spread_ms

    def as_json(self) -> dict[str, Any]:
        return {
            "trick": self.trick,
            "measure": self.measure,
            "with_ms": round(self.with_trick_ms, 1),
            "without_ms": round(self.without_ms, 1),
            "saves_ms": round(self.saves_ms, 1),
            "noise_ms": round(self.spread_ms, 1),
            "runs": self.runs,
            "pays": self.pays,
        }


def _spread(samples: list[float]) -> float:
    if len(samples) < 4:
        return max(samples) - min(samples)
    quartiles = statistics.quantiles(samples, n=4)
    return quartiles[2] - quartiles[0]


def _variant(base_url: str, *flags: str, **env: str) -> StdioServer:
    ours = subjects.ours(base_url, **env)
    return StdioServer([*python_module("bench.variant_server"), *flags], ours.env)


async def pools(runs: int) -> Variant:
    """The 1,000-SKU quote at 50 ms on a server with POOLS pools and on one with a single pool, alternating."""
    times: dict[str, list[float]] = {"with": [], "without": []}
    lines = skus(QUOTE_ITEMS)
    with running(LATENCY_S) as base_url:
        servers = {
            "with": _variant(base_url, "--pools", str(POOLS), **LIFTED),
            "without": _variant(base_url, **LIFTED),
        }
        for server in servers.values():
            await server.start()
            await server.call(*subjects.READ_CALL)
        try:
            for _ in range(runs):
                for name, server in servers.items():
                    started = time.perf_counter()
                    await server.call("quote_prices", {"items": lines})
                    times[name].append(time.perf_counter() - started)
        finally:
            for server in servers.values():
                await server.close()
    return _summary(f"{POOLS} round-robin httpx2 pools vs 1", f"quote_prices, {QUOTE_ITEMS:,} SKUs, 50 ms", times, runs)


async def deferred_annotations(runs: int) -> Variant:
    """Cold start to tools/list with the tool modules as they are, and from a compiled copy of the package whose
    tool modules leave out `from __future__ import annotations`."""
    times: dict[str, list[float]] = {"with": [], "without": []}
    copy = eager_annotations_copy()
    for run in range(runs + 1):
        for name in times:
            ours = subjects.ours()
            server = StdioServer(ours.argv, ours.env, cwd=copy) if name == "with" else ours
            try:
                seconds = await server.start()
            finally:
                await server.close()
            if run:  # the first start of each only warms the disk cache
                times[name].append(seconds)
    return _summary("tool modules without deferred annotations vs with", "cold start to tools/list", times, runs)


def eager_annotations_copy() -> Path:
    """A compiled copy of the package whose tool modules are without deferred annotations (the trick they had), in
    a directory that, as the working directory of `python -m finerworks_mcp`, comes first on its import path."""
    root = Path(tempfile.mkdtemp(prefix="finerworks-eager-"))
    shutil.copytree(ROOT / "finerworks_mcp", root / "finerworks_mcp", ignore=shutil.ignore_patterns("__pycache__"))
    for module in (root / "finerworks_mcp" / "mcp" / "tools").glob("*.py"):
        if module.name not in ("__init__.py", "base.py"):
            module.write_text(module.read_text().replace(FUTURE_ANNOTATIONS, ""))
    compileall.compile_dir(root, quiet=1)
    return root


def _summary(trick: str, measure: str, times: dict[str, list[float]], runs: int) -> Variant:
    ms = {name: [seconds * 1000 for seconds in samples] for name, samples in times.items()}
    return Variant(
        trick,
        measure,
        statistics.median(ms["with"]),
        statistics.median(ms["without"]),
        max(_spread(ms["with"]), _spread(ms["without"])),
        runs,
    )


async def every_variant(pool_runs: int, start_runs: int) -> list[Variant]:
    return [await pools(pool_runs), await deferred_annotations(start_runs)]


if __name__ == "__main__":
    for variant in anyio.run(every_variant, 5, 5):
        print(variant.as_json())
