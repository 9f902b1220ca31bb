"""How a FinerWorks endpoint becomes a tool: toolsets, annotations, and the one call path for reads."""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from mcp.server.mcpserver.tools import Tool
from mcp.types import ToolAnnotations
from pydantic import BaseModel

from finerworks_mcp.api.answers import parse_answer, request_body
from finerworks_mcp.api.reference import REFERENCE_KINDS
from finerworks_mcp.mcp.content import answering
from finerworks_mcp.mcp.context import Ctx, app_state

Model = TypeVar("Model", bound=BaseModel)
ToolFn = TypeVar("ToolFn", bound=Callable[..., Any])

READ_ONLY = ToolAnnotations(read_only_hint=True, destructive_hint=False, idempotent_hint=True, open_world_hint=True)
# A write tool only previews: calling it twice proposes the same change twice and sends nothing.
PROPOSE = ToolAnnotations(read_only_hint=False, destructive_hint=False, idempotent_hint=True, open_world_hint=True)
PROPOSE_DESTRUCTIVE = PROPOSE.model_copy(update={"destructive_hint": True})


@dataclass(frozen=True, slots=True)
class ToolSpec:
    fn: Callable[..., Any]
    title: str
    annotations: ToolAnnotations
    writes: bool = False
    proposes: tuple[str, ...] = ()
    """The write endpoints this tool proposes, when not the one named like it."""

    @property
    def name(self) -> str:
        return self.fn.__name__

    @property
    def endpoints(self) -> tuple[str, ...]:
        """What a server offering this tool may confirm (the guard refuses any other proposed write)."""
        return (self.proposes or (self.name,)) if self.writes else ()


@dataclass
class Toolset:
    """A named group of tools that FINERWORKS_TOOLSETS switches on or off."""

    name: str
    summary: str
    specs: list[ToolSpec] = field(default_factory=lambda: [])

    def read(self, title: str) -> Callable[[ToolFn], ToolFn]:
        """Register a tool that only reads from FinerWorks."""
        return self.tool(title, READ_ONLY)

    def write(self, title: str, *, destructive: bool, proposes: tuple[str, ...] = ()) -> Callable[[ToolFn], ToolFn]:
        """Register a tool that proposes a change at FinerWorks; it runs only through confirm_action."""
        return self.tool(title, PROPOSE_DESTRUCTIVE if destructive else PROPOSE, writes=True, proposes=proposes)

    def plan(self, title: str, *, proposes: tuple[str, ...] = ()) -> Callable[[ToolFn], ToolFn]:
        """Register a tool that only reads from FinerWorks and proposes writes (`proposes`): read-only at FinerWorks,
        but it needs the guard, so a read-only server leaves it out like a write tool."""
        return self.tool(title, READ_ONLY, writes=True, proposes=proposes)

    def tool(
        self, title: str, annotations: ToolAnnotations, *, writes: bool = False, proposes: tuple[str, ...] = ()
    ) -> Callable[[ToolFn], ToolFn]:
        def add(fn: ToolFn) -> ToolFn:
            self.specs.append(ToolSpec(fn, title, annotations, writes, proposes))
            return fn

        return add

    def offered(self, *, writes: bool) -> list[ToolSpec]:
        """This toolset's tools a server offers (its write tools only with `writes`)."""
        return [spec for spec in self.specs if writes or not spec.writes]


def sdk_tool(spec: ToolSpec) -> Tool:
    """The SDK's tool for `spec`, built once per process and shared by every server built in it.

    Building it (the arguments model and its JSON schema) is most of what a server costs to build; a Tool holds
    nothing of one server, so servers of one process (tests, benchmarks) share them. Handed to the server's
    constructor (`MCPServer(tools=...)`), the SDK's public way to register prebuilt tools."""
    tool = _BUILT.get(spec.fn)
    if tool is None:
        tool = _BUILT[spec.fn] = Tool.from_function(
            answering(spec.fn),
            title=spec.title,
            description=inspect.cleandoc(spec.fn.__doc__ or ""),
            annotations=spec.annotations,
            # The answer is already a CallToolResult with its structured content (see tools/content.py).
            structured_output=False,
        )
    return tool


_BUILT: dict[Callable[..., Any], Tool] = {}


async def fetch(
    ctx: Ctx,
    endpoint: str,
    result: type[Model],
    *,
    params: Mapping[str, str] | None = None,
    json: Any = None,
) -> Model:
    """Call a read endpoint and parse its answer (FinerWorksError when either fails)."""
    return await _answer(endpoint, result, app_state(ctx).client.read(endpoint, params=params, body=json))


async def cached(ctx: Ctx, kind: str, result: type[Model]) -> Model:
    """Unfiltered reference data from the server's cache (reference.REFERENCE_KINDS), parsed like `fetch`."""
    state = app_state(ctx)
    endpoint = REFERENCE_KINDS[kind].endpoint
    return await _answer(endpoint, result, state.reference.get(kind, state.client))


async def reference(ctx: Ctx, kind: str, result: type[Model], **filters: Any) -> Model:
    """A reference list: from the cache when no filter is given, else asked of FinerWorks with the filters."""
    if all(value is None for value in filters.values()):
        return await cached(ctx, kind, result)
    return await fetch(ctx, REFERENCE_KINDS[kind].endpoint, result, json=request_body(**filters))


async def _answer(endpoint: str, result: type[Model], call: Awaitable[dict[str, Any]]) -> Model:
    # A failed call or a malformed answer raises FinerWorksError; `answering` tells the model.
    return parse_answer(endpoint, result, await call)


def acting_account(ctx: Ctx, given: str | None) -> str | None:
    """The account a reseller key acts for: the caller's choice, else FINERWORKS_ACCOUNT_KEY."""
    return given or app_state(ctx).settings.account_key
