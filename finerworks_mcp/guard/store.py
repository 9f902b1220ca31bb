"""Where proposed actions live until they are confirmed, cancelled or expire, and the single-use ledger.

`claim` moves an action from pending to claimed atomically and, in the same step, writes the action's id into a
claims ledger that nothing but retention ever removes: of two concurrent confirmations exactly one gets the action,
and an action whose stored state is reset to pending can still never be claimed again. A claim carries a lease:
once it ends, the action reads as "outcome unknown" (the worker that held it went away) and its body is dropped.
Settled actions are kept without their request body or preview (which may hold addresses), so a replayed token is
told what became of it, not that it is unknown.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal, Protocol

import anyio
from pydantic import BaseModel, Field

from finerworks_mcp.guard.binding import Binding

ActionState = Literal[
    "pending", "claimed", "executed", "failed", "outcome_unknown", "declined", "cancelled", "superseded", "expired"
]

MEMORY_RETENTION_SECONDS = 600.0
"""How long a single process remembers a settled or expired action after its expiry (the shared stores keep it a
day: `stores.common.RETENTION_SECONDS`); then it leaves memory."""


class PendingAction(BaseModel):
    """One proposed write: the exact request, what a person was shown, where and by whom, and where it stands."""

    id: str
    token: str
    tool: str
    endpoint: str
    body: Any
    digest: str
    binding: Binding
    client: str
    """Who proposed it; only that client may confirm, cancel or list it."""
    summary: str
    preview: dict[str, Any] = Field(default_factory=dict)
    fingerprint: str | None = None
    check: str = ""
    """The read that tells whether the write happened, should its outcome be unknown (kept when the body goes)."""
    created_at: float
    expires_at: float
    state: ActionState = "pending"
    lease_until: float | None = None
    """While claimed: when the claiming worker's lease ends."""

    @property
    def environment(self) -> str:
        return self.binding.environment

    def stale(self, now: float) -> bool:
        """Claimed, and the worker holding it did not settle it within its lease: it may have crashed mid-write."""
        return self.state == "claimed" and self.lease_until is not None and now >= self.lease_until

    def open(self, now: float) -> bool:
        """Still the client's business: pending and unexpired, or claimed (running, or stale)."""
        return (self.state == "pending" and now < self.expires_at) or self.state == "claimed"


def settled(action: PendingAction, state: ActionState) -> PendingAction:
    """The action as kept once it can never run: no body, no preview."""
    return action.model_copy(update={"state": state, "body": None, "preview": {}})


class ActionStore(Protocol):
    async def put(self, action: PendingAction) -> None: ...

    async def get(self, action_id: str) -> PendingAction | None:
        """Read an action; never changes anything."""
        ...

    async def claim(self, action_id: str, lease_until: float) -> PendingAction | None:
        """Move a pending action that was never claimed to claimed, with a lease, and return it; None otherwise."""
        ...

    async def finish(self, action: PendingAction, state: ActionState) -> None: ...

    async def list_open(self, client: str) -> list[PendingAction]:
        """The client's open actions (see `PendingAction.open`), oldest first."""
        ...


class MemoryActionStore:
    """The default store: one process, which is what stdio serves."""

    def __init__(self, clock: Callable[[], float]) -> None:
        self._clock = clock
        self._actions: dict[str, PendingAction] = {}
        self._claimed: dict[str, float] = {}
        """The ledger: id -> when it may be forgotten."""
        self._lock = anyio.Lock()

    async def put(self, action: PendingAction) -> None:
        async with self._lock:
            self._sweep()
            self._actions[action.id] = action

    async def get(self, action_id: str) -> PendingAction | None:
        return self._actions.get(action_id)

    async def claim(self, action_id: str, lease_until: float) -> PendingAction | None:
        async with self._lock:
            action = self._actions.get(action_id)
            if action is None or action.state != "pending" or action_id in self._claimed:
                return None
            self._claimed[action_id] = action.expires_at + MEMORY_RETENTION_SECONDS
            claimed = action.model_copy(update={"state": "claimed", "lease_until": lease_until})
            self._actions[action_id] = claimed
            return claimed

    async def finish(self, action: PendingAction, state: ActionState) -> None:
        async with self._lock:
            if action.id in self._actions:
                self._actions[action.id] = settled(self._actions[action.id], state)

    async def list_open(self, client: str) -> list[PendingAction]:
        async with self._lock:
            self._sweep()
        now = self._clock()
        found = [a for a in self._actions.values() if a.client == client and a.open(now)]
        return sorted(found, key=lambda a: a.created_at)

    def _sweep(self) -> None:
        """Forget what is long over; drop the bodies of expired proposals and of claims whose lease ended."""
        now = self._clock()
        # Rebuilt rather than deleted from: a dict keeps its table at its largest size.
        self._actions = {
            action_id: action.model_copy(update={"body": None, "preview": {}})
            if action.body is not None and (action.stale(now) or not action.open(now))
            else action
            for action_id, action in self._actions.items()
            if now < action.expires_at + MEMORY_RETENTION_SECONDS
        }
        self._claimed = {action_id: until for action_id, until in self._claimed.items() if now < until}
