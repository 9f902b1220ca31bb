"""Nothing changes at FinerWorks unless a person confirmed it.

Write tools call `propose`: the request is built and previewed with reads only, stored as a pending action, and a
signed single-use token comes back. `confirm_action` runs exactly that request once; `cancel_action` drops it.
Modules: `tokens` (signing), `binding` (where an action may run), `store` (pending actions and the single-use
ledger; `stores/` the shared ones), `audit` (JSON lines), `core` (previews and the answers), `machine` (the Guard:
propose, confirm, cancel, pending), `writes` (the registry of per-endpoint previewers, `@previewer`), `previews/`
(one module of previewers per area), `journal` and `aftermath` (what a confirm answer says it changed), `factory`
(building a Guard from settings), `errors` (GuardError). It sits on `api` and never imports MCP: the mcp layer
turns its errors into tool results.
"""

from finerworks_mcp.guard.core import (
    ActionResult,
    Cancelled,
    PendingActions,
    PendingSummary,
    Preview,
    Proposal,
    TokenRefused,
)
from finerworks_mcp.guard.errors import GuardError
from finerworks_mcp.guard.factory import build_guard
from finerworks_mcp.guard.machine import Consent, Guard
from finerworks_mcp.guard.previews import AREAS
from finerworks_mcp.guard.writes import write_spec

__all__ = [
    "AREAS",  # importing guard.previews registers every previewer
    "ActionResult",
    "Cancelled",
    "Consent",
    "Guard",
    "GuardError",
    "PendingActions",
    "PendingSummary",
    "Preview",
    "Proposal",
    "TokenRefused",
    "build_guard",
    "write_spec",
]
