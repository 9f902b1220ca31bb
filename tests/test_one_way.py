"""One way to each job: the workflow tools quote, look up and clean up; the endpoint tools that overlap them say
when to use the workflow instead; the server instructions agree; no two tools describe themselves alike."""

from __future__ import annotations

import itertools
import re

import pytest

from finerworks_mcp.mcp.tools import TOOLSETS
from finerworks_mcp.simulator import SimulatorState
from tests.support import connect

pytestmark = pytest.mark.anyio

ALL_TOOLSETS = ",".join(TOOLSETS)
WORKFLOW_FOR = {
    "get_prices": "quote_prices",
    "list_shipping_options_multiple": "quote_prices",
    "fetch_order_status": "lookup_orders",
    "list_images": "plan_inventory_cleanup",
    "list_virtual_inventory": "plan_inventory_cleanup",
}
SHARED_RUN = 4
"""Words in a row two tools' opening claims may not share ("Where is my order" is four)."""


def _claim(description: str) -> str:
    """What a tool says it is: its description up to the first full stop, colon or semicolon."""
    return re.split(r"[.:;]", description, maxsplit=1)[0]


def _runs(text: str) -> set[tuple[str, ...]]:
    words = re.findall(r"[a-z0-9_']+", text.lower())
    return {tuple(words[i : i + SHARED_RUN]) for i in range(len(words) - SHARED_RUN + 1)}


async def test_no_two_tools_describe_themselves_with_the_same_words(sim: SimulatorState) -> None:
    async with connect(sim, env={"TOOLSETS": ALL_TOOLSETS}) as client:
        tools = {tool.name: tool.description or "" for tool in (await client.list_tools()).tools}
    claims = {name: _claim(description) for name, description in tools.items()}
    assert len(set(claims.values())) == len(claims)
    for (first, a), (second, b) in itertools.combinations(claims.items(), 2):
        assert not _runs(a) & _runs(b), (first, second, _runs(a) & _runs(b))


async def test_each_endpoint_tool_that_overlaps_a_job_names_the_workflow_for_it(sim: SimulatorState, mode: str) -> None:
    async with connect(sim, mode) as client:
        tools = {tool.name: tool.description or "" for tool in (await client.list_tools()).tools}
    for endpoint_tool, workflow in WORKFLOW_FOR.items():
        assert re.search(rf"use {workflow}\.", tools[endpoint_tool]), (endpoint_tool, tools[endpoint_tool])
    for workflow in set(WORKFLOW_FOR.values()):
        assert tools[workflow].startswith("The way to "), workflow


async def test_the_instructions_send_each_job_to_its_workflow_tool(sim: SimulatorState, mode: str) -> None:
    async with connect(sim, mode) as client:
        instructions = client.instructions or ""
    assert "quote_prices to price" in instructions
    assert "lookup_orders to find and track orders" in instructions
    assert "plan_inventory_cleanup to clear out" in instructions
    # The instructions used to send pricing and tracking to the endpoint tools ("get_prices to price it").
    for endpoint_tool in WORKFLOW_FOR:
        assert endpoint_tool not in instructions
