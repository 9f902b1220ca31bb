"""What every tool call can reach: the lifespan's state, typed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeAlias

from mcp.server.mcpserver import Context

from finerworks_mcp.api.client import FinerWorksClient
from finerworks_mcp.api.reference import ReferenceData
from finerworks_mcp.guard.machine import Guard
from finerworks_mcp.settings import Settings


@dataclass(frozen=True, slots=True)
class AppState:
    """Created once per server lifespan (per process on stdio, per connection with the in-memory client)."""

    settings: Settings
    client: FinerWorksClient
    guard: Guard | None
    """None when the server offers no writes (read-only, or only read toolsets)."""
    reference: ReferenceData
    """The reference-data cache; like the guard, one per server, shared by every connection."""


Ctx: TypeAlias = Context[AppState, Any]


def app_state(ctx: Ctx) -> AppState:
    return ctx.request_context.lifespan_context
