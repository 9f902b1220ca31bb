"""Nothing changes at FinerWorks unless a person confirmed it.

Write tools call `propose`: the request is built and previewed with reads only, stored as a pending action, and a
signed single-use token comes back. `confirm_action` runs exactly that request once; `cancel_action` drops it.
Modules: `tokens` (signing), `store` and `stores/` (pending actions and the single-use ledger: memory, SQLite,
Redis), `audit` (JSON lines), `core` (the Guard), `errors` (what a refused or failed action says), `writes` (the
registry of per-endpoint previewers, `@previewer`), `previews/` (one module of previewers per area), `factory`
(building a Guard from settings). It sits on `api` and never imports MCP: the mcp layer turns its errors into tool
results.
"""

from finerworks_mcp.guard.core import Guard, Preview, Proposal, TokenRefused
from finerworks_mcp.guard.errors import GuardError
from finerworks_mcp.guard.factory import build_guard
from finerworks_mcp.guard.previews import AREAS
from finerworks_mcp.guard.writes import write_spec

__all__ = [
    "AREAS",  # importing guard.previews registers every previewer
    "Guard",
    "GuardError",
    "Preview",
    "Proposal",
    "TokenRefused",
    "build_guard",
    "write_spec",
]
