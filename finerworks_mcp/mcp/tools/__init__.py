"""The toolsets, in the order their tools appear in tools/list.

Each area module defines one `Toolset` whose tools are named exactly as the FinerWorks endpoint they call.
"""

from __future__ import annotations

from finerworks_mcp.mcp.tools.account import account
from finerworks_mcp.mcp.tools.base import Toolset
from finerworks_mcp.mcp.tools.catalog import catalog
from finerworks_mcp.mcp.tools.events import events
from finerworks_mcp.mcp.tools.framing import framing
from finerworks_mcp.mcp.tools.images import images
from finerworks_mcp.mcp.tools.inventory import inventory
from finerworks_mcp.mcp.tools.orders import orders
from finerworks_mcp.mcp.tools.workflows import workflows
from finerworks_mcp.settings import TOOLSET_NAMES

TOOLSETS: dict[str, Toolset] = {
    # workflows first: its tools do whole jobs in one call, so they are the ones an assistant should reach for.
    toolset.name: toolset
    for toolset in (workflows, catalog, framing, orders, images, inventory, account, events)
}
DEFAULT_TOOLSETS: tuple[str, ...] = tuple(TOOLSETS)
assert DEFAULT_TOOLSETS == TOOLSET_NAMES, "settings.TOOLSET_NAMES must name the toolsets registered here"
