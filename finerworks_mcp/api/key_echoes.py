"""Finding a key however FinerWorks (or anything in between) echoes it back, so it can be hidden.

An exact match is not enough: a key came back to the model uppercased, JSON-escaped (`\\/`, `\\u0041`) and
base64-encoded. This covers, for each key:

- any letter case;
- any mix of JSON escapes (`\\/`, `\\uXXXX`, however many backslashes deep the text was escaped), URL encoding
  (`%XX`, either hex case) and plain characters;
- base64 (standard and URL-safe alphabets, padded or not) of the key itself and of any text the key sits inside:
  the part of the encoding that only the key's bytes determine is found at each of the three alignments, and the
  whole base64 run around it is hidden.

Echoes are searched for where answers are parsed (`api.text`), before anything reaches a result, an error, a log,
the audit log or the state store.
"""

from __future__ import annotations

import base64
import functools
import re
from dataclasses import dataclass

HIDDEN = "(hidden)"
MIN_FRAGMENT_CHARS = 8
"""Base64 fragments shorter than this could match by chance; keys are far longer."""
_BASE64_RUN = "[A-Za-z0-9+/_-]*"
_URL_SAFE = str.maketrans("+/", "-_")


def _spellings(char: str) -> str:
    """Every way one character of a key may be written: itself (any case), %XX, \\uXXXX, and \\/ for a slash."""
    forms = {re.escape(char)}
    for variant in {char, char.lower(), char.upper()}:
        code = ord(variant)
        if code < 0x100:
            forms.add(f"%{code:02x}")
        forms.add(f"\\\\+u{code:04x}")
    if char == "/":
        forms.add(r"\\+/")
    return "(?:" + "|".join(sorted(forms)) + ")"


def _base64_fragments(secret: str) -> set[str]:
    """The base64 characters only the key's bytes decide, at each of the three alignments, in both alphabets."""
    data = secret.encode()
    fragments: set[str] = set()
    for offset in range(3):
        encoded = base64.b64encode(b"\0" * offset + data).decode()
        # Character j covers bits 6j..6j+6; it belongs to the key alone if those bits lie inside the key's bytes.
        start, end = -(-8 * offset // 6), 8 * (offset + len(data)) // 6
        fragment = encoded[start:end]
        if len(fragment) >= MIN_FRAGMENT_CHARS:
            fragments |= {fragment, fragment.translate(_URL_SAFE)}
    return fragments


@dataclass(frozen=True, slots=True)
class KeyEchoes:
    """The compiled search for a set of keys; `echoes_of` builds (and caches) one per set."""

    lowered: tuple[str, ...]
    spelled: re.Pattern[str]
    fragments: tuple[str, ...]
    encoded: re.Pattern[str]

    def may_be_in(self, text: str) -> bool:
        """A fast test: False means no echo is in `text`; True means `hide` is worth running."""
        if any(fragment in text for fragment in self.fragments):
            return True
        if "%" in text or "\\" in text:
            return self.spelled.search(text) is not None
        lowered = text.lower()
        return any(secret in lowered for secret in self.lowered)

    def hide(self, text: str) -> str:
        text = self.spelled.sub(HIDDEN, text)
        if any(fragment in text for fragment in self.fragments):
            text = self.encoded.sub(HIDDEN, text)
        return text


@functools.cache
def echoes_of(secrets: tuple[str, ...]) -> KeyEchoes | None:
    """How to find `secrets` however echoed; None when there is nothing to hide."""
    secrets = tuple(secret for secret in secrets if secret)
    if not secrets:
        return None
    spelled = "|".join("".join(_spellings(char) for char in secret) for secret in secrets)
    fragments = sorted({fragment for secret in secrets for fragment in _base64_fragments(secret)}, key=len)[::-1]
    encoded = f"{_BASE64_RUN}(?:{'|'.join(map(re.escape, fragments))}){_BASE64_RUN}=*" if fragments else "(?!)"
    return KeyEchoes(
        lowered=tuple(secret.lower() for secret in secrets),
        spelled=re.compile(spelled, re.IGNORECASE),
        fragments=tuple(fragments),
        encoded=re.compile(encoded),
    )
