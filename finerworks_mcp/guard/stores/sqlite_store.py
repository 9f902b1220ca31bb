"""Pending actions in one SQLite file, shared by several worker processes on one host.

sqlite3 blocks, so every operation runs on a worker thread, over one connection per store that a lock hands to one
thread at a time (kept open: closing the last connection of a WAL database checkpoints it, which is slow). The
claim is a conditional UPDATE inside `BEGIN IMMEDIATE`: SQLite's write lock makes it atomic across processes, so of
two workers confirming one token exactly one wins.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import anyio.to_thread

from finerworks_mcp.guard.store import ActionState, PendingAction
from finerworks_mcp.guard.stores.common import (
    OpenWhileServing,
    StateStoreUnavailable,
    action_from,
    body_of,
    keep_until,
    record_of,
)

T = TypeVar("T")

BUSY_TIMEOUT_SECONDS = 10.0
"""How long a worker waits for another's write lock; claims hold it for milliseconds."""

SCHEMA = """
CREATE TABLE IF NOT EXISTS pending_actions (
    id TEXT PRIMARY KEY,
    state TEXT NOT NULL,
    record TEXT NOT NULL,
    body TEXT,
    created_at REAL NOT NULL,
    keep_until REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS pending_actions_state ON pending_actions (state);
CREATE INDEX IF NOT EXISTS pending_actions_keep_until ON pending_actions (keep_until);
"""


class SqliteActionStore(OpenWhileServing):
    def __init__(self, path: Path, *, clock: Callable[[], float] = time.time) -> None:
        self.path = path
        self._clock = clock
        self._lock = threading.Lock()
        self._db: sqlite3.Connection | None = None
        self._create()

    def _create(self) -> None:
        """Make the file (readable by its owner only: bodies hold addresses) and the schema. Runs at start-up, so
        OSError and sqlite3.Error go to the caller as they are."""
        self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.close(os.open(self.path, os.O_CREAT | os.O_RDWR, 0o600))
        db = self._connect()
        try:
            db.execute("PRAGMA journal_mode=WAL")  # readers never wait for a writer; persists in the file
            db.executescript(SCHEMA)
        finally:
            db.close()

    def _connect(self) -> sqlite3.Connection:
        # Autocommit: each statement is its own transaction unless a BEGIN says otherwise. The lock, not sqlite3's
        # same-thread check, keeps two threads off the connection at once.
        return sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None, check_same_thread=False)

    async def _run(self, operation: Callable[[sqlite3.Connection], T]) -> T:
        def run() -> T:
            with self._lock:
                if self._db is None:
                    self._db = self._connect()
                return operation(self._db)

        try:
            return await anyio.to_thread.run_sync(run)
        except sqlite3.Error as error:
            raise StateStoreUnavailable(f"SQLite file {self.path}", error) from error

    async def _close(self) -> None:
        def close() -> None:
            with self._lock:
                if self._db is not None:
                    self._db.close()
                    self._db = None

        await anyio.to_thread.run_sync(close)

    async def put(self, action: PendingAction) -> None:
        now = self._clock()
        row = (action.id, action.state, record_of(action), body_of(action), action.created_at, keep_until(action))

        def put(db: sqlite3.Connection) -> None:
            with db:  # one transaction: commits, or rolls back on an error
                db.execute("BEGIN IMMEDIATE")
                db.execute("DELETE FROM pending_actions WHERE keep_until < ?", (now,))  # the sweep
                db.execute(
                    "INSERT OR REPLACE INTO pending_actions (id, state, record, body, created_at, keep_until) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    row,
                )

        await self._run(put)

    async def get(self, action_id: str) -> PendingAction | None:
        row = await self._run(lambda db: _select(db, action_id))
        return None if row is None else action_from(*row)

    async def claim(self, action_id: str) -> PendingAction | None:
        def claim(db: sqlite3.Connection) -> tuple[str, str, str | None] | None:
            with db:
                db.execute("BEGIN IMMEDIATE")  # the write lock first: no other process can claim in between
                claimed = db.execute(
                    "UPDATE pending_actions SET state = 'claimed' WHERE id = ? AND state = 'pending'", (action_id,)
                ).rowcount
                return _select(db, action_id) if claimed == 1 else None

        row = await self._run(claim)
        return None if row is None else action_from(*row)

    async def finish(self, action_id: str, state: ActionState) -> None:
        # The request body may hold addresses; once finished, only its digest and summary are needed.
        def finish(db: sqlite3.Connection) -> None:
            db.execute("UPDATE pending_actions SET state = ?, body = NULL WHERE id = ?", (state, action_id))

        await self._run(finish)

    async def list_pending(self) -> list[PendingAction]:
        def pending(db: sqlite3.Connection) -> list[tuple[str, str, str | None]]:
            return db.execute(
                "SELECT record, state, body FROM pending_actions WHERE state = 'pending' ORDER BY created_at"
            ).fetchall()

        return [action_from(*row) for row in await self._run(pending)]


def _select(db: sqlite3.Connection, action_id: str) -> tuple[str, str, str | None] | None:
    return db.execute("SELECT record, state, body FROM pending_actions WHERE id = ?", (action_id,)).fetchone()
