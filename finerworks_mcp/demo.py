"""`finerworks-mcp demo`: what an assistant sees, end to end, against the built-in simulator."""

from __future__ import annotations

import anyio
from mcp import Client

from finerworks_mcp.config import load_settings
from finerworks_mcp.conversation import call, show
from finerworks_mcp.server import build_server
from finerworks_mcp.simulator.seed import SHIPPED_ORDER_PO

QUOTE = [
    {"product_sku": "5M6M9S8X10", "product_qty": 2},
    {"product_sku": "5M6M9S16X20", "product_qty": 1},
    {"product_sku": "5M6M9S24X36", "product_qty": 1},
]


async def _conversation() -> None:
    server = build_server(load_settings({"FINERWORKS_ENV": "simulator"}))
    async with Client(server) as client:
        tools = (await client.list_tools()).tools
        show(f"Connected to {server.name} (offline simulator). {len(tools)} tools:")
        show("  " + ", ".join(tool.name for tool in tools))
        show("\nPerson: How much are an 8x10 (two of them), a 16x20 and a 24x36 archival matte print?")
        await call(client, "get_prices", {"products": QUOTE})
        show(f"\nPerson: Where is my order {SHIPPED_ORDER_PO}?")
        await call(client, "fetch_order_status", {"order_pos": [SHIPPED_ORDER_PO]})
    show("\nDone. Nothing was sent to FinerWorks: this ran against the built-in simulator.")


def run_demo() -> int:
    anyio.run(_conversation)
    return 0
