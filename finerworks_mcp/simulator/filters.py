"""Date-range filters shared by the list endpoints."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from .dates import parse_filter_date
from .validation import Problems


def date_range(
    body: dict[str, Any], names: tuple[str, str], problems: Problems
) -> tuple[datetime | None, datetime | None]:
    """The from/to moments of a date-range filter; a bare `to` date includes that whole day."""
    bounds: list[datetime | None] = []
    for name, end_of_day in zip(names, (False, True), strict=True):
        value = body.get(name)
        moment = parse_filter_date(value, end_of_day=end_of_day) if isinstance(value, str) and value else None
        if isinstance(value, str) and value and moment is None:
            problems.add(name, f"The value '{value}' is not valid for {name}.")
        bounds.append(moment)
    return bounds[0], bounds[1]
