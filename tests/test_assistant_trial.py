"""The assistant trial (bench/assistant_trial.py) meets the issue's goals: each job in few calls and few tokens, with
the tools a scripted assistant picks from their descriptions. Sizes are deterministic, so they are tested here;
`python -m bench` reports the same numbers."""

from __future__ import annotations

import pytest

from bench.assistant_trial import GOALS, run_trial

pytestmark = pytest.mark.anyio


async def test_each_job_of_the_trial_stays_within_its_calls_and_tokens() -> None:
    runs = {run.job: run for run in await run_trial()}
    assert set(runs) == set(GOALS)
    measured = {job: (len(run.calls), run.tokens) for job, run in runs.items()}
    assert all(run.met for run in runs.values()), measured
    assert [call.tool for call in runs["quote"].calls][-1] == "quote_prices"
    assert [call.tool for call in runs["order"].calls] == ["lookup_orders"]
    assert [call.tool for call in runs["cleanup"].calls] == [
        "plan_inventory_cleanup",
        "confirm_action",
        "plan_inventory_cleanup",
    ]
    assert runs["cleanup"].answer == "Deleted batch 1 (50 images); 36 remain."
    assert runs["order"].answer.startswith("Your latest order, PO ")
