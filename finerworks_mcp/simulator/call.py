"""What a handler receives, and the type every endpoint handler has."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .envelope import FailsModelValidation, Reply
from .validation import Problems, Rule, as_list, as_object

if TYPE_CHECKING:
    from .state import SimulatorState


@dataclass(frozen=True, slots=True)
class Call:
    query: Mapping[str, str]
    body: Any
    """Parsed JSON; `{}` when a POST/PUT/DELETE came without a body, None for GET."""

    def fields(self) -> dict[str, Any]:
        found = as_object(self.body)
        if found is None:
            raise FailsModelValidation({"request": ["The request body must be a JSON object."]})
        return found

    def validated(self, rules: Iterable[Rule]) -> dict[str, Any]:
        """The body as an object that passes `rules`; HTTP 400 with ModelState otherwise."""
        body = self.fields()
        problems = Problems()
        problems.check(body, rules)
        problems.raise_if_any()
        return body

    def listing(self, key: str) -> list[Any] | None:
        """The items of an endpoint that takes either a bare array or `{key: [...]}` (get_prices and friends)."""
        bare = as_list(self.body)
        if bare is not None:
            return bare
        return as_list(self.fields().get(key))


Handler = Callable[["SimulatorState", Call], Reply]
