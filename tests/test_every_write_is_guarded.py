"""Walk the tool list: every tool that can change something only proposes, and nothing reaches FinerWorks."""

from __future__ import annotations

from typing import Any

import pytest

from finerworks_mcp.api.endpoints import WRITE_ENDPOINTS
from finerworks_mcp.mcp.tools import TOOLSETS
from finerworks_mcp.simulator import SimulatorState
from tests import test_order_writes, test_writes
from tests.support import call_ok, connect

pytestmark = pytest.mark.anyio

VALID_ARGUMENTS: dict[str, dict[str, Any]] = {**test_order_writes.VALID_ARGUMENTS, **test_writes.VALID_ARGUMENTS}
SETTLING_TOOLS = {"confirm_action", "cancel_action"}


def _changes_finerworks(request: Any) -> bool:
    # A validate_only submit is FinerWorks' own dry run, used by the order preview; it creates nothing.
    return request.writes and not (isinstance(request.body, dict) and request.body.get("validate_only") is True)


def test_every_write_endpoint_has_example_arguments() -> None:
    assert set(VALID_ARGUMENTS) == WRITE_ENDPOINTS


async def test_every_tool_that_is_not_read_only_proposes_and_sends_nothing(sim: SimulatorState, mode: str) -> None:
    async with connect(sim, mode, env={"TOOLSETS": ",".join(TOOLSETS)}) as client:
        tools = (await client.list_tools()).tools
        proposing = [t for t in tools if t.annotations and not t.annotations.read_only_hint]
        proposing = [t for t in proposing if t.name not in SETTLING_TOOLS]
        assert {t.name for t in proposing} >= WRITE_ENDPOINTS
        for tool in proposing:
            proposal = await call_ok(client, tool.name, VALID_ARGUMENTS.get(tool.name, {}))
            assert proposal.get("confirmation_required") is True or proposal.get("blocked_by"), tool.name
            assert "summary" in proposal, tool.name
        pending = await call_ok(client, "list_pending_actions")
    assert [r for r in sim.requests if _changes_finerworks(r)] == []
    assert len(pending["actions"]) >= len(WRITE_ENDPOINTS)
