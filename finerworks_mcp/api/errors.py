"""Every way a call to FinerWorks can fail, as one tree of typed errors.

    FinerWorksError                 anything that stopped a FinerWorks call; carries a hint for the model
    ├── FinerWorksRefusal           FinerWorks answered and said no
    │   ├── AuthenticationFailed    HTTP 400, ModelState on authorization_credentials
    │   ├── InvalidRequest          HTTP 400, ModelState naming the fields at fault
    │   ├── RequestRefused          HTTP 200 with status.success false (a business refusal)
    │   ├── EndpointNotFound        HTTP 404 or 405
    │   ├── RateLimited             HTTP 429, with the Retry-After FinerWorks gave
    │   └── LocalRateLimited        held back by this server's own limit (FINERWORKS_MAX_RPS / _MAX_CONCURRENCY);
    │                               nothing was sent
    ├── FinerWorksUnavailable       FinerWorks could not answer; a read may be retried
    │   ├── ServerFailed            HTTP 5xx
    │   ├── UpstreamTimeout         no answer within FINERWORKS_TIMEOUT
    │   └── UpstreamUnreachable     the connection could not be made or was dropped
    ├── MalformedResponse           an answer that is not the JSON FinerWorks promises
    └── OutcomeUnknown              a write FinerWorks answered without saying it happened (or with a failed payment
                                    that may have left an unpaid order); the message holds the lookup that tells

The client raises these from one place (`client.FinerWorksClient`); tools turn them into the SDK's `ToolError`
with `tool_message`, so the model reads what failed, FinerWorks' own words, and what to do next.
"""

from __future__ import annotations

import math


class FinerWorksError(Exception):
    hint = "Try again later; if it keeps failing, tell the person FinerWorks is not answering as expected."

    def __init__(self, message: str, *, endpoint: str = "", status_code: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.endpoint = endpoint
        self.status_code = status_code

    def tool_message(self) -> str:
        """The text the model reads: what failed, FinerWorks' words, what to do next."""
        where = f"{self.endpoint} failed" if self.endpoint else "FinerWorks call failed"
        code = f" (HTTP {self.status_code})" if self.status_code is not None else ""
        return f"{where}{code}: {self.message} Next: {self.hint}"


class FinerWorksRefusal(FinerWorksError):
    hint = "Read FinerWorks' message, correct the request, and call again."


class AuthenticationFailed(FinerWorksRefusal):
    hint = (
        "The FinerWorks keys were refused. A person must set valid FINERWORKS_WEB_API_KEY and FINERWORKS_APP_KEY "
        "(FinerWorks > My Account > Web API), or use FINERWORKS_ENV=simulator. Retrying will not help."
    )


class InvalidRequest(FinerWorksRefusal):
    hint = "Fix the fields named above and call again; do not retry unchanged."

    def __init__(self, message: str, *, field_errors: dict[str, list[str]], endpoint: str = "") -> None:
        super().__init__(message, endpoint=endpoint, status_code=400)
        self.field_errors = field_errors


class RequestRefused(FinerWorksRefusal):
    hint = "FinerWorks declined this request; check the ids and state named above before trying anything else."


class EndpointNotFound(FinerWorksRefusal):
    hint = "This FinerWorks endpoint is not available on the configured host; check FINERWORKS_BASE_URL."


class RateLimited(FinerWorksRefusal):
    def __init__(self, message: str, *, retry_after: float | None, endpoint: str = "") -> None:
        super().__init__(message, endpoint=endpoint, status_code=429)
        self.retry_after = retry_after

    @property
    def hint(self) -> str:  # type: ignore[override]  # the wait depends on FinerWorks' answer
        wait = f"{self.retry_after:g} seconds" if self.retry_after is not None else "a minute"
        return f"FinerWorks is rate limiting; wait {wait} before calling again, and make fewer calls."


class LocalRateLimited(FinerWorksRefusal):
    """Not FinerWorks' answer: this server held the call back to stay within its own limits. Never retried."""

    def __init__(self, message: str, *, retry_after: float, endpoint: str = "") -> None:
        super().__init__(message, endpoint=endpoint)
        self.retry_after = retry_after

    @property
    def hint(self) -> str:  # type: ignore[override]  # the wait depends on how busy the server is
        wait = max(1, math.ceil(self.retry_after))
        return (
            f"Nothing was sent to FinerWorks. Try again in {wait} second{'s' if wait != 1 else ''}, "
            "and make fewer calls at once."
        )


class FinerWorksUnavailable(FinerWorksError):
    hint = "FinerWorks did not answer. Wait a little and try again; reads were already retried."


class ServerFailed(FinerWorksUnavailable):
    pass


class UpstreamTimeout(FinerWorksUnavailable):
    hint = "FinerWorks took too long. Try again shortly, or ask for less (fewer items, smaller pages)."


class UpstreamUnreachable(FinerWorksUnavailable):
    hint = "FinerWorks could not be reached. Check the network or FINERWORKS_BASE_URL, then try again."


class MalformedResponse(FinerWorksError):
    hint = "FinerWorks answered with something unexpected. Try again later; if it persists, report it."


class OutcomeUnknown(FinerWorksError):
    hint = "Tell the person what the lookup above found; do not send the write again until they have checked."


class ConfigError(Exception):
    """The server's configuration is unusable; the message says what to set."""
