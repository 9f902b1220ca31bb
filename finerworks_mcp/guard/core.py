"""The guard: a write is proposed (previewed with reads only), then confirmed once, or not at all."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, Field

from finerworks_mcp.api.schemas.common import Answer
from finerworks_mcp.guard.audit import AuditLog
from finerworks_mcp.guard.store import ActionState, ActionStore, PendingAction
from finerworks_mcp.guard.tokens import TokenSigner, action_id_of, new_action_id, request_digest

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


class TokenRefused(Exception):
    """A token that cannot confirm anything; the message says which case and what to do. `settled` is the action
    when the token was already used up (so a caller can say what would undo it)."""

    def __init__(self, message: str, settled: PendingAction | None = None) -> None:
        super().__init__(message)
        self.settled = settled


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


class Guard:
    def __init__(
        self,
        *,
        environment: str,
        signer: TokenSigner,
        store: ActionStore,
        audit: AuditLog,
        ttl_seconds: float,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.environment = environment
        self.signer = signer
        self.store = store
        self.audit = audit
        self.ttl_seconds = ttl_seconds
        self.clock = clock

    async def propose(self, tool: str, endpoint: str, body: Any, preview: Preview) -> Proposal:
        digest = request_digest(endpoint, body, self.environment)
        if preview.blockers:
            self._audit("blocked", tool, digest, preview.summary, outcome="; ".join(preview.blockers))
            return Proposal(
                confirmation_required=False,
                environment=self.environment,
                summary=preview.summary,
                preview=preview.details,
                blocked_by=preview.blockers,
                next=BLOCKED_STEP,
            )
        now = self.clock()
        expires_at = float(int(now + self.ttl_seconds))
        action_id = new_action_id()
        token = self.signer.sign(action_id, digest, expires_at)
        action = PendingAction(
            id=action_id,
            token=token,
            tool=tool,
            endpoint=endpoint,
            body=body,
            digest=digest,
            environment=self.environment,
            summary=preview.summary,
            preview=preview.details,
            fingerprint=preview.fingerprint,
            created_at=now,
            expires_at=expires_at,
        )
        self._audit("previewed", tool, digest, preview.summary, action_id=action_id)
        await self.store.put(action)
        return Proposal(
            confirmation_required=True,
            confirmation_token=token,
            expires_at=iso(expires_at),
            environment=self.environment,
            summary=preview.summary,
            preview=preview.details,
            next=NEXT_STEP,
        )

    async def inspect(self, token: str) -> PendingAction:
        """The pending action a token approves, or TokenRefused saying why it approves nothing."""
        token = token.strip()
        action = await self.store.get(action_id_of(token))
        if action is None:
            raise TokenRefused(
                "This confirmation token is not known to this server (wrong token, or the server restarted). "
                "Call the write tool again for a fresh preview and token."
            )
        if not self.signer.verify(token, action.digest, action.expires_at):
            raise TokenRefused(
                "This confirmation token does not match its action: it was altered or mistyped. Use the exact "
                "token from the preview, or call the write tool again."
            )
        if action.state == "pending" and self.clock() >= action.expires_at:
            # Expire through the same atomic claim a confirmation uses, so a worker that claimed the action a moment
            # earlier keeps it (and its outcome) instead of having it overwritten as expired.
            if await self.store.claim(action.id) is not None:
                await self.store.finish(action.id, "expired")
                self._audit("expired", action.tool, action.digest, action.summary, action_id=action.id)
            action = await self.store.get(action.id) or action.model_copy(update={"state": "expired"})
        if action.state != "pending":
            expired_note = f" (at {iso(action.expires_at)})" if action.state == "expired" else ""
            raise TokenRefused(
                f"This confirmation token {FINAL_STATE_MESSAGES[action.state]}{expired_note}.", settled=action
            )
        return action

    async def claim(self, token: str, *, confirmed_by: str) -> PendingAction:
        """Take the action for execution; of two concurrent claims exactly one succeeds."""
        action = await self.inspect(token)
        claimed = await self.store.claim(action.id)
        if claimed is None:
            await self.inspect(token)  # raises with the state the winner left behind
            raise TokenRefused(f"This confirmation token {FINAL_STATE_MESSAGES['claimed']}.")
        self._audit(
            "confirmed", claimed.tool, claimed.digest, claimed.summary, action_id=claimed.id, confirmed_by=confirmed_by
        )
        return claimed

    async def finish(self, action: PendingAction, state: ActionState, outcome: str) -> None:
        await self.store.finish(action.id, state)
        self._audit(state, action.tool, action.digest, action.summary, action_id=action.id, outcome=outcome)

    async def end_unconfirmed(self, token: str, state: ActionState, outcome: str) -> PendingAction:
        """Decline or cancel: the action will never run."""
        action = await self.inspect(token)
        claimed = await self.store.claim(action.id)
        if claimed is None:
            await self.inspect(token)
            raise TokenRefused(f"This confirmation token {FINAL_STATE_MESSAGES['claimed']}.")
        await self.finish(claimed, state, outcome)
        return claimed

    async def pending(self) -> list[PendingAction]:
        now = self.clock()
        return [a for a in await self.store.list_pending() if a.expires_at > now]

    def _audit(self, event: str, tool: str, digest: str, summary: str, **fields: Any) -> None:
        self.audit.record(event, environment=self.environment, tool=tool, digest=digest, summary=summary, **fields)
