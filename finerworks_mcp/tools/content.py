"""Tool results with more than JSON: text a person reads at a glance, pictures, and links to thumbnails.

A tool annotated `-> Annotated[CallToolResult, Model]` keeps `Model` as its output schema (the SDK validates the
structured content against it) while choosing its own content blocks.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from mcp.types import CallToolResult, ContentBlock, ImageContent, ResourceLink, TextContent
from pydantic import BaseModel

# Magic numbers of the picture formats a frame render may come back in.
_IMAGE_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF8", "image/gif"),
)
_EXTENSION_TYPES = {".png": "image/png", ".gif": "image/gif", ".webp": "image/webp"}


def tool_result(
    model: BaseModel, *extra: ContentBlock, text: str | None = None, hide: set[str] | None = None
) -> CallToolResult:
    """Structured content from `model`; content is `text` (else the model as JSON, minus `hide`), then `extra`."""
    shown = text if text is not None else model.model_dump_json(indent=2, exclude=hide)
    return CallToolResult(
        content=[TextContent(type="text", text=shown), *extra],
        structured_content=model.model_dump(mode="json"),
    )


def picture(data: str | None) -> ImageContent | None:
    """Base64 picture data as image content, or None when it is missing or not a picture we recognise."""
    if not data:
        return None
    try:
        head = base64.b64decode(data[:24], validate=True)
    except (binascii.Error, ValueError):
        return None
    mime_type = next((mime for signature, mime in _IMAGE_SIGNATURES if head.startswith(signature)), None)
    return ImageContent(type="image", data=data, mime_type=mime_type) if mime_type else None


@dataclass(frozen=True, slots=True)
class Thumbnail:
    uri: str | None
    name: str
    title: str | None = None


def thumbnail_links(thumbnails: Iterable[Thumbnail], limit: int | None = None) -> Sequence[ResourceLink]:
    """Resource links a client can show as pictures; FinerWorks serves thumbnails at public web addresses."""
    links = [
        ResourceLink(
            type="resource_link",
            uri=thumb.uri,
            name=thumb.name,
            title=thumb.title,
            mime_type=_mime_of(thumb.uri),
        )
        for thumb in thumbnails
        if thumb.uri and thumb.uri.startswith(("https://", "http://"))
    ]
    return links[:limit] if limit is not None else links


def _mime_of(uri: str) -> str:
    path = uri.split("?", 1)[0].lower()
    return next((mime for ext, mime in _EXTENSION_TYPES.items() if path.endswith(ext)), "image/jpeg")
