"""Previews of the account writes: the profile's current values beside the new ones. No key is ever shown."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel

from finerworks_mcp.api.answers import read_answer
from finerworks_mcp.api.client import FinerWorksClient
from finerworks_mcp.api.schemas.account import (
    SHIPPING_PREFERENCE_LABELS,
    Account,
    AppDetailsChange,
    UpdateAppDetailsRequest,
    UpdateUserRequest,
    UserAccount,
)
from finerworks_mcp.guard.core import Preview
from finerworks_mcp.guard.merges import app_record, merged_app, records_fingerprint
from finerworks_mcp.guard.previews.common import Change, changes_detail, quote, summary, update_summary
from finerworks_mcp.guard.writes import previewer

ADDRESS_LINE = ("company_name", "address_1", "address_2", "address_3")


def one_line(address: BaseModel | None) -> str | None:
    """An address as a person reads it on one line; None when there is none."""
    if address is None:
        return None
    fields = address.model_dump(exclude_none=True)
    name = " ".join(str(fields[k]) for k in ("first_name", "last_name") if fields.get(k))
    region = fields.get("state_code") or fields.get("province")
    place = " ".join(str(part) for part in (fields.get("city"), region, fields.get("zip_postal_code")) if part)
    contact = [str(fields[k]) for k in ("phone", "email") if fields.get(k)]
    parts = [name, *(str(fields[k]) for k in ADDRESS_LINE if fields.get(k)), place, *contact]
    country = str(fields.get("country_code") or "").upper()
    return ", ".join(part for part in [*parts, country] if part)


def preferences(values: Sequence[Any] | None) -> str:
    return ", ".join(SHIPPING_PREFERENCE_LABELS.get(v, str(v)) for v in values) if values else "none"


async def current_user(client: FinerWorksClient, account_key: str | None) -> UserAccount:
    account = await read_answer(
        client, "get_user", Account, params={"account_key": account_key} if account_key else None
    )
    return account.user_account or UserAccount()


@previewer("update_user", check=lambda body: "get_user", recheck=False)
async def preview_update_user(client: FinerWorksClient, body: Any) -> Preview:
    request = UpdateUserRequest.model_validate(body)
    user = await current_user(client, request.account_key)
    now = user.model_extra or {}
    fields: list[Change] = []
    for field, label in (("billing_info", "billing address"), ("business_info", "business address")):
        new = getattr(request, field)
        if new is not None:
            fields.append(Change(label, one_line(getattr(user, field)), one_line(new), in_summary=False))
    if request.logo_url is not None:
        fields.append(Change("logo", now.get("logo_url"), request.logo_url, in_summary=False))
    if request.payment_profile_id is not None:
        fields.append(Change("payment profile", now.get("payment_profile_id"), request.payment_profile_id))
    if request.shipping_preferences is not None:
        current = preferences(now.get("shipping_preferences"))
        fields.append(Change("shipping preferences", current, preferences(request.shipping_preferences), show=str))
    name = user.account_username or request.account_key or "(this account)"
    details: dict[str, Any] = {"account": name, **changes_detail(fields)}
    if request.account_key is None:
        # The sandbox requires it (issue 12); the account's own comes from get_user, which did not report one.
        details["not_checked"] = (
            "FinerWorks did not report this account's key, so none is sent; the sandbox may refuse the change. "
            "Set FINERWORKS_ACCOUNT_KEY if it does."
        )
    return Preview(summary=summary(client, update_summary("account", [(name, fields)])), details=details)


def _mode(live: bool | None) -> str | None:
    return None if live is None else "live" if live else "test"


async def merged_app_details(client: FinerWorksClient, change: AppDetailsChange) -> dict[str, Any]:
    """The whole app record to send: the app's details as FinerWorks reports them, with the change laid over."""
    return merged_app(change, (await current_user(client, None)).app_details)


@previewer("update_app_details", check=lambda body: "test_my_credentials (its app_details)", recheck=True)
async def preview_update_app_details(client: FinerWorksClient, body: Any) -> Preview:
    new = UpdateAppDetailsRequest.model_validate(body).app_details
    # Not every FinerWorks answer carries app_details; when it does not, the preview says so instead of guessing.
    current = (await current_user(client, None)).app_details
    known = current is not None
    was = app_record(current)
    live_was = _mode(current.app_live_mode) if current is not None else None
    fields = [
        Change("name", was.get("app_name"), new.app_name, known=known),
        Change("live mode", live_was, _mode(new.app_live_mode), show=str, known=live_was is not None),
    ]
    if new.app_description is not None:
        fields.append(
            Change("description", was.get("app_description"), new.app_description, in_summary=False, known=known)
        )
    details: dict[str, Any] = changes_detail(fields)
    if new.app_misc_data is not None:
        misc = Change("misc data", was.get("app_misc_data"), new.app_misc_data, in_summary=False, known=known)
        fields.append(misc)
        # The current misc data may hold another service's token: say whether it changes, never what it was.
        details["misc data"] = {"new": new.app_misc_data, "changes": misc.changes}
    if not known:
        details["note"] = "FinerWorks does not report this app's current details, so only the new values are shown."
    else:
        details["sent"] = "the app's whole record: the fields not changed are sent as FinerWorks has them now"
    name = current.app_name if current and current.app_name else new.app_name
    line = update_summary("app", [(quote(str(name)), fields)])
    if live_was != _mode(new.app_live_mode):
        line += (
            " (imported orders will be real and billed)"
            if new.app_live_mode
            else " (imported orders will be test orders, not produced or billed)"
        )
    # The fingerprint hashes the whole current record (misc data included) without showing it.
    return Preview(summary=summary(client, line), details=details, fingerprint=records_fingerprint({"app": was}))
