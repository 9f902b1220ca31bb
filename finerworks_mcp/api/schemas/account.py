"""The FinerWorks account the keys belong to (or the one a reseller key acts for)."""

from typing import Annotated, Any, Literal, cast

from pydantic import AfterValidator, Field, model_validator

from finerworks_mcp.api.schemas.common import Address, Strict, Upstream
from finerworks_mcp.api.schemas.orders import PostalAddress


class AppDetails(Upstream):
    app_name: str | None = None
    app_live_mode: bool | None = None

    @model_validator(mode="before")
    @classmethod
    def _without_app_key(cls, data: Any) -> Any:
        # FinerWorks echoes the app key here; it is a credential, so it never reaches the model.
        if isinstance(data, dict):
            return {key: value for key, value in cast(dict[str, Any], data).items() if key.lower() != "app_key"}
        return data


class UserAccount(Upstream):
    account_id: int | None = None
    account_key: str | None = None
    account_username: str | None = None
    account_email: str | None = None
    billing_info: PostalAddress | None = None
    business_info: PostalAddress | None = None
    user_account_credits: float | None = None
    app_details: AppDetails | None = None


class Account(Upstream):
    user_account: UserAccount | None = None


SHIPPING_PREFERENCE_LABELS = {0: "economical", 1: "rolled", 2: "flat", 3: "fastest"}
ShippingPreference = Literal[0, 1, 2, 3]


def _each_once(preferences: list[int]) -> list[int]:
    if len(set(preferences)) != len(preferences):
        raise ValueError("each shipping preference may appear once")
    return preferences


ShippingPreferences = Annotated[
    list[ShippingPreference],
    Field(max_length=3, description="Up to 3, in priority order: 0 economical, 1 rolled, 2 flat, 3 fastest."),
    AfterValidator(_each_once),
]
LogoUrl = Annotated[str, Field(max_length=500, pattern=r"^https?://\S+$", description="A JPG; saved as 600x180.")]
PaymentProfileId = Annotated[str, Field(min_length=1, max_length=100, description="BrainTree customer id.")]


class UpdateUserRequest(Strict):
    account_key: str | None = None
    billing_info: Address | None = None
    business_info: Address | None = None
    logo_url: str | None = None
    payment_profile_id: str | None = None
    shipping_preferences: list[int] | None = None


class AppDetailsChange(Strict):
    """The app's own details; the app is the one whose key this server uses."""

    app_name: str = Field(min_length=1, max_length=50)
    app_description: str | None = Field(default=None, max_length=500)
    app_misc_data: str | None = Field(default=None, max_length=500, description="Free text; may be a JSON string.")
    app_live_mode: bool = Field(description="true: imported orders are real and billed; false: test orders.")


class UpdateAppDetailsRequest(Strict):
    app_details: AppDetailsChange
