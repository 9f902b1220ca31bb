"""Prompts for the three jobs, for clients that let a person pick one: each starts the job the way the tools do it
best (one workflow call, then a short answer), and keeps the rule that nothing is deleted without a yes."""

from __future__ import annotations

from mcp.server import MCPServer

from finerworks_mcp.mcp.context import AppState


def quote_a_print(prints: str, ship_to: str = "") -> str:
    """Price prints (any number), with shipping and grand totals when you give an address."""
    where = f" Ship them to: {ship_to}." if ship_to else ""
    return (
        f"I'd like a price for these FinerWorks prints: {prints}.{where}\n"
        "Work out the product codes (or use my inventory SKUs), then price everything with one quote_prices call. "
        "Tell me the price per item with any frame, mat or glazing add-ons, the subtotal, and, if I gave an "
        "address, the shipping options with their grand totals. Mention anything FinerWorks could not price."
    )


def where_is_my_order(orders: str) -> str:
    """Status and tracking for your orders, by FinerWorks order number or your own PO."""
    return (
        f"Where is my order? {orders}\n"
        "Numbers are FinerWorks order ids; anything else is my own PO. Look them all up with one lookup_orders "
        "call and answer in a sentence or two per order: its status, and for shipped orders the carrier, "
        "tracking number and tracking link. Say plainly if FinerWorks does not know one of them."
    )


def tidy_my_inventory(what: str = "images with no products, and products not connected to any shop") -> str:
    """Find images and products you no longer need and delete them, batch by batch, after your yes."""
    return (
        f"Help me tidy my FinerWorks inventory: I want to remove {what}.\n"
        "Use plan_inventory_cleanup to find them and show me the plan: how many of each, the items (with "
        "pictures if you can show them), and what else goes with them. Do not delete anything until I say yes "
        "to a batch; then confirm only that batch's token with confirm_action, and tell me what was deleted."
    )


def register_prompts(server: MCPServer[AppState], tools: set[str]) -> None:
    """Each prompt only when the tool it relies on is on the server."""
    for fn, title, needs in (
        (quote_a_print, "Quote a print", "quote_prices"),
        (where_is_my_order, "Where is my order", "lookup_orders"),
        (tidy_my_inventory, "Tidy my inventory", "plan_inventory_cleanup"),
    ):
        if needs in tools:
            server.prompt(title=title)(fn)
