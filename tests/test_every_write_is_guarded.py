"""Walk the tool list: every tool that can change something only proposes, and nothing reaches FinerWorks."""

from __future__ import annotations

import pytest

from finerworks_mcp.api.endpoints import WRITE_ENDPOINTS
from finerworks_mcp.mcp.tools import TOOLSETS
from finerworks_mcp.simulator import SimulatorState
from tests.support import WRITE_ARGUMENTS, call_ok, connect, real_writes

pytestmark = pytest.mark.anyio

SETTLING_TOOLS = {"confirm_action", "cancel_action"}


def test_every_write_endpoint_has_example_arguments() -> None:
    assert set(WRITE_ARGUMENTS) == WRITE_ENDPOINTS


async def test_every_tool_that_is_not_read_only_proposes_and_sends_nothing(sim: SimulatorState, mode: str) -> None:
    async with connect(sim, mode, env={"TOOLSETS": ",".join(TOOLSETS)}) as client:
        tools = (await client.list_tools()).tools
        proposing = [t for t in tools if t.annotations and not t.annotations.read_only_hint]
        proposing = [t for t in proposing if t.name not in SETTLING_TOOLS]
        assert {t.name for t in proposing} >= WRITE_ENDPOINTS
        for tool in proposing:
            proposal = await call_ok(client, tool.name, WRITE_ARGUMENTS.get(tool.name, {}))
            assert proposal.get("confirmation_required") is True or proposal.get("blocked_by"), tool.name
            assert "summary" in proposal, tool.name
        pending = await call_ok(client, "list_pending_actions")
    assert real_writes(sim) == []
    assert len(pending["actions"]) >= len(WRITE_ENDPOINTS)
