"""Timestamps the way FinerWorks writes them, and the date filters its list endpoints accept."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta, timezone

# FinerWorks answers in US Central time with .NET's seven fractional digits; a fixed offset keeps the seed stable.
CENTRAL = timezone(timedelta(hours=-6), "CST")

SEED_NOW = datetime(2025, 6, 30, 9, 0, tzinfo=CENTRAL)
"""The moment the seed data was taken: every seeded date lies before it."""

Clock = Callable[[], datetime]


def wall_clock() -> datetime:
    return datetime.now(CENTRAL)


def timestamp(moment: datetime) -> str:
    """`2025-01-27T21:26:10.2051371-06:00`: microseconds padded to .NET's ticks."""
    text = moment.astimezone(CENTRAL).isoformat(timespec="microseconds")
    return f"{text[:26]}0{text[26:]}"


def parse_filter_date(value: str, *, end_of_day: bool = False) -> datetime | None:
    """A date or date-time from a `*_from`/`*_to` filter; a bare date covers the whole day. None when unreadable."""
    try:
        if len(value) == 10:
            day = date.fromisoformat(value)
            return datetime.combine(day, time.max if end_of_day else time.min, CENTRAL)
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=CENTRAL)
