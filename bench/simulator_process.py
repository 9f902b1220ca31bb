"""The simulator as its own process, standing in for a remote FinerWorks with a fixed latency on every answer.

    python -m bench.simulator_process PORT LATENCY_SECONDS

Its own process, so its work runs beside the server's (as FinerWorks' does) instead of inside the measured one.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

from finerworks_mcp.simulator import SimulatorState, serve

HOST = "127.0.0.1"
START_TIMEOUT_S = 30.0


def main(port: int, latency: float) -> None:
    state = SimulatorState()
    if latency > 0:
        state.faults.add("latency", seconds=latency, times=None)
    serve(host=HOST, port=port, state=state)


@contextmanager
def running(latency: float) -> Iterator[str]:
    """A simulator process answering after `latency` seconds; yields its base URL (FINERWORKS_BASE_URL)."""
    from bench.stdio import ROOT

    with socket.socket() as probe:
        probe.bind((HOST, 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen(
        [sys.executable, "-m", "bench.simulator_process", str(port), str(latency)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            try:
                socket.create_connection((HOST, port), timeout=0.2).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("the simulator process did not start") from None
                time.sleep(0.05)
        yield f"http://{HOST}:{port}/v3"
    finally:
        process.terminate()
        process.wait(timeout=10)


if __name__ == "__main__":
    main(int(sys.argv[1]), float(sys.argv[2]))
