"""The commands a person types: `config <client>`, `--help`, `--env-file`, a terminal start, a busy simulator port,
and the settings refused at start-up. In process where the command allows it, through a subprocess where it cannot."""

from __future__ import annotations

import json
import os
import pty
import select
import shlex
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from finerworks_mcp.cli import main
from finerworks_mcp.client_config import CLIENTS
from tests.support import AUDIT_DIR, clean_environment

THIS_COMMAND = str(Path(os.path.abspath(sys.executable)).parent / "finerworks-mcp")
WEB_KEY = "11111111-2222-3333-4444-webapikey000"
APP_KEY = "99999999-8888-7777-6666-appkey000000"


@pytest.fixture(autouse=True)
def _no_finerworks_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    """In-process commands read os.environ: only what each test sets."""
    for name in list(os.environ):
        if name.upper().startswith("FINERWORKS_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("FINERWORKS_AUDIT_LOG", str(AUDIT_DIR / "cli-commands.jsonl"))


def _snippet(out: str) -> str:
    """The configuration between the locations and the advice: a JSON document or the one shell command."""
    return out.split("\n\n")[1]


@pytest.mark.parametrize("client", ["claude-desktop", "cursor", "windsurf"])
def test_config_prints_an_mcp_servers_snippet_with_this_install_and_the_simulator(
    client: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["config", client]) == 0
    out = capsys.readouterr().out
    server = json.loads(_snippet(out))["mcpServers"]["finerworks"]
    assert server["command"] == THIS_COMMAND
    assert Path(server["command"]).is_absolute()
    assert Path(server["command"]).exists()
    assert server["env"] == {"FINERWORKS_ENV": "simulator"}
    for system in ("macOS", "Windows"):
        assert system in out
    for path in CLIENTS[client].where.values():
        assert path in out


def test_config_for_vscode_uses_servers_and_asks_for_the_keys(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["config", "vscode", "--env", "sandbox"]) == 0
    document = json.loads(_snippet(capsys.readouterr().out))
    server = document["servers"]["finerworks"]
    assert server["type"] == "stdio"
    assert server["command"] == THIS_COMMAND
    assert server["env"]["FINERWORKS_ENV"] == "sandbox"
    assert server["env"]["FINERWORKS_WEB_API_KEY"] == "${input:finerworks-web-api-key}"
    assert {entry["id"] for entry in document["inputs"] if entry["password"]} == {
        "finerworks-web-api-key",
        "finerworks-app-key",
    }


def test_config_for_claude_code_is_a_claude_mcp_add_command(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["config", "claude-code", "--env", "production"]) == 0
    out = capsys.readouterr().out
    words = shlex.split(_snippet(out))
    assert words[:6] == ["claude", "mcp", "add", "--scope", "user", "finerworks"]  # the name before --env
    assert words[words.index("--") + 1 :] == [THIS_COMMAND]
    assert "FINERWORKS_ENV=production" in words
    assert "FINERWORKS_WEB_API_KEY=<your-web-api-key>" in words
    assert "Replace the <...> placeholders" in out


def test_config_puts_keys_in_only_when_asked(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FINERWORKS_WEB_API_KEY", WEB_KEY)
    monkeypatch.setenv("FINERWORKS_APP_KEY", APP_KEY)
    assert main(["config", "cursor", "--env", "sandbox"]) == 0
    without = capsys.readouterr().out
    assert WEB_KEY not in without
    assert main(["config", "cursor", "--env", "sandbox", "--with-keys"]) == 0
    env = json.loads(_snippet(capsys.readouterr().out))["mcpServers"]["finerworks"]["env"]
    assert env == {"FINERWORKS_ENV": "sandbox", "FINERWORKS_WEB_API_KEY": WEB_KEY, "FINERWORKS_APP_KEY": APP_KEY}
    monkeypatch.delenv("FINERWORKS_APP_KEY")
    assert main(["config", "cursor", "--env", "sandbox", "--with-keys"]) == 2
    assert "--with-keys reads FINERWORKS_APP_KEY from the environment" in capsys.readouterr().err


def test_help_lists_every_variable_and_the_default_environment(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    assert "The default environment is sandbox" in " ".join(out.split())
    for name in ("FINERWORKS_ENV", "FINERWORKS_WEB_API_KEY", "FINERWORKS_READ_ONLY", "FINERWORKS_WORKFLOW_CONCURRENCY"):
        assert name in out
    assert "config" in out
    assert "--env-file" in out


def test_an_unknown_setting_stops_the_server_before_it_serves(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FINERWORKS_ENV", "simulator")
    monkeypatch.setenv("FINERWORKS_READONLY", "true")
    assert main(["serve"]) == 2
    captured = capsys.readouterr()
    assert "FINERWORKS_READONLY is not a setting: did you mean FINERWORKS_READ_ONLY?" in captured.err
    assert captured.out == ""


def test_check_reads_an_env_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text("FINERWORKS_ENV=simulator\nFINERWORKS_TOOL_SCHEMAS=full\n", encoding="utf-8")
    assert main(["check", "--env-file", str(env_file)]) == 0
    out = capsys.readouterr().out
    assert any(line.split() == ["FINERWORKS_TOOL_SCHEMAS", "full"] for line in out.splitlines())
    assert "Credentials OK" in out


def test_the_simulator_on_a_busy_port_fails_before_its_banner(capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["simulator", "--port", str(port)]) == 1
    err = capsys.readouterr().err
    assert "FinerWorks simulator on" not in err
    assert f"cannot listen on 127.0.0.1:{port}" in err
    assert "Next: pick another --port" in err


@pytest.mark.slow
def test_started_in_a_terminal_the_server_says_what_it_is_waiting_for() -> None:
    leader, follower = pty.openpty()  # stdin is a terminal, as when a person runs the command by hand
    process = subprocess.Popen(
        [sys.executable, "-m", "finerworks_mcp"],
        stdin=follower,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=clean_environment(FINERWORKS_ENV="simulator", FINERWORKS_AUDIT_LOG=str(AUDIT_DIR / "tty.jsonl")),
    )
    os.close(follower)
    try:
        assert process.stderr is not None
        # Bounded wait for the first words on stderr (the server serves until stopped, so no EOF comes).
        ready, _, _ = select.select([process.stderr], [], [], 60)
        line = os.read(process.stderr.fileno(), 4096).decode() if ready else ""
    finally:
        process.terminate()
        _, err = process.communicate(timeout=30)
        os.close(leader)
    text = line + err.decode()
    assert "waiting for an MCP client on stdin" in text
    assert "finerworks-mcp demo" in text


def test_config_run_through_uvx_names_uvx_and_the_source_not_uvs_cache(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # uvx runs the command from an environment in its cache (…/archive-v0/<hash>/bin), which uv may delete.
    cached = tmp_path / "uv" / "archive-v0" / "Xy12" / "bin"
    cached.mkdir(parents=True)
    monkeypatch.setattr(sys, "executable", str(cached / "python"))
    assert main(["config", "cursor"]) == 0
    server = json.loads(_snippet(capsys.readouterr().out))["mcpServers"]["finerworks"]
    assert server["command"] == "uvx"
    assert server["args"] == ["--from", str(Path(__file__).resolve().parent.parent), "finerworks-mcp"]
