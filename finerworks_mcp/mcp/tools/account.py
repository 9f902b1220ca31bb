"""Account tools: check the keys, and read the account they belong to."""

from __future__ import annotations

from mcp.server.mcpserver.exceptions import ToolError

from finerworks_mcp.api.answers import read_answer, request_body
from finerworks_mcp.api.schemas.account import Account, AppDetailsChange, LogoUrl, PaymentProfileId, ShippingPreferences
from finerworks_mcp.api.schemas.common import AccountKey, Address
from finerworks_mcp.guard import Proposal
from finerworks_mcp.guard.previews.account import merged_app_details
from finerworks_mcp.mcp.context import Ctx
from finerworks_mcp.mcp.tools.base import Toolset, acting_account, fetch
from finerworks_mcp.mcp.tools.guarded import client_of, merging, propose

account = Toolset("account", "credentials check and account details")


@account.read("Test my credentials")
async def test_my_credentials(ctx: Ctx) -> Account:
    """Check the FinerWorks keys work (call first when unsure); returns their account."""
    return await fetch(ctx, "test_my_credentials", Account)


@account.read("Get user")
async def get_user(ctx: Ctx, account_key: AccountKey = None) -> Account:
    """The account's profile: email, billing and business addresses, credits."""
    key = acting_account(ctx, account_key)
    return await fetch(ctx, "get_user", Account, params={"account_key": key} if key else None)


@account.write("Update user", destructive=False)
async def update_user(
    ctx: Ctx,
    account_key: AccountKey = None,
    billing_info: Address | None = None,
    business_info: Address | None = None,
    logo_url: LogoUrl | None = None,
    payment_profile_id: PaymentProfileId | None = None,
    shipping_preferences: ShippingPreferences | None = None,
) -> Proposal:
    """Propose changes to the account profile (addresses, logo, payment profile, shipping preferences)."""
    request = request_body(
        billing_info=billing_info,
        business_info=business_info,
        logo_url=logo_url,
        payment_profile_id=payment_profile_id,
        shipping_preferences=shipping_preferences,
    )
    if not request:
        raise ToolError(
            "Nothing to change: give at least one of billing_info, business_info, logo_url, payment_profile_id "
            "or shipping_preferences. Nothing was sent."
        )
    # FinerWorks' sandbox requires account_key here (issue 12): the configured one, else the account's own.
    key = acting_account(ctx, account_key) or await merging(ctx, "update_user", own_account_key(ctx))
    return await propose(ctx, "update_user", request_body(account_key=key, **request))


async def own_account_key(ctx: Ctx) -> str | None:
    """The account's own key, from get_user: FinerWorks' sandbox requires one on update_user (issue 12)."""
    user = (await read_answer(client_of(ctx), "get_user", Account)).user_account
    return user.account_key if user is not None else None


@account.write("Update app details", destructive=False)
async def update_app_details(ctx: Ctx, app_details: AppDetailsChange) -> Proposal:
    """Propose new details for this server's own FinerWorks app; app_live_mode true means orders are billed."""
    # No app_key here: the client adds this server's own key when the confirmed change is sent.
    merged = await merging(ctx, "update_app_details", merged_app_details(client_of(ctx), app_details))
    return await propose(ctx, "update_app_details", {"app_details": merged})
