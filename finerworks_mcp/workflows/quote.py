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
from typing import Any, cast

import anyio
from pydantic import ValidationError

from finerworks_mcp.api.answers import read_answer
from finerworks_mcp.api.client import FinerWorksClient
from finerworks_mcp.api.errors import FinerWorksError, MalformedResponse, RequestRefused
from finerworks_mcp.api.money import ZERO, number, order_money, shown, usd
from finerworks_mcp.api.schemas.catalog import Prices, ProductDetails
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
DETAILS_PER_CALL = 25
"""FinerWorks: get_product_details takes "up to 25 skus at a time". One call names the products of the lines a
person reads first; it runs beside the price calls (FINERWORKS_MAX_CONCURRENCY leaves room above the quote's own
limit), so naming costs no extra round trip."""
NEAREST_CHOICES = 2
DELIVERY_FIELDS = (
    "delivery_estimate",
    "estimated_delivery",
    "estimated_delivery_date",
    "transit_days",
    "delivery_days",
)
"""Where a shipping option might carry a delivery estimate; FinerWorks documents none, so each is read if present."""
OFFERED_SIZES = re.compile(r"sizes?:\s*((?:\d+(?:\.\d+)?x\d+(?:\.\d+)?(?:,\s*)?)+)", re.IGNORECASE)

INVENTORY_SKU = re.compile(r"^AP\d+P\d+$", re.IGNORECASE)
CODE_SIZE = re.compile(r"^(\d+M\d+M\d+S)(\d+(?:\.\d+)?)X(\d+(?:\.\d+)?)(.*)$", re.IGNORECASE)
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
    said: str = ""
    """FinerWorks' message: on a partial answer, why the missing items could not be priced."""


@dataclass(frozen=True, slots=True)
class _Named:
    names: dict[str, str]
    """Product name by requested SKU or code, upper case."""
    said: str = ""


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
    named = _Named({})
    answers: list[_Priced] = []
    failure: Exception | None = None
    async with anyio.create_task_group() as group:

        async def name_products() -> None:
            nonlocal named
            named = await _names(client, _first_products(items), account_key)

        group.start_soon(name_products)
        try:
            answers = await run_bounded(calls, concurrency, after_each=steps.step)
        except Exception as error:  # raised as itself below, not wrapped in the task group's exception group
            failure = error
            group.cancel_scope.cancel()
    if failure is not None:
        raise failure

    lines = [line for answer in answers for line in answer.lines]
    for line in lines:
        line.name = named.names.get(line.product_sku.strip().upper())
    missing = [item for answer in answers for item in answer.missing]
    said = " ".join(filter(None, [*(answer.said for answer in answers), named.said]))
    for item in missing:
        _explain(item, said)
    notes = list(
        dict.fromkeys(
            f"FinerWorks: {answer.refusal}"
            for answer in answers
            if answer.refusal and not all(item.reason for item in answer.missing)
        )
    )
    subtotal = sum((usd(line.total_price) for line in lines), ZERO)
    quote = Quote(lines=lines, not_priced=missing, subtotal=number(subtotal), notes=notes)
    if recipient is not None and lines:
        # Only what FinerWorks priced is shipped: an unknown SKU would make it refuse the whole shipping quote.
        priced = {line.line for line in lines}
        shipped = [item for number_, item in enumerate(items, start=1) if number_ in priced]
        await _add_shipping(client, quote, recipient, shipped, shipping_preference)
    return quote


def _first_products(items: Sequence[PricedItem]) -> list[str]:
    """The distinct products of the first lines, as many as one get_product_details call names."""
    distinct: dict[str, str] = {}
    for item in items:
        distinct.setdefault(item.product_sku.strip().upper(), item.product_sku.strip())
        if len(distinct) == DETAILS_PER_CALL:
            break
    return list(distinct.values())


async def _names(client: FinerWorksClient, skus: Sequence[str], account_key: str | None) -> _Named:
    """FinerWorks' own product names. A quote without them is still a quote: failures leave the codes alone."""
    body = [{"product_sku": sku, "product_qty": 1} for sku in skus]
    try:
        payload = await client.read("get_product_details", body=body)
        details = ProductDetails.model_validate({k: v for k, v in payload.items() if k != "status"})
    except RequestRefused as refusal:
        return _Named({}, refusal.message)
    except (FinerWorksError, ValueError):
        return _Named({})
    names: dict[str, str] = {}
    for product in details.product_list:
        for key in (product.sku, product.product_code):
            if key and product.name:
                names.setdefault(key.strip().upper(), product.name)
    return _Named(names, _message(payload))


def _message(payload: dict[str, Any]) -> str:
    status = payload.get("status")
    message = cast(dict[str, Any], status).get("message") if isinstance(status, dict) else None
    return str(message) if message else ""


def _explain(item: NotPriced, said: str) -> None:
    """FinerWorks' reason for this item, from the message that named it, and the nearest sizes it offers."""
    item.reason = _reason_for(item.product_sku, said)
    if item.reason is None:
        return
    offered = OFFERED_SIZES.search(item.reason)
    size = CODE_SIZE.match(item.product_sku.strip())
    if offered is None or size is None:
        return
    prefix, width, height, rest = size.groups()
    wanted = portrait(Decimal(width), Decimal(height))
    sizes = [
        portrait(*map(Decimal, pair.lower().split("x"))) for pair in re.split(r",\s*", offered.group(1).strip(", "))
    ]
    nearest = sorted(sizes, key=lambda s: abs(s[0] - wanted[0]) + abs(s[1] - wanted[1]))[:NEAREST_CHOICES]
    rotate = Decimal(width) > Decimal(height)
    item.try_instead = [
        f"{prefix}{_inches(h if rotate else w)}X{_inches(w if rotate else h)}{rest}" for w, h in nearest
    ]


def _reason_for(sku: str, said: str) -> str | None:
    """The text in parentheses after the SKU ("AP1P1 (no such virtual-inventory sku)"); FinerWorks lists every
    item it could not price that way. Parentheses inside the reason are kept whole."""
    start = said.upper().find(sku.strip().upper() + " (")
    if start < 0:
        return None
    opened = start + len(sku.strip()) + 1
    depth = 0
    for index in range(opened, len(said)):
        depth += {"(": 1, ")": -1}.get(said[index], 0)
        if depth == 0:
            return said[opened + 1 : index]
    return None


def portrait(width: Decimal, height: Decimal) -> tuple[Decimal, Decimal]:
    return (width, height) if width <= height else (height, width)


def _inches(value: Decimal) -> str:
    return f"{value.normalize():f}"


async def _price(client: FinerWorksClient, chunk: Sequence[Numbered], account_key: str | None) -> _Priced:
    """One get_prices call, its answer already turned into quote lines: each chunk's lines are built while the
    other calls are still on their way, not all after the last one."""
    products = [{"product_sku": item.product_sku, "product_qty": item.product_qty} for _, item in chunk]
    request: dict[str, Any] = {"products": products}
    if account_key:
        request["account_key"] = account_key
    try:
        payload = await client.read("get_prices", body=request)
    except RequestRefused as refusal:
        # FinerWorks refuses a call in which it knows none of the items; the others are still worth quoting.
        return _Priced([], [_not_priced(numbered) for numbered in chunk], refusal.message, refusal.message)
    try:
        answer = Prices.model_validate({key: value for key, value in payload.items() if key != "status"})
    except ValidationError as error:
        raise MalformedResponse(
            f"The answer did not have the expected shape ({error.error_count()} problem(s)).", endpoint="get_prices"
        ) from error
    priced = _Priced([], [], said=_message(payload))
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
    width, height = (round(Decimal(side) * STAND_IN_PIXELS_PER_INCH) for side in size.groups()[1:3])
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
        delivery=_delivery(option.model_extra or {}),
    )


def _delivery(extra: dict[str, Any]) -> str | None:
    for field in DELIVERY_FIELDS:
        value = extra.get(field)
        if isinstance(value, int | float) and not isinstance(value, bool) and value > 0:
            return f"{value:g} day(s)"
        if isinstance(value, str) and value.strip():
            return value.strip()[:40]
    return None


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
        text.append("Not priced:")
        text += [f"  {_not_priced_text(item)}" for item in quote.not_priced[:TEXT_LINES]]
        if len(quote.not_priced) > TEXT_LINES:
            text.append(f"  ... and {len(quote.not_priced) - TEXT_LINES} more (all in the structured result).")
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
    """`1. Archival Matte Paper, Borderless, 16x20 in x3: $17.10 each, $51.30`: FinerWorks' name says what the
    code means, and the line number ties it to the request; the code and the add-on amounts are in the structured
    result. The SKU is shown only when FinerWorks gave no name."""
    # Add-ons the name already says ("framed in ...") are not repeated.
    extras = [name for name in line.add_ons or {} if name not in (line.name or "").lower()]
    with_ = f" with {', '.join(extras)}" if extras else ""
    price = _usd(line.total_price)
    if line.product_qty > 1:
        price = f"{_usd(line.unit_price)} each, {price}"
    return f"{line.line}. {line.name or line.product_sku} x{line.product_qty}: {price}{with_}"


def _not_priced_text(item: NotPriced) -> str:
    reason = item.reason or "FinerWorks does not know it"
    if item.try_instead:
        # The nearest offered codes say more, in fewer words, than FinerWorks' full list of sizes.
        reason = OFFERED_SIZES.sub("", reason).rstrip("; ,") + f"; nearest: {', '.join(item.try_instead)}"
    return f"line {item.line} {item.product_sku}: {reason}"


def _shipping_text(option: QuotedShipping) -> str:
    mark = "[chosen] " if option.chosen else ""
    name = " ".join(part for part in (option.shipping_code, option.shipping_method) if part)
    tax = f" + tax {_usd(option.sales_tax)}" if option.sales_tax else ""
    discount = f" - discount {_usd(option.discount)}" if option.discount else ""
    delivery = f", delivery {option.delivery}" if option.delivery else ""
    return f"{mark}{name}: shipping {_usd(option.rate)}{tax}{discount} = total {_usd(option.grand_total)}{delivery}"
