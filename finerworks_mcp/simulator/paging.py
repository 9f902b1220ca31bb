"""The list endpoints' paging: `page_number` (1-based), `per_page` (default 10, max 50), `sort_field`,
`sort_direction` (DESC by default) in; the page plus `page_number`, `per_page` and the total `count` out.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

from .rules import PAGING
from .validation import Rule

T = TypeVar("T")

DEFAULT_PER_PAGE = 10
SortKeys = Mapping[str, Callable[[T], Any]]


def paging_rules(sort_keys: Mapping[str, object]) -> tuple[Rule, ...]:
    return (*PAGING, Rule("sort_field", choices=tuple(sort_keys)))


def paginate(items: Sequence[T], body: Mapping[str, Any], sort_keys: SortKeys[T]) -> tuple[list[T], dict[str, int]]:
    """One page of `items`, sorted as asked (validate the body with `paging_rules` first)."""
    page_number: int = body.get("page_number") or 1
    per_page: int = body.get("per_page") or DEFAULT_PER_PAGE
    field = str(body.get("sort_field") or "id").lower()
    descending = str(body.get("sort_direction") or "DESC").upper() == "DESC"
    ordered = sorted(items, key=sort_keys[field], reverse=descending)
    start = (page_number - 1) * per_page
    return ordered[start : start + per_page], {"page_number": page_number, "per_page": per_page, "count": len(items)}
