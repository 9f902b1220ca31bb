"""The registry of guarded writes: for each write endpoint, how to preview it and how to check on it.

Each module of `guard.previews` registers its endpoints with `@previewer`; importing `guard.previews` loads them all.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from finerworks_mcp.api.client import FinerWorksClient
from finerworks_mcp.guard.core import Preview
from finerworks_mcp.guard.merges import RECORDS_PREFIX

Previewer = Callable[[FinerWorksClient, Any], Awaitable[Preview]]
PreviewFn = TypeVar("PreviewFn", bound=Previewer)


@dataclass(frozen=True, slots=True)
class WriteSpec:
    endpoint: str
    preview: Previewer
    check: Callable[[Any], str]
    """Which read tells whether a write with an unknown outcome happened, given the request body."""
    recheck: bool
    """Preview again at confirm time; a new blocker or a changed fingerprint stops the write."""


WRITES: dict[str, WriteSpec] = {}
"""Filled as the preview modules are imported (`guard.previews` imports them all)."""


def write_spec(endpoint: str) -> WriteSpec:
    return WRITES[endpoint]


def previewer(endpoint: str, *, check: Callable[[Any], str], recheck: bool = False) -> Callable[[PreviewFn], PreviewFn]:
    """Register the previewer of one write endpoint."""

    def add(fn: PreviewFn) -> PreviewFn:
        WRITES[endpoint] = WriteSpec(endpoint, fn, check, recheck)
        return fn

    return add


def changed_reason(previewed: str | None, now: str | None) -> str:
    """Why a re-checked write stopped, in words: records read again differ, or the order total moved."""
    if (previewed or "").startswith(RECORDS_PREFIX) or (now or "").startswith(RECORDS_PREFIX):
        return "what the preview showed has changed at FinerWorks since (someone or something edited it meanwhile)"
    return f"the total changed from {previewed} to {now}"
