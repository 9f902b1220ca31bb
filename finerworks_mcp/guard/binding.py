"""Where and how an action was proposed, so no other worker, server setting or client can run it.

An action records the binding of the server that proposed it and the client that asked; a confirming server
compares both with its own and refuses any difference, naming it. The token's signature covers the binding.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from finerworks_mcp.settings import Settings

SHOWN_AS = {
    "environment": "environment (FINERWORKS_ENV)",
    "base_url": "FinerWorks address (FINERWORKS_BASE_URL)",
    "account": "account (FINERWORKS_ACCOUNT_KEY)",
    "confirmation": "confirmation mode (FINERWORKS_CONFIRMATION)",
}


class Binding(BaseModel):
    """The settings that decide where a write goes and who must approve it."""

    model_config = ConfigDict(frozen=True)

    environment: str
    base_url: str
    account: str | None = None
    confirmation: str = "auto"


def binding_of(settings: Settings) -> Binding:
    return Binding(
        environment=settings.env.value,
        base_url=settings.api_base,
        account=settings.account_key,
        confirmation=settings.confirmation,
    )


def differences(proposed: Binding, here: Binding) -> list[str]:
    """What differs between the server that proposed an action and this one, in words a person can act on."""
    return [
        f"{SHOWN_AS[name]} was {getattr(proposed, name) or '(not set)'} there and is "
        f"{getattr(here, name) or '(not set)'} here"
        for name in SHOWN_AS
        if getattr(proposed, name) != getattr(here, name)
    ]
