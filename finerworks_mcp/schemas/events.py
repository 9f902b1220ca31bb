"""Event logs: the account's recorded errors, warnings and successes."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from finerworks_mcp.schemas.common import Page, Upstream

EventType = Literal["error", "warning", "success", "other"]
EventSortField = Literal["id", "name", "type"]


class Event(Upstream):
    id: int | None = None
    type: str | None = None
    name: str | None = None
    details: str | None = None
    site_id: int | None = None
    date_time: str | None = None


class Events(Page):
    events: list[Event] = Field(default_factory=list[Event])
