"""Event tools: the account's event log (needs a key with that permission)."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from finerworks_mcp.api.answers import request_body
from finerworks_mcp.api.schemas.common import PageNumber, PerPage, SortDirection
from finerworks_mcp.api.schemas.events import EventDetails, EventName, Events, EventSortField, EventType, SiteId
from finerworks_mcp.guard import Proposal
from finerworks_mcp.mcp.context import Ctx
from finerworks_mcp.mcp.tools.base import Toolset, fetch
from finerworks_mcp.mcp.tools.guarded import propose

events = Toolset("events", "the account's event log")


@events.read("List event logs")
async def list_event_logs(
    ctx: Ctx,
    type: EventType | None = None,
    search_term: Annotated[str | None, Field(max_length=200, description="Matches name or details.")] = None,
    page_number: PageNumber | None = None,
    per_page: PerPage | None = None,
    sort_field: EventSortField | None = None,
    sort_direction: SortDirection | None = None,
) -> Events:
    """The account's logged errors, warnings and successes; needs a key with event-log permission."""
    return await fetch(
        ctx,
        "list_event_logs",
        Events,
        json=request_body(
            type=type,
            search_term=search_term,
            page_number=page_number,
            per_page=per_page,
            sort_field=sort_field,
            sort_direction=sort_direction,
        ),
    )


@events.write("Add event", destructive=False)
async def add_event(ctx: Ctx, type: EventType, name: EventName, details: EventDetails, site_id: SiteId = 1) -> Proposal:
    """Propose logging an event (error, warning, success or other) to the account's event log."""
    return await propose(ctx, "add_event", request_body(type=type, name=name, details=details, site_id=site_id))
