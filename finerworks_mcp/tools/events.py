"""Event tools: the account's event log (needs a key with that permission)."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from finerworks_mcp.context import Ctx
from finerworks_mcp.schemas.common import PageNumber, PerPage, SortDirection
from finerworks_mcp.schemas.events import Events, EventSortField, EventType
from finerworks_mcp.tools.base import Toolset, body, fetch

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
        json=body(
            type=type,
            search_term=search_term,
            page_number=page_number,
            per_page=per_page,
            sort_field=sort_field,
            sort_direction=sort_direction,
        ),
    )
