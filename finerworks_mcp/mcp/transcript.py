"""A person-readable transcript of MCP calls for `demo`: each call with its arguments in full, then what the assistant
reads back, as a walkthrough (plain lines, never raw JSON, nothing cut off mid-value)."""

from __future__ import annotations

import json
import textwrap
from typing import Any, cast

from mcp import Client
from mcp.types import CallToolResult, TextContent

WIDTH = 116
INDENT = "    "


def show(line: str = "") -> None:
    print(line, flush=True)


def plain(value: Any) -> str:
    """A value as a person reads it: `key value` pairs, lists joined by semicolons, no JSON punctuation."""
    if isinstance(value, dict):
        return ", ".join(f"{key} {plain(item)}" for key, item in value.items())  # type: ignore[misc]
    if isinstance(value, list):
        return "; ".join(plain(item) for item in value)  # type: ignore[misc]
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _wrapped(text: str, indent: str = INDENT) -> list[str]:
    return textwrap.wrap(text, WIDTH, initial_indent=indent, subsequent_indent=indent + "  ", break_long_words=False)


def _answer_lines(text: str) -> list[str]:
    """The tool's text; a JSON object (a structured answer with no prose) becomes its message or `key: value` lines."""
    try:
        data = json.loads(text)
    except ValueError:
        return text.splitlines() or [""]
    if not isinstance(data, dict):
        return [plain(data)]
    answer = cast(dict[str, Any], data)
    if isinstance(answer.get("message"), str):
        return [str(answer["message"])]
    return [f"{key}: {plain(item)}" for key, item in answer.items()]


async def call(client: Client, tool: str, arguments: dict[str, Any] | None = None) -> CallToolResult:
    """Call a tool and print the call and what the assistant reads back."""
    show(f"\n> assistant calls {tool}" + (" with" if arguments else ""))
    for name, value in (arguments or {}).items():
        if isinstance(value, list) and any(isinstance(item, dict) for item in value):  # type: ignore[misc]
            show(f"{INDENT}{name}:")
            lines = [line for item in value for line in _wrapped(f"- {plain(item)}", INDENT + "  ")]  # type: ignore[misc]
        else:
            lines = _wrapped(f"{name}: {plain(value)}")
        for line in lines:
            show(line)
    result = await client.call_tool(tool, arguments or {})
    text = "\n".join(part.text for part in result.content if isinstance(part, TextContent))
    show("< it reads back" + (" an error:" if result.is_error else ":"))
    for line in _answer_lines(text):  # the tool's own lines, as the model reads them
        show(f"{INDENT}{line}")
    return result
