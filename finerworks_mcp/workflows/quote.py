"""Quote any number of items: prices in chunks of FinerWorks' limit, run concurrently, merged in the caller's order;
with a recipient, every shipping option and its grand total.

Shipping quotes need each print-on-demand product code's artwork size in pixels (FinerWorks answers "missing or
invalid info" without it) but the size does not change the price. A quote has no artwork yet, so it sends a
stand-in: the print's size at 300 pixels per inch, read from the product code. Inventory SKUs carry their own image.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from finerworks_mcp.api.answers import read_answer
from finerworks_mcp.api.client import FinerWorksClient
from finerworks_mcp.api.errors import FinerWorksError, RequestRefused
from finerworks_mcp.api.money import ZERO, number, order_money, shown, usd
from finerworks_mcp.api.schemas.catalog import Prices
from finerworks_mcp.api.schemas.common import Address
from finerworks_mcp.api.schemas.orders import ShippingOption, ShippingOptions
from finerworks_mcp.api.schemas.products import PricedItem, PriceLine
from finerworks_mcp.workflows.bounded import Progress, Steps, chunked, run_bounded
from finerworks_mcp.workflows.results import NotPriced, Quote, QuotedShipping, QuoteLine

PRICES_PER_CALL = 50
"""FinerWorks: get_prices takes "as few as 1 or as many as 50"."""
STAND_IN_PIXELS_PER_INCH = 300
STAND_IN_PIXELS = 3600
"""For a code whose size cannot be read (FinerWorks' framed-code format is unpublished)."""
QUOTE_PO = "QUOTE-1"
"""FinerWorks: when "just calculating shipping ... any random string or number will suffice"."""
SHIPPING_CODE = "SD"
TEXT_LINES = 20
"""Lines shown in the text; a 1,000-item quote is read in the structured result, not in prose."""

INVENTORY_SKU = re.compile(r"^AP\d+P\d+$", re.IGNORECASE)
CODE_SIZE = re.compile(r"^\d+M\d+M\d+S(\d+(?:\.\d+)?)X(\d+(?:\.\d+)?)", re.IGNORECASE)
ADD_ONS = {
    "add_frame_price": "frame",
    "add_mat_1_price": "mat",
    "add_mat_2_price": "second mat",
    "add_glazing_price": "glazing",
    "add_color_correct_price": "colour correction",
}


@dataclass(frozen=True, slots=True)
class _Priced:
    lines: list[QuoteLine]
    missing: list[NotPriced]
    refusal: str | None = None


Numbered = tuple[int, PricedItem]


async def quote_prices(
    client: FinerWorksClient,
    items: Sequence[PricedItem],
    *,
    recipient: Address | None,
    shipping_preference: str,
    concurrency: int,
    account_key: str | None,
    progress: Progress,
) -> Quote:
    chunks = chunked(list(enumerate(items, start=1)), PRICES_PER_CALL)
    steps = Steps(progress, "Pricing", len(chunks))
    calls = [functools.partial(_price, client, chunk, account_key) for chunk in chunks]
    answers = await run_bounded(calls, concurrency, after_each=steps.step)

    lines = [line for answer in answers for line in answer.lines]
    missing = [item for answer in answers for item in answer.missing]
    notes = list(dict.fromkeys(f"FinerWorks: {answer.refusal}" for answer in answers if answer.refusal))
    subtotal = sum((usd(line.total_price) for line in lines), ZERO)
    quote = Quote(lines=lines, not_priced=missing, subtotal=number(subtotal), notes=notes)
    if recipient is not None and lines:
        # Only what FinerWorks priced is shipped: an unknown SKU would make it refuse the whole shipping quote.
        priced = {line.line for line in lines}
        shipped = [item for number_, item in enumerate(items, start=1) if number_ in priced]
        await _add_shipping(client, quote, recipient, shipped, shipping_preference)
    return quote


async def _price(client: FinerWorksClient, chunk: Sequence[Numbered], account_key: str | None) -> _Priced:
    """One get_prices call, its answer already turned into quote lines: each chunk's lines are built while the
    other calls are still on their way, not all after the last one."""
    products = [{"product_sku": item.product_sku, "product_qty": item.product_qty} for _, item in chunk]
    request: dict[str, Any] = {"products": products}
    if account_key:
        request["account_key"] = account_key
    try:
        answer = await read_answer(client, "get_prices", Prices, body=request)
    except RequestRefused as refusal:
        # FinerWorks refuses a call in which it knows none of the items; the others are still worth quoting.
        return _Priced([], [_not_priced(numbered) for numbered in chunk], refusal.message)
    priced = _Priced([], [])
    for numbered, row in _match(chunk, answer.prices):
        if row is None:
            priced.missing.append(_not_priced(numbered))
        else:
            priced.lines.append(_line(*numbered, row))
    return priced


def _not_priced(numbered: Numbered) -> NotPriced:
    number_, item = numbered
    return NotPriced(line=number_, product_sku=item.product_sku, product_qty=item.product_qty)


def _match(chunk: Sequence[Numbered], rows: list[PriceLine]) -> list[tuple[Numbered, PriceLine | None]]:
    """Each requested item with its price row. Rows are claimed one by one, so repeated SKUs (say in two
    quantities) each get their own row, whatever order FinerWorks answers in."""
    by_key: dict[str, list[int]] = {}
    for index, row in enumerate(rows):
        for key in {(row.product_sku or "").upper(), (row.product_code or "").upper()} - {""}:
            by_key.setdefault(key, []).append(index)
    claimed: set[int] = set()
    matched: list[tuple[Numbered, PriceLine | None]] = []
    for numbered in chunk:
        item = numbered[1]
        candidates = [i for i in by_key.get(item.product_sku.strip().upper(), []) if i not in claimed]
        same_qty = [i for i in candidates if rows[i].product_qty == item.product_qty]
        chosen = (same_qty or candidates or [None])[0]
        if chosen is not None:
            claimed.add(chosen)
        matched.append((numbered, rows[chosen] if chosen is not None else None))
    return matched


def _line(number_: int, item: PricedItem, row: PriceLine) -> QuoteLine:
    product_price = usd(row.product_price)
    # Most rows charge no add-ons: a zero is skipped before it is converted (a 1,000-line quote has 5,000 of them).
    charged = {
        name: amount for field, name in ADD_ONS.items() if (value := getattr(row, field)) and (amount := usd(value))
    }
    unit_price = product_price + sum(charged.values(), ZERO)
    total = usd(row.total_price) if row.total_price is not None else unit_price * item.product_qty
    return QuoteLine(
        line=number_,
        product_sku=item.product_sku,
        product_code=row.product_code if row.product_code != item.product_sku else None,
        product_qty=item.product_qty,
        unit_price=number(unit_price),
        product_price=number(product_price) if charged else None,
        add_ons={name: number(amount) for name, amount in charged.items()} or None,
        total_price=number(total),
    )


def _order_item(item: PricedItem) -> dict[str, Any]:
    line: dict[str, Any] = {"product_sku": item.product_sku, "product_qty": item.product_qty}
    if not INVENTORY_SKU.match(item.product_sku.strip()):
        line["product_image"] = stand_in_image(item.product_sku)
    return line


def stand_in_image(product_code: str) -> dict[str, int]:
    size = CODE_SIZE.match(product_code.strip())
    if size is None:
        return {"pixel_width": STAND_IN_PIXELS, "pixel_height": STAND_IN_PIXELS}
    width, height = (round(Decimal(side) * STAND_IN_PIXELS_PER_INCH) for side in size.groups())
    return {"pixel_width": max(1, width), "pixel_height": max(1, height)}


def _recipient_json(recipient: Address) -> dict[str, Any]:
    # A shipping quote is for a place, not a person; FinerWorks still wants names on the recipient.
    data = recipient.model_dump(mode="json", exclude_none=True)
    data.setdefault("first_name", "Shipping")
    data.setdefault("last_name", "Quote")
    return data


def describe_place(recipient: Address) -> str:
    region = recipient.state_code or recipient.province
    parts = [recipient.city, region, recipient.zip_postal_code]
    return f"{' '.join(part for part in parts if part)}, {recipient.country_code.upper()}"


async def _add_shipping(
    client: FinerWorksClient, quote: Quote, recipient: Address, priced: list[PricedItem], preference: str
) -> None:
    quote.ship_to = describe_place(recipient)
    order = {
        "order_po": QUOTE_PO,
        "recipient": _recipient_json(recipient),
        "order_items": [_order_item(item) for item in priced],
        "shipping_code": SHIPPING_CODE,
    }
    try:
        answer = await read_answer(client, "list_shipping_options_multiple", ShippingOptions, body={"orders": [order]})
    except FinerWorksError as error:
        quote.notes.append(f"Shipping could not be quoted ({error.message}); the prices above stand.")
        return
    offered = [option for shipping in answer.orders for option in shipping.options]
    subtotal = usd(quote.subtotal)
    options = sorted((_shipping(option, subtotal) for option in offered), key=lambda option: option.grand_total)
    if not options:
        quote.notes.append("FinerWorks offered no shipping option to this address.")
        return
    chosen = choose(options, preference)
    if chosen is None:
        codes = ", ".join(sorted({o.shipping_code for o in options if o.shipping_code}))
        quote.notes.append(f"No shipping option matches '{preference}'; offered codes: {codes}.")
    else:
        chosen.chosen = True
        quote.grand_total = chosen.grand_total
    quote.shipping_options = options


def _shipping(option: ShippingOption, subtotal: Decimal) -> QuotedShipping:
    figures = order_money(option, subtotal=subtotal)
    return QuotedShipping(
        id=option.id,
        shipping_code=option.shipping_code,
        shipping_method=option.shipping_method,
        carrier=option.carrier,
        rate=number(figures.shipping),
        sales_tax=number(figures.tax),
        discount=number(figures.discount) if figures.discount else None,
        grand_total=number(figures.grand_total),
    )


def choose(options: list[QuotedShipping], preference: str) -> QuotedShipping | None:
    """The option a preference picks: the cheapest total; the fastest (FinerWorks' FS code, "fastest available",
    else the dearest rate, since speed is what costs more); or the option with that code or id."""
    wanted = preference.strip().lower()
    if wanted == "cheapest":
        return min(options, key=lambda option: option.grand_total)
    if wanted == "fastest":
        fastest = next((o for o in options if (o.shipping_code or "").upper() == "FS"), None)
        return fastest or max(options, key=lambda option: option.rate)
    return next((o for o in options if wanted in {(o.shipping_code or "").lower(), str(o.id)}), None)


def quote_text(quote: Quote) -> str:
    copies = sum(line.product_qty for line in quote.lines)
    text = [f"Quote in USD: {len(quote.lines)} line(s), {copies} print(s), subtotal {shown(usd(quote.subtotal))}."]
    text += [f"  {_line_text(line)}" for line in quote.lines[:TEXT_LINES]]
    if len(quote.lines) > TEXT_LINES:
        text.append(f"  ... and {len(quote.lines) - TEXT_LINES} more lines (all in the structured result).")
    if quote.not_priced:
        named = ", ".join(f"{item.product_sku} (line {item.line})" for item in quote.not_priced[:TEXT_LINES])
        more = f" and {len(quote.not_priced) - TEXT_LINES} more" if len(quote.not_priced) > TEXT_LINES else ""
        text.append(f"Not priced, FinerWorks does not know them: {named}{more}.")
    if quote.shipping_options:
        text.append(f"Shipping to {quote.ship_to}, cheapest first:")
        text += [f"  {_shipping_text(option)}" for option in quote.shipping_options]
        chosen = next((o for o in quote.shipping_options if o.chosen), None)
        if chosen is not None and quote.grand_total is not None:
            way = chosen.shipping_method or chosen.shipping_code
            text.append(f"Grand total with {way}: {_usd(quote.grand_total)}.")
    text += quote.notes
    return "\n".join(text)


def _usd(amount: float) -> str:
    return shown(usd(amount))


def _line_text(line: QuoteLine) -> str:
    extras = "".join(f" + {name} {_usd(amount)}" for name, amount in (line.add_ons or {}).items())
    price = f"{_usd(line.unit_price if line.product_price is None else line.product_price)}{extras}"
    if line.product_qty > 1:
        unit = f" = {_usd(line.unit_price)}" if extras else ""
        price = f"{price}{unit} each, {_usd(line.total_price)} in all"
    elif extras:
        price = f"{price} = {_usd(line.total_price)}"
    return f"{line.line}. {line.product_sku} x{line.product_qty}: {price}"


def _shipping_text(option: QuotedShipping) -> str:
    mark = "[chosen] " if option.chosen else ""
    name = " ".join(part for part in (option.shipping_code, option.shipping_method) if part)
    tax = f" + tax {_usd(option.sales_tax)}" if option.sales_tax else ""
    discount = f" - discount {_usd(option.discount)}" if option.discount else ""
    return f"{mark}{name}: shipping {_usd(option.rate)}{tax}{discount} = total {_usd(option.grand_total)}"
