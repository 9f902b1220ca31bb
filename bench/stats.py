"""Latency summaries: median and 95th percentile, in microseconds."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Timing:
    median_us: float
    p95_us: float
    samples: int

    @classmethod
    def of(cls, seconds: Sequence[float]) -> Timing:
        ordered = sorted(seconds)
        p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
        return cls(statistics.median(ordered) * 1e6, p95 * 1e6, len(ordered))

    def as_json(self) -> dict[str, float | int]:
        return {"median_us": round(self.median_us, 1), "p95_us": round(self.p95_us, 1), "samples": self.samples}


def ratio(ours: float, baseline: float) -> float:
    return ours / baseline if baseline else float("inf")
