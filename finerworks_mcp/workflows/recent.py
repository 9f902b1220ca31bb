"""Recent orders without an id: FinerWorks has no endpoint that lists an account's orders, so the list is made of
what the server can know: the orders it submitted (its journal, guard/journal.py) and the orders the account's
event log names. Each is then looked up with fetch_order_status for its status and shipments."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from finerworks_mcp.api.answers import read_answer
from finerworks_mcp.api.client import FinerWorksClient
from finerworks_mcp.api.errors import FinerWorksError
from finerworks_mcp.api.money import number, usd
from finerworks_mcp.api.reference import ReferenceData
from finerworks_mcp.api.schemas.events import Event, Events
from finerworks_mcp.guard.journal import KnownOrder, OrderJournal
from finerworks_mcp.workflows.lookup import lookup_orders
from finerworks_mcp.workflows.results import OrderLookup, OrderWhereabouts

EVENTS_READ = 50
"""The newest event-log entries read for order mentions: one page, FinerWorks' largest."""
PO_IN_TEXT = re.compile(r"\bPO[-_#][A-Za-z0-9][\w-]*", re.IGNORECASE)
"""How event details name a PO ("PO-1004 submitted through the API"); FinerWorks publishes no format."""
SUBMITTED_HERE = "submitted through this server"


@dataclass(frozen=True, slots=True)
class RecentFilter:
    search: str | None = None
    since: date | None = None
    until: date | None = None
    limit: int = 10


@dataclass(slots=True)
class _Candidate:
    order_po: str
    moment: datetime | None
    seen_in: str
    total: Decimal | None = None


async def recent_orders(
    client: FinerWorksClient,
    reference: ReferenceData,
    journal: OrderJournal,
    wanted: RecentFilter,
    *,
    concurrency: int,
    account_key: str | None,
) -> OrderLookup:
    found: dict[str, _Candidate] = {}
    for known in journal.read():
        _keep(found, _Candidate(known.order_po, _moment(known.submitted), SUBMITTED_HERE, _total(known)))
    events, unread = await _events(client, wanted.search)
    for event in events:
        for po in dict.fromkeys(PO_IN_TEXT.findall(event.details or "")):
            _keep(found, _Candidate(po, _moment(event.date_time), f"event log: {event.name or 'event'}"))
    chosen = sorted((c for c in found.values() if _matches(c, wanted)), key=lambda c: c.moment or _EPOCH, reverse=True)[
        : wanted.limit
    ]
    lookup = await lookup_orders(
        client,
        reference,
        [],
        [c.order_po for c in chosen],
        concurrency=concurrency,
        account_key=account_key,
    )
    by_po = {c.order_po: c for c in chosen}
    for order in lookup.orders:
        candidate = by_po.get(order.order_po or "")
        if candidate is not None:
            _annotate(order, candidate)
    lookup.orders.sort(key=lambda o: o.date or "", reverse=True)
    lookup.source = (
        f"Recent orders, newest first: those {SUBMITTED_HERE} and those named in the account's "
        f"{EVENTS_READ} newest event-log entries"
        + (f" mentioning '{wanted.search}'" if wanted.search else "")
        + "; dates are when it was submitted or the event was logged."
    )
    lookup.cannot_see = (
        "FinerWorks has no endpoint that lists orders: orders placed on its website or through shop integrations "
        "that no event names are not here; look those up by order id or PO."
        + (f" The event log could not be read ({unread})." if unread else "")
    )
    return lookup


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _keep(found: dict[str, _Candidate], candidate: _Candidate) -> None:
    """One entry per PO: the newest sighting's date, the submission's total (which only the journal knows)."""
    current = found.get(candidate.order_po)
    if current is None:
        found[candidate.order_po] = candidate
        return
    if (candidate.moment or _EPOCH) > (current.moment or _EPOCH) and current.seen_in != SUBMITTED_HERE:
        current.moment, current.seen_in = candidate.moment, candidate.seen_in
    current.total = current.total or candidate.total


async def _events(client: FinerWorksClient, search: str | None) -> tuple[list[Event], str | None]:
    request: dict[str, Any] = {"page_number": 1, "per_page": EVENTS_READ, "sort_field": "id", "sort_direction": "DESC"}
    if search:
        request["search_term"] = search
    try:
        return (await read_answer(client, "list_event_logs", Events, body=request)).events, None
    except FinerWorksError as error:
        # FinerWorks grants the event log only with special permission: the journal still answers.
        return [], error.message


def _matches(candidate: _Candidate, wanted: RecentFilter) -> bool:
    if wanted.search and wanted.search.lower() not in candidate.order_po.lower():
        return False
    day = candidate.moment.date() if candidate.moment else None
    if wanted.since and (day is None or day < wanted.since):
        return False
    return not (wanted.until and (day is None or day > wanted.until))


def _annotate(order: OrderWhereabouts, candidate: _Candidate) -> None:
    order.date = candidate.moment.date().isoformat() if candidate.moment else None
    order.seen_in = candidate.seen_in
    order.total = number(candidate.total) if candidate.total is not None else None


def _moment(text: str | None) -> datetime | None:
    """FinerWorks' `2025-01-27T21:26:10.2051371-06:00` (seven fractional digits) or any ISO 8601 moment."""
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(re.sub(r"\.\d+", "", text.strip()).replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _total(known: KnownOrder) -> Decimal | None:
    return usd(known.total) if known.total is not None else None
