"""The README tells the truth: its two commands, its tool table, its settings and toolsets match the code."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from mcp.types import Tool

from finerworks_mcp.client_config import CLIENTS
from finerworks_mcp.mcp.tools import TOOLSETS
from finerworks_mcp.settings import Settings
from finerworks_mcp.simulator import SimulatorState
from tests.support import connect

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
TABLE = re.compile(r"<!-- tools:start -->\n(.*?)<!-- tools:end -->", re.S)


def _commands() -> list[str]:
    return re.findall(r"```bash\n(.+?)\n```", README)[:2]


def test_the_readme_opens_with_a_demo_command_and_a_test_command() -> None:
    before_anything_else = README.split("\n## ", 1)[0]
    demo, test = _commands()
    assert demo in before_anything_else
    assert test in before_anything_else
    assert demo.endswith("finerworks-mcp demo")
    assert "pytest" in test
    assert "ruff check" in test
    assert "pyright" in test


def test_ci_runs_the_readme_test_command_verbatim() -> None:
    assert _commands()[1] in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()


def _kind(tool: Tool) -> str:
    hints = tool.annotations
    assert hints is not None
    if hints.read_only_hint:
        return "read"
    if tool.name in {"confirm_action", "cancel_action"}:
        return "settles a change"
    return "change, destructive" if hints.destructive_hint else "change"


def _table(tools: list[Tool]) -> str:
    toolset_of = {spec.name: toolset.name for toolset in TOOLSETS.values() for spec in toolset.specs}
    rows = ["| Tool | Toolset | What it does | Kind |", "| --- | --- | --- | --- |"]
    rows += [f"| `{t.name}` | {toolset_of.get(t.name, 'guard')} | {t.title} | {_kind(t)} |" for t in tools]
    return "\n".join(rows) + "\n"


@pytest.mark.anyio
async def test_the_tool_table_lists_exactly_the_tools_the_server_offers(sim: SimulatorState) -> None:
    async with connect(sim, env={"TOOLSETS": ",".join(TOOLSETS)}) as client:
        expected = _table((await client.list_tools()).tools)
    found = TABLE.search(README)
    assert found is not None, "README lacks the <!-- tools:start --> / <!-- tools:end --> markers"
    assert found.group(1) == expected, "Replace the README tool table with:\n" + expected


def test_every_setting_is_documented() -> None:
    for name in Settings.model_fields:
        assert f"`FINERWORKS_{name.upper()}`" in README, name


def test_every_toolset_is_documented() -> None:
    for name in TOOLSETS:
        assert f"| `{name}` |" in README, name


def test_the_readme_opens_with_two_sentences_saying_what_this_is() -> None:
    opening = README.split("\n```bash\n", 1)[0].split("\n", 1)[1]
    sentences = [part for part in re.split(r"(?<=[.!?])\s+(?=[A-Z*])", " ".join(opening.split())) if part]
    assert len(sentences) == 2, sentences
    assert sentences[0].startswith("finerworks-mcp is an [MCP]")


def test_the_readme_shows_where_each_client_keeps_its_configuration() -> None:
    for client in CLIENTS.values():
        for path in client.where.values():
            assert path.split(" (")[0] in README, (client.title, path)
    assert '"servers": {' in README  # VS Code's shape
    assert "claude mcp add --scope user finerworks --env" in README


def test_the_readme_claims_no_install_that_does_not_work_today() -> None:
    # Published-name installs appear only in the sentence that says they wait for publication.
    for line in README.splitlines():
        if re.search(r"(pip|pipx) install '?finerworks-mcp|uvx finerworks-mcp", line):
            assert "published" in line or "once" in line.lower() or line.startswith("works by name"), line
    assert "Troubleshooting" in README
    assert "Failed to connect" in README
