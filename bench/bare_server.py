"""The baseline: a bare MCPServer with one trivial tool, the SDK's own floor (`python -m bench.bare_server`)."""

from __future__ import annotations

from mcp.server import MCPServer

server = MCPServer("bare", log_level="WARNING")  # as finerworks-mcp: no per-request log lines


@server.tool()
def add(a: int, b: int) -> int:
    """Add two integers."""
    return a + b


if __name__ == "__main__":
    server.run("stdio")
