"""Text that came from FinerWorks, made safe to hand to a model or a terminal."""

from __future__ import annotations

import re
import unicodedata

MAX_MESSAGE_CHARS = 500

# Control characters (except tab and newline) and the bidirectional overrides that can make text read differently
# from what it says.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def clean(text: str, limit: int = MAX_MESSAGE_CHARS) -> str:
    """Strip unsafe characters, normalise, and cap the length of upstream text."""
    text = _UNSAFE.sub("", unicodedata.normalize("NFC", text)).strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"
