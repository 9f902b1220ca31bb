"""Table-driven request validation that reports problems the way ASP.NET's ModelState does.

A model is a tuple of `Rule`s; `Problems.check` walks one JSON object against it and files each failure under
the field's model path (`orders[0].recipient.state_code`). Rules that depend on several fields stay in the
handlers and call `Problems.add` directly.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal, cast

from .envelope import FailsModelValidation, ModelState

Kind = Literal["str", "int", "number", "bool", "object", "list"]


@dataclass(frozen=True, slots=True)
class Rule:
    name: str
    kind: Kind = "str"
    required: bool = False
    max_length: int | None = None
    low: float | None = None
    """Inclusive lower bound: the value for numbers, the item count for lists."""
    high: float | None = None
    choices: tuple[str, ...] = ()
    """Allowed values, compared case-insensitively."""


def as_object(value: object) -> dict[str, Any] | None:
    return cast("dict[str, Any]", value) if isinstance(value, dict) else None


def as_list(value: object) -> list[Any] | None:
    return cast("list[Any]", value) if isinstance(value, list) else None


def path(prefix: str, name: str) -> str:
    return f"{prefix}.{name}" if prefix else name


def _is_kind(kind: Kind, value: object) -> bool:
    match kind:
        case "str":
            return isinstance(value, str)
        case "int":
            return isinstance(value, int) and not isinstance(value, bool)
        case "number":
            return isinstance(value, int | float) and not isinstance(value, bool)
        case "bool":
            return isinstance(value, bool)
        case "object":
            return isinstance(value, dict)
        case "list":
            return isinstance(value, list)


def _bounds_text(rule: Rule) -> str:
    low, high = (f"{b:g}" if b is not None else None for b in (rule.low, rule.high))
    if low is not None and high is not None:
        return f"between {low} and {high}"
    return f"at least {low}" if low is not None else f"at most {high}"


class Problems:
    """Collects ModelState entries; `raise_if_any` turns them into an HTTP 400."""

    def __init__(self) -> None:
        self.model_state: ModelState = {}

    def add(self, where: str, message: str) -> None:
        self.model_state.setdefault(where, []).append(message)

    @property
    def count(self) -> int:
        """Problems filed so far; compare before and after a check to see whether it added any."""
        return sum(len(messages) for messages in self.model_state.values())

    def check(self, obj: Mapping[str, Any], rules: Iterable[Rule], prefix: str = "") -> None:
        for rule in rules:
            self.check_value(obj.get(rule.name), rule, path(prefix, rule.name))

    def require_object(self, value: object, where: str) -> dict[str, Any] | None:
        """The value as an object, or None after filing a problem (missing or not an object)."""
        found = as_object(value)
        if found is None:
            self.add(
                where,
                f"The {where.rsplit('.', 1)[-1]} field is required." if value is None else _not_valid(value, where),
            )
        return found

    def check_each(self, values: list[Any], rule: Rule, where: str) -> None:
        """Check every element of a list field (`order_ids[2]`), each against the same rule."""
        for index, value in enumerate(values):
            self.check_value(value, rule, f"{where}[{index}]")

    def strings(self, value: object, where: str) -> list[str]:
        """The strings of a list-of-text field (missing means empty); other elements are filed as problems."""
        values = as_list(value) or []
        self.check_each(values, Rule(where.rsplit(".", 1)[-1], required=True), where)
        return [v for v in values if isinstance(v, str)]

    def raise_if_any(self) -> None:
        if self.model_state:
            raise FailsModelValidation(self.model_state)

    def check_value(self, value: object, rule: Rule, where: str) -> None:
        """Check one value against a rule, filing problems under `where`."""
        if value is None or value == "":
            if rule.required:
                self.add(where, f"The {rule.name} field is required.")
            return
        if not _is_kind(rule.kind, value):
            self.add(where, _not_valid(value, rule.name))
            return
        if rule.choices and str(value).lower() not in {c.lower() for c in rule.choices}:
            self.add(where, f"The field {rule.name} must be one of: {', '.join(rule.choices)}.")
        if rule.max_length is not None and isinstance(value, str) and len(value) > rule.max_length:
            self.add(where, f"The field {rule.name} must be a string with a maximum length of {rule.max_length}.")
        measure = len(cast("list[Any]", value)) if isinstance(value, list) else value
        if isinstance(measure, int | float) and not _within(measure, rule):
            noun = "contain a number of items" if rule.kind == "list" else "be"
            self.add(where, f"The field {rule.name} must {noun} {_bounds_text(rule)}.")


def _within(measure: float, rule: Rule) -> bool:
    return (rule.low is None or measure >= rule.low) and (rule.high is None or measure <= rule.high)


def _not_valid(value: object, name: str) -> str:
    return f"The value '{value}' is not valid for {name.rsplit('.', 1)[-1]}."
