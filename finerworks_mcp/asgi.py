"""uvicorn's `--factory` entry for several workers: `uvicorn --factory finerworks_mcp.asgi:create_app --workers 2`.

Part of the composition root, like `cli`: settings from `config`, the simulator (when asked) from `offline`, the app
from `mcp.http`.
"""

from __future__ import annotations

from starlette.applications import Starlette

from finerworks_mcp.config import load_settings
from finerworks_mcp.mcp.http import build_app
from finerworks_mcp.offline import upstream


def create_app() -> Starlette:
    """Settings from the environment, a bearer token always required."""
    settings = load_settings()
    return build_app(settings, **upstream(settings))
