"""Settings: what the FINERWORKS_* variables asked for, as one validated, frozen value every layer may read.

The bottom layer (below `api`; only `loopback` is lower). `config` (on top) reads the environment and a `.env`
file into it through pydantic-settings' sources; nothing here reads the environment by itself
(`Settings.model_validate` never does). Keys are `SecretStr`, so a key never shows in a repr, an error or a log
line; `masked()` is the only view of the settings meant for people.
"""

from __future__ import annotations

import re
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import Any, Literal
from urllib.parse import unquote, urlsplit

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from finerworks_mcp.loopback import is_loopback

DEFAULT_TIMEOUT_SECONDS = 30.0
DEFAULT_CONFIRMATION_TTL_SECONDS = 600
DEFAULT_CACHE_TTL_SECONDS = 3600
# Twenty calls at once quote 1,000 items (20 get_prices calls) in one round trip (`python -m bench` measures the
# quote against that ideal and against sequential calls). The rate limiter below still caps what one server sends
# FinerWorks, which publishes no rate limit.
DEFAULT_WORKFLOW_CONCURRENCY = 20
MIN_MCP_TOKEN_LENGTH = 24
DEFAULT_PENDING_LIMIT = 100
DEFAULT_CONFIRM_LEASE_SECONDS = 300
CLIENT_NAME = re.compile(r"[a-z0-9][a-z0-9_.-]{0,31}")
RESERVED_CLIENT_NAMES = ("local", "default")
"""`local`: stdio and --no-auth HTTP; `default`: the holder of FINERWORKS_MCP_TOKEN."""
# FinerWorks publishes no rate limit; these keep one busy server polite while leaving room for quote_prices'
# concurrent chunks (a burst of up to DEFAULT_MAX_RPS calls goes out at once).
DEFAULT_MAX_RPS = 20.0
DEFAULT_MAX_CONCURRENCY = 24
# Issue 11 (HTTP limits): a request's headers and body must arrive in time, and open connections are capped below the
# open-file limit. Ten seconds is generous for headers that fit one packet; 512 connections fit a 1,024-file limit.
DEFAULT_HTTP_MAX_CONNECTIONS = 512
DEFAULT_HTTP_HEADER_TIMEOUT = 10.0
DEFAULT_HTTP_BODY_TIMEOUT = 30.0
DEFAULT_LARGE_ORDER_USD = Decimal(1000)
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
    # v2.api, not api: every recent live integration uses it, and its documented request shapes are the ones we send
    # (api.finerworks.com's help pages show get_prices taking a bare array). FINERWORKS_BASE_URL overrides it.
    Environment.PRODUCTION: "https://v2.api.finerworks.com/v3",
    # The in-process simulator is reached through an ASGI transport; the host is never resolved.
    Environment.SIMULATOR: "http://simulator.invalid/v3",
}


ENV_PREFIX = "FINERWORKS_"


class Settings(BaseSettings):
    """One field per FINERWORKS_<NAME> variable; `config.load_settings` reads them."""

    # No JSON decoding of list values: FINERWORKS_TOOLSETS=catalog,orders is a comma list, split below.
    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX, extra="forbid", frozen=True, env_ignore_empty=True, enable_decoding=False
    )

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
    workflow_concurrency: int = Field(default=DEFAULT_WORKFLOW_CONCURRENCY, ge=1, le=50)
    """FinerWorks calls one workflow tool runs at once; FINERWORKS_QUOTE_CONCURRENCY is its old name (config)."""
    mcp_token: SecretStr | None = None
    allowed_hosts: tuple[str, ...] | None = None
    allowed_origins: tuple[str, ...] | None = None
    state_url: SecretStr | None = None
    """Where pending actions live; may hold a Redis password, hence secret."""
    max_rps: float = Field(default=DEFAULT_MAX_RPS, gt=0, le=1000)
    max_concurrency: int = Field(default=DEFAULT_MAX_CONCURRENCY, ge=1, le=256)
    # Issue 11 (perimeter): limits of `serve --transport http`.
    http_max_connections: int = Field(default=DEFAULT_HTTP_MAX_CONNECTIONS, ge=2, le=100_000)
    http_header_timeout: float = Field(default=DEFAULT_HTTP_HEADER_TIMEOUT, gt=0, le=300)
    http_body_timeout: float = Field(default=DEFAULT_HTTP_BODY_TIMEOUT, gt=0, le=3600)
    # issue 12
    image_session_id: str | None = Field(default=None, min_length=8, max_length=50, pattern=r"^[A-Za-z0-9_-]+$")
    """The image_library session_id sent with image calls; unset, one is derived from the keys (never the keys)."""
    # issue 11: guard
    mcp_tokens: tuple[tuple[str, SecretStr], ...] | None = None
    """Named HTTP clients, `name:token,...`: each its own bearer token and its own proposed changes."""
    pending_limit: int = Field(default=DEFAULT_PENDING_LIMIT, ge=1, le=10_000)
    """Proposed changes one client may have waiting at once."""
    confirm_lease: int | None = Field(default=None, ge=1, le=3600)
    """How long a confirming worker may take to send a change and record its outcome before the change reads as
    "outcome unknown" (the worker is presumed gone; the change is never sent again). See `lease_seconds`."""
    # issue 13
    large_order_usd: Decimal = Field(default=DEFAULT_LARGE_ORDER_USD, gt=0, le=10_000_000)
    """An order preview above this grand total (USD) warns the person that it is unusually large."""

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

    @field_validator("mcp_tokens", mode="before")
    @classmethod
    def _split_named_tokens(cls, value: Any) -> Any:
        if not isinstance(value, str):
            return value
        pairs: list[tuple[str, str]] = []
        for entry in (part.strip() for part in value.split(",")):
            if entry:
                name, colon, token = entry.partition(":")
                if not colon:
                    raise ValueError("list clients as name:token,name:token (the token is never shown)")
                pairs.append((name.strip().lower(), token.strip()))
        return tuple(pairs) or None

    @field_validator("mcp_tokens")
    @classmethod
    def _distinct_named_tokens(
        cls, value: tuple[tuple[str, SecretStr], ...] | None
    ) -> tuple[tuple[str, SecretStr], ...] | None:
        names = [name for name, _ in value or ()]
        bad = [n for n in names if not CLIENT_NAME.fullmatch(n) or n in RESERVED_CLIENT_NAMES]
        if bad:
            raise ValueError(
                f"client name(s) {', '.join(bad)}: use 1-32 lowercase letters, digits, '.', '_' or '-', and not "
                f"{' or '.join(RESERVED_CLIENT_NAMES)}"
            )
        if len(set(names)) != len(names):
            raise ValueError("each client name may appear once")
        tokens = [token.get_secret_value() for _, token in value or ()]
        if any(len(token) < MIN_MCP_TOKEN_LENGTH for token in tokens):
            raise ValueError(f"each token must be at least {MIN_MCP_TOKEN_LENGTH} characters")
        if len(set(tokens)) != len(tokens):
            raise ValueError("each client needs a token of its own")
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
    def _simulator_stays_on_this_machine(self) -> Settings:
        # The simulator announces "nothing here is real": that must stay true, so it never talks to a remote host.
        host = urlsplit(self.base_url).hostname if self.base_url else None
        if self.env is Environment.SIMULATOR and host is not None and not is_loopback(host):
            raise ValueError(
                f"FINERWORKS_BASE_URL={self.base_url} is not on this machine, and FINERWORKS_ENV=simulator never "
                "calls a remote host. Leave FINERWORKS_BASE_URL unset (the built-in simulator), point it at a "
                "simulator on loopback (http://127.0.0.1:8088/v3), or set FINERWORKS_ENV=sandbox for FinerWorks' "
                "test host"
            )
        return self

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
    def _workflows_fit_concurrency_limit(self) -> Settings:
        if self.workflow_concurrency > self.max_concurrency:
            raise ValueError(
                f"FINERWORKS_WORKFLOW_CONCURRENCY ({self.workflow_concurrency}) cannot exceed "
                f"FINERWORKS_MAX_CONCURRENCY ({self.max_concurrency}); lower the first or raise the second"
            )
        return self

    @model_validator(mode="after")
    def _lease_outlasts_a_request(self) -> Settings:
        # A confirm re-checks (reads) and sends (one request): a lease shorter than that would report a change still
        # on its way as "outcome unknown".
        if self.confirm_lease is not None and self.confirm_lease < 2 * self.timeout:
            raise ValueError(
                f"FINERWORKS_CONFIRM_LEASE ({self.confirm_lease}) must be at least twice FINERWORKS_TIMEOUT "
                f"({self.timeout:g})"
            )
        return self

    @property
    def state_store(self) -> tuple[StateStoreKind, str]:
        """The kind of store FINERWORKS_STATE_URL names and its target (the SQLite path, or the Redis URL)."""
        return state_store_of(self.state_url.get_secret_value()) if self.state_url else ("memory", "")

    @property
    def lease_seconds(self) -> float:
        """FINERWORKS_CONFIRM_LEASE, else 300 s or four request timeouts (a re-check's reads and the write), whichever
        is longer."""
        return float(self.confirm_lease or max(DEFAULT_CONFIRM_LEASE_SECONDS, 4 * self.timeout))

    @property
    def api_base(self) -> str:
        return self.base_url or HOSTS[self.env]

    def masked(self) -> dict[str, str]:
        """The settings as a person may see them: whether each key is set, never any part of it."""

        def mask(secret: SecretStr | None) -> str:
            return "(not set)" if secret is None else f"set ({len(secret.get_secret_value())} characters)"

        def mask_key(secret: SecretStr | None) -> str:
            # The simulator answers only its own keys, so the composition root hands it those whatever is set.
            return "(not used by the simulator)" if self.env is Environment.SIMULATOR else mask(secret)

        return {
            "FINERWORKS_ENV": self.env.value,
            "FINERWORKS_BASE_URL": self.api_base,
            "FINERWORKS_WEB_API_KEY": mask_key(self.web_api_key),
            "FINERWORKS_APP_KEY": mask_key(self.app_key),
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
            "FINERWORKS_WORKFLOW_CONCURRENCY": str(self.workflow_concurrency),
            "FINERWORKS_MCP_TOKEN": mask(self.mcp_token),
            "FINERWORKS_ALLOWED_HOSTS": ",".join(self.allowed_hosts) if self.allowed_hosts else "(loopback)",
            "FINERWORKS_ALLOWED_ORIGINS": ",".join(self.allowed_origins) if self.allowed_origins else "(loopback)",
            "FINERWORKS_STATE_URL": _shown_state_url(self.state_url),
            "FINERWORKS_MAX_RPS": f"{self.max_rps:g}",
            "FINERWORKS_MAX_CONCURRENCY": str(self.max_concurrency),
            "FINERWORKS_HTTP_MAX_CONNECTIONS": str(self.http_max_connections),
            "FINERWORKS_HTTP_HEADER_TIMEOUT": f"{self.http_header_timeout:g}",
            "FINERWORKS_HTTP_BODY_TIMEOUT": f"{self.http_body_timeout:g}",
            "FINERWORKS_IMAGE_SESSION_ID": self.image_session_id or "(derived from the keys)",
            "FINERWORKS_MCP_TOKENS": (
                f"{', '.join(name for name, _ in self.mcp_tokens)} (a token each, set)"
                if self.mcp_tokens
                else "(not set)"
            ),
            "FINERWORKS_PENDING_LIMIT": str(self.pending_limit),
            "FINERWORKS_CONFIRM_LEASE": f"{self.lease_seconds:g}",
            "FINERWORKS_LARGE_ORDER_USD": f"{self.large_order_usd:f}",
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
    """The state URL as a person may see it: the password in the user info and every query value masked.

    Query values are all masked, not only `password=`: Redis clients also read credentials from other parameters
    (and a misspelt name is still a secret), while the names alone say enough to check the set-up.
    """
    if secret is None:
        return "(memory)"
    return masked_url(secret.get_secret_value())


def masked_url(url: str) -> str:
    """`url` with the password of its user info and the value of each query parameter replaced by ***."""
    parts = urlsplit(url)
    netloc = parts.netloc
    if "@" in netloc:
        userinfo, _, host = netloc.rpartition("@")
        user, has_password, _ = userinfo.partition(":")
        netloc = f"{user}:***@{host}" if has_password else netloc
    query = "&".join(
        f"{name}=***" if has_value else name
        for name, has_value, _ in (field.partition("=") for field in parts.query.split("&") if field)
    )
    # Rebuilt by hand: urlunsplit would turn sqlite:///path into sqlite:/path.
    return f"{parts.scheme}://{netloc}{parts.path}" + (f"?{query}" if query else "")
