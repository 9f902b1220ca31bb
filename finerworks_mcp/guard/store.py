"""Where pending actions live until they are confirmed, cancelled or expire.

The store is the single-use ledger: `claim` moves an action from pending to claimed atomically, so of two
concurrent confirmations exactly one gets the action. Finished actions are kept (without their request body) so a
replayed token is told it was used, not that it is unknown.
"""

from __future__ import annotations

from typing import Any, Literal, Protocol

import anyio
from pydantic import BaseModel

ActionState = Literal[
    "pending", "claimed", "executed", "failed", "outcome_unknown", "declined", "cancelled", "superseded", "expired"
]


class PendingAction(BaseModel):
    """One proposed write: the exact request, what a person was shown, and where it stands."""

    id: str
    token: str
    tool: str
    endpoint: str
    body: Any
    digest: str
    environment: str
    summary: str
    preview: dict[str, Any]
    fingerprint: str | None = None
    created_at: float
    expires_at: float
    state: ActionState = "pending"


class ActionStore(Protocol):
    async def put(self, action: PendingAction) -> None: ...

    async def get(self, action_id: str) -> PendingAction | None: ...

    async def claim(self, action_id: str) -> PendingAction | None:
        """Move a pending action to claimed and return it; None when it is not pending (any more)."""
        ...

    async def finish(self, action_id: str, state: ActionState) -> None: ...

    async def list_pending(self) -> list[PendingAction]: ...


class MemoryActionStore:
    """The default store: one process, which is what stdio serves."""

    def __init__(self) -> None:
        self._actions: dict[str, PendingAction] = {}
        self._lock = anyio.Lock()

    async def put(self, action: PendingAction) -> None:
        async with self._lock:
            self._actions[action.id] = action

    async def get(self, action_id: str) -> PendingAction | None:
        return self._actions.get(action_id)

    async def claim(self, action_id: str) -> PendingAction | None:
        async with self._lock:
            action = self._actions.get(action_id)
            if action is None or action.state != "pending":
                return None
            claimed = action.model_copy(update={"state": "claimed"})
            self._actions[action_id] = claimed
            return claimed

    async def finish(self, action_id: str, state: ActionState) -> None:
        async with self._lock:
            action = self._actions.get(action_id)
            if action is not None:
                # The request body may hold addresses; once finished, only its digest and summary are needed.
                self._actions[action_id] = action.model_copy(update={"state": state, "body": None})

    async def list_pending(self) -> list[PendingAction]:
        return [a for a in self._actions.values() if a.state == "pending"]
