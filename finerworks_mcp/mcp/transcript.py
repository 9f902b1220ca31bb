"""A person-readable transcript of MCP calls, shared by `demo` and `check`."""

from __future__ import annotations

import json
from typing import Any

from mcp import Client
from mcp.types import CallToolResult, TextContent

MAX_LINES = 24


def show(line: str = "") -> None:
    print(line, flush=True)


async def call(client: Client, tool: str, arguments: dict[str, Any] | None = None) -> CallToolResult:
    """Call a tool and print the call and what the assistant would read back."""
    args = json.dumps(arguments or {}, separators=(", ", ": "))
    show(f"\n> assistant calls {tool}({args if len(args) < 200 else args[:197] + '...'})")
    result = await client.call_tool(tool, arguments or {})
    text = "\n".join(part.text for part in result.content if isinstance(part, TextContent))
    lines = text.splitlines() or [""]
    marker = "! error: " if result.is_error else ""
    for line in lines[:MAX_LINES]:
        show(f"  {marker}{line}")
        marker = ""
    if len(lines) > MAX_LINES:
        show(f"  ... ({len(lines) - MAX_LINES} more lines)")
    return result
