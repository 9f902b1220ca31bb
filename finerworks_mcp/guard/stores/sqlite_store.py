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

from finerworks_mcp.guard.store import ActionState, PendingAction, settled
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
CREATE TABLE IF NOT EXISTS actions (
    id TEXT PRIMARY KEY,
    client TEXT NOT NULL,
    state TEXT NOT NULL,
    record TEXT NOT NULL,
    body TEXT,
    created_at REAL NOT NULL,
    expires_at REAL NOT NULL,
    lease_until REAL,
    keep_until REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS actions_open ON actions (client, state);
CREATE INDEX IF NOT EXISTS actions_keep_until ON actions (keep_until);
CREATE TABLE IF NOT EXISTS claims (
    id TEXT PRIMARY KEY,
    keep_until REAL NOT NULL
);
"""
"""`claims` is the single-use ledger: rows are only ever inserted (and swept after retention), so resetting an
action's state does not make it claimable again."""

SWEEP = (
    "DELETE FROM actions WHERE keep_until < :now",
    "DELETE FROM claims WHERE keep_until < :now",
    # Bodies may hold addresses: gone once a proposal expired or a claim's lease ended.
    "UPDATE actions SET body = NULL WHERE body IS NOT NULL AND "
    "((state = 'pending' AND expires_at <= :now) OR (state = 'claimed' AND lease_until <= :now))",
)
COLUMNS = "record, state, body, lease_until"


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
        row = (
            action.id,
            action.client,
            action.state,
            record_of(action),
            body_of(action),
            action.created_at,
            action.expires_at,
            keep_until(action),
        )

        def put(db: sqlite3.Connection) -> None:
            with db:  # one transaction: commits, or rolls back on an error
                db.execute("BEGIN IMMEDIATE")
                _sweep(db, now)
                db.execute(
                    "INSERT OR REPLACE INTO actions (id, client, state, record, body, created_at, expires_at, "
                    "keep_until) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    row,
                )

        await self._run(put)

    async def get(self, action_id: str) -> PendingAction | None:
        row = await self._run(lambda db: _select(db, action_id))
        return None if row is None else action_from(*row)

    async def claim(self, action_id: str, lease_until: float) -> PendingAction | None:
        def claim(db: sqlite3.Connection) -> Row | None:
            with db:
                db.execute("BEGIN IMMEDIATE")  # the write lock first: no other process can claim in between
                ledger = db.execute(
                    "INSERT OR IGNORE INTO claims (id, keep_until) SELECT id, keep_until FROM actions "
                    "WHERE id = ? AND state = 'pending'",
                    (action_id,),
                ).rowcount
                if ledger != 1:
                    return None  # not pending, or pending again after it was claimed once
                db.execute(
                    "UPDATE actions SET state = 'claimed', lease_until = ? WHERE id = ?", (lease_until, action_id)
                )
                return _select(db, action_id)

        row = await self._run(claim)
        return None if row is None else action_from(*row)

    async def finish(self, action: PendingAction, state: ActionState) -> None:
        # The request body and preview may hold addresses; once settled, only the record is needed.
        def finish(db: sqlite3.Connection) -> None:
            db.execute(
                "UPDATE actions SET state = ?, body = NULL, record = ? WHERE id = ?",
                (state, record_of(settled(action, state)), action.id),
            )

        await self._run(finish)

    async def list_open(self, client: str) -> list[PendingAction]:
        now = self._clock()

        def listed(db: sqlite3.Connection) -> list[Row]:
            with db:
                db.execute("BEGIN IMMEDIATE")
                _sweep(db, now)
                return db.execute(
                    f"SELECT {COLUMNS} FROM actions WHERE client = ? AND "
                    "((state = 'pending' AND expires_at > ?) OR state = 'claimed') ORDER BY created_at",
                    (client, now),
                ).fetchall()

        return [action_from(*row) for row in await self._run(listed)]


Row = tuple[str, str, str | None, float | None]


def _select(db: sqlite3.Connection, action_id: str) -> Row | None:
    return db.execute(f"SELECT {COLUMNS} FROM actions WHERE id = ?", (action_id,)).fetchone()


def _sweep(db: sqlite3.Connection, now: float) -> None:
    for statement in SWEEP:
        db.execute(statement, {"now": now})
