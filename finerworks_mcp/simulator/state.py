"""Everything the simulator remembers, seeded the same way on every construction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from finerworks_mcp.api.endpoints import WRITE_ENDPOINTS

from . import seed
from .dates import Clock, wall_clock
from .faults import Faults
from .fulfilment import advance_order
from .product_codes import ProductCode, code_problem, is_sku, parse_product_code
from .records import Event, Image, Order, OrderStatus, Product
from .shipping import AccountTerms


@dataclass(frozen=True, slots=True)
class RecordedRequest:
    """One request as it reached the simulator, faulted or not."""

    method: str
    endpoint: str
    """The endpoint name for `/v3/<name>` paths, else the path itself."""
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    """Names lower-cased."""
    body: Any
    """The parsed JSON body, or None when there was none or it was not JSON."""
    fault: str | None = None
    """The fault kind that shaped the answer (an answer-replacing one over latency), or None."""

    @property
    def writes(self) -> bool:
        return self.endpoint in WRITE_ENDPOINTS


@dataclass(frozen=True, slots=True)
class Resolved:
    """What a `product_sku` (inventory SKU or product code) names."""

    requested: str
    code: ProductCode | None
    product: Product | None = None
    problem: str | None = None


class SimulatorState:
    """All mutable simulator state. Construct a fresh one per test; `clock` sets the time new records get."""

    def __init__(self, *, clock: Clock | None = None) -> None:
        self.clock: Clock = clock or wall_clock
        self.faults = Faults()
        self.requests: list[RecordedRequest] = []
        self.user: dict[str, Any] = seed.user_account()
        self.app_details: dict[str, Any] = seed.app_details()
        self.images: dict[str, Image] = {image.guid: image for image in seed.images()}
        self.products: dict[str, Product] = {p.sku: p for p in seed.products(list(self.images.values()))}
        codes = {sku: product.product_code for sku, product in self.products.items()}
        self.orders: dict[int, Order] = {order.order_id: order for order in seed.orders(codes)}
        self.file_selections: dict[str, list[str]] = seed.selections()
        self.events: list[Event] = seed.events()
        self.terms = AccountTerms()
        self._last_ids = {
            "order": max(self.orders),
            "confirmation": max(o.order_confirmation_id for o in self.orders.values()),
            "image": max(image.id for image in self.images.values()),
            "product": max(p.id for p in self.products.values()),
            "event": max(e.id for e in self.events),
            "reference": 0,
        }

    def now(self) -> datetime:
        return self.clock()

    def next_id(self, kind: str) -> int:
        self._last_ids[kind] += 1
        return self._last_ids[kind]

    def next_reference_id(self) -> str:
        return f"SIM-{self.next_id('reference'):06d}"

    def record(self, request: RecordedRequest) -> RecordedRequest:
        self.requests.append(request)
        return request

    def requests_for(self, endpoint: str) -> list[RecordedRequest]:
        return [r for r in self.requests if r.endpoint == endpoint]

    @property
    def write_requests(self) -> list[RecordedRequest]:
        """Requests to endpoints that change state: empty when nothing was (even attempted to be) written."""
        return [r for r in self.requests if r.writes]

    def products_of(self, image_guid: str) -> list[Product]:
        return [p for p in self.products.values() if p.image_guid == image_guid]

    def live_order_with_po(self, order_po: str) -> Order | None:
        """The order holding this PO; a cancelled order frees its PO for resubmission."""
        return next(
            (o for o in self.orders.values() if o.order_po == order_po and o.status is not OrderStatus.CANCELLED),
            None,
        )

    def resolve(self, product_sku: str) -> Resolved:
        text = product_sku.strip()
        if is_sku(text):
            product = self.products.get(text)
            if product is None:
                return Resolved(text, None, problem="no such virtual-inventory sku")
            return Resolved(text, product.code, product)
        code = parse_product_code(text)
        if code is None:
            return Resolved(text, None, problem="neither a product code nor a virtual-inventory sku")
        problem = code_problem(code)
        return Resolved(text, None if problem else code, problem=problem)

    def advance(self, order_id: int | None = None) -> list[int]:
        """Move one order (or every order in production's path) a step on: Order Received → In Production →
        Shipped (with a shipment) → Delivered. Returns the ids that moved; held or cancelled orders stay put."""
        if order_id is not None and order_id not in self.orders:
            raise KeyError(f"no order {order_id}")
        chosen = [self.orders[order_id]] if order_id is not None else list(self.orders.values())
        now = self.now()
        return [order.order_id for order in chosen if advance_order(order, now)]
