"""`finerworks-mcp check`: show the configuration with keys masked, then try the credentials."""

from __future__ import annotations

import anyio
from mcp import Client

from finerworks_mcp.config import load_settings
from finerworks_mcp.mcp.server import build_server, describe_environment
from finerworks_mcp.mcp.transcript import call, show
from finerworks_mcp.offline import upstream


async def _check() -> bool:
    settings = load_settings()
    show("Configuration:")
    for name, value in settings.masked().items():
        show(f"  {name} = {value}")
    show(f"Environment: {describe_environment(settings)}")
    # The account toolset holds test_my_credentials; it may be switched off for normal use.
    async with Client(
        build_server(settings.model_copy(update={"toolsets": ("account",)}), **upstream(settings))
    ) as client:
        result = await call(client, "test_my_credentials")
    show("\nCredentials OK." if not result.is_error else "\nCredentials check FAILED (see above).")
    return not result.is_error


def run_check() -> int:
    return 0 if anyio.run(_check) else 1
