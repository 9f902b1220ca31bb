"""The toolsets, in the order their tools appear in tools/list.

Each area module defines one `Toolset` whose tools are named exactly as the FinerWorks endpoint they call.
"""

from __future__ import annotations

from finerworks_mcp.tools.base import Toolset
from finerworks_mcp.tools.catalog import catalog

TOOLSETS: dict[str, Toolset] = {toolset.name: toolset for toolset in (catalog,)}
DEFAULT_TOOLSETS: tuple[str, ...] = tuple(TOOLSETS)
