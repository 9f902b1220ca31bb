"""Building the guard from the settings."""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable

from finerworks_mcp.config import Settings
from finerworks_mcp.guard.audit import AuditLog, default_audit_path
from finerworks_mcp.guard.core import Guard
from finerworks_mcp.guard.store import ActionStore, MemoryActionStore
from finerworks_mcp.guard.tokens import TokenSigner


def build_guard(
    settings: Settings, *, store: ActionStore | None = None, clock: Callable[[], float] = time.time
) -> Guard:
    # Without a shared secret, tokens die with the process: the safe default for one stdio server.
    key = settings.guard_secret.get_secret_value().encode() if settings.guard_secret else secrets.token_bytes(32)
    return Guard(
        environment=settings.env.value,
        signer=TokenSigner(key),
        store=store or MemoryActionStore(),
        audit=AuditLog(settings.audit_log or default_audit_path()),
        ttl_seconds=settings.confirmation_ttl,
        clock=clock,
    )
