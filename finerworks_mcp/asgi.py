"""uvicorn's entries for several workers, with the settings read from the environment:

    uvicorn --factory finerworks_mcp.asgi:create_app --workers 2 --http finerworks_mcp.asgi:LimitedHttp --backlog 128

`create_app` builds the app (a bearer token always required); `LimitedHttp` is the HTTP protocol with the
connection cap and read deadlines of `finerworks-mcp serve` (see `mcp.http_limits`).

Part of the composition root, like `cli`: settings from `config`, the simulator (when asked) from `offline`, the app
from `mcp.http`.
"""

from __future__ import annotations

from typing import Any

from starlette.applications import Starlette

from finerworks_mcp.config import load_settings
from finerworks_mcp.mcp.http import build_app
from finerworks_mcp.mcp.http_limits import limited_protocol
from finerworks_mcp.offline import upstream


def create_app() -> Starlette:
    """Settings from the environment, a bearer token always required."""
    settings = load_settings()
    return build_app(settings, **upstream(settings))


def __getattr__(name: str) -> Any:
    # Built when uvicorn asks for it (in each worker), not when the module is imported.
    if name == "LimitedHttp":
        return limited_protocol(load_settings())
    raise AttributeError(name)
