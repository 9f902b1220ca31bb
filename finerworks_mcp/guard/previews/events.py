"""Preview of add_event: the entry as it would appear in the account's event log."""

from __future__ import annotations

from typing import Any

from finerworks_mcp.api.client import FinerWorksClient
from finerworks_mcp.api.schemas.events import SITE_NAMES, NewEvent
from finerworks_mcp.guard.core import Preview
from finerworks_mcp.guard.previews.common import quote, summary
from finerworks_mcp.guard.writes import previewer


@previewer("add_event", check=lambda body: f"list_event_logs with search_term {body['name']!r}", recheck=False)
async def preview_add_event(client: FinerWorksClient, body: Any) -> Preview:
    event = NewEvent.model_validate(body)
    site = SITE_NAMES.get(event.site_id, f"site {event.site_id}")
    return Preview(
        summary=summary(client, f"Log {event.type} event {quote(event.name)} in the {site} event log"),
        details={"type": event.type, "name": event.name, "details": event.details, "site": site},
    )
