"""Building the guard from the settings."""

from __future__ import annotations

import secrets
import time
from collections.abc import AsyncGenerator, Callable, Iterable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path

from finerworks_mcp.guard.audit import AuditLog, default_audit_path
from finerworks_mcp.guard.binding import binding_of
from finerworks_mcp.guard.journal import OrderJournal
from finerworks_mcp.guard.machine import Guard
from finerworks_mcp.guard.store import ActionStore, MemoryActionStore
from finerworks_mcp.guard.tokens import TokenSigner
from finerworks_mcp.guard.writes import WRITES
from finerworks_mcp.settings import ConfigError, Settings


def build_guard(
    settings: Settings,
    *,
    offered: Iterable[str] | None = None,
    store: ActionStore | None = None,
    clock: Callable[[], float] = time.time,
) -> Guard:
    """The guard of a server offering the write tools `offered` (every guarded write when None)."""
    # Without a shared secret, tokens die with the process: the safe default for one stdio server.
    key = settings.guard_secret.get_secret_value().encode() if settings.guard_secret else secrets.token_bytes(32)
    return Guard(
        binding=binding_of(settings),
        offered=frozenset(WRITES if offered is None else offered),
        signer=TokenSigner(key),
        store=store or build_store(settings, clock=clock),
        audit=AuditLog(settings.audit_log or default_audit_path()),
        ttl_seconds=settings.confirmation_ttl,
        lease_seconds=settings.lease_seconds,
        pending_limit=settings.pending_limit,
        journal=OrderJournal.for_settings(settings),
        clock=clock,
    )


def build_store(settings: Settings, *, clock: Callable[[], float] = time.time) -> ActionStore:
    """The store FINERWORKS_STATE_URL names: memory (one process), SQLite (one host) or Redis (several hosts)."""
    kind, target = settings.state_store
    if kind == "sqlite":
        # Imported here: most servers keep pending actions in memory and need not load sqlite3 to start.
        import sqlite3

        from finerworks_mcp.guard.stores.sqlite_store import SqliteActionStore

        try:
            return SqliteActionStore(Path(target), clock=clock)
        except (OSError, sqlite3.Error) as error:
            raise ConfigError(f"FINERWORKS_STATE_URL: cannot use the SQLite file {target} ({error}).") from error
    if kind == "redis":
        try:
            from finerworks_mcp.guard.stores.redis_store import RedisActionStore
        except ImportError:
            raise ConfigError(
                "FINERWORKS_STATE_URL names Redis, but its client is not installed: "
                "pip install 'finerworks-mcp[redis]'."
            ) from None
        return RedisActionStore(target, clock=clock)
    return MemoryActionStore(clock)


@asynccontextmanager
async def serving_store(guard: Guard | None) -> AsyncGenerator[None]:
    """Hold the guard's store open for one server lifespan; a Redis pool closes when the last lifespan ends."""
    store = guard.store if guard is not None else None
    if isinstance(store, AbstractAsyncContextManager):
        async with store:
            yield
    else:
        yield
