"""Streamable HTTP: the Starlette app (bearer token, Host/Origin checks, `/healthz`) and running it with uvicorn.

    finerworks-mcp serve --transport http [--host 127.0.0.1] [--port 8000] [--no-auth]
    uvicorn --factory finerworks_mcp.asgi:create_app --workers 2 \
        --http finerworks_mcp.asgi:LimitedHttp --backlog 128          # several workers; a token is required

Start-up refuses what would expose FinerWorks to the network by accident: no token (unless bound to loopback with
an explicit `--no-auth`), and a wildcard bind without `FINERWORKS_ALLOWED_HOSTS` (the SDK would otherwise accept
any Host header, which is what DNS rebinding needs).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import socket
import sys
from dataclasses import dataclass
from typing import Any

import httpx2
import uvicorn
from mcp.server.auth.provider import AccessToken
from mcp.server.auth.settings import AuthSettings
from mcp.server.request_state import RequestStateSecurity
from mcp.server.transport_security import TransportSecurityMiddleware, TransportSecuritySettings
from pydantic import AnyHttpUrl, SecretStr
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from finerworks_mcp import __version__
from finerworks_mcp.api.keys import FinerWorksKeys
from finerworks_mcp.loopback import is_loopback
from finerworks_mcp.mcp.http_limits import RepeatSummary, uvicorn_limits
from finerworks_mcp.mcp.server import build_server
from finerworks_mcp.settings import ConfigError, Settings

MCP_PATH = "/mcp"
HEALTH_PATH = "/healthz"
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
GRACEFUL_SHUTDOWN_SECONDS = 10
"""SIGTERM/SIGINT stop new connections at once; requests in flight get this long to finish, then are cancelled."""
SCOPE = "finerworks"
DEFAULT_CLIENT = "default"
"""The client holding FINERWORKS_MCP_TOKEN; FINERWORKS_MCP_TOKENS names the others. The SDK binds sessions and
request state to the name, and the guard files proposed changes under it (`mcp.identity`)."""
REQUEST_STATE_KEY_LABEL = b"finerworks-mcp/request-state/v1"

LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "[::1]")
WILDCARD_BINDS = frozenset({"0.0.0.0", "::", ""})

logger = logging.getLogger(__name__)


class StaticTokenVerifier:
    """The SDK's TokenVerifier for the configured bearer tokens, each naming one client, compared in constant time
    (every token is compared, so the time taken does not tell which one nearly matched)."""

    def __init__(self, clients: dict[str, SecretStr]) -> None:
        self._expected = [(name, token.get_secret_value().strip().encode()) for name, token in clients.items()]

    async def verify_token(self, token: str) -> AccessToken | None:
        given = token.encode()
        matched = [name for name, expected in self._expected if hmac.compare_digest(given, expected)]
        return AccessToken(token=token, client_id=matched[0], scopes=[SCOPE]) if matched else None


def bearer_clients(settings: Settings) -> dict[str, SecretStr]:
    """Each client's name and token: FINERWORKS_MCP_TOKENS, plus FINERWORKS_MCP_TOKEN as `default`."""
    clients = dict(settings.mcp_tokens or ())
    if settings.mcp_token is not None:
        clients[DEFAULT_CLIENT] = settings.mcp_token
    return clients


@dataclass(frozen=True, slots=True)
class Binding:
    """Where the server listens and whether it asks for the token."""

    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    no_auth: bool = False

    @property
    def url(self) -> str:
        return f"http://{_bracketed(self.host)}:{self.port}"


def _bracketed(host: str) -> str:
    """An address as it appears in a URL or a Host header: IPv6 in brackets."""
    return f"[{host}]" if ":" in host and not host.startswith("[") else host


def check_binding(settings: Settings, binding: Binding) -> None:
    """Refuse a start-up that would leave the server open to anyone who can reach the port."""
    if binding.no_auth:
        if not is_loopback(binding.host):
            raise ConfigError(
                f"finerworks-mcp cannot start: --no-auth is allowed only on a loopback address (127.0.0.1, ::1, "
                f"localhost), not {binding.host}. Set FINERWORKS_MCP_TOKEN and drop --no-auth."
            )
    elif not bearer_clients(settings):
        raise ConfigError(
            "finerworks-mcp cannot start: FINERWORKS_MCP_TOKEN must be set to serve over HTTP (or "
            "FINERWORKS_MCP_TOKENS=name:token,... for several clients); clients send it as "
            "'Authorization: Bearer <token>'. Make one with "
            "python3 -c 'import secrets; print(secrets.token_urlsafe(32))'. On a loopback address only, "
            "--no-auth runs without a token."
        )
    if binding.host in WILDCARD_BINDS and not settings.allowed_hosts:
        raise ConfigError(
            f"finerworks-mcp cannot start: bound to {binding.host or 'every address'}, so set "
            "FINERWORKS_ALLOWED_HOSTS to the names clients use (e.g. mcp.example.com,mcp.example.com:*); "
            "requests with any other Host header are refused."
        )


def transport_security(settings: Settings, binding: Binding) -> TransportSecuritySettings:
    """The SDK's Host and Origin checks, always on.

    Defaults: the loopback names (and a concrete bind address), any port. With FINERWORKS_ALLOWED_HOSTS set and
    FINERWORKS_ALLOWED_ORIGINS not, no browser origin is allowed (clients that are not browsers send none).
    """
    names = [*LOOPBACK_HOSTS]
    if not is_loopback(binding.host) and binding.host not in WILDCARD_BINDS:
        names.append(_bracketed(binding.host))
    hosts = settings.allowed_hosts or tuple(host for name in names for host in (name, f"{name}:*"))
    origins = settings.allowed_origins or (
        ()
        if settings.allowed_hosts
        else tuple(origin for name in names for origin in (f"http://{name}", f"http://{name}:*"))
    )
    return TransportSecuritySettings(
        enable_dns_rebinding_protection=True, allowed_hosts=list(hosts), allowed_origins=list(origins)
    )


def request_state_security(settings: Settings) -> RequestStateSecurity | None:
    """With a shared FINERWORKS_GUARD_SECRET, any worker can read the elicitation state another worker sealed.

    The key is derived, not the secret itself, so the guard's token key and the SDK's sealing key stay independent.
    Without the secret the SDK's per-process key is right (one worker).
    """
    if settings.guard_secret is None:
        return None
    secret = settings.guard_secret.get_secret_value().encode()
    return RequestStateSecurity(keys=[hmac.new(secret, REQUEST_STATE_KEY_LABEL, hashlib.sha256).digest()])


def build_app(
    settings: Settings,
    binding: Binding = Binding(),
    *,
    transport: httpx2.AsyncBaseTransport | None = None,
    keys: FinerWorksKeys | None = None,
) -> Starlette:
    """The ASGI app serving MCP on /mcp and health on /healthz; `transport` is for tests (a fake FinerWorks)."""
    check_binding(settings, binding)
    auth = not binding.no_auth
    clients = bearer_clients(settings)
    if not auth and clients:
        logger.warning("--no-auth: bearer tokens are set but not required from clients")
    server = build_server(
        settings,
        transport=transport,
        keys=keys,
        token_verifier=StaticTokenVerifier(clients) if auth and clients else None,
        auth=AuthSettings(
            # A static token has no authorization server; the SDK's model requires an issuer all the same. Without
            # resource_server_url nothing advertises it, so OAuth-capable clients are not sent on a dead end.
            issuer_url=AnyHttpUrl(binding.url),
            resource_server_url=None,
            required_scopes=[SCOPE],
            validate_token_resource=False,
        )
        if auth
        else None,
        request_state_security=request_state_security(settings),
    )

    security = transport_security(settings, binding)
    checks = TransportSecurityMiddleware(security)

    @server.custom_route(HEALTH_PATH, methods=["GET"], include_in_schema=False)
    async def health(request: Request) -> Response:
        # The same Host and Origin checks as /mcp: a DNS-rebinding page must not read even this.
        refused = await checks.validate_request(request)
        if refused is not None:
            return refused
        return JSONResponse(
            {"status": "ok", "server": server.name, "version": __version__, "environment": settings.env.value}
        )

    return server.streamable_http_app(streamable_http_path=MCP_PATH, transport_security=security, host=binding.host)


def configure_logging() -> RepeatSummary:
    """Everything to stderr (stdout stays free); uvicorn's start-up and access lines at INFO, the rest WARNING.

    A flood of like warnings (slow clients closed, foreign Host headers) is summarised, not written line by line.
    """
    logging.basicConfig(
        stream=sys.stderr, level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    summary = RepeatSummary()
    for handler in logging.getLogger().handlers:
        handler.addFilter(summary)
    for name in ("uvicorn", __name__):
        logging.getLogger(name).setLevel(logging.INFO)
    return summary


class SummarisingServer(uvicorn.Server):
    """uvicorn's server, reporting the warnings `RepeatSummary` still holds back once it has shut down (uvicorn
    re-raises SIGTERM after `run`, so nothing after `run` would get the chance)."""

    def __init__(self, config: uvicorn.Config, summary: RepeatSummary) -> None:
        super().__init__(config)
        self.summary = summary

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        await super().shutdown(sockets)
        self.summary.flush()


def serve(settings: Settings, binding: Binding, **upstream: Any) -> None:
    """Run one server process until SIGTERM/SIGINT, then finish what is in flight (bounded) and exit.

    `upstream` is `build_server`'s transport and keys (the composition root's, for the simulator)."""
    summary = configure_logging()
    app = build_app(settings, binding, **upstream)
    # uvicorn's own "running on" line follows with the real address (port 0 picks a free port).
    logger.info(
        "FinerWorks MCP on path %s (%s, %s)",
        MCP_PATH,
        settings.env.value,
        "no auth" if binding.no_auth else "bearer token required",
    )
    config = uvicorn.Config(
        app,
        host=binding.host.strip("[]"),
        port=binding.port,
        log_config=None,
        timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_SECONDS,
        server_header=False,
        **uvicorn_limits(settings),
    )
    SummarisingServer(config, summary).run()
