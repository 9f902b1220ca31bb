"""Clients that other teams maintain drive the server: the MCP Inspector CLI over stdio and HTTP on both protocol
eras, and the MCP conformance suite over HTTP with a committed baseline.

The Node tools and Node 22 are pinned in .ci/node/ and installed by .ci/install-node-tools into .cache/node-tools.
Without them these tests skip with that instruction, except under CI=true, where they fail: CI must run them.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import anyio
import pytest

from bench.server_process import ROOT, TOKEN, ServerProcess, auth_headers, http_server
from finerworks_mcp.mcp.server import build_server
from finerworks_mcp.simulator import seed
from tests.support import NODE_BIN, node_tool, settings

BASELINE = ROOT / ".ci" / "conformance-expected-failures.yml"
pytestmark = pytest.mark.slow  # every test here drives an external client in a process of its own

ERAS = ("legacy", "modern")
SPEC_VERSIONS = ("2025-11-25", "2026-07-28")
INSPECTOR_SECONDS = 120
CONFORMANCE_SECONDS = 600
# The Inspector CLI's documented exit codes.
EXIT_OK, EXIT_AUTH_REQUIRED, EXIT_TOOL_ERROR = 0, 3, 5


@dataclass(frozen=True)
class Outcome:
    code: int
    stdout: str
    stderr: str

    def payload(self) -> Any:
        """The Inspector's one JSON object (`--format json -q`): the result on stdout, an error envelope on stderr."""
        text = self.stdout.strip() or self.stderr.strip()
        assert text, f"no output (exit {self.code})"
        return json.loads(text.splitlines()[-1])


def run_node(tool: Path, args: list[str], scratch: Path, timeout: float) -> Outcome:
    # Node 22 from the pinned package first on PATH (the tools' `#!/usr/bin/env node`); a fresh HOME because the
    # Inspector keeps a catalog and auth state under ~/.mcp-inspector; a scratch cwd so no project file is read.
    home = scratch / "home"
    home.mkdir(parents=True, exist_ok=True)
    env = {name: value for name, value in os.environ.items() if not name.startswith("FINERWORKS_")}
    env |= {"PATH": f"{NODE_BIN}{os.pathsep}{env.get('PATH', '')}", "HOME": str(home), "NO_COLOR": "1"}
    done = subprocess.run(
        [str(tool), *args],
        cwd=scratch,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    return Outcome(done.returncode, done.stdout, done.stderr)


def inspector(target: list[str], era: str, scratch: Path, *method: str) -> Outcome:
    # The target goes right after --cli: --tool-arg and --header are variadic and would swallow it.
    args = ["--cli", *target, "--protocol-era", era, "--stored-auth-only", *method, "--format", "json", "-q"]
    return run_node(node_tool("inspector"), args, scratch, INSPECTOR_SECONDS)


def stdio_target(scratch: Path) -> list[str]:
    # The Inspector passes a stdio server only a few variables (PATH, HOME, ...) plus its -e pairs.
    audit = scratch / "audit.jsonl"
    return [
        sys.executable,
        "-m",
        "finerworks_mcp",
        "-e",
        "FINERWORKS_ENV=simulator",
        "-e",
        f"FINERWORKS_AUDIT_LOG={audit}",
    ]


def http_target(server: ServerProcess, token: str | None = TOKEN) -> list[str]:
    headers = [f"{name}: {value}" for name, value in auth_headers(token).items()]
    return [server.mcp_url, "--transport", "http", *(["--header", *headers] if headers else [])]


LIST_TOOLS = ("--method", "tools/list")
CHECK_CREDENTIALS = ("--method", "tools/call", "--tool-name", "test_my_credentials", "--tool-args-json", "{}")


@pytest.fixture(scope="module")
def expected_tools() -> list[str]:
    """The tool names our own in-memory listing gives, which every client must see too."""
    tools = anyio.run(build_server(settings()).list_tools)
    return sorted(tool.name for tool in tools)


@pytest.fixture(scope="module")
def bearer_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    node_tool("inspector")  # skip before paying for a server process
    with http_server(tmp_path_factory.mktemp("inspector-http")) as running:
        yield running


def account_of(outcome: Outcome) -> str:
    assert outcome.code == EXIT_OK, outcome
    result = outcome.payload()["result"]
    assert result["isError"] is False, result
    return result["structuredContent"]["user_account"]["account_username"]


@pytest.mark.parametrize("era", ERAS)
def test_inspector_lists_the_tools_over_stdio_and_their_schemas_pass_its_lint(
    era: str, tmp_path: Path, expected_tools: list[str]
) -> None:
    outcome = inspector(stdio_target(tmp_path), era, tmp_path, *LIST_TOOLS, "--strict")
    assert outcome.code == EXIT_OK, outcome  # --strict exits 6 on an error-severity schema problem
    assert sorted(tool["name"] for tool in outcome.payload()["result"]["tools"]) == expected_tools


@pytest.mark.parametrize("era", ERAS)
def test_inspector_calls_a_read_tool_over_stdio(era: str, tmp_path: Path) -> None:
    outcome = inspector(stdio_target(tmp_path), era, tmp_path, *CHECK_CREDENTIALS)
    assert account_of(outcome) == seed.ACCOUNT_USERNAME


def test_inspector_sees_a_refused_call_as_a_tool_error_with_the_reason(tmp_path: Path) -> None:
    arguments = json.dumps({"products": [{"product_sku": seed.VALID_PRODUCT_CODE, "product_qty": 0}]})
    call = ("--method", "tools/call", "--tool-name", "get_prices", "--tool-args-json", arguments)
    outcome = inspector(stdio_target(tmp_path), "modern", tmp_path, *call)
    assert outcome.code == EXIT_TOOL_ERROR, outcome
    result = outcome.payload()["result"]
    assert result["isError"] is True
    assert "greater than or equal to 1" in json.dumps(result["content"])


@pytest.mark.parametrize("era", ERAS)
def test_inspector_lists_and_calls_over_http_with_the_bearer_token(
    era: str, tmp_path: Path, bearer_server: ServerProcess, expected_tools: list[str]
) -> None:
    listed = inspector(http_target(bearer_server), era, tmp_path, *LIST_TOOLS)
    assert listed.code == EXIT_OK, listed
    assert sorted(tool["name"] for tool in listed.payload()["result"]["tools"]) == expected_tools
    called = inspector(http_target(bearer_server), era, tmp_path, *CHECK_CREDENTIALS)
    assert account_of(called) == seed.ACCOUNT_USERNAME
    assert TOKEN not in bearer_server.log.text


@pytest.mark.parametrize("era", ERAS)
def test_inspector_without_the_token_is_told_authorization_is_required(
    era: str, tmp_path: Path, bearer_server: ServerProcess
) -> None:
    outcome = inspector(http_target(bearer_server, token=None), era, tmp_path, *LIST_TOOLS)
    assert outcome.code == EXIT_AUTH_REQUIRED, outcome
    assert outcome.payload()["error"]["code"] == "auth_required"


@pytest.fixture(scope="module")
def open_loopback_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    # The conformance suite cannot send a bearer header, so it meets the server as `--no-auth` on loopback allows.
    node_tool("conformance")
    env = {"FINERWORKS_MCP_TOKEN": None}
    with http_server(tmp_path_factory.mktemp("conformance"), env, "--host", "127.0.0.1", "--no-auth") as running:
        yield running


@pytest.mark.parametrize("spec_version", SPEC_VERSIONS)
def test_conformance_suite_passes_except_the_scenarios_needing_its_own_fixture_server(
    spec_version: str, tmp_path: Path, open_loopback_server: ServerProcess
) -> None:
    args = [
        "server",
        "--url",
        open_loopback_server.mcp_url,
        "--suite",
        "all",
        "--spec-version",
        spec_version,
        "--expected-failures",
        str(BASELINE),
    ]
    outcome = run_node(node_tool("conformance"), args, tmp_path, CONFORMANCE_SECONDS)
    report = outcome.stdout[-4000:] + outcome.stderr[-2000:]
    assert outcome.code == 0, report
    assert "Baseline check passed" in outcome.stdout, report
    assert "tools-list" in outcome.stdout  # the suite really ran scenarios against us
