"""FinerWorksClient: the one way this server talks to FinerWorks.

It owns the HTTP connections for the life of the server (`connections`), sends the two key headers on every
request, uses the verb FinerWorks documents for each endpoint (`endpoints.ENDPOINTS`), and is the single place
where every failure becomes one of the typed errors in `errors`. Reads are retried on 429, 5xx and lost
connections with capped exponential backoff; writes are never retried, because a write that may have happened
must not happen twice.
"""

from __future__ import annotations

import email.utils
import logging
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

import anyio

from finerworks_mcp import __version__
from finerworks_mcp.api.connections import Connections
from finerworks_mcp.api.endpoints import ENDPOINTS
from finerworks_mcp.api.errors import (
    AuthenticationFailed,
    EndpointNotFound,
    FinerWorksError,
    FinerWorksUnavailable,
    InvalidRequest,
    MalformedResponse,
    RateLimited,
    RequestRefused,
    ServerFailed,
)
from finerworks_mcp.api.keys import FinerWorksKeys
from finerworks_mcp.api.outcomes import checked
from finerworks_mcp.api.ratelimit import RateLimiter
from finerworks_mcp.api.requests import complete, derived_session_id
from finerworks_mcp.api.text import clean, parse_clean_json
from finerworks_mcp.settings import ConfigError, Settings

if TYPE_CHECKING:
    import httpx2

logger = logging.getLogger(__name__)

USER_AGENT = f"finerworks-mcp/{__version__} (+https://pypi.org/project/finerworks-mcp/)"
JsonObject = dict[str, Any]
# Write endpoints FinerWorks can dry-run: the request is checked and nothing is created.
VALIDATE_ONLY_ENDPOINTS = frozenset({"submit_orders_v2"})
# Write endpoints whose body names this server's own app by its key.
OWN_APP_ENDPOINTS = frozenset({"update_app_details"})


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How reads are retried. Writes ignore it: they are sent once."""

    attempts: int = 3
    base_delay: float = 0.5
    max_delay: float = 8.0
    # A Retry-After longer than this is reported to the model instead of slept through: a tool call that hangs
    # for minutes is worse than an answer that says when to come back.
    max_retry_after: float = 10.0
    sleep: Callable[[float], Awaitable[None]] = field(default=anyio.sleep, compare=False)

    def delay_before(self, retry: int, error: FinerWorksError) -> float | None:
        """Seconds to wait before retry number `retry` (1-based), or None when the error must not be retried."""
        if retry >= self.attempts:
            return None
        if isinstance(error, RateLimited):
            if error.retry_after is not None:
                return error.retry_after if error.retry_after <= self.max_retry_after else None
        elif not isinstance(error, FinerWorksUnavailable):
            return None
        return min(self.max_delay, self.base_delay * 2 ** (retry - 1))


def keys_for(settings: Settings) -> FinerWorksKeys:
    if settings.web_api_key is None or settings.app_key is None:
        # config refuses to start sandbox or production without keys; the simulator's come from the composition root
        raise ConfigError("FinerWorks keys are not configured: set FINERWORKS_WEB_API_KEY and FINERWORKS_APP_KEY")
    return FinerWorksKeys(settings.web_api_key.get_secret_value(), settings.app_key.get_secret_value())


class FinerWorksClient:
    def __init__(
        self,
        settings: Settings,
        *,
        transport: httpx2.AsyncBaseTransport | None = None,
        keys: FinerWorksKeys | None = None,
        retry: RetryPolicy | None = None,
    ) -> None:
        self.settings = settings
        self.retry = retry or RetryPolicy()
        self._keys = keys or keys_for(settings)
        self.limiter = RateLimiter(rate=settings.max_rps, concurrency=settings.max_concurrency, sleep=self.retry.sleep)
        self._transport = transport
        self._opened: Connections | None = None

    def _connections(self) -> Connections:
        if self._opened is None:
            self._opened = Connections(
                base_url=self.settings.api_base + "/",
                keys=self._keys,
                headers={"User-Agent": USER_AGENT, "Accept": "application/json"},
                timeout=self.settings.timeout,
                max_connections=self.settings.max_concurrency,
                transport=self._transport,
            )
        return self._opened

    async def __aenter__(self) -> FinerWorksClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        if self._opened is not None:
            await self._opened.aclose()

    async def read(self, endpoint: str, *, params: Mapping[str, str] | None = None, body: Any = None) -> JsonObject:
        """Call a read endpoint, retrying what the policy allows."""
        if ENDPOINTS[endpoint].writes:
            raise ValueError(f"{endpoint} changes state at FinerWorks; use write() through the guard")
        return await self._retrying(endpoint, params=params, body=body)

    async def validate(self, endpoint: str, body: JsonObject) -> JsonObject:
        """Have FinerWorks check a write without making it (`validate_only: true`); the guard's previews use it.

        Sent once, never retried: it goes to a write endpoint, and only FinerWorks' word says the flag was honoured."""
        if endpoint not in VALIDATE_ONLY_ENDPOINTS:
            raise ValueError(f"FinerWorks cannot dry-run {endpoint}")
        return await self._send(endpoint, body={**body, "validate_only": True})

    async def _retrying(
        self, endpoint: str, *, params: Mapping[str, str] | None = None, body: Any = None
    ) -> JsonObject:
        retry = 0
        while True:
            try:
                return await self._send(endpoint, params=params, body=body)
            except FinerWorksError as error:
                retry += 1
                delay = self.retry.delay_before(retry, error)
                if delay is None:
                    raise
                logger.info("%s: %s; retry %d in %.2fs", endpoint, type(error).__name__, retry, delay)
                await self.retry.sleep(delay)

    async def write(self, endpoint: str, body: Any) -> JsonObject:
        """Call a write endpoint exactly once. Only the guard calls this, after a person confirmed."""
        if not ENDPOINTS[endpoint].writes:
            raise ValueError(f"{endpoint} does not change state; use read()")
        if endpoint in OWN_APP_ENDPOINTS:
            # FinerWorks changes only the calling app, named by its key in the body. The key is added here, at send
            # time, so no stored or previewed request (a pending action may sit in a SQLite or Redis store) holds it.
            body = {**body, "app_details": {**body["app_details"], "app_key": self._keys.app_key}}
        return await checked(
            endpoint,
            body,
            lambda: self._send(endpoint, body=body, confirmed=True),
            lambda read_endpoint, read_body: self._retrying(read_endpoint, body=read_body),
        )

    def image_session_id(self, account_key: str | None = None) -> str:
        """The image_library session_id: FINERWORKS_IMAGE_SESSION_ID, else one derived from the keys and the
        acting account, stable across restarts and never the keys themselves."""
        if self.settings.image_session_id:
            return self.settings.image_session_id
        return derived_session_id(self._keys.web_api_key, self._keys.app_key, account_key or self.settings.account_key)

    def _completed(self, endpoint: str, body: Any) -> Any:
        library: object = cast(JsonObject, body).get("library") if isinstance(body, dict) else None
        acting = cast(JsonObject, library).get("account_key") if isinstance(library, dict) else None
        return complete(endpoint, body, session_id=self.image_session_id(acting if isinstance(acting, str) else None))

    async def _send(
        self, endpoint: str, *, params: Mapping[str, str] | None = None, body: Any = None, confirmed: bool = False
    ) -> JsonObject:
        method = ENDPOINTS[endpoint].method
        body = self._completed(endpoint, body)
        started = time.perf_counter()
        async with self.limiter.turn(endpoint, confirmed=confirmed):
            response = await self._connections().request(
                endpoint, method, params=dict(params) if params else None, json=body if method != "GET" else None
            )
        logger.debug(
            "%s %s -> %d in %.0f ms", method, endpoint, response.status_code, (time.perf_counter() - started) * 1000
        )
        return _parse(endpoint, response, hide=self._keys.secrets)


def _parse(endpoint: str, response: httpx2.Response, *, hide: tuple[str, ...] = ()) -> JsonObject:
    """Turn FinerWorks' answer into its JSON body, or into the typed error it means."""
    status = response.status_code
    try:
        # Every string FinerWorks sends (titles, descriptions, labels, messages) may reach the model: none may
        # carry control or bidi characters.
        payload: Any = parse_clean_json(response.text, hide)
    except ValueError:
        payload = None
    message = _message_of(payload)

    if status == 429:
        raise RateLimited(message or "Too many requests.", retry_after=_retry_after(response), endpoint=endpoint)
    if status >= 500:
        detail = message or f"FinerWorks had an internal error ({_describe_body(response)})."
        raise ServerFailed(detail, endpoint=endpoint, status_code=status)
    if status in (404, 405):
        raise EndpointNotFound(message or "Not found.", endpoint=endpoint, status_code=status)
    if status == 400 and isinstance(payload, dict):
        _raise_model_state(endpoint, cast(JsonObject, payload), message)
    if status in (401, 403):
        raise AuthenticationFailed(message or "Not authorised.", endpoint=endpoint, status_code=status)
    if status >= 400:
        raise RequestRefused(message or f"HTTP {status}.", endpoint=endpoint, status_code=status)
    if not isinstance(payload, dict):
        raise MalformedResponse(
            f"Expected a JSON object, got {_describe_body(response)}.", endpoint=endpoint, status_code=status
        )
    body = cast(JsonObject, payload)
    envelope = body.get("status")
    refused = isinstance(envelope, dict) and cast(JsonObject, envelope).get("success") is False
    # Some answers carry `success: false` at the top level instead (metorial reads update_order and submit_note so).
    if refused or body.get("success") is False or body.get("Success") is False:
        raise RequestRefused(message or "FinerWorks declined the request without a reason.", endpoint=endpoint)
    return body


def _raise_model_state(endpoint: str, payload: JsonObject, message: str) -> None:
    model_state = payload.get("ModelState")
    if not isinstance(model_state, dict):
        raise InvalidRequest(message or "The request is invalid.", field_errors={}, endpoint=endpoint)
    field_errors: dict[str, list[str]] = {}
    for key, value in cast(JsonObject, model_state).items():
        messages = cast(list[Any], value) if isinstance(value, list) else [value]
        field_errors[clean(str(key))] = [clean(str(m)) for m in messages]
    if any("authorization_credentials" in key for key in field_errors):
        raise AuthenticationFailed(
            "; ".join(m for ms in field_errors.values() for m in ms), endpoint=endpoint, status_code=400
        )
    details = "; ".join(f"{key}: {' '.join(ms)}" for key, ms in field_errors.items())
    raise InvalidRequest(f"FinerWorks rejected the request: {details}.", field_errors=field_errors, endpoint=endpoint)


def _message_of(payload: Any) -> str:
    """FinerWorks' own words, from whichever of its three error shapes it used."""
    if not isinstance(payload, dict):
        return ""
    body = cast(JsonObject, payload)
    status = body.get("status")
    if isinstance(status, dict):
        text = cast(JsonObject, status).get("message")
    else:
        text = body.get("Message", body.get("message"))
    return clean(str(text)) if text else ""


def _retry_after(response: httpx2.Response) -> float | None:
    value = response.headers.get("Retry-After")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        when = email.utils.parsedate_to_datetime(value) if value else None
        return None if when is None else max(0.0, when.timestamp() - time.time())


def _describe_body(response: httpx2.Response) -> str:
    kind = response.headers.get("content-type", "no content type").split(";")[0]
    return f"{len(response.content)} bytes of {kind}"
