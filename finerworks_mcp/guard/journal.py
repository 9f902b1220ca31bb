"""The orders this server submitted, kept beside the audit log so "where is my latest order" has an answer.

FinerWorks has no endpoint that lists an account's orders: `fetch_order_status` needs ids or POs. Every order a
confirmed `submit_orders_v2` created is appended here (one JSON line, flushed), so the list survives restarts and is
shared by every server process writing the same audit folder. Lines carry the environment and a digest of the
account key (never the key), so sandbox and production orders, or two sub-accounts, never mix.
"""

from __future__ import annotations

import hashlib
import json
import logging
from pathlib import Path

from pydantic import BaseModel, ValidationError

from finerworks_mcp.guard.audit import append_text, default_audit_path
from finerworks_mcp.settings import Settings

logger = logging.getLogger(__name__)

JOURNAL_NAME = "orders-known.jsonl"
MAX_READ_BYTES = 4 * 1024 * 1024
"""Only the journal's tail is read: its newest orders are the ones asked about."""


class KnownOrder(BaseModel):
    environment: str
    account: str
    order_po: str
    order_id: int | None = None
    submitted: str
    """UTC, ISO 8601."""
    total: str | None = None
    """The grand total the person approved, in USD."""


class OrderJournal:
    def __init__(self, path: Path, environment: str, account_key: str | None) -> None:
        self.path = path
        self.environment = environment
        self.account = account_digest(account_key)

    @classmethod
    def for_settings(cls, settings: Settings) -> OrderJournal:
        audit = settings.audit_log or default_audit_path()
        return cls(audit.with_name(JOURNAL_NAME), settings.env.value, settings.account_key)

    def record(self, orders: list[KnownOrder]) -> None:
        """Append; a journal that cannot be written is logged, never raised: the orders already exist upstream."""
        lines = "".join(order.model_dump_json() + "\n" for order in orders)
        try:
            append_text(self.path, lines)
        except OSError as error:
            logger.error("orders journal %s is not writable: %s", self.path, error.strerror)

    def read(self) -> list[KnownOrder]:
        """This environment's and account's orders, oldest first; unreadable lines are skipped."""
        try:
            with self.path.open("rb") as handle:
                handle.seek(max(0, self.path.stat().st_size - MAX_READ_BYTES))
                raw = handle.read().decode("utf-8", errors="replace")
        except FileNotFoundError:
            return []
        except OSError as error:
            logger.error("orders journal %s is not readable: %s", self.path, error.strerror)
            return []
        found: list[KnownOrder] = []
        for line in raw.splitlines():
            try:
                order = KnownOrder.model_validate(json.loads(line))
            except (ValueError, ValidationError):
                continue
            if order.environment == self.environment and order.account == self.account:
                found.append(order)
        return found


def account_digest(account_key: str | None) -> str:
    """Which account an order belongs to, without writing the key: the main account, or a sub-account's digest."""
    return hashlib.sha256(account_key.encode()).hexdigest()[:16] if account_key else "main"
