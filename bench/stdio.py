"""An MCP server process spoken to in raw JSON-RPC lines over its stdin and stdout.

Raw lines rather than the SDK's client, so a stdio number is the server and the pipe, not the client's own work;
the handshake is the 2025-11-25 `initialize` one, which every client still speaks.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import anyio
from anyio.abc import Process
from anyio.streams.buffered import BufferedByteReceiveStream

ROOT = Path(__file__).resolve().parent.parent
PROTOCOL_VERSION = "2025-11-25"
MAX_LINE = 64 * 1024 * 1024


class StdioServer:
    """One server process; `start()` returns the seconds from spawning it to its first tools/list answer."""

    def __init__(self, argv: Sequence[str], env: Mapping[str, str] | None = None, cwd: Path = ROOT) -> None:
        self.argv = list(argv)
        self.cwd = cwd
        self.env = {**os.environ, **(env or {})}
        self._process: Process | None = None
        self._lines: BufferedByteReceiveStream | None = None
        self._next_id = 0
        self.tool_list_bytes = 0
        self.tools: list[dict[str, Any]] = []

    async def start(self) -> float:
        started = time.perf_counter()
        self._process = await anyio.open_process(
            self.argv,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            cwd=self.cwd,
            env=self.env,
        )
        assert self._process.stdout is not None
        self._lines = BufferedByteReceiveStream(self._process.stdout)
        await self.request(
            "initialize",
            {"protocolVersion": PROTOCOL_VERSION, "capabilities": {}, "clientInfo": {"name": "bench", "version": "1"}},
        )
        await self._send({"jsonrpc": "2.0", "method": "notifications/initialized"})
        await self.request("tools/list")
        return time.perf_counter() - started

    async def call(self, tool: str, arguments: Mapping[str, Any]) -> dict[str, Any]:
        result = await self.request("tools/call", {"name": tool, "arguments": dict(arguments)})
        if result.get("isError"):
            raise RuntimeError(f"{tool} failed: {result.get('content')}")
        return result

    async def request(self, method: str, params: Mapping[str, Any] | None = None) -> dict[str, Any]:
        self._next_id += 1
        message: dict[str, Any] = {"jsonrpc": "2.0", "id": self._next_id, "method": method}
        if params is not None:
            message["params"] = dict(params)
        await self._send(message)
        assert self._lines is not None
        while True:  # skip the server's own notifications and requests
            line = await self._lines.receive_until(b"\n", MAX_LINE)
            answer = json.loads(line)
            if answer.get("id") == self._next_id and "method" not in answer:
                break
        if "error" in answer:
            raise RuntimeError(f"{method}: {answer['error']}")
        if method == "tools/list":
            self.tool_list_bytes = len(line)
            self.tools = answer["result"]["tools"]
        return answer["result"]

    async def _send(self, message: Mapping[str, Any]) -> None:
        assert self._process is not None
        assert self._process.stdin is not None
        await self._process.stdin.send(json.dumps(message).encode() + b"\n")

    def rss_bytes(self) -> int:
        """Resident memory right now, from /proc (Linux)."""
        return self._status("VmRSS")

    def peak_bytes(self) -> int:
        """The most resident memory since start, or since `reset_peak()` (Linux)."""
        return self._status("VmHWM")

    def reset_peak(self) -> None:
        assert self._process is not None
        Path(f"/proc/{self._process.pid}/clear_refs").write_text("5")  # VmHWM back to VmRSS

    def _status(self, field: str) -> int:
        assert self._process is not None
        for line in Path(f"/proc/{self._process.pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
        raise RuntimeError(f"no {field} in /proc status")

    async def close(self) -> None:
        if self._process is None:
            return
        assert self._process.stdin is not None
        await self._process.stdin.aclose()  # stdio servers exit when their input ends
        with anyio.move_on_after(5):
            await self._process.wait()
        if self._process.returncode is None:
            self._process.kill()
            await self._process.wait()
        self._process = None


def python_module(module: str) -> list[str]:
    return [sys.executable, "-m", module]
