"""What every request to FinerWorks carries, whichever tool, preview or workflow built it (issue 12).

FinerWorks' own integrations show fields its documentation marks Required that a request built from our schemas
alone would leave out. They are completed here, at the one place every request passes, so no caller can forget them:

- the image calls carry an `image_library` with `name`, `site_id` (2, as FinerWorks' own app sends) and a
  `session_id` (8-50 characters);
- `fetch_order_status` carries both `order_ids` and `order_pos`, empty where not given, as live clients send them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any, cast

IMAGE_LIBRARY_ENDPOINTS = frozenset({"list_images", "add_images", "delete_images"})
DEFAULT_LIBRARY = "inventory"
DEFAULT_SITE_ID = 2
"""What FinerWorks' own app and uploader send."""
SESSION_PREFIX = "fwmcp-"


def derived_session_id(*secrets: str | None) -> str:
    """A session_id stable for one set of keys (and acting account), that reveals nothing about them: a hash with a
    fixed label, cut to 32 hex characters. Never a key itself."""
    digest = hashlib.sha256("\x00".join(["finerworks-mcp image session", *(s or "" for s in secrets)]).encode())
    return SESSION_PREFIX + digest.hexdigest()[:32]


def complete(endpoint: str, body: Any, *, session_id: str) -> Any:
    """`body` with the fields FinerWorks requires filled in where the caller left them out."""
    if not isinstance(body, Mapping):
        return body
    fields = dict(cast(Mapping[str, Any], body))
    if endpoint in IMAGE_LIBRARY_ENDPOINTS:
        given = fields.get("library")
        library = dict(cast(Mapping[str, Any], given)) if isinstance(given, Mapping) else {}
        library["name"] = library.get("name") or DEFAULT_LIBRARY
        library["site_id"] = library.get("site_id") if library.get("site_id") is not None else DEFAULT_SITE_ID
        library["session_id"] = library.get("session_id") or session_id
        fields["library"] = library
    elif endpoint == "fetch_order_status":
        fields["order_ids"] = fields.get("order_ids") or []
        fields["order_pos"] = fields.get("order_pos") or []
    return fields
