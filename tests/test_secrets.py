"""Keys never leak: every tool, every error path, the audit log and the state store, with recognisable keys.

The server runs as it would against the FinerWorks sandbox, with keys nobody could mistake. A transport in front of
the simulator checks that those keys arrive as headers, lets the simulator accept them, and echoes them back the way
FinerWorks echoes an app key, so a leak anywhere on the way to the model would show.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import httpx2
import pytest
from mcp import Client
from mcp.types import CallToolResult

from finerworks_mcp.api.client import RetryPolicy
from finerworks_mcp.config import load_settings
from finerworks_mcp.mcp.server import build_server
from finerworks_mcp.settings import ConfigError
from finerworks_mcp.simulator import SIMULATOR_APP_KEY, SIMULATOR_WEB_API_KEY, SimulatorState
from tests.support import FAILURES, GUARD_ARGUMENTS, TOOL_ARGUMENTS, WRITE_ARGUMENTS, ArmedTransport, Sleeps, text_of

pytestmark = pytest.mark.anyio

WEB_API_KEY = "SECRET-WEB-KEY-7f3a9c2e41d84b6b"
APP_KEY = "SECRET-APP-KEY-0c5e8d1b93a7462f"
GUARD_SECRET = "SECRET-GUARD-KEY-5b1e9d7c3a2f4e6d8b0a"
SECRETS = (WEB_API_KEY, APP_KEY, GUARD_SECRET)
LOGGERS = ("", "finerworks_mcp", "httpx2", "httpcore2", "mcp", "anyio")


class SandboxKeys(httpx2.AsyncBaseTransport):
    """Stands where FinerWorks' sandbox would: insists on the configured keys, and echoes them in answers."""

    def __init__(self, inner: ArmedTransport) -> None:
        self.inner = inner
        self.refuse = False
        self.requests = 0

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        assert (request.headers["web_api_key"], request.headers["app_key"]) == (WEB_API_KEY, APP_KEY)
        self.requests += 1
        if not self.refuse:
            request.headers["web_api_key"], request.headers["app_key"] = SIMULATOR_WEB_API_KEY, SIMULATOR_APP_KEY
        response = await self.inner.handle_async_request(request)
        body = (await response.aread()).replace(SIMULATOR_APP_KEY.encode(), APP_KEY.encode())
        body = body.replace(SIMULATOR_WEB_API_KEY.encode(), WEB_API_KEY.encode())
        headers = [(k, v) for k, v in response.headers.items() if k.lower() != "content-length"]
        return httpx2.Response(response.status_code, headers=headers, content=body, request=request)


def sandbox_env(tmp_path: Path) -> dict[str, str]:
    return {
        "FINERWORKS_ENV": "sandbox",
        "FINERWORKS_WEB_API_KEY": WEB_API_KEY,
        "FINERWORKS_APP_KEY": APP_KEY,
        "FINERWORKS_GUARD_SECRET": GUARD_SECRET,
        "FINERWORKS_STATE_URL": f"sqlite:///{tmp_path}/state/actions.db",
        "FINERWORKS_AUDIT_LOG": str(tmp_path / "audit.jsonl"),
        "FINERWORKS_MAX_RPS": "1000",
    }


class Seen(list[str]):
    """Everything the model was shown."""

    def add(self, result: CallToolResult) -> CallToolResult:
        self.append(text_of(result))
        self.append(json.dumps(result.structured_content))
        return result


def assert_no_secret(where: str, text: str) -> None:
    for secret in SECRETS:
        assert secret not in text, f"{secret[:14]}… appears in {where}"
        assert secret[-16:] not in text, f"the end of {secret[:14]}… appears in {where}"


async def test_no_tool_error_log_line_or_file_ever_shows_a_key(
    sim: SimulatorState, tmp_path: Path, caplog: pytest.LogCaptureFixture, capfd: pytest.CaptureFixture[str]
) -> None:
    sandbox = SandboxKeys(ArmedTransport(sim))
    server = build_server(load_settings(sandbox_env(tmp_path)), transport=sandbox, retry=RetryPolicy(sleep=Sleeps()))
    for name in LOGGERS:
        caplog.set_level(logging.DEBUG, logger=name)
    seen = Seen()
    async with Client(server) as client:  # type: ignore[arg-type]
        seen.add(await client.call_tool("list_pending_actions", {}))
        # Every tool, and every change confirmed: requests, answers and audit records all pass by.
        for tool, arguments in TOOL_ARGUMENTS.items():
            if tool in GUARD_ARGUMENTS:
                continue
            result = seen.add(await client.call_tool(tool, arguments))
            token = (result.structured_content or {}).get("confirmation_token")
            if token:
                seen.add(await client.call_tool("confirm_action", {"confirmation_token": token}))
        # Every failure, on a read and on a confirmed write; then a cancelled and a replayed token.
        for failure in FAILURES:
            sim.faults.add(failure.kind, times=None, **failure.params)
            seen.add(await client.call_tool("test_my_credentials", {}))
            sim.faults.clear()
            proposal = seen.add(await client.call_tool("add_event", WRITE_ARGUMENTS["add_event"]))
            token = {"confirmation_token": proposal.structured_content["confirmation_token"]}  # type: ignore[index]
            sandbox.inner.next_write_fails = failure
            seen.add(await client.call_tool("confirm_action", token))
            seen.add(await client.call_tool("confirm_action", token))
        proposal = seen.add(await client.call_tool("update_order", WRITE_ARGUMENTS["update_order"]))
        token = {"confirmation_token": proposal.structured_content["confirmation_token"]}  # type: ignore[index]
        seen.add(await client.call_tool("cancel_action", token))
        seen.add(await client.call_tool("confirm_action", token))
        # Keys FinerWorks refuses.
        sandbox.refuse = True
        refused = seen.add(await client.call_tool("test_my_credentials", {}))
        seen.add(await client.call_tool("get_prices", TOOL_ARGUMENTS["get_prices"]))

    assert refused.is_error
    assert "The FinerWorks keys were refused" in text_of(refused)
    assert sandbox.requests > 100
    assert "SECRET-" not in "".join(seen)
    assert_no_secret("tool results", "\n".join(seen))
    assert_no_secret("log records", caplog.text)
    assert_no_secret("log record arguments", repr([record.args for record in caplog.records]))
    captured = capfd.readouterr()
    assert_no_secret("stdout", captured.out)
    assert_no_secret("stderr", captured.err)
    audit = (tmp_path / "audit.jsonl").read_text()
    assert len(audit.splitlines()) > 40
    assert_no_secret("the audit log", audit)
    state_files = list((tmp_path / "state").iterdir())
    assert state_files
    for path in state_files:
        assert_no_secret(str(path.name), path.read_bytes().decode("latin-1"))


def test_settings_never_show_a_key_in_a_repr_the_masked_view_or_a_start_up_error(tmp_path: Path) -> None:
    env = sandbox_env(tmp_path) | {"FINERWORKS_STATE_URL": f"redis://:{GUARD_SECRET}@cache.internal:6379/0"}
    settings = load_settings(env)
    assert_no_secret("repr(settings)", repr(settings))
    assert_no_secret("masked settings", json.dumps(settings.masked()))
    broken: dict[str, Any] = env | {"FINERWORKS_TIMEOUT": "-1", "FINERWORKS_STATE_URL": f"mongodb://{APP_KEY}@db/x"}
    with pytest.raises(ConfigError) as refused:
        load_settings(broken)
    assert "FINERWORKS_TIMEOUT" in str(refused.value)
    assert "FINERWORKS_STATE_URL: unknown scheme mongodb://" in str(refused.value)
    assert_no_secret("a start-up error", str(refused.value))
