"""The composition root's view of FINERWORKS_ENV=simulator: the simulator's transport and keys for the server.

Only the layers on top (cli, demo, check, asgi) import this; nothing below them knows the simulator exists.
"""

from __future__ import annotations

from typing import Any

from finerworks_mcp.api.keys import FinerWorksKeys
from finerworks_mcp.settings import Environment, Settings
from finerworks_mcp.simulator import SIMULATOR_APP_KEY, SIMULATOR_WEB_API_KEY, SimulatorState, SimulatorTransport

SIMULATOR_KEYS = FinerWorksKeys(SIMULATOR_WEB_API_KEY, SIMULATOR_APP_KEY)


def upstream(settings: Settings) -> dict[str, Any]:
    """`build_server`'s transport and keys for these settings: the in-process simulator when FINERWORKS_ENV=simulator
    names no base URL, the simulator's keys for a simulator process at FINERWORKS_BASE_URL, nothing otherwise.

    Keys set in the environment are ignored for the simulator (it answers only its own), so switching a sandbox
    configuration to FINERWORKS_ENV=simulator just works; settings refuse a simulator base URL off this machine."""
    if settings.env is not Environment.SIMULATOR:
        return {}
    if settings.base_url is None:
        return {"transport": SimulatorTransport(SimulatorState()), "keys": SIMULATOR_KEYS}
    return {"keys": SIMULATOR_KEYS}
