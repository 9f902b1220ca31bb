"""Account tools: check the keys, and read the account they belong to."""

from __future__ import annotations

from finerworks_mcp.context import Ctx
from finerworks_mcp.schemas.account import Account
from finerworks_mcp.schemas.common import AccountKey
from finerworks_mcp.tools.base import Toolset, acting_account, fetch

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
