"""finerworks-mcp: serve MCP over stdio (the default), run the demo, serve the simulator, or check the set-up.

stdout is the MCP wire when serving, so nothing here prints on that path; the other commands talk to a person.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from finerworks_mcp import __version__
from finerworks_mcp.settings import ConfigError

if TYPE_CHECKING:
    import argparse

EXIT_CONFIG = 2
ENV_FILE_HELP = "read FINERWORKS_* settings from this .env file (the environment wins)"
WAITING = (
    "finerworks-mcp is waiting for an MCP client on stdin: an assistant app (Claude Desktop, Claude Code, Cursor, "
    "VS Code, Windsurf) starts it and talks to it; there is nothing to type here.\n"
    "  Try it yourself:        finerworks-mcp demo\n"
    "  Connect an assistant:   finerworks-mcp config claude-desktop   (or claude-code, cursor, vscode, windsurf)\n"
    "  Test your keys:         finerworks-mcp check\n"
    "Ctrl-C to stop."
)


def _parser() -> argparse.ArgumentParser:
    import argparse  # only for a command: a client starting the server passes no arguments

    from finerworks_mcp.config import environment_help

    parser = argparse.ArgumentParser(
        prog="finerworks-mcp",
        description="MCP server for FinerWorks fine-art print-on-demand. Without a command, serves MCP on stdio.",
        epilog=environment_help(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"finerworks-mcp {__version__}")
    # Also accepted after the command (`finerworks-mcp check --env-file .env`), hence SUPPRESS there.
    env_file = argparse.ArgumentParser(add_help=False)
    env_file.add_argument("--env-file", default=argparse.SUPPRESS, metavar="PATH", help=ENV_FILE_HELP)
    parser.add_argument("--env-file", metavar="PATH", help=ENV_FILE_HELP)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    serve = commands.add_parser("serve", help="serve MCP (stdio by default)", parents=[env_file])
    serve.add_argument("--transport", choices=["stdio", "http"], default="stdio")
    serve.add_argument("--host", default="127.0.0.1", help="http only: address to bind (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8000, help="http only: port (default 8000)")
    serve.add_argument(
        "--no-auth", action="store_true", help="http only, loopback only: serve without FINERWORKS_MCP_TOKEN"
    )
    commands.add_parser("demo", help="a scripted conversation against the built-in simulator (no keys, no network)")
    check = commands.add_parser(
        "check", help="print the configuration (keys masked) and test the FinerWorks credentials", parents=[env_file]
    )
    check.add_argument(
        "--contract", action="store_true", help="sandbox only: call every read endpoint and compare with our models"
    )
    openapi = commands.add_parser("openapi", help="write an OpenAPI 3.1 description of the FinerWorks endpoints")
    openapi.add_argument("--output", "-o", type=Path, help="file to write (default: stdout)")
    simulator = commands.add_parser("simulator", help="serve the offline FinerWorks simulator on loopback")
    simulator.add_argument("--host", default="127.0.0.1")
    simulator.add_argument("--port", type=int, default=8088, help="0 picks a free port (default 8088)")
    # A socket already bound and listening, handed over by the process that started us (tests; socket activation).
    simulator.add_argument("--fd", type=int, help="serve on this inherited listening socket instead of --host/--port")
    _add_config_command(commands)
    return parser


def _add_config_command(commands: Any) -> None:  # argparse's subparsers action type is private
    from finerworks_mcp.client_config import CLIENTS
    from finerworks_mcp.settings import Environment

    config = commands.add_parser(
        "config",
        help="print a ready configuration for an MCP client, and where that client keeps it",
        description="Print a ready-to-paste configuration that starts this install of finerworks-mcp, and where the "
        "client keeps its configuration on macOS, Windows and Linux. Keys are placeholders unless --with-keys.",
    )
    config.add_argument("client", choices=list(CLIENTS))
    config.add_argument(
        "--env",
        choices=[env.value for env in Environment],
        default=Environment.SIMULATOR.value,
        help="FINERWORKS_ENV in the snippet (default simulator: no keys, nothing real)",
    )
    config.add_argument(
        "--with-keys",
        action="store_true",
        help="put FINERWORKS_WEB_API_KEY and FINERWORKS_APP_KEY from this environment into the snippet",
    )


def main(argv: Sequence[str] | None = None) -> int:
    arguments = sys.argv[1:] if argv is None else list(argv)
    try:
        if not arguments:
            # How every MCP client starts it: straight to serving, without building the command-line parser.
            return _serve()
        args = _parser().parse_args(arguments)
        match args.command:
            case None:
                return _serve(args.env_file)
            case "serve" if args.transport == "http":
                return _serve_http(args.host, args.port, no_auth=args.no_auth, env_file=args.env_file)
            case "serve":
                return _serve(args.env_file)
            case "demo":
                from finerworks_mcp.demo import run_demo

                return run_demo()
            case "check" if args.contract:
                from finerworks_mcp.contract import run_contract

                return run_contract()
            case "check":
                from finerworks_mcp.check import run_check

                return run_check(args.env_file)
            case "simulator":
                return _simulator(args.host, args.port, args.fd)
            case "config":
                return _config(args.client, args.env, with_keys=args.with_keys)
            case "openapi":
                from finerworks_mcp.openapi import write

                return write(args.output)
            case _:  # pragma: no cover - argparse rejects unknown commands
                return 1
    except ConfigError as error:
        print(error, file=sys.stderr)
        return EXIT_CONFIG
    except KeyboardInterrupt:
        return 130


def _serve(env_file: str | None = None) -> int:
    from finerworks_mcp.config import load_settings
    from finerworks_mcp.mcp.server import build_server
    from finerworks_mcp.offline import upstream

    settings = load_settings(env_file=env_file)
    server = build_server(settings, **upstream(settings))
    if sys.stdin.isatty():  # a person in a terminal, not a client: say what this is (stderr; stdout is the wire)
        print(WAITING, file=sys.stderr, flush=True)
    server.run("stdio")
    return 0


def _serve_http(host: str, port: int, *, no_auth: bool, env_file: str | None) -> int:
    from finerworks_mcp.config import load_settings
    from finerworks_mcp.mcp.http import Binding, serve
    from finerworks_mcp.offline import upstream

    settings = load_settings(env_file=env_file)
    serve(settings, Binding(host=host, port=port, no_auth=no_auth), **upstream(settings))
    return 0


def _simulator(host: str, port: int, fd: int | None) -> int:
    from finerworks_mcp.simulator import serve, serve_socket

    if fd is not None:
        serve_socket(fd)
        return 0

    def banner(bound: int) -> None:
        print(
            f"FinerWorks simulator on http://{host}:{bound}/v3 (Ctrl-C to stop).\n"
            f"Point the server at it: FINERWORKS_ENV=simulator FINERWORKS_BASE_URL=http://{host}:{bound}/v3",
            file=sys.stderr,
            flush=True,
        )

    try:
        serve(host=host, port=port, ready=banner)
    except OSError as error:  # the port is taken (or the address is not this machine's): before any banner
        print(f"finerworks-mcp simulator: cannot listen on {host}:{port}: {error.strerror or error}. "
              f"Next: pick another --port (0 picks a free one).", file=sys.stderr)  # fmt: skip
        return 1
    return 0


def _config(client: str, env: str, *, with_keys: bool) -> int:
    import os

    from finerworks_mcp.client_config import describe, launch
    from finerworks_mcp.settings import Environment

    print(describe(client, launch(Environment(env), with_keys=with_keys, environ=os.environ)))
    return 0
