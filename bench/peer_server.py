"""The peer: FastMCP's `from_openapi` server built from `finerworks-mcp openapi`'s description of the endpoints,
calling FinerWorks (here the simulator process) directly with the account keys; served on stdio.

    FINERWORKS_WEB_API_KEY=... FINERWORKS_APP_KEY=... python -m bench.peer_server OPENAPI_JSON BASE_URL

Needs the optional `bench` extra (fastmcp). It sends whatever the model asks, with no confirmation before writes.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import httpx2
from fastmcp import FastMCP  # pyright: ignore[reportMissingImports]  # the optional `bench` extra


def main(document: Path, base_url: str) -> None:
    spec = json.loads(document.read_text(encoding="utf-8"))
    keys = {"web_api_key": os.environ["FINERWORKS_WEB_API_KEY"], "app_key": os.environ["FINERWORKS_APP_KEY"]}
    http = httpx2.AsyncClient(base_url=base_url, headers=keys, timeout=30)
    FastMCP.from_openapi(spec, client=http, name="finerworks-openapi").run("stdio", show_banner=False)


if __name__ == "__main__":
    main(Path(sys.argv[1]), sys.argv[2])
