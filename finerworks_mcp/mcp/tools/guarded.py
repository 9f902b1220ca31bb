"""Guarded writes as MCP tools: `propose` for the write tools, and the three tools that settle a proposal.

The state machine is the guard's (`guard.machine.Guard`); these adapters pass it the token, the caller
(`mcp.identity.client_name`) and the person's answer, and return its answers. `confirm_action` asks the person first
when the client can ask (the SDK's Resolve + Elicit, which works on both protocol eras); otherwise the token is the
confirmation, unless FINERWORKS_CONFIRMATION=elicit demands a person's answer (the guard refuses then). A client
without elicitation never gets a protocol error: the resolver checks before it asks.
"""

from __future__ import annotations

from collections.abc import Awaitable
from contextvars import ContextVar
from typing import Annotated, Any

from mcp.server.mcpserver import ElicitationResult, Resolve
from mcp.server.mcpserver.exceptions import ToolError
from mcp.server.mcpserver.resolve import Elicit
from mcp.types import ToolAnnotations
from pydantic import BaseModel, Field

from finerworks_mcp.api.client import FinerWorksClient
from finerworks_mcp.api.errors import FinerWorksError
from finerworks_mcp.guard import (
    ActionResult,
    Cancelled,
    Consent,
    Guard,
    GuardError,
    PendingActions,
    Proposal,
    TokenRefused,
)
from finerworks_mcp.guard.store import PendingAction
from finerworks_mcp.mcp.context import AppState, Ctx, app_state
from finerworks_mcp.mcp.identity import client_name
from finerworks_mcp.mcp.tools.base import Toolset

guard_tools = Toolset("guard", "confirm, cancel and list proposed writes")

# Any string: the guard refuses a malformed token in words, where a schema limit would answer with a validation
# error naming internal models.
Token = Annotated[str, Field(description="confirmation_token from a write tool, exactly as given.")]


def _guard(state: AppState) -> Guard:
    if state.guard is None:  # read-only servers do not register these tools; this is a second lock
        raise ToolError("Writes are switched off on this server (FINERWORKS_READ_ONLY=true). Nothing was sent.")
    return state.guard


async def propose(ctx: Ctx, endpoint: str, body: Any) -> Proposal:
    """Preview a write with reads only and store it for confirmation. Sends no write request."""
    state = app_state(ctx)
    return await _guard(state).propose(state.client, client_name(ctx), endpoint, endpoint, body)


def client_of(ctx: Ctx) -> FinerWorksClient:
    return app_state(ctx).client


async def merging(ctx: Ctx, endpoint: str, merge: Awaitable[Any]) -> Any:
    """The whole record a write will send (read, then merged); a failed read is reported like a failed preview."""
    _guard(app_state(ctx))
    try:
        return await merge
    except FinerWorksError as error:
        raise ToolError(f"Could not preview {endpoint}; nothing was sent. {error.tool_message()}") from error


class Approval(BaseModel):
    approve: bool = Field(description="Make this change at FinerWorks?")


class NotAsked(BaseModel):
    """The resolver's answer when no person was asked: the client cannot ask, or the token is already no good."""


_asked_about: ContextVar[PendingAction | None] = ContextVar("asked_about", default=None)
"""The action the resolver just inspected to ask the person about. The SDK runs the resolver and then the tool body
in one task for one call, so the body confirms exactly what the person was asked about, without reading it again."""


async def ask_person(confirmation_token: str, ctx: Ctx) -> Approval | NotAsked | Elicit[Approval]:
    state = app_state(ctx)
    _asked_about.set(None)
    if state.guard is None or not client_can_ask(ctx):
        return NotAsked()
    try:
        action = await state.guard.inspect(confirmation_token, client_name(ctx))
    except GuardError:
        return NotAsked()  # the tool body reports why; asking a person about a dead token helps nobody
    _asked_about.set(action)
    # Summaries end with their environment ("... — sandbox"); the question says it once.
    where = "" if action.summary.endswith(action.environment) else f" ({action.environment})"
    return Elicit(f"{action.summary}\n\nMake this change at FinerWorks{where}?", Approval)


def client_can_ask(ctx: Ctx) -> bool:
    """Whether the client declared form elicitation (the same test the SDK applies before it asks)."""
    capabilities = ctx.client_capabilities
    elicitation = capabilities.elicitation if capabilities is not None else None
    return elicitation is not None and (elicitation.form is not None or elicitation.url is None)


def approval_of(answer: ElicitationResult[Approval | NotAsked]) -> Consent:
    if answer.action == "cancel":
        return "dismissed"
    if answer.action != "accept":
        return "declined"
    if isinstance(answer.data, NotAsked):
        return "token"
    return "person" if answer.data.approve else "declined"


CONFIRM = ToolAnnotations(read_only_hint=False, destructive_hint=True, idempotent_hint=False, open_world_hint=True)
SETTLE = ToolAnnotations(read_only_hint=False, destructive_hint=False, idempotent_hint=True, open_world_hint=False)
LOCAL_READ = ToolAnnotations(read_only_hint=True, destructive_hint=False, idempotent_hint=True, open_world_hint=False)


@guard_tools.tool("Confirm a proposed change", CONFIRM)
async def confirm_action(
    ctx: Ctx,
    confirmation_token: Token,
    answer: Annotated[ElicitationResult[Approval | NotAsked], Resolve(ask_person)],
) -> ActionResult:
    """Run a previewed write exactly once. Only after the person said yes to its summary."""
    state = app_state(ctx)
    asked_about, consent = _asked_about.get(), approval_of(answer)
    _asked_about.set(None)
    return await _guard(state).confirm(state.client, confirmation_token, client_name(ctx), consent, asked_about)


NO_UNDO = "it cannot be undone through this server; tell the person to change it at finerworks.com."
UNDO = {
    "submit_orders_v2": "to stop the order, call update_order with update_command 'cancel' (only before production).",
    "update_order": "call update_order again: 'pending' releases a hold; a cancelled order cannot be restored.",
    "update_customer": "call update_customer with the previous address (only before production).",
    "update_images": "call update_images with the previous titles and descriptions.",
    "update_virtual_inventory": "call update_virtual_inventory with the previous values.",
    "update_file_selection": "call update_file_selection with the previous guids.",
    "add_images": "call delete_images with the new images' guids.",
    "update_user": "call update_user with the previous values.",
    "update_app_details": "call update_app_details with the previous values.",
}
"""For each executed write: the tool that reverses it, where one can."""


@guard_tools.tool("Cancel a proposed change", SETTLE)
async def cancel_action(ctx: Ctx, confirmation_token: Token) -> Cancelled:
    """Drop a previewed write so its token can never run. Use when the person says no."""
    try:
        return await _guard(app_state(ctx)).cancel(confirmation_token, client_name(ctx))
    except TokenRefused as refusal:
        settled = refusal.settled
        if settled is not None and settled.state == "executed":
            raise ToolError(
                f"Too late to cancel: this change already ran at FinerWorks ({settled.summary}), and cancelling a "
                f"token cannot undo it. Next: {UNDO.get(settled.endpoint, NO_UNDO)}"
            ) from refusal
        raise


@guard_tools.tool("List proposed changes", LOCAL_READ)
async def list_pending_actions(
    ctx: Ctx, page: Annotated[int, Field(ge=1, le=1000, description="Page of 20, oldest first.")] = 1
) -> PendingActions:
    """This client's writes previewed but not yet settled, with their tokens: pending, being confirmed, or with an
    unknown outcome (and the read that tells)."""
    return await _guard(app_state(ctx)).pending(client_name(ctx), page)
