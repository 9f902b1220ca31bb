from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Iterator

import pytest
import redis

from bench.server_process import MODES
from finerworks_mcp.simulator import SimulatorState
from tests.support import free_port


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def sim() -> SimulatorState:
    return SimulatorState()


@pytest.fixture(params=MODES)
def mode(request: pytest.FixtureRequest) -> str:
    """Both protocol eras: 2026-07-28 ("auto" negotiates it) and the initialize handshake ("legacy")."""
    return request.param


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    binary = shutil.which("redis-server")
    if binary is None:
        problem = "redis-server is not installed (apt-get install redis-server)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{problem}; CI must run the Redis store tests")
        pytest.skip(problem)
    port = free_port()
    folder = tmp_path_factory.mktemp("redis")
    command = [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
    process = subprocess.Popen([*command, "--dir", str(folder)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    probe = redis.Redis(port=port, socket_timeout=1)
    deadline = time.monotonic() + 15
    try:
        while True:  # bounded wait for the server to accept connections
            try:
                probe.ping()
                break
            except redis.ConnectionError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(
                        f"redis-server did not start: {process.stderr and process.stderr.read()}"
                    ) from None
                time.sleep(0.02)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        probe.close()
        process.terminate()
        process.wait(timeout=10)
        if process.stderr:
            process.stderr.close()


@pytest.fixture
def redis_url(redis_server: str) -> str:
    with redis.Redis.from_url(redis_server) as client:
        client.flushdb()
    return redis_server
