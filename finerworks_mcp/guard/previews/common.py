"""What the previewers share: typed reads, paging through a filtered list, and the wording of summaries.

A summary is what a person approves, so text in it that came from FinerWorks or from the model goes through
`quote`: on one line, without characters that hide or reorder text, capped, in quotes; `summary` strips such
characters from the whole line once more, whatever a previewer put in it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypeVar

from pydantic import BaseModel

from finerworks_mcp.api.client import FinerWorksClient
from finerworks_mcp.api.money import shown, usd
from finerworks_mcp.api.schemas.common import Page
from finerworks_mcp.api.text import clean, clean_json, strip_hidden

Model = TypeVar("Model", bound=BaseModel)
Listing = TypeVar("Listing", bound=Page)
Item = TypeVar("Item")

QUOTED_CHARS = 80
"""How much of one title, name or note a summary shows; the details carry it whole."""
_LINE_BREAKS = str.maketrans({"\n": " ", "\r": " ", "\t": " "})


def unknown(wanted: Iterable[str], found: Mapping[str, Any]) -> list[str]:
    return [key for key in wanted if key not in found]


def in_order(wanted: Iterable[str], found: Mapping[str, Item]) -> list[Item]:
    """The found things in the order the person named them."""
    return [found[key] for key in wanted if key in found]


def summary(client: FinerWorksClient, text: str) -> str:
    """The one line a person approves: what happens, and where."""
    return f"{strip_hidden(text)} — {client.settings.env.value}"


def quote(text: str, limit: int = QUOTED_CHARS) -> str:
    """Text from FinerWorks or the model as a summary shows it: 'on one line, clean, capped'."""
    return f"'{clean(text.translate(_LINE_BREAKS), limit)}'"


def plural(count: int, noun: str) -> str:
    return f"{count} {noun if count == 1 else noun + 's'}"


def quoted(names: Sequence[str | None], limit: int = 3) -> str:
    """'A', 'B' and 'C'; beyond `limit`, 'A', 'B', 'C' and 2 more."""
    shown = [quote(name) if name else "(untitled)" for name in names[:limit]]
    rest = len(names) - len(shown)
    if rest:
        return f"{', '.join(shown)} and {rest} more"
    return shown[0] if len(shown) == 1 else f"{', '.join(shown[:-1])} and {shown[-1]}"


def not_found_note(count: int, noun: str) -> str:
    return f"; {plural(count, noun)} not found" if count else ""


def money(amount: float | Decimal | None) -> str:
    return "not set" if amount is None else shown(usd(amount))


def disconnected(listings: Counter[str]) -> str:
    """'(2 Shopify and 1 Etsy listing(s) will be disconnected)', or nothing when no shop is involved."""
    if not listings:
        return ""
    parts = [f"{count} {shop}" for shop, count in sorted(listings.items(), key=lambda pair: (-pair[1], pair[0]))]
    joined = parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} and {parts[-1]}"
    noun = "listing" if listings.total() == 1 else "listings"
    return f" ({joined} {noun} will be disconnected)"


def shown_value(value: object) -> str:
    """How a value reads in a summary: text quoted, nothing as 'none'."""
    if value is None:
        return "none"
    return quote(value) if isinstance(value, str) else str(value)


NOT_REPORTED = "not reported by FinerWorks"


@dataclass(frozen=True, slots=True)
class Change:
    """One field of one thing: what FinerWorks has now beside what the write would set."""

    label: str
    now: object
    new: object
    show: Callable[[Any], str] = shown_value
    in_summary: bool = True
    """Short enough to show as `now → new` in the one-line summary (long text is only called 'new')."""
    known: bool = True
    """Whether FinerWorks told us the current value."""

    @property
    def changes(self) -> bool:
        return not self.known or self.now != self.new

    def phrase(self) -> str:
        if not self.in_summary:
            return f"new {self.label}"
        if not self.known:
            return f"{self.label} → {self.show(self.new)}"
        return f"{self.label} {self.show(self.now)} → {self.show(self.new)}"

    def detail(self) -> dict[str, object]:
        # Whole values, but without hidden characters: the details are shown beside the summary.
        now, new = clean_json(self.now), clean_json(self.new)
        if not self.known:
            return {"now": NOT_REPORTED, "new": new}
        return {"now": now, "new": new} if self.changes else {"unchanged": new}


def changes_detail(changes: Sequence[Change]) -> dict[str, object]:
    return {change.label: change.detail() for change in changes}


def update_summary(noun: str, items: Sequence[tuple[str, Sequence[Change]]]) -> str:
    """'Update product X: price $1.00 → $2.00' for one thing; 'Update 3 products: price of 2, stock of 1' for more."""
    changing = [(name, [c for c in changes if c.changes]) for name, changes in items]
    changing = [(name, changes) for name, changes in changing if changes]
    if not changing:
        return f"Update {plural(len(items), noun)}: nothing would change"
    if len(changing) == 1:
        name, changes = changing[0]
        return f"Update {noun} {name}: {', '.join(change.phrase() for change in changes)}"
    fields = Counter(change.label for _, changes in changing for change in changes)
    return f"Update {plural(len(changing), noun)}: {', '.join(f'{label} of {n}' for label, n in fields.items())}"
