"""Nothing changes at FinerWorks unless a person confirmed it.

Write tools call `propose`: the request is built and previewed with reads only, stored as a pending action, and a
signed single-use token comes back. `confirm_action` runs exactly that request once; `cancel_action` drops it.
Modules: `tokens` (signing), `binding` (where an action may run), `store` (pending actions and the single-use
ledger; `stores/` the shared ones), `audit` (JSON lines), `core` (previews and the answers), `machine` (the Guard:
propose, confirm, cancel, pending), `writes` (per-endpoint previewers), `factory` (building a Guard from settings).
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
