"""Shapes shared by several areas: the strict and tolerant bases, addresses, paging and key fields."""

from functools import cache
from types import UnionType
from typing import Annotated, Any, Literal, Self, Union, cast, get_args, get_origin

from pydantic import (
    AfterValidator,
    AliasChoices,
    BaseModel,
    ConfigDict,
    Field,
    ModelWrapValidatorHandler,
    SerializerFunctionWrapHandler,
    ValidationError,
    model_serializer,
    model_validator,
)


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


UNPARSED = "unparsed"
"""Where an answer keeps, as FinerWorks sent them, the fields whose shape differs from ours."""


class Upstream(Answer):
    """A response shape, read tolerantly: FinerWorks' answers are only partly documented, and a read that fails on
    a surprise helps nobody (issue 12). So an answer

    - keeps whatever FinerWorks adds (extra fields pass through);
    - matches keys whatever their case (`Orders` reads as `orders`);
    - reads `null` for a list or object as empty (the field's default);
    - takes numbers where text is expected and numeric text where numbers are (`order_po: 1001`, `"12.50"`);
    - keeps a field whose shape is unlike ours as data under `unparsed` instead of failing the whole answer.

    Only a missing required field still fails: without it the answer cannot mean what we would say it means.
    """

    model_config = ConfigDict(
        extra="allow", json_schema_extra=_no_null_properties, defer_build=True, coerce_numbers_to_str=True
    )

    @model_validator(mode="wrap")
    @classmethod
    def _tolerant(cls, data: Any, handler: ModelWrapValidatorHandler[Self]) -> Self:
        if not isinstance(data, dict):
            return handler(data)
        normalised = _normalised(cls, cast(dict[str, Any], data))
        try:
            return handler(normalised)
        except ValidationError as error:
            unparsed = _misfits(cls, error, normalised)
            if not unparsed:
                raise
            kept = {key: value for key, value in normalised.items() if key not in unparsed}
            answer = handler(kept)
            extra = answer.__pydantic_extra__ if answer.__pydantic_extra__ is not None else {}
            extra[UNPARSED] = {**extra.get(UNPARSED, {}), **unparsed}
            return answer


@cache
def _keys_of(model: type[BaseModel]) -> dict[str, str]:
    """Lower-cased key -> the key the model reads (its field name, or one of its validation aliases)."""
    keys: dict[str, str] = {}
    for name, info in model.model_fields.items():
        keys[name.lower()] = name
        alias = info.validation_alias
        if isinstance(alias, AliasChoices):
            for choice in alias.choices:
                if isinstance(choice, str):
                    keys[choice.lower()] = choice
        elif isinstance(alias, str):
            keys[alias.lower()] = alias
    return keys


def is_list_annotation(annotation: Any) -> bool:
    """Whether a field's type is a list (or a union with one): where FinerWorks' `null` means an empty list."""
    if get_origin(annotation) is list:
        return True
    return get_origin(annotation) in (Union, UnionType) and any(is_list_annotation(arg) for arg in get_args(annotation))


@cache
def _list_keys(model: type[BaseModel]) -> frozenset[str]:
    """The keys of list fields with a default: there FinerWorks' `null` reads as an empty list. (A null elsewhere is
    read as None, which every optional field takes.)"""
    keys: set[str] = set()
    for name, info in model.model_fields.items():
        if info.is_required() or not is_list_annotation(info.annotation):
            continue
        alias = info.validation_alias
        choices = alias.choices if isinstance(alias, AliasChoices) else [alias] if alias else []
        keys.update([name, *(choice for choice in choices if isinstance(choice, str))])
    return frozenset(keys)


@cache
def _known_keys(model: type[BaseModel]) -> frozenset[str]:
    return frozenset(_keys_of(model).values())


def _normalised(model: type[BaseModel], data: dict[str, Any]) -> dict[str, Any]:
    """`data` with keys in another case renamed to ours and null lists made empty. Every object of every answer
    passes here (a 1,000-line quote is 1,000 of them), so the usual answer, which needs nothing, costs two set
    operations and no copy."""
    keys = _keys_of(model)
    recased = [key for key in data.keys() - _known_keys(model) if key.lower() in keys]
    nulls = [key for key in _list_keys(model) & data.keys() if data[key] is None]
    if not recased and not nulls:
        return data
    normalised = dict(data)
    for key in recased:
        value = normalised.pop(key)
        normalised.setdefault(keys[key.lower()], value)  # the exact spelling wins over another case of it
    lists = _list_keys(model)
    for key, value in normalised.items():
        if value is None and key in lists:
            normalised[key] = []
    return normalised


def _misfits(model: type[BaseModel], error: ValidationError, data: dict[str, Any]) -> dict[str, Any]:
    """The fields (by the key FinerWorks sent) whose value does not fit, unless one is required and missing."""
    keys = set(_keys_of(model).values())
    misfits: dict[str, Any] = {}
    for problem in error.errors():
        location = problem["loc"]
        if not location or (problem["type"] == "missing" and len(location) == 1):
            return {}
        top = location[0]
        if not isinstance(top, str) or top not in keys or top not in data:
            return {}
        if model.model_fields.get(top) is not None and model.model_fields[top].is_required():
            return {}
        misfits[top] = data[top]
    return misfits


AccountKey = Annotated[str | None, Field(max_length=100, description="Reseller keys only: act for this account.")]
ProductSku = Annotated[
    str,
    Field(min_length=1, max_length=50, description="Product code (e.g. 5M6M9S16X20) or virtual-inventory SKU."),
]
Quantity = Annotated[int, Field(ge=1, le=999)]
Count = int | float
"""A count in an answer: FinerWorks may send a fraction, which is kept as sent rather than rounded or refused."""
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
    # Lower-case, as FinerWorks writes it in its docs and its validator's message (issue 12).
    country_code: Annotated[
        str, Field(min_length=2, max_length=2, description="ISO 3166 alpha-2, e.g. us."), AfterValidator(str.lower)
    ]
    phone: str | None = Field(default=None, max_length=50)
    email: str | None = Field(default=None, max_length=50)
    address_order_po: str | None = Field(default=None, max_length=50)


class Page(Upstream):
    """Paging FinerWorks echoes back on list endpoints; `count` is the total number of matches."""

    page_number: int | None = None
    per_page: int | None = None
    count: int | None = None
