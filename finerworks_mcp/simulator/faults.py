"""Fault injection: make the next calls slow, refused, broken or lost, to test how the server copes.

    state.faults.add("rate_limit", endpoint="get_prices", retry_after=2)
    state.faults.add("latency", seconds=0.2, times=None)   # every endpoint, until cleared
    state.faults.clear()

`latency` delays the real answer; every other kind replaces it, so the endpoint's handler does not run and no
state changes. `timeout` and `connection_reset` only behave as such through `SimulatorTransport` (the ASGI app
alone cannot drop a connection: it sleeps, or aborts a started response).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal, get_args

from finerworks_mcp.api.endpoints import ENDPOINTS

FaultKind = Literal[
    "latency", "rate_limit", "server_error", "timeout", "connection_reset", "malformed", "model_state", "refusal"
]
FAULT_KINDS: frozenset[str] = frozenset(get_args(FaultKind))
TRANSPORT_KINDS: frozenset[str] = frozenset({"timeout", "connection_reset"})

_PARAMS: dict[str, frozenset[str]] = {
    "latency": frozenset({"seconds"}),
    "rate_limit": frozenset({"retry_after", "message"}),
    "server_error": frozenset({"status", "body"}),
    "timeout": frozenset({"seconds"}),
    "connection_reset": frozenset(),
    "malformed": frozenset({"variant"}),
    "model_state": frozenset({"model_state", "message"}),
    "refusal": frozenset({"message"}),
}


@dataclass(slots=True)
class Fault:
    kind: FaultKind
    endpoint: str | None
    """None matches every endpoint."""
    remaining: int | None
    """How many more calls it hits; None until cleared."""
    params: dict[str, Any] = field(default_factory=dict[str, Any])

    def matches(self, endpoint: str) -> bool:
        return self.endpoint is None or self.endpoint == endpoint

    def param(self, name: str, default: Any) -> Any:
        return self.params.get(name, default)


@dataclass(frozen=True, slots=True)
class Applied:
    """The faults one request meets: a delay, and what replaces the answer."""

    latency: Fault | None = None
    answer: Fault | None = None

    @property
    def kind(self) -> str | None:
        chosen = self.answer or self.latency
        return chosen.kind if chosen else None


class Faults:
    def __init__(self) -> None:
        self._active: list[Fault] = []

    def add(self, kind: FaultKind, endpoint: str | None = None, times: int | None = 1, **params: Any) -> Fault:
        if kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {kind!r}; expected one of {sorted(FAULT_KINDS)}")
        if endpoint is not None and endpoint not in ENDPOINTS:
            raise ValueError(f"unknown endpoint {endpoint!r}")
        if times is not None and times < 1:
            raise ValueError("times must be at least 1, or None for until cleared")
        unknown = set(params) - _PARAMS[kind]
        if unknown:
            raise ValueError(f"{kind} takes {sorted(_PARAMS[kind]) or 'no parameters'}, not {sorted(unknown)}")
        _check_params(kind, params)
        fault = Fault(kind, endpoint, times, dict(params))
        self._active.append(fault)
        return fault

    def clear(self) -> None:
        self._active.clear()

    @property
    def active(self) -> tuple[Fault, ...]:
        return tuple(self._active)

    def take(self, endpoint: str) -> Applied:
        """Consume the first matching latency and the first matching answer-replacing fault."""
        return Applied(
            latency=self._take(endpoint, {"latency"}),
            answer=self._take(endpoint, FAULT_KINDS - {"latency"}),
        )

    def take_transport_fault(self, endpoint: str) -> Fault | None:
        """Consume the next answer-replacing fault only if it is one the transport must raise itself."""
        upcoming = self._first(endpoint, FAULT_KINDS - {"latency"})
        if upcoming is None or upcoming.kind not in TRANSPORT_KINDS:
            return None
        return self._take(endpoint, TRANSPORT_KINDS)

    def _first(self, endpoint: str, kinds: Iterable[str]) -> Fault | None:
        wanted = set(kinds)
        return next((f for f in self._active if f.kind in wanted and f.matches(endpoint)), None)

    def _take(self, endpoint: str, kinds: Iterable[str]) -> Fault | None:
        fault = self._first(endpoint, kinds)
        if fault is not None and fault.remaining is not None:
            fault.remaining -= 1
            if fault.remaining == 0:
                self._active.remove(fault)
        return fault


def _check_params(kind: str, params: dict[str, Any]) -> None:
    if kind == "server_error" and not 500 <= params.get("status", 500) <= 599:
        raise ValueError("server_error status must be a 5xx code such as 500, 502 or 503")
    if kind == "server_error" and params.get("body", "html") not in {"html", "json"}:
        raise ValueError("server_error body is 'html' or 'json'")
    if kind == "malformed" and params.get("variant", "truncated") not in {"truncated", "html"}:
        raise ValueError("malformed variant is 'truncated' or 'html'")
