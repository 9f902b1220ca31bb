"""Compact answers: a list page carries what an assistant acts on, in few tokens, in both its text and its
structured content; `detail: "full"` returns every field FinerWorks sent."""

from __future__ import annotations

import pytest
from mcp.types import ResourceLink

from bench import sizes
from finerworks_mcp.mcp.tools import TOOLSETS
from finerworks_mcp.simulator import SimulatorState
from tests.support import call_ok, connect, text_of

pytestmark = pytest.mark.anyio

ALL_TOOLSETS = ",".join(TOOLSETS)
PER_IMAGE = sizes.MAX_TOKENS_PER_IMAGE
PER_PRODUCT = sizes.MAX_TOKENS_PER_PRODUCT
PAGE = sizes.MAX_TOKENS_PER_DEFAULT_PAGE
BULKY = ("file_name", "public_thumbnail_uri", "description_long", "price_details", "third_party_integrations")


@pytest.mark.parametrize("arguments", [{}, {"per_page": 50}, {"per_page": 50, "page_number": 2}])
async def test_a_page_of_images_costs_at_most_60_tokens_per_image(
    sim: SimulatorState, mode: str, arguments: dict[str, int]
) -> None:
    # Reproduces: 36 images came to about 12,000 tokens, six file names and URLs each.
    async with connect(sim, mode) as client:
        result = await client.call_tool("list_images", arguments)
    images = (result.structured_content or {})["images"]
    text = text_of(result)
    assert len(images) >= 10
    assert sizes.tokens(text) <= PER_IMAGE * len(images), sizes.tokens(text) / len(images)
    for image in images:
        assert image["guid"] in text
        assert f"'{image['title']}'" in text
    assert not any(key in text for key in BULKY)
    assert not [block for block in result.content if isinstance(block, ResourceLink)]


async def test_a_page_of_inventory_costs_at_most_100_tokens_per_product(sim: SimulatorState, mode: str) -> None:
    async with connect(sim, mode) as client:
        page = await call_ok(client, "list_virtual_inventory", {"per_page": 50})
        result = await client.call_tool("list_virtual_inventory", {"per_page": 50})
    text = text_of(result)
    assert len(page["products"]) == 50
    assert sizes.tokens(text) <= PER_PRODUCT * 50, sizes.tokens(text) / 50
    for product in page["products"]:
        assert product["sku"] in text
        assert set(product) <= {"sku", "product_code", "name", "image_guid", "asking_price", "per_item_price",
                                "track_inventory", "quantity_in_stock", "shops"}  # fmt: skip
    assert any("shops" in product for product in page["products"])
    assert any(product.get("track_inventory") for product in page["products"])


async def test_no_list_tool_s_default_page_is_over_4000_tokens(sim: SimulatorState) -> None:
    async with connect(sim, env={"TOOLSETS": ALL_TOOLSETS}) as client:
        listing = [t for t in (await client.list_tools()).tools if t.name.startswith("list_")]
        costs = {}
        for tool in listing:
            if tool.input_schema.get("required"):
                continue
            result = await client.call_tool(tool.name, {})
            assert not result.is_error, (tool.name, text_of(result))
            costs[tool.name] = sizes.tokens(text_of(result))
    assert {"list_images", "list_virtual_inventory", "list_style_types", "list_event_logs"} <= set(costs)
    assert max(costs.values()) <= PAGE, costs


@pytest.mark.parametrize("tool", ["list_images", "list_virtual_inventory"])
async def test_detail_full_returns_every_field_finerworks_sent(sim: SimulatorState, mode: str, tool: str) -> None:
    async with connect(sim, mode) as client:
        listed = {t.name: t for t in (await client.list_tools()).tools}
        compact = await call_ok(client, tool, {"per_page": 5, "list_products": True} if tool == "list_images" else {})
        arguments = {"per_page": 5, "list_products": True} if tool == "list_images" else {}
        full = await call_ok(client, tool, arguments | {"detail": "full"})
    detail = listed[tool].input_schema["properties"]["detail"]
    assert detail["enum"] == ["compact", "full"]
    assert detail["default"] == "compact"
    assert "every field FinerWorks returned" in detail["description"]
    key = "images" if tool == "list_images" else "products"
    assert [item.get("guid", item.get("sku")) for item in compact[key]] == [
        item.get("guid", item.get("sku")) for item in full[key]
    ]
    assert any(field in str(full) for field in BULKY)
    assert not any(field in str(compact) for field in BULKY)
    assert sum(len(str(item)) for item in full[key]) > 3 * sum(len(str(item)) for item in compact[key])


async def test_a_compact_page_says_how_to_get_the_next_page_and_every_field(sim: SimulatorState, mode: str) -> None:
    async with connect(sim, mode) as client:
        result = await client.call_tool("list_images", {"per_page": 5, "page_number": 2})
    first = text_of(result).splitlines()[0]
    assert first.startswith(f"Images 6-10 of {(result.structured_content or {})['count']}.")
    assert "Next page: page_number 3." in first
    assert 'detail "full" adds every field FinerWorks returned.' in first
