"""`finerworks-mcp demo`: the three jobs an assistant does with this server, against the built-in simulator.

A quote with shipping, an order lookup, and an inventory cleanup that is planned, shown and confirmed. Nothing
leaves the machine; the demo's audit log goes to a temporary folder, not the real one.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import anyio
from mcp import Client

from finerworks_mcp.config import load_settings
from finerworks_mcp.mcp.server import build_server
from finerworks_mcp.mcp.transcript import call, show
from finerworks_mcp.offline import upstream
from finerworks_mcp.simulator.seed import RECEIVED_ORDER_ID, SHIPPED_ORDER_PO
from finerworks_mcp.workflows.results import CleanupPlan

QUOTE = [
    {"product_sku": "5M6M9S8X10", "product_qty": 2},
    {"product_sku": "5M6M9S16X20", "product_qty": 1},
    {"product_sku": "5M6M9S16X20F458M1G2", "product_qty": 1},
]
AUSTIN = {"address_1": "2100 Guadalupe St", "city": "Austin", "state_code": "TX", "zip_postal_code": "78705",
          "country_code": "us"}  # fmt: skip
CLEANUP = {"images": {"inactive": True, "without_products": True}}


async def _conversation(audit_dir: Path) -> None:
    settings = load_settings({"FINERWORKS_ENV": "simulator", "FINERWORKS_AUDIT_LOG": str(audit_dir / "audit.jsonl")})
    server = build_server(settings, **upstream(settings))
    async with Client(server) as client:
        names = [tool.name for tool in (await client.list_tools()).tools]
        show(f"Connected to {server.name} (offline simulator): {len(names)} tools. The three job tools come first,")
        show(f"  {', '.join(names[:3])},")
        show(f"  then one tool per FinerWorks endpoint ({', '.join(names[3:5])}, ...) and the confirmation tools.")

        show("\nPerson: What do two 8x10s, a 16x20 and a framed 16x20 cost, shipped to Austin?")
        await call(client, "quote_prices", {"items": QUOTE, "recipient": AUSTIN})

        show(f"\nPerson: Where are my orders {RECEIVED_ORDER_ID} and {SHIPPED_ORDER_PO}?")
        await call(client, "lookup_orders", {"order_ids": [RECEIVED_ORDER_ID], "order_pos": [SHIPPED_ORDER_PO]})

        show("\nPerson: Clear out inactive images that no product uses.")
        plan = CleanupPlan.model_validate((await call(client, "plan_inventory_cleanup", CLEANUP)).structured_content)
        show("\nPerson: Yes, delete them.")
        for token in _tokens(plan):
            await call(client, "confirm_action", {"confirmation_token": token})
    show("\nDone. Nothing was sent to FinerWorks: this ran against the built-in simulator.")


def _tokens(plan: CleanupPlan) -> list[str]:
    batches = [*(plan.images.batches if plan.images else []), *(plan.products.batches if plan.products else [])]
    return [batch.confirmation_token for batch in batches if batch.confirmation_token]


def run_demo() -> int:
    with tempfile.TemporaryDirectory(prefix="finerworks-demo-") as audit_dir:
        anyio.run(_conversation, Path(audit_dir))
    return 0
