"""Guarded writes: `propose` for the write tools, and the three tools that settle a proposal.

`confirm_action` asks the person first when the client can ask (the SDK's Resolve + Elicit, which works on both
protocol eras); otherwise the token is the confirmation, unless FINERWORKS_CONFIRMATION=elicit demands a person's
answer. A client without elicitation never gets a protocol error: the resolver checks before it asks.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, cast

from mcp.server.mcpserver import ElicitationResult, Resolve
from mcp.server.mcpserver.exceptions import ToolError
from mcp.server.mcpserver.resolve import Elicit
from mcp.types import ToolAnnotations
from pydantic import BaseModel, Field

from finerworks_mcp.api.errors import FinerWorksError, FinerWorksRefusal
from finerworks_mcp.api.schemas.common import Answer
from finerworks_mcp.guard import Guard, Proposal, TokenRefused, write_spec
from finerworks_mcp.guard.audit import AuditUnavailable
from finerworks_mcp.guard.core import iso
from finerworks_mcp.mcp.context import AppState, Ctx, app_state
from finerworks_mcp.mcp.tools.base import Toolset

guard_tools = Toolset("guard", "confirm, cancel and list proposed writes")

Token = Annotated[str, Field(min_length=3, max_length=64, description="confirmation_token from a write tool.")]


def _guard(state: AppState) -> Guard:
    if state.guard is None:  # read-only servers do not register these tools; this is a second lock
        raise ToolError("Writes are switched off on this server (FINERWORKS_READ_ONLY=true). Nothing was sent.")
    return state.guard


async def propose(ctx: Ctx, endpoint: str, body: Any) -> Proposal:
    """Preview a write with reads only and store it for confirmation. Sends no write request."""
    state = app_state(ctx)
    guard = _guard(state)
    try:
        preview = await write_spec(endpoint).preview(state.client, body)
        return await guard.propose(endpoint, endpoint, body, preview)
    except FinerWorksError as error:
        raise ToolError(f"Could not preview {endpoint}; nothing was sent. {error.tool_message()}") from error
    except AuditUnavailable as error:
        raise ToolError(str(error)) from error


class Approval(BaseModel):
    approve: bool = Field(description="Make this change at FinerWorks?")


class NotAsked(BaseModel):
    """The resolver's answer when no person was asked: the client cannot ask, or the token is already no good."""


async def ask_person(confirmation_token: str, ctx: Ctx) -> Approval | NotAsked | Elicit[Approval]:
    state = app_state(ctx)
    if state.guard is None or not client_can_ask(ctx):
        return NotAsked()
    try:
        action = await state.guard.inspect(confirmation_token)
    except TokenRefused:
        return NotAsked()  # the tool body reports why; asking a person about a dead token helps nobody
    return Elicit(f"{action.summary}\n\nEnvironment: {action.environment}. Make this change at FinerWorks?", Approval)


def client_can_ask(ctx: Ctx) -> bool:
    """Whether the client declared form elicitation (the same test the SDK applies before it asks)."""
    capabilities = ctx.client_capabilities
    elicitation = capabilities.elicitation if capabilities is not None else None
    return elicitation is not None and (elicitation.form is not None or elicitation.url is None)


class ActionResult(Answer):
    executed: bool
    status: Literal["executed", "declined", "changed"]
    environment: str
    summary: str
    message: str
    result: dict[str, Any] | None = None
    """FinerWorks' answer, when the write ran."""
    new_proposal: Proposal | None = None
    """When something changed since the preview: the fresh preview and its token."""


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
    guard = _guard(state)
    try:
        action = await guard.inspect(confirmation_token)
        approval = answer.data if answer.action == "accept" else None
        if isinstance(approval, NotAsked):
            if state.settings.confirmation == "elicit":
                raise ToolError(
                    "This server requires a person to approve each change in the client "
                    "(FINERWORKS_CONFIRMATION=elicit), and this client cannot ask. Nothing was sent; the token "
                    f"stays valid until {iso(action.expires_at)} for a client that can ask."
                )
        elif approval is None or not approval.approve:
            how = "declined" if answer.action != "cancel" else "dismissed"
            await guard.end_unconfirmed(confirmation_token, "declined", f"person {how}")
            return ActionResult(
                executed=False,
                status="declined",
                environment=action.environment,
                summary=action.summary,
                message=f"The person {how} the change. Nothing was sent to FinerWorks.",
            )
        by = "token (client cannot ask)" if isinstance(approval, NotAsked) else "person (asked in the client)"
        claimed = await guard.claim(confirmation_token, confirmed_by=by)
    except TokenRefused as refusal:
        raise ToolError(str(refusal)) from refusal
    except AuditUnavailable as error:
        raise ToolError(str(error)) from error
    return await _execute(ctx, guard, claimed)


async def _execute(ctx: Ctx, guard: Guard, action: Any) -> ActionResult:
    state = app_state(ctx)
    spec = write_spec(action.endpoint)
    if spec.recheck:
        try:
            preview = await spec.preview(state.client, action.body)
        except FinerWorksError as error:
            await guard.finish(action, "failed", "re-check failed")
            raise ToolError(
                f"Could not re-check the change before sending it; nothing was sent. {error.tool_message()}"
            ) from error
        if preview.blockers or preview.fingerprint != action.fingerprint:
            await guard.finish(action, "superseded", "changed since preview")
            fresh = await guard.propose(action.tool, action.endpoint, action.body, preview)
            reasons = preview.blockers or [f"the total changed from {action.fingerprint} to {preview.fingerprint}"]
            return ActionResult(
                executed=False,
                status="changed",
                environment=action.environment,
                summary=preview.summary,
                message="Nothing was sent: " + "; ".join(reasons) + ". Show the person the new preview.",
                new_proposal=fresh,
            )
    try:
        payload = await state.client.write(action.endpoint, action.body)
    except FinerWorksRefusal as error:
        await guard.finish(action, "failed", type(error).__name__)
        raise ToolError(
            f"FinerWorks refused the change; nothing was changed. {error.tool_message()} "
            "This token is used up: call the write tool again for a fresh preview."
        ) from error
    except FinerWorksError as error:
        # Timeouts, dropped connections, 5xx and garbled answers: the write may or may not have happened.
        await guard.finish(action, "outcome_unknown", type(error).__name__)
        raise ToolError(
            f"Outcome unknown: {action.endpoint} was sent but no clear answer came back ({error.message}). "
            f"It may or may not have happened. Before anything else, check with {spec.check(action.body)}. "
            "Do not confirm again: this token cannot be reused."
        ) from error
    envelope = payload.pop("status", None)
    said = _message_in(envelope)
    await guard.finish(action, "executed", "success")
    return ActionResult(
        executed=True,
        status="executed",
        environment=action.environment,
        summary=action.summary,
        message=f"Done at FinerWorks ({action.environment})." + (f" FinerWorks: {said}" if said else ""),
        result=payload or None,
    )


def _message_in(envelope: object) -> str:
    """FinerWorks' own words about a write that succeeded (what it deleted, what it changed)."""
    if not isinstance(envelope, dict):
        return ""
    message = cast(dict[str, Any], envelope).get("message")
    return str(message) if message else ""


class Cancelled(BaseModel):
    cancelled: bool
    summary: str


@guard_tools.tool("Cancel a proposed change", SETTLE)
async def cancel_action(ctx: Ctx, confirmation_token: Token) -> Cancelled:
    """Drop a previewed write so its token can never run. Use when the person says no."""
    try:
        action = await _guard(app_state(ctx)).end_unconfirmed(confirmation_token, "cancelled", "cancelled")
    except TokenRefused as refusal:
        raise ToolError(str(refusal)) from refusal
    return Cancelled(cancelled=True, summary=action.summary)


class PendingSummary(BaseModel):
    confirmation_token: str
    tool: str
    summary: str
    expires_at: str


class PendingActions(BaseModel):
    actions: list[PendingSummary]


@guard_tools.tool("List proposed changes", LOCAL_READ)
async def list_pending_actions(ctx: Ctx) -> PendingActions:
    """Writes previewed but not yet confirmed or cancelled, with their tokens."""
    actions = await _guard(app_state(ctx)).pending()
    return PendingActions(
        actions=[
            PendingSummary(confirmation_token=a.token, tool=a.tool, summary=a.summary, expires_at=iso(a.expires_at))
            for a in actions
        ]
    )
