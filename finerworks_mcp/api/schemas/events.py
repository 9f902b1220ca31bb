"""Event logs: the account's recorded errors, warnings and successes."""

from typing import Annotated, Literal

from pydantic import Field

from finerworks_mcp.api.schemas.common import Page, Strict, Upstream

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


SITE_NAMES = {1: "FinerWorks", 2: "EZCanvas", 3: "GeoGalleries"}
EventName = Annotated[str, Field(min_length=1, max_length=50)]
EventDetails = Annotated[str, Field(min_length=1, max_length=4000)]
SiteId = Annotated[int, Field(ge=1, le=3, description="1 FinerWorks, 2 EZCanvas, 3 GeoGalleries.")]


class NewEvent(Strict):
    type: EventType
    name: str
    details: str
    site_id: int
