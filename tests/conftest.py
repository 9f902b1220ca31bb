from __future__ import annotations

import pytest

from bench.server_process import MODES
from finerworks_mcp.simulator import SimulatorState


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
