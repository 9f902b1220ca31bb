"""Limits that keep slow, broken or too many HTTP clients from taking the server down.

uvicorn alone does not: its keep-alive timer starts only after a first response, so a connection that sends half
its headers (or half a body) is held forever; `limit_concurrency` answers 503 to *requests* but keeps accepting
connections, so 1,100 sockets sending partial headers used up every file descriptor, real requests timed out, and
the accept loop logged `Too many open files` 376,353 times in 30 seconds. Here:

- Read deadlines (`LimitedH11Protocol`): a request's headers must arrive within FINERWORKS_HTTP_HEADER_TIMEOUT of
  the connection opening (or of its first byte, on a kept-alive connection), and its body within
  FINERWORKS_HTTP_BODY_TIMEOUT of the headers; a connection that misses either is closed (the app sees the client
  go away). Idle kept-alive connections close after uvicorn's keep-alive timeout.
- A cap on open connections (`ConnectionCap`, FINERWORKS_HTTP_MAX_CONNECTIONS): at the cap, a new connection
  first displaces the oldest one that has not yet sent a whole request (or sits idle between requests); only when
  every open connection is busy with a request is the new one refused. A flood of slow sockets therefore evicts
  itself, and a client that sends its request at once is served. The cap is kept below the process's file limit,
  so accept() never fails for want of descriptors.
- `RepeatSummary`: a warning or error repeated within a window is logged once, then as one line with a count.

This subclasses uvicorn's h11 protocol (the one uvicorn picks without httptools); tests/test_http_limits.py runs a
real server against it, so an incompatible uvicorn shows there.
"""

from __future__ import annotations

import asyncio
import logging
import resource
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, ClassVar, cast

from uvicorn.protocols.http.h11_impl import H11Protocol, RequestResponseCycle

from finerworks_mcp.settings import Settings

logger = logging.getLogger(__name__)

RESERVED_FILES = 64
"""Descriptors kept for everything but client connections: the listening socket, FinerWorks' connection pools,
the state store, the audit and log files."""
MAX_BACKLOG = 2048
SUMMARY_SECONDS = 10.0
"""A repeated warning is logged at most once per this many seconds, then summarised with a count."""


@dataclass
class ConnectionCap:
    """How many connections may be open at once, and which of them may be displaced to make room."""

    limit: int
    header_timeout: float
    body_timeout: float
    open: int = 0
    # Connections not in the middle of a request, oldest first (a dict keeps insertion order).
    displaceable: dict[LimitedH11Protocol, None] = field(default_factory=dict[Any, None])

    def admit(self, connection: LimitedH11Protocol) -> bool:
        """Make room for `connection` if the cap is reached; False when nothing could be displaced."""
        self.open += 1
        if self.open <= self.limit:
            return True
        for oldest in self.displaceable:
            if oldest is not connection:
                logger.warning("HTTP connection cap (%d) reached: closing the oldest idle or slow one", self.limit)
                oldest.drop()
                return True
        logger.warning("HTTP connection cap (%d) reached and every connection is busy: refusing one", self.limit)
        return False

    def released(self, connection: LimitedH11Protocol) -> None:
        self.open -= 1
        self.displaceable.pop(connection, None)


class LimitedH11Protocol(H11Protocol):
    """uvicorn's h11 protocol with read deadlines and a connection cap (`protocol_for` binds a cap)."""

    cap: ClassVar[ConnectionCap]
    _deadline: asyncio.TimerHandle | None = None
    _reading: str | None = None
    """What the deadline waits for: "headers" or "body"."""
    _admitted = False

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._admitted = True
        if not self.cap.admit(self):
            self.drop()
            return
        self._await_headers()

    def connection_lost(self, exc: Exception | None) -> None:
        self._clear_deadline()
        if self._admitted:
            self._admitted = False
            self.cap.released(self)
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        if self._between_requests() and self._deadline is None:
            self._await_headers()  # the first bytes of the next request on a kept-alive connection
        super().data_received(data)
        if self.transport.is_closing():
            return
        if not self._between_requests():
            self.cap.displaceable.pop(self, None)
            if self.cycle.more_body:
                if self._reading != "body":
                    self._arm("body", self.cap.body_timeout)
            else:
                self._clear_deadline()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing():
            self.cap.displaceable[self] = None  # idle until the next request, under uvicorn's keep-alive timer

    def drop(self) -> None:
        """Close at once; a request being read sees its client disconnect."""
        self._clear_deadline()
        self.cap.displaceable.pop(self, None)
        self.transport.abort()

    def _between_requests(self) -> bool:
        # uvicorn types `cycle` as always set, but it is None until the first request's headers arrive.
        cycle = cast(RequestResponseCycle | None, self.cycle)
        return cycle is None or cycle.response_complete

    def _await_headers(self) -> None:
        self.cap.displaceable[self] = None
        self._arm("headers", self.cap.header_timeout)

    def _arm(self, reading: str, seconds: float) -> None:
        self._clear_deadline()
        self._reading = reading
        self._deadline = self.loop.call_later(seconds, self._missed_deadline, reading)

    def _clear_deadline(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None
        self._reading = None

    def _missed_deadline(self, reading: str) -> None:
        self._deadline = None
        logger.warning("HTTP client too slow sending its request %s: connection closed", reading)
        self.drop()


def backlog_for(limit: int) -> int:
    """The listen backlog, which asyncio also uses as how many connections it accepts in one go before any of them
    is admitted or refused: a quarter of the cap keeps that burst from running past the open-file limit."""
    return max(16, min(MAX_BACKLOG, limit // 4))


def uvicorn_limits(settings: Settings) -> dict[str, Any]:
    """uvicorn.Config options that apply the HTTP limits in `settings`."""
    limit = fit_to_file_limit(settings.http_max_connections)
    cap = ConnectionCap(limit, settings.http_header_timeout, settings.http_body_timeout)
    protocol = type("LimitedH11Protocol", (LimitedH11Protocol,), {"cap": cap})
    return {"http": protocol, "backlog": backlog_for(limit)}


def files_needed(limit: int) -> int:
    # Accepted sockets waiting to be admitted come in bursts of up to three backlogs (see `backlog_for`).
    return limit + 3 * backlog_for(limit) + RESERVED_FILES


def fit_to_file_limit(wanted: int, soft_limit: int | None = None) -> int:
    """The connection cap the process's open-file limit allows: raise the soft limit if the hard one permits,
    else lower the cap (and say so)."""
    needed = files_needed(wanted)
    if soft_limit is None:
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        if soft != resource.RLIM_INFINITY and soft < needed:
            raised = needed if hard == resource.RLIM_INFINITY else min(needed, hard)
            try:
                resource.setrlimit(resource.RLIMIT_NOFILE, (raised, hard))
                soft = raised
            except (ValueError, OSError):
                pass
        soft_limit = None if soft == resource.RLIM_INFINITY else soft
    if soft_limit is None or soft_limit >= needed:
        return wanted
    fitted = wanted
    while fitted > 1 and files_needed(fitted) > soft_limit:
        fitted = max(1, fitted * 3 // 4)
    logger.warning(
        "FINERWORKS_HTTP_MAX_CONNECTIONS=%d does not fit the open-file limit (%d); using %d. "
        "Raise the limit (ulimit -n) to allow more.",
        wanted,
        soft_limit,
        fitted,
    )
    return fitted


class RepeatSummary(logging.Filter):
    """Lets the first of a run of like warnings through, drops the rest for `window` seconds, then logs one line
    with how many were dropped. INFO and below (the access log) pass untouched."""

    def __init__(self, window: float = SUMMARY_SECONDS, clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__()
        self.window = window
        self.clock = clock
        self._runs: dict[tuple[str, int, str], tuple[float, int]] = {}

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno < logging.WARNING:
            return True
        key = (record.name, record.levelno, _template(record))
        now = self.clock()
        started, dropped = self._runs.get(key, (None, 0))
        if started is not None and now - started < self.window:
            self._runs[key] = (started, dropped + 1)
            return False
        self._runs[key] = (now, 0)
        if dropped:
            record.msg = f"{record.msg} (and {dropped} more like it in the previous {self.window:g} s)"
        return True


def _template(record: logging.LogRecord) -> str:
    """What makes two records 'the same' warning: the format string, or for a pre-formatted message the part
    before its first ': ' (so 'Invalid Host header: a' and 'Invalid Host header: b' count as one)."""
    text = str(record.msg)
    return text if record.args else text.partition(": ")[0][:200]
