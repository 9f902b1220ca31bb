"""The account behind the keys: credentials check, user profile, and the app's details."""

from __future__ import annotations

from typing import Any

from finerworks_mcp.simulator.addresses import check_address, normalized
from finerworks_mcp.simulator.call import Call
from finerworks_mcp.simulator.envelope import Refused, Reply
from finerworks_mcp.simulator.rules import APP_DETAILS, UPDATE_USER
from finerworks_mcp.simulator.seed import SIMULATOR_APP_KEY
from finerworks_mcp.simulator.state import SimulatorState
from finerworks_mcp.simulator.validation import Problems, Rule, as_list, as_object

ASSETS = "https://sim-assets.finerworks.local/accounts"
SHIPPING_PREFERENCES = range(4)
"""0 economical, 1 rolled, 2 flat, 3 fastest."""


def account_json(state: SimulatorState) -> dict[str, Any]:
    return {**state.user, "app_details": dict(state.app_details)}


def test_my_credentials(state: SimulatorState, call: Call) -> Reply:
    return Reply({"user_account": account_json(state)})


def get_user(state: SimulatorState, call: Call) -> Reply:
    # An account_key for another account is honoured only for partner apps; FinerWorks otherwise ignores it.
    return Reply({"user_account": account_json(state)})


def update_user(state: SimulatorState, call: Call) -> Reply:
    body = call.fields()
    problems = Problems()
    problems.check(body, UPDATE_USER)
    for name in ("billing_info", "business_info"):
        address = as_object(body.get(name))
        if address is not None:
            check_address(problems, address, name)
    preferences = as_list(body.get("shipping_preferences")) or []
    problems.check_each(
        preferences, Rule("shipping_preferences", "int", required=True, low=0, high=3), "shipping_preferences"
    )
    for index, raw in enumerate(as_list(body.get("connections")) or []):
        problems.require_object(raw, f"connections[{index}]")
    problems.raise_if_any()

    user = state.user
    for name in ("billing_info", "business_info"):
        if body.get(name) is not None:
            user[name] = normalized(body[name])
    for name in ("logo_url", "payment_profile_id", "shipping_preferences", "connections"):
        if body.get(name) is not None:
            user[name] = body[name]
    if body.get("logo_data"):
        user["logo_url"] = f"{ASSETS}/{user['account_username']}/logo-600x180.jpg"
    if body.get("portrait_data"):
        user["profile_img_url"] = f"{ASSETS}/{user['account_username']}/portrait.jpg"
    return Reply({"user_account": account_json(state)}, "Account updated.")


def update_app_details(state: SimulatorState, call: Call) -> Reply:
    body = call.fields()
    problems = Problems()
    details = problems.require_object(body.get("app_details"), "app_details")
    if details is not None:
        problems.check(details, APP_DETAILS, "app_details")
    problems.raise_if_any()
    assert details is not None
    if details["app_key"] != SIMULATOR_APP_KEY:
        raise Refused(f"app_key {details['app_key']} is not the app making this request; only its own details change.")
    # Replace semantics: a field left out is cleared.
    state.app_details.update({r.name: details.get(r.name) for r in APP_DETAILS if r.name != "app_key"})
    return Reply({"app_details": dict(state.app_details)}, "App details updated.")


HANDLERS = {
    "test_my_credentials": test_my_credentials,
    "get_user": get_user,
    "update_user": update_user,
    "update_app_details": update_app_details,
}
