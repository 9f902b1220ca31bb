"""The tool list's budget: what every conversation pays for the tools, before it asks anything.

Sizes are deterministic, so they are tested; timings are not (`python -m bench` reports those).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
from mcp.types import Tool

from bench import sizes
from finerworks_mcp.mcp.compact import FREE_TEXT_LENGTH, ToolSchemas
from finerworks_mcp.mcp.content import output_schema_of
from finerworks_mcp.mcp.server import build_server
from finerworks_mcp.mcp.tools import TOOLSETS
from finerworks_mcp.mcp.tools.guarded import guard_tools
from finerworks_mcp.simulator import SimulatorState, SimulatorTransport, seed
from tests.support import TEXAS, connect, settings, text_of, upstream

pytestmark = pytest.mark.anyio

ALL_TOOLSETS = ",".join(TOOLSETS)
README = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
LIMITS = ("maxLength", "minLength", "maximum", "minimum", "exclusiveMaximum", "exclusiveMinimum", "maxItems",
          "minItems", "enum", "const", "pattern", "format", "required")  # fmt: skip
Fact = tuple[Any, ...]


@pytest.mark.parametrize("schemas", ["compact", "full"])
async def test_with_every_toolset_on_no_tool_costs_more_than_its_budget(schemas: ToolSchemas) -> None:
    every = await sizes.tool_list_size(sizes.all_toolsets(), schemas=schemas)
    over = {tool.name: tool.tokens for tool in every.tools if tool.tokens > sizes.MAX_TOKENS_PER_TOOL}
    assert not over, f"over {sizes.MAX_TOKENS_PER_TOOL} cl100k tokens: {over}"


async def test_with_every_toolset_on_the_average_tool_stays_within_budget() -> None:
    every = await sizes.tool_list_size(sizes.all_toolsets())
    largest = sorted(((t.tokens, t.name) for t in every.tools), reverse=True)[:5]
    assert every.average_tokens < sizes.AVERAGE_TOKENS_BUDGET, (
        f"{every.average_tokens:.0f} cl100k tokens per whole tool definition; largest {largest}"
    )


async def test_the_default_tool_list_stays_within_its_published_total() -> None:
    default = await sizes.tool_list_size(None)
    assert default.tokens <= sizes.DEFAULT_TOOLSETS_TOKEN_BUDGET, (
        f"{default.tokens} cl100k tokens for the default tools/list; the budget (README) is "
        f"{sizes.DEFAULT_TOOLSETS_TOKEN_BUDGET}"
    )
    assert f"{sizes.DEFAULT_TOOLSETS_TOKEN_BUDGET:,} cl100k tokens" in README


def test_tokens_are_counted_with_cl100k_from_the_installed_package() -> None:
    # Known cl100k ids: a different or missing encoding cannot pass this.
    assert sizes.encoding().encode("hello world") == [15339, 1917]
    assert sizes.encoding().n_vocab == 100277


@pytest.mark.parametrize("schemas", ["compact", "full"])
async def test_the_tool_list_says_no_auto_titles_null_defaults_or_null_inputs(
    sim: SimulatorState, mode: str, schemas: str
) -> None:
    async with connect(sim, mode, env={"TOOLSETS": ALL_TOOLSETS, "TOOL_SCHEMAS": schemas}) as client:
        tools = (await client.list_tools()).tools
    for tool in tools:
        for node in _schema_nodes(tool.input_schema):
            said = {key: node[key] for key in ("title", "default", "type", "additionalProperties") if key in node}
            assert "title" not in said, (tool.name, node)
            assert said.get("default", 0) is not None, (tool.name, node)
            assert said.get("type") != "null", (tool.name, node)
            assert said.get("additionalProperties") is not True, (tool.name, node)
        for node in _schema_nodes(tool.output_schema or {}):
            assert not {"title", "default"} & set(node), (tool.name, node)


async def test_full_schemas_keep_every_limit_enum_required_list_and_closed_object(sim: SimulatorState) -> None:
    generated, listed = await _generated_and_listed(sim, "full")
    functions = {spec.name: spec.fn for toolset in (*TOOLSETS.values(), guard_tools) for spec in toolset.specs}
    for tool in listed:
        source = generated[tool.name]
        assert _facts(tool.input_schema) == _facts(source.input_schema), tool.name
        # Output schemas come from the answer model each tool declares (the SDK registers none; tools/content.py);
        # that every answer conforms to them is tested in test_tool_list.
        declared = output_schema_of(functions[tool.name])
        assert _facts(tool.output_schema or {}, defaults=False) == _facts(declared, defaults=False), tool.name
        # The one change allowed on inputs: a field that accepted null now asks to be left out instead.
        assert json.dumps(tool.input_schema).count('"null"') == 0


async def test_compact_schemas_leave_only_free_text_caps_and_closed_objects_to_the_validator(
    sim: SimulatorState,
) -> None:
    generated, listed = await _generated_and_listed(sim, "compact")
    for tool in listed:
        left_out = _facts(generated[tool.name].input_schema) - _facts(tool.input_schema)
        assert _facts(tool.input_schema) <= _facts(generated[tool.name].input_schema), tool.name
        for fact in left_out:
            closed = fact[1] == "closed"
            free_text = fact[1] == "maxLength" and int(fact[2]) >= FREE_TEXT_LENGTH
            assert closed or free_text, (tool.name, fact)
        assert tool.output_schema is None, tool.name


@pytest.mark.parametrize(
    ("field", "value"),
    [
        pytest.param("first_name", "N" * 51, id="over-long free text"),
        pytest.param("country", "United States", id="unknown field"),
    ],
)
async def test_what_a_compact_schema_leaves_out_is_still_refused_by_name_before_finerworks(
    sim: SimulatorState, mode: str, field: str, value: str
) -> None:
    address = {**TEXAS, field: value}
    async with connect(sim, mode) as client:
        listed = {tool.name: tool for tool in (await client.list_tools()).tools}
        said = listed["update_customer"].input_schema["properties"]["customer_info"]
        assert "additionalProperties" not in said
        assert "maxLength" not in said["properties"]["first_name"]
        result = await client.call_tool(
            "update_customer", {"order_id": seed.RECEIVED_ORDER_ID, "customer_info": address}
        )
    assert result.is_error
    assert field in text_of(result)
    assert upstream(sim) == []


async def _generated_and_listed(sim: SimulatorState, schemas: ToolSchemas) -> tuple[dict[str, Tool], list[Tool]]:
    """The schemas pydantic generated (the SDK's own registry, which validates), and what a client is sent."""
    server = build_server(settings(TOOLSETS=ALL_TOOLSETS), transport=SimulatorTransport(sim))
    generated = {tool.name: tool for tool in await server.list_tools()}
    async with connect(sim, env={"TOOLSETS": ALL_TOOLSETS, "TOOL_SCHEMAS": schemas}) as client:
        listed = (await client.list_tools()).tools
    assert {tool.name for tool in listed} == set(generated)
    return generated, listed


def _schema_nodes(schema: Mapping[str, Any]) -> Iterator[Mapping[str, Any]]:
    """Every subschema (not the property names, enums or defaults that merely look like one)."""
    yield schema
    for key, value in schema.items():
        if key in ("properties", "$defs", "patternProperties") and isinstance(value, dict):
            for sub in value.values():  # pyright: ignore[reportUnknownVariableType]
                yield from _schema_nodes(sub)  # pyright: ignore[reportUnknownArgumentType]
        elif key in ("items", "additionalProperties", "not") and isinstance(value, dict):
            yield from _schema_nodes(value)  # pyright: ignore[reportUnknownArgumentType]
        elif key in ("anyOf", "oneOf", "allOf", "prefixItems") and isinstance(value, list):
            for sub in value:  # pyright: ignore[reportUnknownVariableType]
                yield from _schema_nodes(sub)  # pyright: ignore[reportUnknownArgumentType]


def _facts(schema: Mapping[str, Any], *, defaults: bool = True) -> set[Fact]:
    """What a schema demands, by the path of the value it applies to, with `$ref`s resolved and null branches
    skipped: two schemas with the same facts accept the same non-null values."""
    root_defs: Mapping[str, Any] = schema.get("$defs", {})
    found: set[Fact] = set()

    def walk(node: Mapping[str, Any], path: tuple[str, ...], seen: frozenset[str]) -> None:
        if isinstance(ref := node.get("$ref"), str):
            name = ref.rsplit("/", 1)[-1]
            if name in seen:
                return
            node = {**root_defs[name], **{k: v for k, v in node.items() if k != "$ref"}}
            seen = seen | {name}
        for keyword in LIMITS:
            if keyword in node:
                found.add((path, keyword, json.dumps(node[keyword], sort_keys=True)))
        if defaults and node.get("default") is not None:
            found.add((path, "default", json.dumps(node["default"], sort_keys=True)))
        if node.get("additionalProperties") is False:
            found.add((path, "closed"))
        for name, sub in node.get("properties", {}).items():
            walk(sub, (*path, name), seen)
        for key, step in (("items", "[]"), ("additionalProperties", "{}")):
            if isinstance(sub := node.get(key), dict):
                walk(sub, (*path, step), seen)  # pyright: ignore[reportUnknownArgumentType]
        for key in ("anyOf", "oneOf", "allOf"):
            for sub in node.get(key, []):
                if sub != {"type": "null"}:
                    walk(sub, path, seen)

    walk(schema, (), frozenset())
    return found
