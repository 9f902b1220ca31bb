"""Reference data: cached for the server's life with a TTL, shared by every connection, and readable as resources."""

from __future__ import annotations

import json
from typing import Any

import pytest
from mcp import MCPError

from finerworks_mcp.api.reference import REFERENCE_KINDS
from finerworks_mcp.simulator import SimulatorState
from tests.support import FakeClock, call_error, call_ok, connect, make_server, upstream

pytestmark = pytest.mark.anyio

# Each list tool asked without filters, with the key its answer lists under.
UNFILTERED: dict[str, tuple[str, str]] = {
    "list_product_types": ("product-types", "product_types"),
    "list_media_types": ("media-types", "media_types"),
    "list_style_types": ("style-types", "style_types"),
    "list_collections": ("frame-collections", "collections"),
    "list_mats": ("mats", "mats"),
    "list_glazing": ("glazing", "glazing"),
    "list_order_status_definitions": ("status-definitions", "definitions"),
}
FILTERED: dict[str, dict[str, Any]] = {
    "list_product_types": {"ids": [5]},
    "list_media_types": {"ids": [6]},
    "list_style_types": {"ids": [9]},
    "list_collections": {"id": 1},
    "list_mats": {"id": 1},
    "list_glazing": {"id": 2},
}


@pytest.mark.parametrize("tool", list(UNFILTERED))
async def test_unfiltered_reference_data_is_fetched_once_within_the_ttl_and_again_after_it(
    sim: SimulatorState, mode: str, tool: str
) -> None:
    clock = FakeClock()
    async with connect(sim, mode, clock=clock, env={"CACHE_TTL": "600"}) as client:
        first = await call_ok(client, tool)
        clock.now += 599
        second = await call_ok(client, tool)
        assert len(upstream(sim, tool)) == 1
        clock.now += 1
        third = await call_ok(client, tool)
    assert len(upstream(sim, tool)) == 2
    key = UNFILTERED[tool][1]
    assert first == second == third
    assert first[key]


@pytest.mark.parametrize(("tool", "arguments"), list(FILTERED.items()))
async def test_filtered_reference_reads_always_ask_finerworks(
    sim: SimulatorState, tool: str, arguments: dict[str, Any]
) -> None:
    async with connect(sim) as client:
        await call_ok(client, tool)
        await call_ok(client, tool, arguments)
        await call_ok(client, tool, arguments)
    assert [request.body for request in upstream(sim, tool)] == [{}, arguments, arguments]


async def test_the_default_ttl_is_one_hour(sim: SimulatorState) -> None:
    clock = FakeClock()
    async with connect(sim, clock=clock) as client:
        await call_ok(client, "list_mats")
        clock.now += 3599
        await call_ok(client, "list_mats")
        assert len(upstream(sim, "list_mats")) == 1
        clock.now += 1
        await call_ok(client, "list_mats")
    assert len(upstream(sim, "list_mats")) == 2


async def test_a_ttl_of_zero_turns_the_cache_off(sim: SimulatorState) -> None:
    async with connect(sim, env={"CACHE_TTL": "0"}) as client:
        await call_ok(client, "list_glazing")
        await call_ok(client, "list_glazing")
    assert len(upstream(sim, "list_glazing")) == 2


async def test_the_cache_is_shared_by_every_connection_to_the_server(sim: SimulatorState) -> None:
    server = make_server(sim)
    async with connect(sim, server=server) as first:
        await call_ok(first, "list_product_types")
    async with connect(sim, "legacy", server=server) as second:
        await call_ok(second, "list_product_types")
        await second.read_resource("finerworks://catalog/product-types", cache_mode="bypass")
    assert len(upstream(sim, "list_product_types")) == 1


async def test_a_failure_is_not_cached(sim: SimulatorState) -> None:
    sim.faults.add("refusal", endpoint="list_style_types", message="Try again later.")
    async with connect(sim) as client:
        message = await call_error(client, "list_style_types")
        styles = await call_ok(client, "list_style_types")
    assert "Try again later." in message
    assert styles["style_types"]
    assert len(upstream(sim, "list_style_types")) == 2


async def test_every_kind_is_listed_as_a_json_resource(sim: SimulatorState, mode: str) -> None:
    async with connect(sim, mode) as client:
        resources = (await client.list_resources()).resources
    assert [(r.uri, r.mime_type) for r in resources] == [
        (kind.uri, "application/json") for kind in REFERENCE_KINDS.values()
    ]
    assert [r.uri for r in resources] == [
        "finerworks://catalog/product-types",
        "finerworks://catalog/media-types",
        "finerworks://catalog/style-types",
        "finerworks://framing/collections",
        "finerworks://framing/mats",
        "finerworks://framing/glazing",
        "finerworks://orders/status-definitions",
    ]
    assert all(r.title and r.description for r in resources)


@pytest.mark.parametrize("tool", list(UNFILTERED))
async def test_a_resource_reads_the_same_data_as_its_tool_from_the_same_cache(
    sim: SimulatorState, mode: str, tool: str
) -> None:
    kind = REFERENCE_KINDS[UNFILTERED[tool][0]]
    async with connect(sim, mode) as client:
        read = await client.read_resource(kind.uri, cache_mode="bypass")
        from_tool = await call_ok(client, tool)
    (content,) = read.contents
    assert content.mime_type == "application/json"
    assert json.loads(getattr(content, "text", "")) == from_tool
    assert len(upstream(sim, tool)) == 1


async def test_a_resource_finerworks_cannot_serve_reports_why(sim: SimulatorState) -> None:
    sim.faults.add("refusal", endpoint="list_mats", message="Mats are being restocked.", times=None)
    async with connect(sim) as client:
        with pytest.raises(MCPError) as raised:
            await client.read_resource("finerworks://framing/mats", cache_mode="bypass")
    assert "Mats are being restocked." in str(raised.value)
