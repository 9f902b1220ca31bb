"""The audit log: one JSON line per preview, confirmation, decline, cancellation and execution.

Each record is written and flushed on its own, so a crash loses nothing already decided. Records carry the digest
and the person-readable summary, never the request body or a key.
"""

from __future__ import annotations

import json
import logging
import os
import time
from pathlib import Path
from typing import Any

from finerworks_mcp.guard.errors import GuardError

logger = logging.getLogger(__name__)


def default_audit_path() -> Path:
    state_home = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(state_home) / "finerworks-mcp" / "audit.jsonl"


def append_text(path: Path, text: str) -> None:
    """Append and flush in one write, creating the folder: a crash loses nothing already written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()


class AuditUnavailable(GuardError):
    """Raised before anything is sent (fail closed); after a request left, the guard reports it beside the outcome."""


class AuditLog:
    def __init__(self, path: Path) -> None:
        self.path = path

    def record(self, event: str, **fields: Any) -> None:
        entry = {"time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "event": event, **fields}
        line = json.dumps(entry, sort_keys=False, default=str) + "\n"
        try:
            append_text(self.path, line)
        except OSError as error:
            # Fail closed: a write that cannot be audited is not made.
            logger.error("audit log %s is not writable: %s", self.path, error.strerror)
            raise AuditUnavailable(
                f"The audit log {self.path} cannot be written ({error.strerror}); nothing was sent. "
                "A person must fix FINERWORKS_AUDIT_LOG or the folder's permissions."
            ) from error
