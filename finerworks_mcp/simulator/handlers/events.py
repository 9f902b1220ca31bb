"""Event logs ("requires special permission" at FinerWorks; the simulator grants it)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from finerworks_mcp.simulator.call import Call
from finerworks_mcp.simulator.envelope import Reply
from finerworks_mcp.simulator.paging import paginate, paging_rules
from finerworks_mcp.simulator.records import EVENT_TYPES, Event
from finerworks_mcp.simulator.rules import EVENT, LIST_EVENTS
from finerworks_mcp.simulator.state import SimulatorState
from finerworks_mcp.simulator.validation import Rule

EVENT_SORTS: dict[str, Callable[[Event], Any]] = {
    "id": lambda e: e.id,
    "name": lambda e: (e.name.lower(), e.id),
    "type": lambda e: (e.type, e.id),
}


def list_event_logs(state: SimulatorState, call: Call) -> Reply:
    body = call.validated((*LIST_EVENTS, Rule("type", choices=EVENT_TYPES), *paging_rules(EVENT_SORTS)))
    kind = str(body.get("type") or "").lower()
    term = str(body.get("search_term") or "").lower()
    matching = [
        e
        for e in state.events
        if (not kind or e.type == kind) and (not term or term in f"{e.name}\n{e.details}".lower())
    ]
    page, paging = paginate(matching, body, EVENT_SORTS)
    return Reply({"events": [e.as_json() for e in page], **paging})


def add_event(state: SimulatorState, call: Call) -> Reply:
    body = call.validated(EVENT)
    kind = str(body.get("type") or "").lower()
    event = Event(
        id=state.next_id("event"),
        type=kind if kind in EVENT_TYPES else "other",
        name=body["name"],
        details=body["details"],
        account_id=body.get("account_id") or state.user["account_id"],
        site_id=body["site_id"],
        date_time=state.now(),
    )
    state.events.append(event)
    return Reply({"event": event.as_json()})


HANDLERS = {"list_event_logs": list_event_logs, "add_event": add_event}
