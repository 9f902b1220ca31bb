"""A real `finerworks-mcp serve --transport http` process on a free loopback port, and MCP clients for it.

Used by `python -m bench.http_load`, the HTTP tests and the external-client tests (tests import it from here, so bench
never imports tests/). The server picks its own port
(`--port 0`); readiness and shutdown are read from its log lines as they arrive, so nothing polls or sleeps.
"""

from __future__ import annotations

import os
import re
import resource
import signal
import subprocess
import sys
import threading
from collections.abc import AsyncIterator, Iterator, Mapping
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx2
from mcp import Client
from mcp.client.streamable_http import streamable_http_client
from mcp.types import CallToolResult, TextContent

from finerworks_mcp.mcp.http import GRACEFUL_SHUTDOWN_SECONDS, HEALTH_PATH, MCP_PATH

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "test-bearer-token-4f9c2e7a1b6d8e30c5a9f7b2"
"""Recognisable on purpose: tests look for it in logs and output."""
STARTUP_SECONDS = 60.0
STOP_SECONDS = GRACEFUL_SHUTDOWN_SECONDS + 10.0
RUNNING = re.compile(r"Uvicorn running on (http://\S+)")
STARTED = "Uvicorn running on"  # logged once the socket listens, after the app started
MODES = ("auto", "legacy")
"""Both protocol eras a client speaks: 2026-07-28 ("auto" negotiates it) and the initialize handshake ("legacy")."""


def text_of(result: CallToolResult) -> str:
    """The text a tool result shows the model."""
    return "\n".join(part.text for part in result.content if isinstance(part, TextContent))


@dataclass
class ServerLog:
    """The server's stderr, copied line by line to a file and watched for a line of interest."""

    path: Path
    lines: list[str] = field(default_factory=list[str])
    closed: bool = False
    changed: threading.Condition = field(default_factory=threading.Condition)

    def follow(self, stream: Iterator[str]) -> None:
        with self.path.open("w", encoding="utf-8") as copy:
            for line in stream:
                copy.write(line)
                copy.flush()
                with self.changed:
                    self.lines.append(line)
                    self.changed.notify_all()
        with self.changed:
            self.closed = True
            self.changed.notify_all()

    def wait_for(self, text: str, timeout: float) -> bool:
        """True once a line contains `text`; False if the process ended or `timeout` passed first."""
        with self.changed:
            self.changed.wait_for(lambda: self.closed or any(text in line for line in self.lines), timeout)
            return any(text in line for line in self.lines)

    @property
    def text(self) -> str:
        with self.changed:
            return "".join(self.lines)


@dataclass
class ServerProcess:
    process: subprocess.Popen[str]
    log: ServerLog
    base_url: str = ""

    @property
    def mcp_url(self) -> str:
        return self.base_url + MCP_PATH

    @property
    def health_url(self) -> str:
        return self.base_url + HEALTH_PATH

    @property
    def host_header(self) -> str:
        return self.base_url.removeprefix("http://")

    def rss_bytes(self) -> int:
        """Resident memory of the server process, from /proc (Linux)."""
        status = Path(f"/proc/{self.process.pid}/status").read_text()
        match = re.search(r"^VmRSS:\s+(\d+) kB", status, re.MULTILINE)
        assert match, "no VmRSS in /proc status"
        return int(match.group(1)) * 1024

    def cpu_seconds(self) -> float:
        """User plus system CPU time the server process has used, from /proc (Linux)."""
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self, sig: signal.Signals = signal.SIGTERM) -> int:
        """Signal the server and wait (bounded) for it to exit; returns its exit code."""
        if self.process.poll() is None:
            self.process.send_signal(sig)
        try:
            return self.process.wait(STOP_SECONDS)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(STOP_SECONDS)
            raise AssertionError(f"the server did not exit within {STOP_SECONDS:g}s of {sig.name}") from None


def server_environment(log_dir: Path, env: Mapping[str, str | None]) -> dict[str, str]:
    """The process environment without the developer's FINERWORKS_* settings, plus `env` (None unsets)."""
    base = {name: value for name, value in os.environ.items() if not name.startswith("FINERWORKS_")}
    defaults: dict[str, str | None] = {
        "FINERWORKS_ENV": "simulator",
        "FINERWORKS_MCP_TOKEN": TOKEN,
        "FINERWORKS_AUDIT_LOG": str(log_dir / "audit.jsonl"),
    }
    chosen = {**defaults, **env}
    return base | {name: value for name, value in chosen.items() if value is not None}


def _open_files_limit(files: int) -> None:
    """In the child before exec: a lower open-file limit, so a test can run a server out of descriptors."""
    resource.setrlimit(resource.RLIMIT_NOFILE, (files, files))


@contextmanager
def http_server(
    log_dir: Path, env: Mapping[str, str | None] | None = None, *args: str, open_files: int | None = None
) -> Iterator[ServerProcess]:
    """`finerworks-mcp serve --transport http --port 0 ARGS` on the simulator with TOKEN, until the block ends.

    `open_files` caps the server's open-file limit (soft and hard)."""
    log_dir.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, "-m", "finerworks_mcp", "serve", "--transport", "http", "--port", "0", *args]
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        env=server_environment(log_dir, env or {}),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=(lambda: _open_files_limit(open_files)) if open_files else None,
    )
    assert process.stderr is not None
    log = ServerLog(log_dir / "server.log")
    reader = threading.Thread(target=log.follow, args=(process.stderr,), daemon=True)
    reader.start()
    server = ServerProcess(process, log)
    try:
        if not log.wait_for(STARTED, STARTUP_SECONDS):
            raise AssertionError(f"the HTTP server did not start:\n{log.text}")
        found = RUNNING.search(log.text)
        assert found, log.text
        server.base_url = found.group(1)
        yield server
    finally:
        if process.poll() is None:
            server.stop()
        reader.join(STOP_SECONDS)


def auth_headers(token: str | None = TOKEN) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"} if token else {}


@asynccontextmanager
async def http_client(url: str, mode: str = "auto", token: str | None = TOKEN) -> AsyncIterator[Client]:
    """An MCP client over streamable HTTP; the SDK needs an httpx2 client to carry the bearer header."""
    async with (
        httpx2.AsyncClient(headers=auth_headers(token), timeout=60.0) as http,
        Client(streamable_http_client(url, http_client=http), mode=mode) as client,  # type: ignore[arg-type]
    ):
        yield client
