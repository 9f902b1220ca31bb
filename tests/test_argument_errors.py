"""Invalid arguments, for every tool, answer "field: what is wrong; what is accepted. Next: ..." in words a model can
act on: no internal model names, no pydantic links, nothing sent to FinerWorks."""

from __future__ import annotations

import re
from typing import Any

import pytest
from mcp.types import Tool

from finerworks_mcp.mcp.tools import TOOLSETS
from finerworks_mcp.simulator import SimulatorState
from tests.support import TEXAS, call_error, connect, upstream

pytestmark = pytest.mark.anyio

ALL_TOOLSETS = ",".join(TOOLSETS)
# One value of the wrong kind for each JSON Schema type a tool argument can have.
WRONG_KIND = {"string": ["a", "list"], "integer": "many", "number": "lots", "boolean": "perhaps", "array": 7,
              "object": "text"}  # fmt: skip
LINE = re.compile(r"^- (?P<field>[a-z_][a-z0-9_]*(?:\[\d+\]|\.[a-z_][a-z0-9_]*)*): (?P<said>.+)$")


def _kind(schema: dict[str, Any]) -> str:
    if "type" in schema and isinstance(schema["type"], str):
        return schema["type"]
    if "properties" in schema or "$ref" in schema:
        return "object"
    branches = [b for b in schema.get("anyOf", []) if isinstance(b, dict)]
    return _kind(branches[0]) if branches else "string"


def _assert_actionable(tool: str, message: str, fields: set[str]) -> None:
    """The message's form: one line per field with what is wrong (and accepted, where the schema says), then
    Next:; no internal names or links."""
    for leak in ("Arguments", "validation error", "pydantic", "http://", "https://"):
        assert leak not in message, (tool, message)
    lines = message.splitlines()
    assert lines[0].startswith(f"Error executing tool {tool}: "), message
    assert lines[0].endswith("argument(s) not valid; nothing was sent."), message
    assert lines[-1].startswith("Next: "), message
    assert tool in lines[-1], message
    named = set()
    for line in lines[1:-1]:
        match = LINE.match(line)
        assert match, (tool, line)
        named.add(re.split(r"[.\[]", match["field"])[0])
    assert fields <= named, (tool, fields, message)


async def test_every_tool_answers_a_missing_argument_by_name_with_what_it_accepts(
    sim: SimulatorState, mode: str
) -> None:
    async with connect(sim, mode, env={"TOOLSETS": ALL_TOOLSETS}) as client:
        tools: list[Tool] = (await client.list_tools()).tools
        required = {tool.name: set(tool.input_schema.get("required", [])) for tool in tools}
        checked = 0
        for tool in tools:
            if not required[tool.name]:
                continue
            message = await call_error(client, tool.name, {})
            _assert_actionable(tool.name, message, required[tool.name])
            assert "missing; it is required" in message
            checked += 1
    assert checked >= 20
    assert upstream(sim) == []


async def test_every_tool_answers_an_argument_of_the_wrong_kind_with_what_it_accepts(
    sim: SimulatorState, mode: str
) -> None:
    async with connect(sim, mode, env={"TOOLSETS": ALL_TOOLSETS}) as client:
        tools: list[Tool] = (await client.list_tools()).tools
        checked = 0
        for tool in tools:
            for name, schema in tool.input_schema.get("properties", {}).items():
                message = await call_error(client, tool.name, {name: WRONG_KIND[_kind(schema)]})
                _assert_actionable(tool.name, message, {name})
                assert re.search(rf"^- {name}: .+; accepted: .+", message, re.MULTILINE), (tool.name, message)
                checked += 1
    assert checked >= 80
    assert upstream(sim) == []


async def test_a_bad_value_in_a_nested_field_is_named_by_its_path_without_the_model_name(
    sim: SimulatorState, mode: str
) -> None:
    # Reproduces "1 validation error for quote_pricesArguments ... https://errors.pydantic.dev/...".
    async with connect(sim, mode) as client:
        message = await call_error(
            client, "quote_prices", {"items": [{"product_sku": "5M6M9S16X20", "product_qty": 0}]}
        )
    _assert_actionable("quote_prices", message, {"items"})
    assert "- items[0].product_qty: input should be greater than or equal to 1; accepted: a whole number from 1" in (
        message
    )
    assert "quote_pricesArguments" not in message


@pytest.mark.parametrize("tool", ["fetch_order_status", "lookup_orders"])
async def test_a_po_given_as_an_order_id_is_pointed_to_order_pos(sim: SimulatorState, mode: str, tool: str) -> None:
    async with connect(sim, mode) as client:
        message = await call_error(client, tool, {"order_ids": ["PO-77812"]})
    assert "- order_ids[0]: " in message
    assert "'PO-77812' looks like a PO" in message
    assert "POs go in order_pos" in message
    assert upstream(sim) == []


@pytest.mark.parametrize(
    ("field", "given", "hint"),
    [
        pytest.param("state_code", "Texas", "Use the two-letter code: TX for Texas", id="state name"),
        pytest.param("state_code", "New  york", "Use the two-letter code: NY for New  york", id="state name spaced"),
        pytest.param("country_code", "USA", "Use the two-letter ISO code: us for USA", id="USA"),
        pytest.param("country_code", "United States", "Use the two-letter ISO code: us", id="country name"),
    ],
)
async def test_common_address_mistakes_get_the_code_to_use(
    sim: SimulatorState, mode: str, field: str, given: str, hint: str
) -> None:
    async with connect(sim, mode) as client:
        message = await call_error(client, "validate_recipient_address", {"recipient": {**TEXAS, field: given}})
    assert f"- recipient.{field}: " in message
    assert hint in message
    assert upstream(sim) == []


async def test_an_unknown_field_lists_the_fields_that_are_accepted(sim: SimulatorState, mode: str) -> None:
    async with connect(sim, mode) as client:
        message = await call_error(client, "validate_recipient_address", {"recipient": {**TEXAS, "zip": "78705"}})
    assert "- recipient.zip: not a field here; accepted: required " in message
    assert "zip_postal_code" in message
