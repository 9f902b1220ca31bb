"""Confirmation tokens: short enough for a model to repeat exactly, signed so they cannot be forged or altered.

A token is `<action id>-<signature>`. The signature is an HMAC over the action id, the digest of the exact request
it approves and its expiry, so a token approves one request and nothing else, and only until it expires.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import secrets
from typing import Any

# No 0/o, 1/l/i: a token is read and retyped by models and sometimes by people.
ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"
ID_LENGTH = 8
SIGNATURE_LENGTH = 10


def new_action_id() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(ID_LENGTH))


TOKEN_PATTERN = re.compile(f"[{ALPHABET}]{{{ID_LENGTH}}}-[{ALPHABET}]{{{SIGNATURE_LENGTH}}}")


def request_digest(signed: dict[str, Any]) -> str:
    """What a token is bound to: everything the confirming worker will send and check (the endpoint, the exact
    body, the tool, where it runs and for whom, and what the person was shown)."""
    canonical = json.dumps(signed, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hashlib.sha256(canonical.encode()).hexdigest()


def well_formed(token: str) -> bool:
    """A token as the guard issues them: only then is it looked up or compared."""
    return TOKEN_PATTERN.fullmatch(token) is not None


class TokenSigner:
    def __init__(self, key: bytes) -> None:
        self._key = key

    def sign(self, action_id: str, digest: str, expires_at: float) -> str:
        return f"{action_id}-{self._signature(action_id, digest, expires_at)}"

    def verify(self, token: str, digest: str, expires_at: float) -> bool:
        """Whether `token` signs exactly this; False (never an error) for any string that is not a token."""
        if not well_formed(token):
            return False
        action_id, _, signature = token.partition("-")
        return hmac.compare_digest(signature, self._signature(action_id, digest, expires_at))

    def _signature(self, action_id: str, digest: str, expires_at: float) -> str:
        mac = hmac.new(self._key, f"{action_id}|{digest}|{expires_at:.0f}".encode(), hashlib.sha256).digest()
        number = int.from_bytes(mac, "big")
        chars: list[str] = []
        for _ in range(SIGNATURE_LENGTH):
            number, index = divmod(number, len(ALPHABET))
            chars.append(ALPHABET[index])
        return "".join(chars)


def action_id_of(token: str) -> str:
    return token.strip().partition("-")[0]
