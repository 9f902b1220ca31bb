"""The FinerWorks account the keys belong to (or the one a reseller key acts for)."""

from __future__ import annotations

from typing import Any, cast

from pydantic import model_validator

from finerworks_mcp.schemas.common import Upstream
from finerworks_mcp.schemas.orders import PostalAddress


class AppDetails(Upstream):
    app_name: str | None = None
    app_live_mode: bool | None = None

    @model_validator(mode="before")
    @classmethod
    def _without_app_key(cls, data: Any) -> Any:
        # FinerWorks echoes the app key here; it is a credential, so it never reaches the model.
        if isinstance(data, dict):
            return {key: value for key, value in cast(dict[str, Any], data).items() if key != "app_key"}
        return data


class UserAccount(Upstream):
    account_id: int | None = None
    account_username: str | None = None
    account_email: str | None = None
    billing_info: PostalAddress | None = None
    business_info: PostalAddress | None = None
    user_account_credits: float | None = None
    app_details: AppDetails | None = None


class Account(Upstream):
    user_account: UserAccount | None = None
