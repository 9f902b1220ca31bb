"""Settings from FINERWORKS_* environment variables, validated once at start-up.

Keys are `SecretStr`, so a key never shows in a repr, an error or a log line; `masked()` is the only view of the
settings meant for people.
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Mapping
from enum import StrEnum
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, field_validator, model_validator

from finerworks_mcp.errors import ConfigError

DEFAULT_TIMEOUT_SECONDS = 30.0
DEFAULT_CONFIRMATION_TTL_SECONDS = 600


class Environment(StrEnum):
    SANDBOX = "sandbox"
    PRODUCTION = "production"
    SIMULATOR = "simulator"


HOSTS: dict[Environment, str] = {
    Environment.SANDBOX: "https://test-api.finerworks.com/v3",
    Environment.PRODUCTION: "https://api.finerworks.com/v3",
    # The in-process simulator is reached through an ASGI transport; the host is never resolved.
    Environment.SIMULATOR: "http://simulator.invalid/v3",
}


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class Settings(BaseModel):
    """One field per FINERWORKS_<NAME> variable; `load_settings` reads them."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    env: Environment = Environment.SANDBOX
    web_api_key: SecretStr | None = None
    app_key: SecretStr | None = None
    base_url: str | None = None
    account_key: str | None = None
    toolsets: tuple[str, ...] | None = None
    timeout: float = Field(default=DEFAULT_TIMEOUT_SECONDS, gt=0, le=300)
    read_only: bool = False
    confirmation: Literal["auto", "elicit"] = "auto"
    confirmation_ttl: int = Field(default=DEFAULT_CONFIRMATION_TTL_SECONDS, ge=1, le=86_400)
    guard_secret: SecretStr | None = Field(default=None, min_length=32)
    audit_log: Path | None = None

    @field_validator("toolsets", mode="before")
    @classmethod
    def _split_toolsets(cls, value: Any) -> Any:
        if isinstance(value, str):
            names = tuple(part.strip().lower() for part in value.split(",") if part.strip())
            return names or None
        return value

    @field_validator("toolsets")
    @classmethod
    def _known_toolsets(cls, value: tuple[str, ...] | None) -> tuple[str, ...] | None:
        from finerworks_mcp.tools import TOOLSETS  # the registry imports config; import late to avoid a cycle

        if value is None:
            return None
        unknown = [name for name in value if name not in TOOLSETS]
        if unknown:
            raise ValueError(f"unknown toolset(s) {', '.join(unknown)}; choose from {', '.join(TOOLSETS)}")
        return value

    @field_validator("base_url")
    @classmethod
    def _safe_base_url(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        parts = urlsplit(value.strip())
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError("must be a full URL such as https://api.finerworks.com/v3")
        if parts.scheme == "http" and not _is_loopback(parts.hostname):
            raise ValueError("must use https (plain http is allowed only for loopback addresses)")
        return value.strip().rstrip("/")

    @model_validator(mode="after")
    def _keys_when_needed(self) -> Settings:
        if self.env is Environment.SIMULATOR:
            return self
        missing = [
            name
            for name, secret in (("FINERWORKS_WEB_API_KEY", self.web_api_key), ("FINERWORKS_APP_KEY", self.app_key))
            if secret is None or not secret.get_secret_value().strip()
        ]
        if missing:
            raise ValueError(
                f"{' and '.join(missing)} must be set for FINERWORKS_ENV={self.env.value}. "
                "Copy both keys from FinerWorks (My Account > Web API), or run without keys against the "
                "built-in simulator with FINERWORKS_ENV=simulator."
            )
        return self

    @property
    def api_base(self) -> str:
        return self.base_url or HOSTS[self.env]

    def masked(self) -> dict[str, str]:
        """The settings as a person may see them: whether each key is set, never any part of it."""

        def mask(secret: SecretStr | None) -> str:
            return "(not set)" if secret is None else f"set ({len(secret.get_secret_value())} characters)"

        return {
            "FINERWORKS_ENV": self.env.value,
            "FINERWORKS_BASE_URL": self.api_base,
            "FINERWORKS_WEB_API_KEY": mask(self.web_api_key),
            "FINERWORKS_APP_KEY": mask(self.app_key),
            "FINERWORKS_ACCOUNT_KEY": self.account_key or "(not set)",
            "FINERWORKS_TOOLSETS": ",".join(self.toolsets) if self.toolsets else "(default)",
            "FINERWORKS_TIMEOUT": f"{self.timeout:g}",
            "FINERWORKS_READ_ONLY": str(self.read_only).lower(),
            "FINERWORKS_CONFIRMATION": self.confirmation,
            "FINERWORKS_CONFIRMATION_TTL": str(self.confirmation_ttl),
            "FINERWORKS_GUARD_SECRET": mask(self.guard_secret) if self.guard_secret else "(per process)",
            "FINERWORKS_AUDIT_LOG": str(self.audit_log) if self.audit_log else "(default)",
        }


def load_settings(environ: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
    """Read and validate the settings, or raise `ConfigError` with a message a person can act on.

    `environ` replaces the process environment (tests pass their own); `overrides` win over both. An empty
    variable counts as unset.
    """
    source = os.environ if environ is None else environ
    values: dict[str, Any] = {
        name: source[f"FINERWORKS_{name.upper()}"]
        for name in Settings.model_fields
        if source.get(f"FINERWORKS_{name.upper()}", "").strip()
    }
    try:
        return Settings.model_validate(values | overrides)
    except ValidationError as exc:
        problems: list[str] = []
        for error in exc.errors(include_input=False, include_url=False):
            field = ".".join(str(part) for part in error["loc"])
            name = f"FINERWORKS_{field.upper()}: " if field else ""
            problems.append(f"- {name}{error['msg'].removeprefix('Value error, ')}")
        raise ConfigError("finerworks-mcp cannot start:\n" + "\n".join(problems)) from None
