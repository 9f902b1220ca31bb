"""The registry of guarded writes: for each write endpoint, how to preview it and how to check on it.

Each module of `guard.previews` registers its endpoints with `@previewer`; importing `guard.previews` loads them all.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from finerworks_mcp.api.client import FinerWorksClient
from finerworks_mcp.guard.core import Preview

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
