"""A key FinerWorks echoes back stays hidden however it is spelled: any letter case, JSON-escaped, URL-encoded,
base64 of the key or of text around it. Checked where a person or the model could see it: tool results, errors,
log records, the audit log and the state store.

A transport stands where FinerWorks' sandbox would: it insists on the configured keys, lets the simulator accept
them, and writes each key back into the simulator's answers in the spelling under test.
"""

from __future__ import annotations

import base64
import json
import logging
import re
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

import httpx2
import pytest

from finerworks_mcp.api.client import RetryPolicy
from finerworks_mcp.config import load_settings
from finerworks_mcp.mcp.server import build_server
from finerworks_mcp.simulator import (
    SIMULATOR_APP_KEY,
    SIMULATOR_WEB_API_KEY,
    SimulatorState,
    SimulatorTransport,
    seed,
)
from tests.support import Sleeps, call_ok, connect, text_of

pytestmark = pytest.mark.anyio

# Shaped like real keys, with the characters encodings change: '/' and '+'.
WEB_API_KEY = "Wk7/Secret+Web/9f3a2c1e84d7b6a5"
APP_KEY = "Ap9/Secret+App/0c5e8d1b93a7462f"
WEB_MARK, APP_MARK = "@@web-key@@", "@@app-key@@"


def _b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


ECHOES: dict[str, Callable[[str], str]] = {
    # Each gives the text as it appears inside a JSON string in FinerWorks' answer.
    "uppercased": str.upper,
    "lowercased": str.lower,
    "slash-escaped": lambda key: key.replace("/", "\\/"),
    "unicode-escaped": lambda key: "".join(f"\\u{ord(char):04X}" for char in key),
    "json inside a string": lambda key: json.dumps(json.dumps({"key": key}).replace("/", "\\/"))[1:-1],
    "url-encoded": lambda key: quote(key, safe=""),
    "url-encoded, lower hex": lambda key: quote(key, safe="").lower(),
    "base64": _b64,
    "url-safe base64 unpadded": lambda key: base64.urlsafe_b64encode(key.encode()).decode().rstrip("="),
    "base64 of text holding it": lambda key: _b64(f'{{"app_key":"{key}","ok":1}}'),
    "base64 of a basic credential": lambda key: "Basic " + _b64(f"lumen:{key}"),
}


class EchoingSandbox(httpx2.AsyncBaseTransport):
    def __init__(self, sim: SimulatorState, echo: Callable[[str], str]) -> None:
        self.inner = SimulatorTransport(sim)
        self.echo = echo
        self.answers = 0

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        assert (request.headers["web_api_key"], request.headers["app_key"]) == (WEB_API_KEY, APP_KEY)
        request.headers["web_api_key"], request.headers["app_key"] = SIMULATOR_WEB_API_KEY, SIMULATOR_APP_KEY
        response = await self.inner.handle_async_request(request)
        body = (await response.aread()).decode()
        echoed = body.replace(WEB_MARK, self.echo(WEB_API_KEY)).replace(APP_MARK, self.echo(APP_KEY))
        self.answers += echoed != body
        headers = [(k, v) for k, v in response.headers.items() if k.lower() != "content-length"]
        return httpx2.Response(response.status_code, headers=headers, content=echoed.encode(), request=request)


def visible(text: str, echo: Callable[[str], str]) -> list[str]:
    """Which key shows in `text`, as itself in any case or as the echo under test."""
    return [key[:6] for key in (WEB_API_KEY, APP_KEY) if key.lower() in text.lower() or echo(key) in text]


@pytest.mark.parametrize("spelling", list(ECHOES))
async def test_a_key_echoed_in_any_spelling_never_reaches_results_errors_logs_audit_or_store(
    sim: SimulatorState, tmp_path: Path, caplog: pytest.LogCaptureFixture, spelling: str
) -> None:
    echo = ECHOES[spelling]
    sim.images[seed.IMAGE_WITH_PRODUCTS_GUID].title = f"Heron {APP_MARK} at dawn"
    sandbox = EchoingSandbox(sim, echo)
    env = {
        "FINERWORKS_ENV": "sandbox",
        "FINERWORKS_WEB_API_KEY": WEB_API_KEY,
        "FINERWORKS_APP_KEY": APP_KEY,
        "FINERWORKS_GUARD_SECRET": "guard-secret-for-the-key-echo-tests-0123456789",
        "FINERWORKS_STATE_URL": f"sqlite:///{tmp_path}/state/actions.db",
        "FINERWORKS_AUDIT_LOG": str(tmp_path / "audit.jsonl"),
        "FINERWORKS_MAX_RPS": "1000",
    }
    server = build_server(load_settings(env), transport=sandbox, retry=RetryPolicy(sleep=Sleeps()))
    for name in ("", "finerworks_mcp", "httpx", "mcp"):
        caplog.set_level(logging.DEBUG, logger=name)
    seen: list[str] = []
    async with connect(sim, server=server) as client:
        listed = await client.call_tool("list_images", {"per_page": 3, "sort_field": "id", "sort_direction": "ASC"})
        seen += [text_of(listed), json.dumps(listed.structured_content)]
        proposal = await call_ok(client, "delete_images", {"guids": [seed.IMAGE_WITH_PRODUCTS_GUID]})
        seen.append(json.dumps(proposal))
        seen.append(json.dumps(await call_ok(client, "list_pending_actions")))
        sim.faults.add("refusal", message=f"The key {WEB_MARK} may not do this")
        refused = await client.call_tool("test_my_credentials", {})
        seen.append(text_of(refused))

    assert sandbox.answers >= 3  # the echo really went out, in list, preview and error
    assert refused.is_error
    # The words around the key still arrive; the key (with any wrapping its spelling adds) reads "(hidden)".
    assert re.search(r"The key .*\(hidden\).* may not do this", text_of(refused))
    assert re.search(r"Heron .*\(hidden\).* at dawn", text_of(listed))
    assert re.search(r"'Heron .*\(hidden\).* at dawn'", proposal["summary"])
    shown = "\n".join(seen)
    assert visible(shown, echo) == [], f"tool results show {visible(shown, echo)}"
    assert visible(caplog.text, echo) == [], "log records"
    audit = (tmp_path / "audit.jsonl").read_text()
    assert "(hidden)" in audit
    assert visible(audit, echo) == [], "the audit log"
    for path in (tmp_path / "state").iterdir():
        assert visible(path.read_bytes().decode("latin-1"), echo) == [], path.name
