"""`finerworks-mcp check --contract`: ask the real FinerWorks sandbox whether our models still describe it (issue 12).

Our simulator was written from the same reference as our client, so it cannot tell where the reference is wrong.
This can: with the person's own sandbox keys it calls every read endpoint once and `submit_orders_v2` with
`validate_only` (FinerWorks checks the order and creates nothing), and prints per endpoint whether it answered and
which fields differ from our models. It changes nothing, refuses any production host, and without keys says it was
skipped (exit 3), never a silent pass. It is a command for people with keys; the test run (.ci/run) never calls it.
"""

from __future__ import annotations

import os
import sys
import uuid
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from types import UnionType
from typing import Any, TextIO, Union, cast, get_args, get_origin
from urllib.parse import urlsplit

import anyio
from pydantic import BaseModel, ValidationError

from finerworks_mcp.api.client import FinerWorksClient
from finerworks_mcp.api.errors import FinerWorksError, FinerWorksRefusal
from finerworks_mcp.api.schemas.account import Account
from finerworks_mcp.api.schemas.catalog import MediaTypes, Prices, ProductDetails, ProductTypes, StyleTypes
from finerworks_mcp.api.schemas.common import UNPARSED, is_list_annotation
from finerworks_mcp.api.schemas.events import Events
from finerworks_mcp.api.schemas.framing import Collections, FrameDetails, FramePackage, GlazingOptions, Mats
from finerworks_mcp.api.schemas.images import FileSelection, Images
from finerworks_mcp.api.schemas.inventory import Inventory
from finerworks_mcp.api.schemas.orders import AddressCheck, OrderStatuses, ShippingOptions, StatusDefinitions
from finerworks_mcp.config import load_settings
from finerworks_mcp.offline import upstream
from finerworks_mcp.settings import ConfigError, Environment, Settings

EXIT_PASSED, EXIT_DIFFERENCES, EXIT_REFUSED, EXIT_SKIPPED = 0, 1, 2, 3
PRODUCTION_HOSTS = frozenset({"api.finerworks.com", "v2.api.finerworks.com"})
FALLBACK_PRODUCT_CODE = "AP1234P1234"
"""The documentation's example, used when the sandbox account has no inventory product to take a code from."""
MAX_SHOWN = 8

# A made-up recipient FinerWorks can quote and validate; nothing is ever sent to it.
RECIPIENT: dict[str, Any] = {
    "first_name": "Contract",
    "last_name": "Check",
    "address_1": "2100 Guadalupe St",
    "city": "Austin",
    "state_code": "TX",
    "zip_postal_code": "78705",
    "country_code": "us",
}


UNMODELLED = ": not in our model"


@dataclass(slots=True)
class Outcome:
    endpoint: str
    answered: str
    differences: list[str] = field(default_factory=list[str])

    @property
    def problems(self) -> list[str]:
        """Differences our reading had to tolerate (case, nulls, shapes) or could not read."""
        return [d for d in self.differences if not d.endswith(UNMODELLED)]

    @property
    def unmodelled(self) -> list[str]:
        """Fields FinerWorks sends that we pass through without a model: harmless, worth knowing."""
        return [d.removesuffix(UNMODELLED) for d in self.differences if d.endswith(UNMODELLED)]

    @property
    def failed(self) -> bool:
        return not self.answered.startswith(("yes", "refused"))


Call = Callable[[FinerWorksClient, str], Awaitable[dict[str, Any]]]


def _order(code: str) -> dict[str, Any]:
    item = {"product_sku": code, "product_qty": 1, "product_image": {"pixel_width": 4000, "pixel_height": 5000}}
    po = f"CONTRACT-{uuid.uuid4().hex[:8]}"
    return {"order_po": po, "recipient": RECIPIENT, "order_items": [item], "shipping_code": "SD"}


def probes(code: str, frame_id: int) -> list[tuple[str, type[BaseModel], Call]]:
    """Every read endpoint once, then the order dry run; each with the model our tools read its answer with."""

    def read(body: Any = None, params: dict[str, str] | None = None) -> Call:
        return lambda client, endpoint: client.read(endpoint, params=params, body=body)

    order = _order(code)
    return [
        ("test_my_credentials", Account, read()),
        ("get_user", Account, read()),
        ("list_order_status_definitions", StatusDefinitions, read()),
        ("list_file_selection", FileSelection, read(params={"guid": str(uuid.uuid4())})),
        ("fetch_order_status", OrderStatuses, read({"order_ids": [], "order_pos": [order["order_po"]]})),
        ("list_shipping_options_multiple", ShippingOptions, read({"orders": [order]})),
        ("validate_recipient_address", AddressCheck, read({"recipient": RECIPIENT})),
        ("get_prices", Prices, read({"products": [{"product_sku": code, "product_qty": 1}]})),
        ("get_product_details", ProductDetails, read([{"product_sku": code, "product_qty": 1}])),
        ("list_images", Images, read({"library": {"name": "inventory"}, "per_page": 5, "list_products": True})),
        ("list_virtual_inventory", Inventory, read({"per_page": 5})),
        ("list_event_logs", Events, read({"per_page": 5})),
        ("list_product_types", ProductTypes, read({})),
        ("list_media_types", MediaTypes, read({})),
        ("list_style_types", StyleTypes, read({})),
        ("list_collections", Collections, read({})),
        ("frame_details", FrameDetails, read({"id": frame_id})),
        ("list_mats", Mats, read({})),
        ("list_glazing", GlazingOptions, read({})),
        (
            "frame_builder",
            FramePackage,
            read({"product_code": code, "config": {"frame_id": frame_id, "width": 16, "height": 20, "units": 0}}),
        ),
        (
            "submit_orders_v2",
            OrderStatuses,
            lambda client, endpoint: client.validate(endpoint, {"orders": [order], "payment_token": "xxxx"}),
        ),
    ]


def _model_in(annotation: Any) -> tuple[type[BaseModel] | None, bool]:
    """The model a field holds (directly or as a list of it), and whether it is a list."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation, False
    origin = get_origin(annotation)
    if origin is list:
        inner, _ = _model_in(get_args(annotation)[0])
        return inner, True
    if origin in (Union, UnionType):
        for arg in get_args(annotation):
            inner, is_list = _model_in(arg)
            if inner is not None:
                return inner, is_list
    return None, False


def differences(model: type[BaseModel], answer: Any, path: str = "") -> list[str]:
    """How an answer differs from the model we read it with: keys we do not model, keys in another case, null lists,
    values of another shape; nested models are compared on their first item."""
    if not isinstance(answer, dict):
        return [f"{path or 'answer'}: not an object ({type(answer).__name__})"]
    found: list[str] = []
    fields = model.model_fields
    lowered = {name.lower(): name for name in fields}
    for key, value in cast(dict[str, Any], answer).items():
        where = f"{path}{key}"
        if key == "status" and not path:
            continue
        name = key if key in fields else lowered.get(key.lower())
        if name is None:
            found.append(f"{where}{UNMODELLED}")
            continue
        if name != key:
            found.append(f"{where}: key case differs (we read {name})")
        annotation = fields[name].annotation
        if value is None and is_list_annotation(annotation):
            found.append(f"{where}: null where we expect a list")
        inner, is_list = _model_in(annotation)
        items: list[Any] = cast(list[Any], value) if isinstance(value, list) else [value]
        if inner is not None and value is not None and items:
            found += differences(inner, items[0] if is_list else value, f"{where}{'[0]' if is_list else ''}.")
    try:
        parsed = model.model_validate({k: v for k, v in cast(dict[str, Any], answer).items() if k != "status"})
        unparsed: dict[str, Any] = (parsed.model_extra or {}).get(UNPARSED) or {}
        found += [f"{path}{key}: shape differs from our model (kept as data)" for key in unparsed]
    except ValidationError as error:
        found += [f"{path}{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors()[:MAX_SHOWN]]
    return found


def refusal(settings: Settings) -> str | None:
    """Why these settings must not be contract-checked, or None: only the sandbox (or a simulator) is asked."""
    host = urlsplit(settings.api_base).hostname or ""
    if settings.env is Environment.PRODUCTION or host in PRODUCTION_HOSTS:
        return (
            f"The contract check runs against the sandbox only, and {settings.api_base} is production. "
            "Set FINERWORKS_ENV=sandbox with your sandbox keys (and no production FINERWORKS_BASE_URL)."
        )
    return None


async def _product_code(client: FinerWorksClient) -> str:
    try:
        listed = await client.read("list_virtual_inventory", body={"per_page": 1})
    except FinerWorksError:
        return FALLBACK_PRODUCT_CODE
    code = _first(listed, "products").get("product_code")
    return str(code) if code else FALLBACK_PRODUCT_CODE


def _first(answer: Mapping[str, Any], key: str) -> dict[str, Any]:
    """The first item of a list in an answer, whatever the key's case; empty when there is none."""
    items = next((value for name, value in answer.items() if name.lower() == key), None)
    first = cast(list[Any], items)[0] if isinstance(items, list) and items else None
    return cast(dict[str, Any], first) if isinstance(first, dict) else {}


async def _frame_id(client: FinerWorksClient) -> int:
    """A frame the account can see: the first of the first collection (frames are listed per collection)."""
    try:
        collection = _first(await client.read("list_collections", body={}), "collections")
        if "id" not in collection:
            return 1
        frame = _first(await client.read("list_collections", body={"id": collection["id"]}), "collections")
        first_frame = _first(frame, "frames")
        return int(first_frame.get("id") or 1)
    except (FinerWorksError, TypeError, ValueError):
        return 1


async def check_contract(client: FinerWorksClient) -> list[Outcome]:
    outcomes: list[Outcome] = []
    for endpoint, model, call in probes(await _product_code(client), await _frame_id(client)):
        try:
            answer = await call(client, endpoint)
        except FinerWorksRefusal as error:
            outcomes.append(Outcome(endpoint, f"refused: {error.message}"))
            continue
        except FinerWorksError as error:
            outcomes.append(Outcome(endpoint, f"NO ({type(error).__name__}: {error.message})"))
            continue
        outcomes.append(Outcome(endpoint, "yes", differences(model, answer)))
    return outcomes


def _listed(items: list[str]) -> str:
    shown = items[:MAX_SHOWN]
    more = len(items) - len(shown)
    return "; ".join(shown) + (f"; and {more} more" if more else "") if shown else "none"


def table(outcomes: list[Outcome]) -> str:
    """One line per endpoint: answered; fields that differ from our models; fields we do not model (passed through)."""
    width = max(len(o.endpoint) for o in outcomes)
    lines = [f"{'endpoint':<{width}}  answered  differs from our models / fields we do not model", "-" * (width + 60)]
    for outcome in outcomes:
        answered = "yes" if outcome.answered == "yes" else outcome.answered[:70]
        lines.append(f"{outcome.endpoint:<{width}}  {answered:<8}  {_listed(outcome.problems)}")
        if outcome.unmodelled:
            lines.append(f"{'':<{width}}  {'':<8}  not modelled: {_listed(outcome.unmodelled)}")
    return "\n".join(lines)


def run_contract(environ: Mapping[str, str] | None = None, out: TextIO | None = None) -> int:
    """The command: exit 0 all answered as modelled, 1 differences or failures, 2 refused (production), 3 skipped."""
    source = os.environ if environ is None else environ
    shown: TextIO = out if out is not None else sys.stdout
    keyless = not (source.get("FINERWORKS_WEB_API_KEY", "").strip() and source.get("FINERWORKS_APP_KEY", "").strip())
    if keyless and source.get("FINERWORKS_ENV", "").strip().lower() != "simulator":
        print(
            "Contract check SKIPPED: no FinerWorks keys. Set FINERWORKS_WEB_API_KEY and FINERWORKS_APP_KEY to "
            "your sandbox keys (FinerWorks > My Account > Web API) and run again. Nothing was checked.",
            file=shown,
        )
        return EXIT_SKIPPED
    try:
        settings = load_settings(source)
    except ConfigError as error:
        print(f"Contract check not run: {error}", file=shown)
        return EXIT_REFUSED
    refused = refusal(settings)
    if refused is not None:
        print(f"Contract check REFUSED: {refused} Nothing was sent.", file=shown)
        return EXIT_REFUSED
    return anyio.run(_run, settings, shown)


async def _run(settings: Settings, out: TextIO) -> int:
    print(f"Contract check against {settings.api_base} (reads, and submit_orders_v2 with validate_only).", file=out)
    async with FinerWorksClient(settings, **upstream(settings)) as client:
        outcomes = await check_contract(client)
    print(table(outcomes), file=out)
    failed = [o.endpoint for o in outcomes if o.failed]
    differing = [o.endpoint for o in outcomes if o.problems]
    if failed:
        print(f"\nNo answer from: {', '.join(failed)}.", file=out)
    print(
        f"\n{len(outcomes) - len(failed)} of {len(outcomes)} endpoints answered; "
        f"{len(differing)} differ from our models. Nothing was changed at FinerWorks.",
        file=out,
    )
    return EXIT_DIFFERENCES if failed or differing else EXIT_PASSED
