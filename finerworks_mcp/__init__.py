"""finerworks-mcp: an MCP server for FinerWorks fine-art print-on-demand.

Public surface: `build_server` (the app factory), `load_settings`, `Settings`, and `__version__`. Everything else
is importable for tests and tooling but is not a stable API.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from finerworks_mcp.config import Settings, load_settings
    from finerworks_mcp.server import build_server

__all__ = ["Settings", "__version__", "build_server", "load_settings"]


def __getattr__(name: str) -> Any:
    # Lazy, so `finerworks-mcp --help` and the simulator do not pay for importing the MCP SDK.
    if name == "build_server":
        from finerworks_mcp.server import build_server

        return build_server
    if name in ("Settings", "load_settings"):
        from finerworks_mcp import config

        return getattr(config, name)
    raise AttributeError(name)
