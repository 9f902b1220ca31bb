"""Settings: what the FINERWORKS_* variables asked for, as one validated, frozen value every layer may read.

`config` (on top) reads the environment into it; nothing here reads the environment. Keys are `SecretStr`, so a
key never shows in a repr, an error or a log line; `masked()` is the only view of the settings meant for people.
"""

from __future__ import annotations

import ipaddress
from enum import StrEnum
from pathlib import Path
from typing import Any, Literal
from urllib.parse import unquote, urlsplit, urlunsplit

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator, model_validator

DEFAULT_TIMEOUT_SECONDS = 30.0
DEFAULT_CONFIRMATION_TTL_SECONDS = 600
DEFAULT_CACHE_TTL_SECONDS = 3600
# Twenty calls at once quote 1,000 items (20 get_prices calls) in one round trip (`python -m bench` measures the
# quote against that ideal and against sequential calls). The rate limiter below still caps what one server sends
# FinerWorks, which publishes no rate limit.
DEFAULT_QUOTE_CONCURRENCY = 20
MIN_MCP_TOKEN_LENGTH = 24
# FinerWorks publishes no rate limit; these keep one busy server polite while leaving room for quote_prices'
# concurrent chunks (a burst of up to DEFAULT_MAX_RPS calls goes out at once).
DEFAULT_MAX_RPS = 20.0
DEFAULT_MAX_CONCURRENCY = 24
STATE_URL_HELP = (
    "use sqlite:///absolute/path/state.db (several workers on one host), redis://host:6379/0 or rediss://... "
    "(several hosts), or leave it unset (in memory, one process)"
)
StateStoreKind = Literal["memory", "sqlite", "redis"]
# The toolsets `mcp.tools` registers, named here so settings can be validated without importing the tools
# (tests/test_tool_list keeps the two equal).
TOOLSET_NAMES = ("workflows", "catalog", "framing", "orders", "images", "inventory", "account", "events")


class ConfigError(Exception):
    """The server's configuration is unusable; the message says what to set."""


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


def is_loopback(host: str) -> bool:
    """127.0.0.0/8, ::1 (bracketed or not) and localhost."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
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
    tool_schemas: Literal["compact", "full"] = "compact"
    timeout: float = Field(default=DEFAULT_TIMEOUT_SECONDS, gt=0, le=300)
    read_only: bool = False
    confirmation: Literal["auto", "elicit"] = "auto"
    confirmation_ttl: int = Field(default=DEFAULT_CONFIRMATION_TTL_SECONDS, ge=1, le=86_400)
    guard_secret: SecretStr | None = Field(default=None, min_length=32)
    audit_log: Path | None = None
    cache_ttl: int = Field(default=DEFAULT_CACHE_TTL_SECONDS, ge=0, le=7 * 86_400)
    quote_concurrency: int = Field(default=DEFAULT_QUOTE_CONCURRENCY, ge=1, le=50)
    mcp_token: SecretStr | None = None
    allowed_hosts: tuple[str, ...] | None = None
    allowed_origins: tuple[str, ...] | None = None
    state_url: SecretStr | None = None
    """Where pending actions live; may hold a Redis password, hence secret."""
    max_rps: float = Field(default=DEFAULT_MAX_RPS, gt=0, le=1000)
    max_concurrency: int = Field(default=DEFAULT_MAX_CONCURRENCY, ge=1, le=256)

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
        if value is None:
            return None
        unknown = [name for name in value if name not in TOOLSET_NAMES]
        if unknown:
            raise ValueError(f"unknown toolset(s) {', '.join(unknown)}; choose from {', '.join(TOOLSET_NAMES)}")
        return value

    @field_validator("mcp_token")
    @classmethod
    def _long_token(cls, value: SecretStr | None) -> SecretStr | None:
        # Anyone who can reach the port can try tokens; a short one is a guessable password.
        if value is not None and len(value.get_secret_value().strip()) < MIN_MCP_TOKEN_LENGTH:
            raise ValueError(
                f"must be at least {MIN_MCP_TOKEN_LENGTH} characters; make one with "
                "python3 -c 'import secrets; print(secrets.token_urlsafe(32))'"
            )
        return value

    @field_validator("allowed_hosts", "allowed_origins", mode="before")
    @classmethod
    def _split_comma_list(cls, value: Any) -> Any:
        if isinstance(value, str):
            return tuple(part.strip() for part in value.split(",") if part.strip()) or None
        return value

    @field_validator("allowed_hosts")
    @classmethod
    def _bare_hosts(cls, value: tuple[str, ...] | None) -> tuple[str, ...] | None:
        # The SDK compares Host headers literally; a scheme or path here would silently never match.
        bad = [host for host in value or () if "/" in host or " " in host]
        if bad:
            raise ValueError(f"{', '.join(bad)}: list Host header values such as mcp.example.com or mcp.example.com:*")
        return value

    @field_validator("allowed_origins")
    @classmethod
    def _full_origins(cls, value: tuple[str, ...] | None) -> tuple[str, ...] | None:
        bad = [origin for origin in value or () if urlsplit(origin).scheme not in ("http", "https") or " " in origin]
        if bad:
            raise ValueError(f"{', '.join(bad)}: list origins such as https://app.example.com or http://localhost:*")
        return value

    @field_validator("state_url")
    @classmethod
    def _known_state_store(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None:
            state_store_of(value.get_secret_value())
        return value

    @field_validator("base_url")
    @classmethod
    def _safe_base_url(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        parts = urlsplit(value.strip())
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError("must be a full URL such as https://api.finerworks.com/v3")
        if parts.scheme == "http" and not is_loopback(parts.hostname):
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

    @model_validator(mode="after")
    def _shared_state_needs_shared_secret(self) -> Settings:
        # Tokens are signed with the guard secret; without a shared one, a token proposed by one worker (or before
        # a restart) is refused by every other as altered.
        if self.state_store[0] != "memory" and self.guard_secret is None:
            raise ValueError(
                "FINERWORKS_GUARD_SECRET must be set (the same on every worker) when FINERWORKS_STATE_URL is set; "
                "make one with python3 -c 'import secrets; print(secrets.token_urlsafe(32))'"
            )
        return self

    @model_validator(mode="after")
    def _quotes_fit_concurrency_limit(self) -> Settings:
        if self.quote_concurrency > self.max_concurrency:
            raise ValueError(
                f"FINERWORKS_QUOTE_CONCURRENCY ({self.quote_concurrency}) cannot exceed FINERWORKS_MAX_CONCURRENCY "
                f"({self.max_concurrency}); lower the first or raise the second"
            )
        return self

    @property
    def state_store(self) -> tuple[StateStoreKind, str]:
        """The kind of store FINERWORKS_STATE_URL names and its target (the SQLite path, or the Redis URL)."""
        return state_store_of(self.state_url.get_secret_value()) if self.state_url else ("memory", "")

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
            "FINERWORKS_TOOL_SCHEMAS": self.tool_schemas,
            "FINERWORKS_TIMEOUT": f"{self.timeout:g}",
            "FINERWORKS_READ_ONLY": str(self.read_only).lower(),
            "FINERWORKS_CONFIRMATION": self.confirmation,
            "FINERWORKS_CONFIRMATION_TTL": str(self.confirmation_ttl),
            "FINERWORKS_GUARD_SECRET": mask(self.guard_secret) if self.guard_secret else "(per process)",
            "FINERWORKS_AUDIT_LOG": str(self.audit_log) if self.audit_log else "(default)",
            "FINERWORKS_CACHE_TTL": str(self.cache_ttl),
            "FINERWORKS_QUOTE_CONCURRENCY": str(self.quote_concurrency),
            "FINERWORKS_MCP_TOKEN": mask(self.mcp_token),
            "FINERWORKS_ALLOWED_HOSTS": ",".join(self.allowed_hosts) if self.allowed_hosts else "(loopback)",
            "FINERWORKS_ALLOWED_ORIGINS": ",".join(self.allowed_origins) if self.allowed_origins else "(loopback)",
            "FINERWORKS_STATE_URL": _shown_state_url(self.state_url),
            "FINERWORKS_MAX_RPS": f"{self.max_rps:g}",
            "FINERWORKS_MAX_CONCURRENCY": str(self.max_concurrency),
        }


def state_store_of(url: str) -> tuple[StateStoreKind, str]:
    """Which store a FINERWORKS_STATE_URL names, and its target; ValueError (never echoing the URL) otherwise."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    if scheme == "memory":
        return "memory", ""
    if scheme == "sqlite":
        if parts.netloc or len(parts.path) < 2 or parts.path.endswith("/"):
            raise ValueError(
                "a SQLite URL names a file after three slashes, e.g. sqlite:///var/lib/finerworks/state.db"
            )
        return "sqlite", unquote(parts.path)
    if scheme in ("redis", "rediss"):
        if not parts.hostname:
            raise ValueError("a Redis URL names its host, e.g. redis://redis.internal:6379/0")
        return "redis", url.strip()
    raise ValueError(f"unknown scheme {scheme + '://' if scheme else '(none)'}; {STATE_URL_HELP}")


def _shown_state_url(secret: SecretStr | None) -> str:
    """The state URL with any password masked."""
    if secret is None:
        return "(memory)"
    url = secret.get_secret_value()
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.netloc.rpartition("@")[2]
    user = parts.username or ""
    return urlunsplit(parts._replace(netloc=f"{user}:***@{host}"))
