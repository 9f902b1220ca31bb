"""The guard's vocabulary: what a previewer computes about a proposed write, and the answers the guard gives.

The state machine that produces these answers is `guard.machine.Guard`.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from finerworks_mcp.api.schemas.common import Answer
from finerworks_mcp.guard.errors import GuardError
from finerworks_mcp.guard.store import ActionState, PendingAction

NEXT_STEP = (
    "Show the summary to the person and wait for their explicit yes; only then call confirm_action with this "
    "exact token. If they say no, call cancel_action."
)
BLOCKED_STEP = "Nothing can be confirmed: tell the person what blocks it, fix the request, and call this tool again."


class Preview(BaseModel):
    """What a previewer computed, with reads only, about a proposed write."""

    summary: str
    details: dict[str, Any] = Field(default_factory=dict)
    blockers: list[str] = Field(default_factory=list)
    fingerprint: str | None = None
    """A value that must be unchanged at confirm time (for orders: the grand total)."""


class Proposal(Answer):
    """The answer of every write tool: nothing was sent; this is what would be."""

    confirmation_required: bool
    confirmation_token: str | None = None
    expires_at: str | None = None
    environment: str
    summary: str
    preview: dict[str, Any]
    blocked_by: list[str] = Field(default_factory=list)
    next: str


class ActionResult(Answer):
    executed: bool
    status: Literal["executed", "declined", "changed"]
    environment: str
    summary: str
    message: str
    result: dict[str, Any] | None = None
    """FinerWorks' answer, when the write ran."""
    new_proposal: Proposal | None = None
    """When something changed since the preview: the fresh preview and its token."""


class Cancelled(BaseModel):
    cancelled: bool
    summary: str


class PendingSummary(BaseModel):
    confirmation_token: str
    tool: str
    summary: str
    expires_at: str
    status: Literal["pending", "being_confirmed", "outcome_unknown"] = "pending"
    check: str | None = None
    """For an outcome unknown: the read that tells whether the change happened."""


class PendingActions(BaseModel):
    actions: list[PendingSummary]
    page: int = 1
    pages: int = 1
    count: int = 0
    """Open actions of this client across all pages."""


class TokenRefused(GuardError):
    """A token that cannot confirm anything; the message says which case and what to do. `settled` is the action
    when the token was already used up (so a caller can say what would undo it)."""

    def __init__(self, message: str, settled: PendingAction | None = None) -> None:
        super().__init__(message)
        self.settled = settled


class OutcomeUnknown(GuardError):
    """The request left and no clear answer came back; the message names the read that tells."""


FINAL_STATE_MESSAGES: dict[ActionState, str] = {
    "claimed": "is being confirmed by another call right now; it will run at most once. Check its result",
    "executed": "was already used: the action ran. It cannot run twice",
    "failed": "was already used: FinerWorks refused the action. Call the write tool again for a fresh preview",
    "outcome_unknown": "was already used and its outcome is unknown. Check FinerWorks before trying again",
    "declined": "was declined by the person; nothing was sent. Call the write tool again if they change their mind",
    "cancelled": "was cancelled; nothing was sent. Call the write tool again if the person changes their mind",
    "superseded": "was replaced by a newer preview with its own token; use that one",
    "expired": "has expired; nothing was sent. Call the write tool again for a fresh preview and token",
}


def iso(timestamp: float) -> str:
    return datetime.fromtimestamp(timestamp, UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
