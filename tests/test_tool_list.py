"""What a client sees in tools/list: names, titles, honest annotations, toolsets, and the server's instructions."""

from __future__ import annotations

import pytest

from finerworks_mcp.endpoints import ENDPOINTS, READ_ENDPOINTS, WRITE_ENDPOINTS
from finerworks_mcp.simulator import SimulatorState
from finerworks_mcp.tools import DEFAULT_TOOLSETS, TOOLSETS
from tests.support import connect

pytestmark = pytest.mark.anyio

GUARD_TOOLS = {"confirm_action", "cancel_action", "list_pending_actions"}
ALL_TOOLSETS = ",".join(TOOLSETS)


async def test_every_endpoint_is_one_tool_named_as_the_endpoint(sim: SimulatorState, mode: str) -> None:
    async with connect(sim, mode, env={"TOOLSETS": ALL_TOOLSETS}) as client:
        names = [tool.name for tool in (await client.list_tools()).tools]
    assert len(names) == len(set(names))
    assert set(ENDPOINTS) <= set(names)
    assert set(names) >= GUARD_TOOLS
    # Beyond the endpoints and the guard, only the job-level tools of the toolsets (workflows) may appear.
    job_tools = {spec.name for toolset in TOOLSETS.values() for spec in toolset.specs} - set(ENDPOINTS)
    assert set(names) - set(ENDPOINTS) - GUARD_TOOLS == job_tools


async def test_every_tool_has_a_title_a_description_and_all_four_annotations(sim: SimulatorState) -> None:
    async with connect(sim, env={"TOOLSETS": ALL_TOOLSETS}) as client:
        tools = (await client.list_tools()).tools
    for tool in tools:
        assert tool.title, tool.name
        assert tool.description, tool.name
        assert len(tool.description) < 400, tool.name
        assert tool.output_schema is not None, tool.name
        annotations = tool.annotations
        assert annotations is not None, tool.name
        hints = (
            annotations.read_only_hint,
            annotations.destructive_hint,
            annotations.idempotent_hint,
            annotations.open_world_hint,
        )
        assert None not in hints, tool.name


async def test_annotations_tell_the_truth_about_reads_and_writes(sim: SimulatorState) -> None:
    async with connect(sim, env={"TOOLSETS": ALL_TOOLSETS}) as client:
        tools = {tool.name: tool for tool in (await client.list_tools()).tools}
    for name in READ_ENDPOINTS:
        hints = tools[name].annotations
        assert hints is not None
        assert hints.read_only_hint
        assert not hints.destructive_hint
        assert hints.open_world_hint
    for name in WRITE_ENDPOINTS:
        hints = tools[name].annotations
        assert hints is not None, name
        assert hints.read_only_hint is False, name
        assert hints.idempotent_hint is True, name  # calling a write tool only previews
        expected_destructive = name.startswith("delete_") or name == "submit_orders_v2"
        assert hints.destructive_hint is expected_destructive or name == "update_order", name
    confirm = tools["confirm_action"].annotations
    assert confirm is not None
    assert confirm.destructive_hint
    assert not confirm.read_only_hint
    assert not confirm.idempotent_hint


async def test_the_order_of_tools_is_stable(sim: SimulatorState) -> None:
    async with connect(sim) as first, connect(sim) as second:
        assert [t.name for t in (await first.list_tools()).tools] == [t.name for t in (await second.list_tools()).tools]


async def test_a_toolset_selection_lists_only_those_tools(sim: SimulatorState, mode: str) -> None:
    async with connect(sim, mode, env={"TOOLSETS": "catalog,framing", "READ_ONLY": "true"}) as client:
        names = {tool.name for tool in (await client.list_tools()).tools}
    assert names == {spec.name for spec in TOOLSETS["catalog"].specs + TOOLSETS["framing"].specs}


async def test_read_only_mode_lists_no_write_and_no_guard_tool(sim: SimulatorState, mode: str) -> None:
    async with connect(sim, mode, env={"TOOLSETS": ALL_TOOLSETS, "READ_ONLY": "true"}) as client:
        names = {tool.name for tool in (await client.list_tools()).tools}
        instructions = client.instructions or ""
    assert not names & WRITE_ENDPOINTS
    assert not names & GUARD_TOOLS
    assert names >= READ_ENDPOINTS
    assert "read-only (FINERWORKS_READ_ONLY=true)" in instructions
    assert "without FINERWORKS_READ_ONLY" in instructions


async def test_instructions_explain_ids_money_sizes_and_where_to_start(sim: SimulatorState, mode: str) -> None:
    async with connect(sim, mode) as client:
        instructions = client.instructions or ""
    for needle in ("order_po", "order_id", "USD", "inches", "test_my_credentials", "confirm_action", "simulator"):
        assert needle in instructions


async def test_default_toolsets_are_the_published_ones(sim: SimulatorState) -> None:
    async with connect(sim) as client:
        names = {tool.name for tool in (await client.list_tools()).tools}
    assert names >= {spec.name for name in DEFAULT_TOOLSETS for spec in TOOLSETS[name].specs}
