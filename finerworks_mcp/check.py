"""`finerworks-mcp check`: a short report a person reads: the configuration with keys masked (only what differs from
the defaults, besides the environment and keys), whether FinerWorks accepts the credentials, and whose account it is.

It starts the same server a client would, from the same environment (and `--env-file`), and calls
`test_my_credentials` through it, so "check passes" means the client's configuration works too.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import anyio
from mcp import Client
from mcp.types import TextContent

from finerworks_mcp import __version__
from finerworks_mcp.config import load_settings
from finerworks_mcp.mcp.server import build_server, describe_environment
from finerworks_mcp.mcp.transcript import show
from finerworks_mcp.offline import upstream
from finerworks_mcp.settings import Environment, Settings

ALWAYS_SHOWN = ("FINERWORKS_ENV", "FINERWORKS_BASE_URL", "FINERWORKS_WEB_API_KEY", "FINERWORKS_APP_KEY")


def configuration_lines(settings: Settings) -> list[str]:
    defaults = Settings.model_construct().masked()  # no validation: the defaults alone lack keys
    shown = {
        name: value for name, value in settings.masked().items() if name in ALWAYS_SHOWN or defaults.get(name) != value
    }
    shown["FINERWORKS_ENV"] = f"{settings.env.value} ({describe_environment(settings)})"
    if settings.env is Environment.SIMULATOR and settings.base_url is None:
        shown["FINERWORKS_BASE_URL"] = "(the built-in simulator, inside this process)"
    width = max(len(name) for name in shown)
    return [f"  {name:<{width}}  {value}" for name, value in shown.items()]


def account_name(structured: dict[str, Any] | None) -> str:
    """The business name FinerWorks holds, with the user name and account number; whatever of those it sent."""
    account: dict[str, Any] = (structured or {}).get("user_account") or {}
    business_info: dict[str, Any] = account.get("business_info") or {}
    business = str(business_info.get("company_name") or "")
    username = str(account.get("account_username") or "")
    number = account.get("account_id")
    details = ", ".join(
        part for part in (f"user {username}" if username else "", f"account {number}" if number else "") if part
    )
    if business:
        return f"{business} ({details})" if details else business
    return username or "an account FinerWorks did not name"


async def _check(env_file: str | Path | None) -> bool:
    settings = load_settings(env_file=env_file)
    show(f"finerworks-mcp {__version__}: configuration (keys masked; settings not listed are at their defaults)")
    for line in configuration_lines(settings):
        show(line)
    # The account toolset holds test_my_credentials; it may be switched off for normal use.
    server = build_server(settings.model_copy(update={"toolsets": ("account",)}), **upstream(settings))
    async with Client(server) as client:
        result = await client.call_tool("test_my_credentials", {})
    if result.is_error:
        text = " ".join(part.text for part in result.content if isinstance(part, TextContent))
        show(f"\nCredentials check FAILED: {text}")
        return False
    show(f"\nCredentials OK: signed in to {account_name(result.structured_content)}.")
    return True


def run_check(env_file: str | Path | None = None) -> int:
    return 0 if anyio.run(_check, env_file) else 1
