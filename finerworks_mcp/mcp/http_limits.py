"""Limits that keep slow, broken or too many HTTP clients from taking the server down.

uvicorn alone does not: its keep-alive timer starts only after a first response, so a connection that sends half
its headers (or half a body) is held forever; `limit_concurrency` answers 503 to *requests* but keeps accepting
connections, so 1,100 sockets sending partial headers used up every file descriptor, real requests timed out, and
the accept loop logged `Too many open files` 376,353 times in 30 seconds. Here:

- Read deadlines (`LimitedH11Protocol`): a request's headers must arrive within FINERWORKS_HTTP_HEADER_TIMEOUT of
  the connection opening (or of its first byte, on a kept-alive connection), and its body within
  FINERWORKS_HTTP_BODY_TIMEOUT of the headers; a connection that misses either is closed (the app sees the client
  go away). Idle kept-alive connections close after uvicorn's keep-alive timeout.
- A cap on open connections (`ConnectionCap`, FINERWORKS_HTTP_MAX_CONNECTIONS): above it, the oldest connection
  that has sent only part of a request is closed, then the oldest idle one; a connection busy with a request, or
  whose whole request head is already waiting in its socket, never is. A flood of slow sockets therefore evicts
  itself, and a client that sends its request at once is served. The cap (with room for connections accepted but
  not yet classified) is kept below the process's file limit, so accept() never fails for want of descriptors.
- `RepeatSummary`: a warning or error repeated within a window is logged once, then as one line with a count
  (at most every SUMMARY_SECONDS, and at shutdown).

This subclasses uvicorn's h11 protocol (the one uvicorn picks without httptools); tests/test_http_limits.py runs a
real server against it, so an incompatible uvicorn shows there.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import resource
import socket
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
HEAD_END = b"\r\n\r\n"
PEEK_BYTES = 16_384
"""As much of a request head as h11 accepts by default."""
FRESH_SECONDS = 1.0
"""How long a just-accepted connection that has sent nothing yet is spared when the cap needs room."""
SUMMARY_SECONDS = 10.0
"""A repeated warning is logged at most once per this many seconds, then summarised with a count."""


@dataclass
class ConnectionCap:
    """How many connections may stay open, and which of them make room when there are more.

    A connection is *fresh* from accept until its first bytes arrive: it may be a real client whose request the
    event loop has not read yet, so it is spared for `FRESH_SECONDS`. Once it has sent part of a request but not
    all its headers it is *slow*; between requests it is *idle*. Above `limit`, the oldest slow connection is
    closed, then the oldest idle one (its client reconnects), then the oldest fresh one past its grace; a
    connection busy with a request
    never is. Up to `headroom` connections more may be open for a moment while fresh ones show what they are;
    beyond that a new connection is refused at once.
    """

    limit: int
    header_timeout: float
    body_timeout: float
    headroom: int
    clock: Callable[[], float] = time.monotonic
    open: int = 0
    # Oldest first (dicts keep insertion order); fresh ones with when they were accepted.
    fresh: dict[LimitedH11Protocol, float] = field(default_factory=dict[Any, float])
    slow: dict[LimitedH11Protocol, None] = field(default_factory=dict[Any, None])
    idle: dict[LimitedH11Protocol, None] = field(default_factory=dict[Any, None])

    def admit(self, connection: LimitedH11Protocol, waiting: bytes) -> bool:
        """Count `connection` in, given the bytes already `waiting` in its socket; False when it must be refused.

        A connection whose whole request head is already waiting is a client to serve: it is never refused, and
        room is made for it even at the expense of a fresh connection. One with part of a head is slow at once;
        one with nothing yet is fresh.
        """
        self.open += 1
        complete = HEAD_END in waiting
        if complete:
            pass  # busy from the start: neither fresh nor slow
        elif waiting:
            self.slow[connection] = None
        else:
            self.fresh[connection] = self.clock()
        if self.open <= self.limit + self.headroom or self._displace_one(sparing=connection, anyone_fresh=complete):
            return True
        if complete:
            return True
        logger.warning("HTTP connection cap (%d) reached and every connection is busy: refusing one", self.limit)
        return False

    def trim(self) -> None:
        """Close slow, then idle connections while more than `limit` have shown what they are (fresh ones are
        counted against the headroom)."""
        while self.open - len(self.fresh) > self.limit and self._displace_one(fresh_too=False):
            pass

    def released(self, connection: LimitedH11Protocol) -> None:
        self.open -= 1
        self.fresh.pop(connection, None)
        self.slow.pop(connection, None)
        self.idle.pop(connection, None)

    def _displace_one(
        self, sparing: LimitedH11Protocol | None = None, anyone_fresh: bool = False, fresh_too: bool = True
    ) -> bool:
        victim = next((c for c in itertools.chain(self.slow, self.idle) if c is not sparing), None)
        if victim is None and fresh_too:
            oldest = next((c for c in self.fresh if c is not sparing), None)
            grace = 0.0 if anyone_fresh else min(FRESH_SECONDS, self.header_timeout)
            if oldest is not None and self.clock() - self.fresh[oldest] >= grace:
                victim = oldest
        if victim is None:
            return False
        logger.warning("HTTP connection cap (%d) reached: closing the oldest slow or idle connection", self.limit)
        victim.drop()
        return True


class LimitedH11Protocol(H11Protocol):
    """uvicorn's h11 protocol with read deadlines and a connection cap (`uvicorn_limits` binds a cap)."""

    cap: ClassVar[ConnectionCap]
    _deadline: asyncio.TimerHandle | None = None
    _reading: str | None = None
    """What the deadline waits for: "headers" or "body"."""
    _counted = False

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._counted = True
        if not self.cap.admit(self, waiting_bytes(transport)):
            self.drop()
            return
        self._arm("headers", self.cap.header_timeout)

    def connection_lost(self, exc: Exception | None) -> None:
        self._release()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        self.cap.fresh.pop(self, None)
        if self._between_requests() and self._deadline is None:
            self._arm("headers", self.cap.header_timeout)  # the next request on a kept-alive connection
        super().data_received(data)
        if self.transport.is_closing():
            return
        if self._between_requests():
            self.cap.idle.pop(self, None)
            self.cap.slow[self] = None  # part of the headers so far: slow, or about to finish
        else:
            self.cap.slow.pop(self, None)
            self.cap.idle.pop(self, None)
            if not self.cycle.more_body:
                self._clear_deadline()
            elif self._reading != "body":
                self._arm("body", self.cap.body_timeout)
        self.cap.trim()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing():
            self.cap.idle[self] = None  # until the next request, under uvicorn's keep-alive timer

    def drop(self) -> None:
        """Close at once; a request being read sees its client disconnect."""
        self._release()
        self.transport.abort()

    def _release(self) -> None:
        self._clear_deadline()
        if self._counted:
            self._counted = False
            self.cap.released(self)

    def _between_requests(self) -> bool:
        # uvicorn types `cycle` as always set, but it is None until the first request's headers arrive.
        cycle = cast(RequestResponseCycle | None, self.cycle)
        return cycle is None or cycle.response_complete

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


def waiting_bytes(transport: asyncio.Transport) -> bytes:
    """What the client has sent that the event loop has not read yet (a peek: the bytes stay for uvicorn)."""
    wrapped = transport.get_extra_info("socket")
    if wrapped is None:
        return b""
    # asyncio's socket wrapper hides recv; a socket object on the same descriptor, detached after, does not close it.
    raw = socket.socket(fileno=wrapped.fileno())
    try:
        return raw.recv(PEEK_BYTES, socket.MSG_PEEK | socket.MSG_DONTWAIT)
    except OSError:
        return b""
    finally:
        raw.detach()


def backlog_for(limit: int) -> int:
    """The listen backlog, which asyncio also uses as how many connections it accepts in one go before any of them
    is admitted or refused: a quarter of the cap keeps that burst from running past the open-file limit."""
    return max(16, min(MAX_BACKLOG, limit // 4))


def uvicorn_limits(settings: Settings) -> dict[str, Any]:
    """uvicorn.Config options that apply the HTTP limits in `settings`."""
    protocol = limited_protocol(settings)
    return {"http": protocol, "backlog": backlog_for(protocol.cap.limit)}


def limited_protocol(settings: Settings) -> type[LimitedH11Protocol]:
    """A protocol class bound to its own connection cap from `settings` (one per server)."""
    limit = fit_to_file_limit(settings.http_max_connections)
    headroom = 2 * backlog_for(limit)
    cap = ConnectionCap(limit, settings.http_header_timeout, settings.http_body_timeout, headroom=headroom)
    return type("LimitedH11Protocol", (LimitedH11Protocol,), {"cap": cap})


def files_needed(limit: int) -> int:
    # The cap, its headroom (two backlogs), and accepted sockets not yet admitted or refused, which come in bursts
    # of up to three backlogs (see `backlog_for`).
    return limit + 5 * backlog_for(limit) + RESERVED_FILES


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
    """Lets the first of a run of like warnings through and holds back the rest; once `window` seconds have passed
    (checked whenever anything is logged, and at `flush`), one line says how many were held back. INFO and below
    (the access log) pass untouched."""

    def __init__(self, window: float = SUMMARY_SECONDS, clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__()
        self.window = window
        self.clock = clock
        # Per kind of warning: when its current window started, how many were held back since, and how it read.
        self._runs: dict[tuple[str, int, str], tuple[float, int, str]] = {}

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "summary", False):
            return True
        now = self.clock()
        self._report(lambda started: now - started >= self.window)
        if record.levelno < logging.WARNING:
            return True
        template = _template(record)
        key = (record.name, record.levelno, template)
        run = self._runs.get(key)
        if run is not None and now - run[0] < self.window:
            self._runs[key] = (run[0], run[1] + 1, run[2])
            return False
        self._runs[key] = (now, 0, record.getMessage() if record.args else template)
        return True

    def flush(self) -> None:
        """Report every count still held back (at shutdown)."""
        self._report(lambda started: True)

    def _report(self, due: Callable[[float], bool]) -> None:
        for key, (started, held, shown) in list(self._runs.items()):
            if held and due(started):
                name, level, _ = key
                self._runs[key] = (started, 0, shown)
                seconds = self.clock() - started
                logging.getLogger(name).log(
                    level, "%s: %d more like it in %.0f s", shown, held, seconds, extra={"summary": True}
                )


def _template(record: logging.LogRecord) -> str:
    """What makes two records 'the same' warning: the format string, or for a pre-formatted message the part
    before its first ': ' (so 'Invalid Host header: a' and 'Invalid Host header: b' count as one)."""
    text = str(record.msg)
    return text if record.args else text.partition(": ")[0][:200]
