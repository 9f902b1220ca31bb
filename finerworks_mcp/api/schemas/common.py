"""Shapes shared by several areas: the strict and tolerant bases, addresses, paging and key fields."""

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SerializerFunctionWrapHandler, model_serializer


class Strict(BaseModel):
    """A request shape: unknown fields are an error the model should see, not something silently dropped."""

    # Built at import, unlike answers: every tool's arguments model uses its inputs at registration, and a built
    # model is reused there instead of rebuilt inline for each tool that takes it.
    model_config = ConfigDict(extra="forbid")


NULL: dict[str, Any] = {"type": "null"}


def never_null(schema: dict[str, Any]) -> dict[str, Any]:
    """`schema` without its null branch: `anyOf [X, {"type": "null"}]` becomes X, with the field's own keys."""
    branches = schema.get("anyOf")
    if not isinstance(branches, list) or NULL not in branches:
        return schema
    kept: list[Any] = [branch for branch in branches if branch != NULL]  # pyright: ignore[reportUnknownVariableType]
    rest = {key: value for key, value in schema.items() if key != "anyOf" and (key, value) != ("default", None)}
    if not kept:
        return schema
    return {**kept[0], **rest} if len(kept) == 1 else {**rest, "anyOf": kept}


def _no_null_properties(schema: dict[str, Any]) -> None:
    # The serializer below drops every null, so no property of an answer is ever null: the schema says so.
    properties: dict[str, Any] = schema.get("properties", {})
    for name, prop in properties.items():
        properties[name] = never_null(prop)


class Answer(BaseModel):
    """An answer of ours: fields left empty are left out."""

    # Built on first use, not at import: a session touches a few of the many answer models, and start-up is
    # what every client waits for.
    model_config = ConfigDict(json_schema_extra=_no_null_properties, defer_build=True)

    @model_serializer(mode="wrap")
    def _without_nulls(self, handler: SerializerFunctionWrapHandler) -> Any:
        # Every null costs the model context and says nothing.
        data = handler(self)
        if isinstance(data, dict):
            return {key: value for key, value in data.items() if value is not None}  # pyright: ignore[reportUnknownVariableType]
        return data


class Upstream(Answer):
    """A response shape: keeps whatever FinerWorks adds, and leaves out what it left empty."""

    model_config = ConfigDict(extra="allow", json_schema_extra=_no_null_properties, defer_build=True)


AccountKey = Annotated[str | None, Field(max_length=100, description="Reseller keys only: act for this account.")]
ProductSku = Annotated[
    str,
    Field(min_length=1, max_length=50, description="Product code (e.g. 5M6M9S16X20) or virtual-inventory SKU."),
]
Quantity = Annotated[int, Field(ge=1, le=999)]
PageNumber = Annotated[int, Field(ge=1, description="1-based.")]
PerPage = Annotated[int, Field(ge=1, le=50)]
SortDirection = Literal["ASC", "DESC"]
Guid = Annotated[str, Field(min_length=1, max_length=64)]


class Address(Strict):
    # A postal address, in FinerWorks' own field names, for recipients, customers and billing. No docstring: a
    # docstring becomes the schema's description, which every tool taking an address would show the model, and
    # the field names already say it.

    first_name: str | None = Field(default=None, max_length=50)
    last_name: str | None = Field(default=None, max_length=50)
    company_name: str | None = Field(default=None, max_length=50)
    address_1: str = Field(max_length=100)
    address_2: str | None = Field(default=None, max_length=100)
    address_3: str | None = Field(default=None, max_length=100)
    city: str = Field(max_length=50)
    state_code: str | None = Field(default=None, max_length=2, description="US only; leave empty elsewhere.")
    province: str | None = Field(default=None, max_length=50)
    zip_postal_code: str = Field(max_length=10)
    country_code: str = Field(min_length=2, max_length=2, description="ISO 3166 alpha-2, e.g. us.")
    phone: str | None = Field(default=None, max_length=50)
    email: str | None = Field(default=None, max_length=50)
    address_order_po: str | None = Field(default=None, max_length=50)


class Page(Upstream):
    """Paging FinerWorks echoes back on list endpoints; `count` is the total number of matches."""

    page_number: int | None = None
    per_page: int | None = None
    count: int | None = None
