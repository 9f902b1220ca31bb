"""What a client sees in tools/list: names, titles, honest annotations, toolsets, and the server's instructions."""

from __future__ import annotations

import json

import pytest

from finerworks_mcp.api.endpoints import ENDPOINTS, READ_ENDPOINTS, WRITE_ENDPOINTS
from finerworks_mcp.mcp.tools import DEFAULT_TOOLSETS, TOOLSETS
from finerworks_mcp.simulator import SimulatorState
from tests.support import TOOL_ARGUMENTS, WRITE_ARGUMENTS, connect, hints, text_of

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


async def test_every_tool_has_a_title_a_description_and_says_whether_it_changes_anything(sim: SimulatorState) -> None:
    async with connect(sim, env={"TOOLSETS": ALL_TOOLSETS}) as client:
        tools = (await client.list_tools()).tools
    for tool in tools:
        assert tool.title, tool.name
        assert tool.description, tool.name
        assert len(tool.description) < 400, tool.name
        # The hints a careful host acts on are explicit even where the specification has a default.
        assert tool.annotations is not None, tool.name
        assert tool.annotations.read_only_hint is not None, tool.name
        if not tool.annotations.read_only_hint:
            assert tool.annotations.destructive_hint is not None, tool.name


async def test_full_tool_schemas_list_every_output_schema_and_all_four_hints(sim: SimulatorState, mode: str) -> None:
    async with connect(sim, mode, env={"TOOLSETS": ALL_TOOLSETS, "TOOL_SCHEMAS": "full"}) as client:
        full = {tool.name: tool for tool in (await client.list_tools()).tools}
    async with connect(sim, mode, env={"TOOLSETS": ALL_TOOLSETS}) as client:
        compact = {tool.name: tool for tool in (await client.list_tools()).tools}
    assert full.keys() == compact.keys()
    for name, tool in full.items():
        assert tool.output_schema is not None, name
        assert compact[name].output_schema is None, name
        assert tool.annotations is not None, name
        assert None not in tool.annotations.model_dump(exclude={"title"}).values(), name
        # Leaving defaults out changes nothing for a client that applies the specification's defaults.
        meaningful = ("read_only_hint", "open_world_hint")
        if not tool.annotations.read_only_hint:
            meaningful += ("destructive_hint", "idempotent_hint")
        assert {key: hints(tool)[key] for key in meaningful} == {key: hints(compact[name])[key] for key in meaningful}


async def test_with_full_schemas_every_answer_conforms_to_the_output_schema_its_tool_lists(
    sim: SimulatorState, mode: str
) -> None:
    # The SDK's client validates structuredContent against the listed outputSchema and raises when it does not
    # conform (mcp.client.session); every tool is called, each write confirmed once.
    env = {"TOOLSETS": ALL_TOOLSETS, "TOOL_SCHEMAS": "full", "MAX_RPS": "1000"}
    async with connect(sim, mode, env=env) as client:
        listed = {tool.name: tool for tool in (await client.list_tools()).tools}
        assert set(TOOL_ARGUMENTS) == set(listed)
        tokens: list[str] = []
        for name, arguments in TOOL_ARGUMENTS.items():
            if name in ("confirm_action", "cancel_action"):
                continue  # called below, with the tokens the write tools give
            result = await client.call_tool(name, arguments)
            assert not result.is_error, (name, text_of(result))
            assert result.structured_content is not None, name
            if name in WRITE_ARGUMENTS and (token := result.structured_content.get("confirmation_token")):
                tokens.append(token)
        assert len(tokens) >= len(WRITE_ARGUMENTS) - 1  # at most one preview blocked by the simulator's data
        # One of each: the answers of confirm and cancel do not depend on which write they settle.
        for settle, token in (("confirm_action", tokens[0]), ("cancel_action", tokens[1])):
            settled = await client.call_tool(settle, {"confirmation_token": token})
            assert not settled.is_error, (settle, text_of(settled))
            assert settled.structured_content is not None


async def test_a_tool_without_a_listed_output_schema_still_answers_with_structured_content(
    sim: SimulatorState, mode: str
) -> None:
    async with connect(sim, mode) as client:
        result = await client.call_tool("list_order_status_definitions", {})
    assert not result.is_error
    assert result.structured_content is not None
    assert json.loads(text_of(result)) == result.structured_content
    # What the model reads is compact JSON: indentation only costs tokens.
    assert text_of(result) == json.dumps(result.structured_content, separators=(",", ":"), ensure_ascii=False)


async def test_annotations_tell_the_truth_about_reads_and_writes(sim: SimulatorState) -> None:
    async with connect(sim, env={"TOOLSETS": ALL_TOOLSETS}) as client:
        tools = {tool.name: hints(tool) for tool in (await client.list_tools()).tools}
    for name in READ_ENDPOINTS:
        assert tools[name]["read_only_hint"], name
        assert tools[name]["open_world_hint"], name
    for name in WRITE_ENDPOINTS:
        said = tools[name]
        assert said["read_only_hint"] is False, name
        assert said["idempotent_hint"] is True, name  # calling a write tool only previews
        expected_destructive = name.startswith("delete_") or name == "submit_orders_v2"
        assert said["destructive_hint"] is expected_destructive or name == "update_order", name
    confirm = tools["confirm_action"]
    assert confirm["destructive_hint"]
    assert not confirm["read_only_hint"]
    assert not confirm["idempotent_hint"]
    assert tools["list_pending_actions"]["read_only_hint"]
    assert not tools["list_pending_actions"]["open_world_hint"]  # it reads this server's own pending actions


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
