"""Text that came from FinerWorks (or from the model), made safe to hand to a model, a person or a terminal."""

from __future__ import annotations

import json
import re
import unicodedata
from typing import Any, cast

from finerworks_mcp.api.key_echoes import HIDDEN, KeyEchoes, echoes_of

__all__ = ["HIDDEN", "MAX_MESSAGE_CHARS", "clean", "clean_json", "parse_clean_json", "strip_hidden"]

MAX_MESSAGE_CHARS = 500

# Characters that hide text or make it read differently from what it says: controls (except tab and newline), the
# bidirectional marks, embeddings, overrides and isolates, zero-width characters and joiners, the invisible
# operators and deprecated format characters (U+2060-206F), the byte-order mark, and the tag characters
# (U+E0000-E007F), which can spell out instructions no person sees.
_UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff\U000e0000-\U000e007f]"
)


def strip_hidden(text: str) -> str:
    """`text` without characters that hide or reorder what a person reads; nothing else changes."""
    return _UNSAFE.sub("", text)


def without_hidden(value: Any) -> Any:
    """A request body with `strip_hidden` applied to every text in it: what is sent is what a person was shown."""
    if isinstance(value, str):
        return strip_hidden(value)
    if isinstance(value, dict):
        return {key: without_hidden(item) for key, item in cast(dict[str, Any], value).items()}
    if isinstance(value, list):
        return [without_hidden(item) for item in cast(list[Any], value)]
    return value


def clean(text: str, limit: int = MAX_MESSAGE_CHARS) -> str:
    """Strip unsafe characters, normalise, and cap the length of upstream text."""
    text = strip_hidden(unicodedata.normalize("NFC", text)).strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def parse_clean_json(raw: str, hide: tuple[str, ...] = ()) -> Any:
    """Parse JSON text and clean it as `clean_json` does, walking the value only when the text could need it.

    Raw JSON text cannot carry a control character outside a \\u escape, so text with no escape, no unsafe
    character and no possible echo of a hidden value parses to strings that are already clean: the common case
    costs a few scans.
    """
    value = json.loads(raw)
    echoes = echoes_of(hide)
    if "\\u" in raw or _UNSAFE.search(raw) or (echoes is not None and echoes.may_be_in(raw)):
        return clean_json(value, hide)
    return value


def clean_json(value: Any, hide: tuple[str, ...] = ()) -> Any:
    """Every string in a JSON value (keys too) without unsafe characters, and with each `hide` value (a key
    FinerWorks echoes back), however echoed (`key_echoes`), replaced by HIDDEN; nothing else changes.

    For data rather than messages: no trimming, normalising or capping, so a title or PO reads back exactly as
    FinerWorks holds it, minus characters that could hide or reorder what the model and the person see.
    """
    return _cleaned(value, echoes_of(hide))


def _cleaned(value: Any, echoes: KeyEchoes | None) -> Any:
    if isinstance(value, str):
        text = strip_hidden(value)
        return echoes.hide(text) if echoes is not None else text
    if isinstance(value, dict):
        items = cast(dict[Any, Any], value).items()
        return {_cleaned(key, echoes): _cleaned(item, echoes) for key, item in items}
    if isinstance(value, list):
        return [_cleaned(item, echoes) for item in cast(list[Any], value)]
    return value
