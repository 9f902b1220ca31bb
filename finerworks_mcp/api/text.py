"""Text that came from FinerWorks, made safe to hand to a model or a terminal."""

from __future__ import annotations

import json
import re
import unicodedata
from typing import Any, cast

MAX_MESSAGE_CHARS = 500
HIDDEN = "(hidden)"

# Control characters (except tab and newline) and the bidirectional overrides that can make text read differently
# from what it says.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def clean(text: str, limit: int = MAX_MESSAGE_CHARS) -> str:
    """Strip unsafe characters, normalise, and cap the length of upstream text."""
    text = _UNSAFE.sub("", unicodedata.normalize("NFC", text)).strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def parse_clean_json(raw: str, hide: tuple[str, ...] = ()) -> Any:
    """Parse JSON text and clean it as `clean_json` does, walking the value only when the text could need it.

    Raw JSON text cannot carry a control character outside a \\u escape, so text with no escape, no unsafe
    character and no hidden value parses to strings that are already clean: the common case costs one scan.
    """
    value = json.loads(raw)
    if "\\u" in raw or _UNSAFE.search(raw) or any(secret in raw for secret in hide):
        return clean_json(value, hide)
    return value


def clean_json(value: Any, hide: tuple[str, ...] = ()) -> Any:
    """Every string in a JSON value (keys too) without unsafe characters, and with each `hide` value (a key
    FinerWorks echoes back) replaced by HIDDEN; nothing else changes.

    For data rather than messages: no trimming, normalising or capping, so a title or PO reads back exactly as
    FinerWorks holds it, minus characters that could hide or reorder what the model and the person see.
    """
    if isinstance(value, str):
        text = _UNSAFE.sub("", value)
        for secret in hide:
            text = text.replace(secret, HIDDEN)
        return text
    if isinstance(value, dict):
        items = cast(dict[Any, Any], value).items()
        return {clean_json(key, hide): clean_json(item, hide) for key, item in items}
    if isinstance(value, list):
        return [clean_json(item, hide) for item in cast(list[Any], value)]
    return value
