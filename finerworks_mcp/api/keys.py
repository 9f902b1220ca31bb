"""The two keys FinerWorks authenticates with, as a plain value whose repr never shows them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True, repr=False)
class FinerWorksKeys:
    """The two keys FinerWorks authenticates with (sent as headers by `connections.KeyHeaders`)."""

    web_api_key: str
    app_key: str

    @property
    def headers(self) -> dict[str, str]:
        return {"web_api_key": self.web_api_key, "app_key": self.app_key}

    @property
    def secrets(self) -> tuple[str, ...]:
        # FinerWorks echoes the app key in account answers; no answer may carry either key to the model.
        return tuple(key for key in (self.web_api_key, self.app_key) if key)
