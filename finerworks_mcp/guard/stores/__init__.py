"""Shared homes for pending actions and the single-use ledger, behind `guard.store.ActionStore`.

    MemoryActionStore   (guard.store) one process: stdio, or one HTTP worker. The default.
    SqliteActionStore   FINERWORKS_STATE_URL=sqlite:///path: several workers on one host share one file.
    RedisActionStore    FINERWORKS_STATE_URL=redis://host:6379/0: several hosts behind a load balancer.

Each claims atomically across processes (a conditional UPDATE in one transaction; a Lua script), keeps no request
body once an action is settled, and forgets settled and expired actions after `RETENTION_SECONDS`.
"""

from finerworks_mcp.guard.stores.common import RETENTION_SECONDS, StateStoreUnavailable

__all__ = ["RETENTION_SECONDS", "StateStoreUnavailable"]
