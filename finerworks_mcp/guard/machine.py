"""The guard's state machine: propose -> (ask) -> confirm -> execute -> settle, or cancel, or expire.

Every entry point takes the caller (the client's name, `mcp.identity`) and refuses what is not theirs. Nothing here
knows MCP: the adapter (`mcp/tools/guarded.py`) asks the person and hands over the answer, and `mcp.content`
turns `GuardError`s into what the model reads.

Per confirm: one store read and one signature check (`inspect`), then the atomic claim. The digest the signature
covers is recomputed from the stored action, so an edited endpoint, body, binding or summary is refused; the claim
writes the single-use ledger, so a settled action whose state is reset is refused too. Once the request has left,
every outcome is reported as executed, refused or unknown, never as "nothing was sent".
"""

from __future__ import annotations

import hmac
import logging
import math
import time
from collections.abc import Callable
from typing import Any, Literal, cast

import anyio

from finerworks_mcp.api.client import VALIDATE_ONLY_ENDPOINTS, FinerWorksClient
from finerworks_mcp.api.errors import FinerWorksError, FinerWorksRefusal
from finerworks_mcp.api.text import without_hidden
from finerworks_mcp.guard.aftermath import record_submitted, still_waiting, what_changed
from finerworks_mcp.guard.audit import AuditLog, AuditUnavailable
from finerworks_mcp.guard.binding import Binding, differences
from finerworks_mcp.guard.core import (
    BLOCKED_STEP,
    FINAL_STATE_MESSAGES,
    NEXT_STEP,
    ActionResult,
    Cancelled,
    OutcomeUnknown,
    PendingActions,
    PendingSummary,
    Preview,
    Proposal,
    TokenRefused,
    iso,
)
from finerworks_mcp.guard.errors import GuardError
from finerworks_mcp.guard.journal import OrderJournal
from finerworks_mcp.guard.store import ActionState, ActionStore, PendingAction
from finerworks_mcp.guard.tokens import TokenSigner, new_action_id, request_digest, well_formed
from finerworks_mcp.guard.writes import changed_reason, write_spec

logger = logging.getLogger(__name__)

Consent = Literal["person", "token", "declined", "dismissed"]
"""What the adapter learned: a person said yes in the client, the client cannot ask (the token is the
confirmation), the person said no, or they dismissed the question."""

PAGE_SIZE = 20
MALFORMED = (
    "This is not a confirmation token: tokens look like 'abcd2345-efgh6789jk' (8 letters or digits, a dash, 10 "
    "more). Nothing was sent. Next: use the exact confirmation_token from the preview, or call list_pending_actions."
)


def signed_fields(action: PendingAction) -> dict[str, Any]:
    """Everything a token vouches for (its expiry is signed beside it)."""
    return {
        "tool": action.tool,
        "endpoint": action.endpoint,
        "body": action.body,
        "binding": action.binding.model_dump(),
        "client": action.client,
        "summary": action.summary,
        "fingerprint": action.fingerprint,
        "check": action.check,
    }


class Guard:
    def __init__(
        self,
        *,
        binding: Binding,
        offered: frozenset[str],
        signer: TokenSigner,
        store: ActionStore,
        audit: AuditLog,
        ttl_seconds: float,
        lease_seconds: float,
        pending_limit: int,
        journal: OrderJournal | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.binding = binding
        self.offered = offered
        """The write tools this server offers; an action for any other is refused here."""
        self.signer = signer
        self.store = store
        self.audit = audit
        self.ttl_seconds = ttl_seconds
        self.lease_seconds = lease_seconds
        self.pending_limit = pending_limit
        self.journal = journal
        """Where submitted orders are remembered, so lookup_orders can list them without an id."""
        self.clock = clock

    @property
    def environment(self) -> str:
        return self.binding.environment

    # --- step 1: propose ---------------------------------------------------------------------------------------

    async def propose(self, client: FinerWorksClient, caller: str, tool: str, endpoint: str, body: Any) -> Proposal:
        """Preview a write with reads only (and `validate_only` for orders) and store it. Sends no write.

        Hidden characters leave the body before anything else: a summary shows text without them, so a title the
        model sent as 'Nice<U+202E>gnp.exe' would otherwise be approved as 'Nicegnp.exe' and stored at FinerWorks
        to display as 'Niceexe.png'."""
        body = without_hidden(body)
        try:
            preview = await write_spec(endpoint).preview(client, body)
        except FinerWorksError as error:
            sent = (
                "nothing was changed (a preview sends reads and one validate_only check, never retried)"
                if endpoint in VALIDATE_ONLY_ENDPOINTS
                else "nothing was sent"
            )
            raise GuardError(f"Could not preview {endpoint}; {sent}. {error.tool_message()}") from error
        return await self._record(caller, tool, endpoint, body, preview)

    async def _record(self, caller: str, tool: str, endpoint: str, body: Any, preview: Preview) -> Proposal:
        if preview.blockers:
            self.audit.record(
                "blocked",
                environment=self.environment,
                tool=tool,
                summary=preview.summary,
                client=caller,
                outcome="; ".join(preview.blockers),
            )
            return Proposal(
                confirmation_required=False,
                environment=self.environment,
                summary=preview.summary,
                preview=preview.details,
                blocked_by=preview.blockers,
                next=BLOCKED_STEP,
            )
        waiting = [a for a in await self.store.list_open(caller) if a.state == "pending"]
        if len(waiting) >= self.pending_limit:
            raise GuardError(
                f"This client already has {len(waiting)} proposed changes waiting for confirmation, the most this "
                "server keeps (FINERWORKS_PENDING_LIMIT). Nothing was stored or sent. Next: confirm or cancel the "
                "ones the person decided on (list_pending_actions), or wait for them to expire."
            )
        now = self.clock()
        action = PendingAction(
            id=new_action_id(),
            token="",
            tool=tool,
            endpoint=endpoint,
            body=body,
            digest="",
            binding=self.binding,
            client=caller,
            summary=preview.summary,
            preview=preview.details,
            fingerprint=preview.fingerprint,
            check=write_spec(endpoint).check(body),
            created_at=now,
            expires_at=float(int(now + self.ttl_seconds)),
        )
        digest = request_digest(signed_fields(action))
        action = action.model_copy(
            update={"digest": digest, "token": self.signer.sign(action.id, digest, action.expires_at)}
        )
        self._audit("previewed", action, client=caller)
        await self.store.put(action)
        return Proposal(
            confirmation_required=True,
            confirmation_token=action.token,
            expires_at=iso(action.expires_at),
            environment=self.environment,
            summary=action.summary,
            preview=action.preview,
            next=NEXT_STEP,
        )

    # --- reading an action: no side effects ------------------------------------------------------------------------

    async def inspect(self, token: str, caller: str) -> PendingAction:
        """The pending action `token` approves for `caller` on this server, or TokenRefused saying why not."""
        token = token.strip()
        if not well_formed(token):
            raise TokenRefused(MALFORMED)
        action = await self.store.get(token.partition("-")[0])
        if action is None:
            raise TokenRefused(
                "This confirmation token is not known to this server (wrong token, or the server restarted). "
                "Call the write tool again for a fresh preview and token."
            )
        if not self._authentic(token, action):
            raise TokenRefused(
                "This confirmation token does not match its action: it was altered or mistyped. Use the exact "
                "token from the preview, or call the write tool again."
            )
        if action.client != caller:
            raise TokenRefused(
                "This confirmation token belongs to another client of this server: only the client that proposed "
                "a change can confirm, cancel or list it. Nothing was sent. Next: call the write tool yourself for "
                "a preview and token of your own."
            )
        self._refuse_elsewhere(action)
        now = self.clock()
        if action.state == "pending" and now >= action.expires_at:
            raise TokenRefused(
                f"This confirmation token {FINAL_STATE_MESSAGES['expired']} (at {iso(action.expires_at)})."
            )
        if action.stale(now):
            raise OutcomeUnknown(stale_message(action))
        if action.state == "outcome_unknown":
            raise OutcomeUnknown(
                f"This confirmation token was already used and its outcome is unknown; it will never be sent again. "
                f"Next: check with {action.check} before trying again."
            )
        if action.state != "pending":
            raise TokenRefused(f"This confirmation token {FINAL_STATE_MESSAGES[action.state]}.", settled=action)
        return action

    def _authentic(self, token: str, action: PendingAction) -> bool:
        """The token signs this action as stored now: the digest is recomputed, so an edited store row fails. A
        settled action has no body left to recompute; it can only be refused, so the stored token suffices, but a
        pending one without its body is refused as altered."""
        if action.body is None and action.state != "pending":
            return hmac.compare_digest(token, action.token)
        digest = request_digest(signed_fields(action))
        if not (digest == action.digest and self.signer.verify(token, digest, action.expires_at)):
            logger.warning("pending action %s does not match its token: refused (altered token or store)", action.id)
            return False
        return True

    def _refuse_elsewhere(self, action: PendingAction) -> None:
        """An action runs only where, and as, it was proposed."""
        differ = differences(action.binding, self.binding)
        if differ:
            raise TokenRefused(
                "This change was proposed on a server set up differently: " + "; ".join(differ) + ". Nothing was "
                "sent. Next: confirm it where it was proposed, or call the write tool again here for a fresh preview."
            )
        if action.tool not in self.offered:
            raise TokenRefused(
                f"This change is for {action.tool}, which this server does not offer (FINERWORKS_TOOLSETS, "
                "FINERWORKS_READ_ONLY). Nothing was sent. Next: confirm it on a server that offers it."
            )

    async def pending(self, caller: str, page: int = 1) -> PendingActions:
        """The caller's open actions, a page at a time, oldest first: pending, being confirmed, outcome unknown."""
        now = self.clock()
        actions = await self.store.list_open(caller)
        pages = max(1, math.ceil(len(actions) / PAGE_SIZE))
        shown = actions[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
        return PendingActions(
            actions=[summary_of(action, now) for action in shown], page=page, pages=pages, count=len(actions)
        )

    # --- step 2: confirm, or cancel -------------------------------------------------------------------------------

    async def confirm(
        self,
        client: FinerWorksClient,
        token: str,
        caller: str,
        approval: Consent,
        inspected: PendingAction | None = None,
    ) -> ActionResult:
        """Run the action `token` approves, exactly once, if `approval` allows it.

        `inspected` is what `inspect(token, caller)` returned earlier in the same call, when the adapter asked the
        person about it: what they approved is what runs, and the store is not read a second time."""
        if inspected is not None and inspected.token == token.strip() and inspected.client == caller:
            action = inspected
            if self.clock() >= action.expires_at:
                raise TokenRefused(
                    f"This confirmation token {FINAL_STATE_MESSAGES['expired']} (at {iso(action.expires_at)})."
                )
        else:
            action = await self.inspect(token, caller)
        if approval == "token" and self.binding.confirmation == "elicit":
            raise TokenRefused(
                "This server requires a person to approve each change in the client (FINERWORKS_CONFIRMATION="
                "elicit), and this client cannot ask. Nothing was sent; the token stays valid until "
                f"{iso(action.expires_at)} for a client that can ask."
            )
        if approval in ("declined", "dismissed"):
            await self._end(action, caller, "declined", f"person {approval}")
            return ActionResult(
                executed=False,
                status="declined",
                environment=action.environment,
                summary=action.summary,
                message=f"The person {approval} the change. Nothing was sent to FinerWorks.",
            )
        claimed = await self._claim(action)
        by = "person (asked in the client)" if approval == "person" else "token (client cannot ask)"
        try:
            self._audit("confirmed", claimed, client=caller, confirmed_by=by)
        except AuditUnavailable:
            await self.store.finish(claimed, "cancelled")
            raise
        return await self._execute(client, claimed, caller)

    async def cancel(self, token: str, caller: str) -> Cancelled:
        action = await self.inspect(token, caller)
        await self._end(action, caller, "cancelled", "cancelled")
        return Cancelled(cancelled=True, summary=action.summary)

    async def _end(self, action: PendingAction, caller: str, state: ActionState, outcome: str) -> None:
        """Decline or cancel: the action will never run."""
        claimed = await self._claim(action)
        await self.store.finish(claimed, state)
        self._audit(state, claimed, client=caller, outcome=outcome)

    async def _claim(self, action: PendingAction) -> PendingAction:
        """Claim the action as inspected. The store's copy only tells whether the claim won: what runs is what was
        verified (and shown to the person), even if the row changed in between."""
        lease_until = self.clock() + self.lease_seconds
        claimed = await self.store.claim(action.id, lease_until)
        if claimed is not None:
            return action.model_copy(update={"state": "claimed", "lease_until": lease_until})
        now = self.clock()
        latest = await self.store.get(action.id)
        if latest is not None and latest.stale(now):
            raise OutcomeUnknown(stale_message(latest))
        if latest is not None and latest.state == "pending":
            # Pending, yet the ledger says it was claimed once: its stored state was reset.
            logger.warning("action %s reads pending but was claimed before: refused (store reset?)", action.id)
            raise TokenRefused("This confirmation token was already used: it cannot run twice.")
        state: ActionState = latest.state if latest is not None else "claimed"
        raise TokenRefused(f"This confirmation token {FINAL_STATE_MESSAGES[state]}.", settled=latest)

    # --- step 3: execute and settle --------------------------------------------------------------------------------

    async def _execute(self, client: FinerWorksClient, action: PendingAction, caller: str) -> ActionResult:
        spec = write_spec(action.endpoint)
        if spec.recheck:
            changed = await self._recheck(client, action, caller)
            if changed is not None:
                return changed
        try:
            payload = await client.write(action.endpoint, action.body)
        except FinerWorksRefusal as error:
            note = await self._settle(action, caller, "failed", type(error).__name__)
            raise GuardError(
                f"FinerWorks refused the change; nothing was changed. {error.tool_message()} "
                f"This token is used up: call the write tool again for a fresh preview.{note}"
            ) from error
        except anyio.get_cancelled_exc_class():
            # The client went away (or the server is stopping) while the request was out: it may have happened.
            with anyio.CancelScope(shield=True):
                await self._settle(action, caller, "outcome_unknown", "confirm cancelled while the request was out")
            raise
        except Exception as error:
            # Timeouts, dropped connections, 5xx, garbled answers, anything else: the write may have happened.
            note = await self._settle(action, caller, "outcome_unknown", type(error).__name__)
            said = error.message if isinstance(error, FinerWorksError) else type(error).__name__
            raise OutcomeUnknown(
                f"Outcome unknown: {action.endpoint} was sent but no clear answer came back ({said}). It may or may "
                f"not have happened. Before anything else, check with {action.check}. Do not confirm again: this "
                f"token cannot be reused.{note}"
            ) from error
        envelope = payload.pop("status", None)
        said = _message_in(envelope)
        note = await self._settle(action, caller, "executed", "success")
        if self.journal is not None:
            record_submitted(self.journal, action, payload)
        # The answer names what changed and, for a cleanup batch, what still waits in the client's other batches.
        told = [what_changed(action, payload), still_waiting(action, await self.store.list_open(action.client))]
        return ActionResult(
            executed=True,
            status="executed",
            environment=action.environment,
            summary=action.summary,
            message=" ".join(
                [f"Done at FinerWorks ({action.environment}).", *filter(None, told)]
                + ([f"FinerWorks: {said}"] if said else [])
            )
            + note,
            result=payload or None,
        )

    async def _recheck(self, client: FinerWorksClient, action: PendingAction, caller: str) -> ActionResult | None:
        """Preview again before sending; a new blocker or a changed fingerprint stops the write (nothing sent)."""
        spec = write_spec(action.endpoint)
        try:
            preview = await spec.preview(client, action.body)
        except FinerWorksError as error:
            await self._finish(action, caller, "failed", "re-check failed")
            raise GuardError(
                f"Could not re-check the change before sending it; nothing was sent. {error.tool_message()}"
            ) from error
        except anyio.get_cancelled_exc_class():
            with anyio.CancelScope(shield=True):
                await self._finish(action, caller, "cancelled", "confirm cancelled before sending")
            raise
        if not preview.blockers and preview.fingerprint == action.fingerprint:
            return None
        await self._finish(action, caller, "superseded", "changed since preview")
        fresh = await self._record(caller, action.tool, action.endpoint, action.body, preview)
        reasons = preview.blockers or [changed_reason(action.fingerprint, preview.fingerprint)]
        return ActionResult(
            executed=False,
            status="changed",
            environment=action.environment,
            summary=preview.summary,
            message="Nothing was sent: " + "; ".join(reasons) + ". Show the person the new preview.",
            new_proposal=fresh,
        )

    async def _finish(self, action: PendingAction, caller: str, state: ActionState, outcome: str) -> None:
        """Settle an action that never left; a failure here is reported as it is (nothing was sent)."""
        await self.store.finish(action, state)
        self._audit(state, action, client=caller, outcome=outcome)

    async def _settle(self, action: PendingAction, caller: str, state: ActionState, outcome: str) -> str:
        """Settle an action whose request left. Nothing may turn that into "nothing was sent": a store or audit
        failure is logged loudly and returned as a sentence for the result."""
        failed: list[str] = []
        try:
            await self.store.finish(action, state)
        except GuardError as error:
            logger.critical("action %s was sent (%s) but the store could not record it: %s", action.id, state, error)
            failed.append("the store of proposed changes")
        try:
            self._audit(state, action, client=caller, outcome=outcome)
        except AuditUnavailable as error:
            # Its own message says "nothing was sent", true only before sending: name the cause instead.
            cause = getattr(error.__cause__, "strerror", None) or type(error.__cause__).__name__
            logger.critical("action %s was sent (%s); the audit log could not record it (%s)", action.id, state, cause)
            failed.append("the audit log")
        if not failed:
            return ""
        return (
            f" Warning: {' and '.join(failed)} could not record this after the request was sent; a person must fix "
            "it (the server's log has the details). The token still cannot run again."
        )

    def _audit(self, event: str, action: PendingAction, **fields: Any) -> None:
        self.audit.record(
            event,
            environment=action.environment,
            tool=action.tool,
            digest=action.digest,
            summary=action.summary,
            action_id=action.id,
            proposed_by=action.client,
            **fields,
        )


def stale_message(action: PendingAction) -> str:
    ended = iso(action.lease_until) if action.lease_until is not None else "earlier"
    return (
        f"Outcome unknown: this change was being confirmed when the worker sending it stopped (its lease ended at "
        f"{ended}). It may or may not have happened, and it will never be sent again. Next: check with "
        f"{action.check} before anything else."
    )


def summary_of(action: PendingAction, now: float) -> PendingSummary:
    status = "outcome_unknown" if action.stale(now) else "being_confirmed" if action.state == "claimed" else "pending"
    return PendingSummary(
        confirmation_token=action.token,
        tool=action.tool,
        summary=action.summary,
        expires_at=iso(action.expires_at),
        status=status,
        check=action.check if status == "outcome_unknown" else None,
    )


def _message_in(envelope: object) -> str:
    """FinerWorks' own words about a write that succeeded (what it deleted, what it changed)."""
    if not isinstance(envelope, dict):
        return ""
    message = cast(dict[str, Any], envelope).get("message")
    return str(message) if message else ""
