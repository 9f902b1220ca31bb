"""finerworks-mcp: serve MCP over stdio (the default), run the demo, serve the simulator, or check the set-up.

stdout is the MCP wire when serving, so nothing here prints on that path; the other commands talk to a person.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from finerworks_mcp import __version__
from finerworks_mcp.settings import ConfigError

if TYPE_CHECKING:
    import argparse

EXIT_CONFIG = 2


def _parser() -> argparse.ArgumentParser:
    import argparse  # only for a command: a client starting the server passes no arguments

    parser = argparse.ArgumentParser(
        prog="finerworks-mcp",
        description="MCP server for FinerWorks fine-art print-on-demand. Without a command, serves MCP on stdio.",
    )
    parser.add_argument("--version", action="version", version=f"finerworks-mcp {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    serve = commands.add_parser("serve", help="serve MCP (stdio by default)")
    serve.add_argument("--transport", choices=["stdio", "http"], default="stdio")
    serve.add_argument("--host", default="127.0.0.1", help="http only: address to bind (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8000, help="http only: port (default 8000)")
    serve.add_argument(
        "--no-auth", action="store_true", help="http only, loopback only: serve without FINERWORKS_MCP_TOKEN"
    )
    commands.add_parser("demo", help="a scripted conversation against the built-in simulator (no keys, no network)")
    commands.add_parser("check", help="print the configuration (keys masked) and test the FinerWorks credentials")
    openapi = commands.add_parser("openapi", help="write an OpenAPI 3.1 description of the FinerWorks endpoints")
    openapi.add_argument("--output", "-o", type=Path, help="file to write (default: stdout)")
    simulator = commands.add_parser("simulator", help="serve the offline FinerWorks simulator on loopback")
    simulator.add_argument("--host", default="127.0.0.1")
    simulator.add_argument("--port", type=int, default=8088)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    arguments = sys.argv[1:] if argv is None else list(argv)
    try:
        if not arguments:
            # How every MCP client starts it: straight to serving, without building the command-line parser.
            return _serve()
        args = _parser().parse_args(arguments)
        match args.command:
            case None:
                return _serve()
            case "serve" if args.transport == "http":
                return _serve_http(args.host, args.port, no_auth=args.no_auth)
            case "serve":
                return _serve()
            case "demo":
                from finerworks_mcp.demo import run_demo

                return run_demo()
            case "check":
                from finerworks_mcp.check import run_check

                return run_check()
            case "simulator":
                return _simulator(args.host, args.port)
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


def _serve() -> int:
    from finerworks_mcp.config import load_settings
    from finerworks_mcp.mcp.server import build_server
    from finerworks_mcp.offline import upstream

    settings = load_settings()
    server = build_server(settings, **upstream(settings))
    server.run("stdio")
    return 0


def _serve_http(host: str, port: int, *, no_auth: bool) -> int:
    from finerworks_mcp.config import load_settings
    from finerworks_mcp.mcp.http import Binding, serve
    from finerworks_mcp.offline import upstream

    settings = load_settings()
    serve(settings, Binding(host=host, port=port, no_auth=no_auth), **upstream(settings))
    return 0


def _simulator(host: str, port: int) -> int:
    from finerworks_mcp.simulator import serve

    print(
        f"FinerWorks simulator on http://{host}:{port}/v3 (Ctrl-C to stop).\n"
        f"Point the server at it: FINERWORKS_ENV=simulator FINERWORKS_BASE_URL=http://{host}:{port}/v3",
        file=sys.stderr,
    )
    serve(host=host, port=port)
    return 0
