"""`finerworks-mcp config <client>`: a ready-to-paste configuration for an MCP client, naming this install's command.

Each client keeps its MCP servers in its own file and shape (VS Code under "servers", the others under
"mcpServers"; Claude Code through `claude mcp add`). Keys are placeholders unless asked for (`--with-keys`), so the
output can be pasted into a chat or an issue without leaking anything.
"""

from __future__ import annotations

import json
import os
import shlex
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from importlib.metadata import distributions
from pathlib import Path
from typing import Any, cast

from finerworks_mcp.settings import ConfigError, Environment

SERVER_NAME = "finerworks"
KEY_NAMES = ("FINERWORKS_WEB_API_KEY", "FINERWORKS_APP_KEY")
PLACEHOLDERS = {"FINERWORKS_WEB_API_KEY": "<your-web-api-key>", "FINERWORKS_APP_KEY": "<your-app-key>"}


@dataclass(frozen=True)
class Launch:
    """How a client starts this server: an absolute command, its arguments, and its environment."""

    command: str
    args: tuple[str, ...]
    env: Mapping[str, str]


@dataclass(frozen=True)
class Client:
    title: str
    where: Mapping[str, str]
    """Where the client keeps the configuration, per operating system (or scope)."""
    render: Callable[[Launch], str]
    then: str


def this_command() -> tuple[str, tuple[str, ...]]:
    """This install's `finerworks-mcp` script beside the running interpreter, or the interpreter with `-m`.

    Run through `uvx`, the interpreter lives in uv's cache, which uv may clean at any time: then the client starts
    `uvx --from <where this came from> finerworks-mcp` instead.
    """
    bin_dir = Path(os.path.abspath(sys.executable)).parent  # not resolve(): a venv's python is a symlink
    source = _uv_source(bin_dir)
    if source is not None:
        return "uvx", ("--from", source, "finerworks-mcp")
    script = bin_dir / ("finerworks-mcp.exe" if os.name == "nt" else "finerworks-mcp")
    if script.exists():
        return str(script), ()
    return os.path.abspath(sys.executable), ("-m", "finerworks_mcp")


def _uv_source(bin_dir: Path) -> str | None:
    """What `uvx --from` was given (a path or a git URL, from the install's PEP 610 record), when uvx runs this."""
    if not any(part.startswith("archive-v") for part in bin_dir.parts):
        return None
    # Every installed copy, not the first found: a source tree's own metadata may come first on sys.path.
    records = (dist.read_text("direct_url.json") for dist in distributions(name="finerworks-mcp"))
    try:
        recorded = json.loads(next((record for record in records if record), "null"))
    except ValueError:
        return None
    if not isinstance(recorded, dict):
        return None
    url = str(cast(dict[str, Any], recorded).get("url", ""))
    if "vcs_info" in recorded:
        return f"git+{url}"
    return url.removeprefix("file://") if url.startswith("file://") else None


def launch(env: Environment, *, with_keys: bool, environ: Mapping[str, str]) -> Launch:
    command, args = this_command()
    values = {"FINERWORKS_ENV": env.value}
    if env is not Environment.SIMULATOR:  # the simulator needs no keys and ignores any it is given
        if with_keys:
            missing = [name for name in KEY_NAMES if not environ.get(name, "").strip()]
            if missing:
                raise ConfigError(f"--with-keys reads {' and '.join(missing)} from the environment; set them first")
            values |= {name: environ[name].strip() for name in KEY_NAMES}
        else:
            values |= PLACEHOLDERS
    return Launch(command, args, values)


def _mcp_servers(launch: Launch) -> str:
    entry: dict[str, object] = {"command": launch.command}
    if launch.args:
        entry["args"] = list(launch.args)
    entry["env"] = dict(launch.env)
    return json.dumps({"mcpServers": {SERVER_NAME: entry}}, indent=2)


def _vscode(launch: Launch) -> str:
    # VS Code asks for a key once and keeps it in its secret storage, so the file itself can be shared.
    inputs = [
        {"type": "promptString", "id": name.lower().replace("_", "-"), "description": f"FinerWorks {label}",
         "password": True}
        for name, label in zip(KEY_NAMES, ("web API key", "app key"), strict=True)
        if launch.env.get(name) == PLACEHOLDERS[name]
    ]  # fmt: skip
    env = {
        name: f"${{input:{name.lower().replace('_', '-')}}}" if value == PLACEHOLDERS.get(name) else value
        for name, value in launch.env.items()
    }
    entry: dict[str, object] = {"type": "stdio", "command": launch.command}
    if launch.args:
        entry["args"] = list(launch.args)
    entry["env"] = env
    document: dict[str, object] = {"servers": {SERVER_NAME: entry}}
    if inputs:
        document = {"inputs": inputs, **document}
    return json.dumps(document, indent=2)


def _claude_code(launch: Launch) -> str:
    quote = _quote_for_shell()
    # The name goes before --env: that option takes several values and would swallow a name after it
    # (anthropics/claude-code#23365).
    parts = ["claude", "mcp", "add", "--scope", "user", SERVER_NAME]
    for name, value in launch.env.items():
        parts += ["--env", f"{name}={value}"]
    parts += ["--", launch.command, *launch.args]
    return " ".join(quote(part) for part in parts)


def _quote_for_shell() -> Callable[[str], str]:
    if os.name != "nt":
        return shlex.quote
    return lambda part: f'"{part}"' if any(c in part for c in ' <>&|"') else part


CLIENTS: dict[str, Client] = {
    "claude-desktop": Client(
        "Claude Desktop",
        {
            "macOS": "~/Library/Application Support/Claude/claude_desktop_config.json",
            "Windows": r"%APPDATA%\Claude\claude_desktop_config.json",
            "Linux": "~/.config/Claude/claude_desktop_config.json (no official Linux build; community builds read it)",
        },
        _mcp_servers,
        'Merge "finerworks" into "mcpServers" (Settings > Developer > Edit Config opens the file), then quit and '
        "restart Claude Desktop.",
    ),
    "claude-code": Client(
        "Claude Code",
        {
            "macOS, Linux": "~/.claude.json (user scope), or .mcp.json in a project (--scope project)",
            "Windows": r"%USERPROFILE%\.claude.json (user scope), or .mcp.json in a project (--scope project)",
        },
        _claude_code,
        "Run the command once; `claude mcp list` shows the server and whether it connected.",
    ),
    "cursor": Client(
        "Cursor",
        {
            "macOS, Linux": "~/.cursor/mcp.json (every project), or .cursor/mcp.json in one project",
            "Windows": r"%USERPROFILE%\.cursor\mcp.json (every project), or .cursor\mcp.json in one project",
        },
        _mcp_servers,
        'Merge "finerworks" into "mcpServers"; Cursor Settings > MCP shows whether it connected.',
    ),
    "vscode": Client(
        "VS Code",
        {
            "macOS": "~/Library/Application Support/Code/User/mcp.json (your profile), or .vscode/mcp.json in a "
            "workspace",
            "Windows": r"%APPDATA%\Code\User\mcp.json (your profile), or .vscode\mcp.json in a workspace",
            "Linux": "~/.config/Code/User/mcp.json (your profile), or .vscode/mcp.json in a workspace",
        },
        _vscode,
        'Merge "finerworks" into "servers" (and "inputs"); the command "MCP: Open User Configuration" opens the '
        "profile file. VS Code asks for each key once and keeps it in its secret storage.",
    ),
    "windsurf": Client(
        "Windsurf",
        {
            "macOS, Linux": "~/.codeium/windsurf/mcp_config.json",
            "Windows": r"%USERPROFILE%\.codeium\windsurf\mcp_config.json",
        },
        _mcp_servers,
        'Merge "finerworks" into "mcpServers", then press refresh in Cascade\'s MCP panel.',
    ),
}


def describe(name: str, launch: Launch) -> str:
    """What `finerworks-mcp config <name>` prints: where the file lives, the snippet, and what to do next."""
    client = CLIENTS[name]
    lines = [f"{client.title}: where the configuration lives"]
    lines += [f"  {system}: {path}" for system, path in client.where.items()]
    snippet = client.render(launch)
    lines += ["", snippet, "", client.then]
    if any(placeholder in snippet for placeholder in PLACEHOLDERS.values()):
        lines.append(
            "Replace the <...> placeholders with your FinerWorks keys (My Account > Web API), or run this command "
            "with --with-keys to take them from FINERWORKS_WEB_API_KEY and FINERWORKS_APP_KEY."
        )
    if launch.env["FINERWORKS_ENV"] == Environment.SIMULATOR.value:
        lines.append("This uses the built-in simulator (no keys, nothing real); --env sandbox when you have keys.")
    return "\n".join(lines)
