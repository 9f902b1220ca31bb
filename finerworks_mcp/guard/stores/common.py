"""What the shared stores have in common: how an action is stored, how long, and how a store failure reads."""

from __future__ import annotations

import json
import math
from typing import Self

from finerworks_mcp.guard.errors import GuardError
from finerworks_mcp.guard.store import PendingAction

RETENTION_SECONDS = 86_400.0
"""How long after its expiry an action is remembered, so a replayed token is told what became of it."""


class StateStoreUnavailable(GuardError):
    """The shared store failed; the model reads why wherever in the guard it happens."""

    def __init__(self, where: str, error: Exception) -> None:
        # The error's type only: its text may name the store's address.
        super().__init__(
            f"The server's store of proposed changes ({where}) failed ({type(error).__name__}). A person must check "
            "it (FINERWORKS_STATE_URL). If this happened while confirming, the change may already have been made: "
            "check FinerWorks before trying again."
        )


class OpenWhileServing:
    """A store whose connection opens on first use and closes when the last server lifespan using it ends
    (`async with store`, see `guard.factory.serving_store`), so it belongs to the event loop that uses it."""

    _users = 0

    async def __aenter__(self) -> Self:
        self._users += 1
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        self._users -= 1
        if self._users == 0:
            await self._close()

    async def _close(self) -> None:
        raise NotImplementedError


def record_of(action: PendingAction) -> str:
    """The action without its state, lease and body, which are stored apart: they change, the rest does not
    (until the action settles and its preview is dropped)."""
    return action.model_dump_json(exclude={"state", "body", "lease_until"})


def body_of(action: PendingAction) -> str:
    return json.dumps(action.body)


def action_from(record: str, state: str, body: str | None, lease_until: float | str | None = None) -> PendingAction:
    return PendingAction.model_validate(
        {
            **json.loads(record),
            "state": state,
            "body": None if body is None else json.loads(body),
            "lease_until": None if lease_until in (None, "") else float(lease_until),
        }
    )


def keep_until(action: PendingAction) -> float:
    return action.expires_at + RETENTION_SECONDS


def seconds_to_keep(action: PendingAction, now: float) -> int:
    """A relative lifetime (Redis' clock need not agree with ours), at least one second."""
    return max(1, math.ceil(keep_until(action) - now))
