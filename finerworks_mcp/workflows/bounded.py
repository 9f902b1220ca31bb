"""Many FinerWorks calls at once, never more than a limit, results in the callers' order."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import TypeVar, cast

import anyio

T = TypeVar("T")
Progress = Callable[[float, float | None, str | None], Awaitable[None]]
"""`ctx.report_progress`: a no-op unless the client asked for progress."""


async def run_bounded(
    calls: Sequence[Callable[[], Awaitable[T]]],
    limit: int,
    *,
    after_each: Callable[[], Awaitable[None]] | None = None,
) -> list[T]:
    """Await every call, at most `limit` at a time. The first failure cancels the rest and is raised as itself."""
    results: list[T | None] = [None] * len(calls)
    failures: list[Exception] = []
    limiter = anyio.CapacityLimiter(limit)

    async with anyio.create_task_group() as group:

        async def run(index: int) -> None:
            async with limiter:
                try:
                    results[index] = await calls[index]()
                except Exception as error:  # re-raised below, once the task group is done
                    failures.append(error)
                    group.cancel_scope.cancel()
                    return
            if after_each is not None:
                await after_each()

        for index in range(len(calls)):
            group.start_soon(run, index)
    if failures:
        raise failures[0]
    return cast(list[T], results)


def chunked(items: Sequence[T], size: int) -> list[Sequence[T]]:
    return [items[start : start + size] for start in range(0, len(items), size)]


class Steps:
    """Counts finished steps and reports them as progress."""

    def __init__(self, report: Progress, what: str, total: int = 0) -> None:
        self.report = report
        self.what = what
        self.total = total
        self.done = 0

    def expect(self, more: int) -> None:
        self.total += more

    async def step(self) -> None:
        self.done += 1
        total = max(self.total, self.done)
        await self.report(self.done, total, f"{self.what}: {self.done} of {total}")
