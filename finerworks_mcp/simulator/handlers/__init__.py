"""One handler per FinerWorks endpoint, gathered from the area modules."""

from __future__ import annotations

from finerworks_mcp.simulator.call import Handler

from . import account, events, framing, images, inventory, orders, products

HANDLERS: dict[str, Handler] = {
    **account.HANDLERS,
    **orders.HANDLERS,
    **products.HANDLERS,
    **framing.HANDLERS,
    **images.HANDLERS,
    **inventory.HANDLERS,
    **events.HANDLERS,
}
