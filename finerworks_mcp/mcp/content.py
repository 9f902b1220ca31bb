"""Tool results: structured content made once from the tool's answer model, text a person reads at a glance,
pictures, and links to thumbnails.

A tool returns its answer model (`-> Model`), or chooses its own content blocks (`-> Annotated[CallToolResult,
Model]`). Either way the SDK is handed a finished CallToolResult (`answering`) and registers the tool without an
output schema of its own: it would otherwise build every output schema at start-up, for tool lists that do not
send them (FINERWORKS_TOOL_SCHEMAS=compact), and validate every answer a second time (a 1,000-line quote twice).
The declared model is still the contract: `output_schema_of` gives its schema to tool lists that send one, and
the answer is dumped from an instance of it.
"""

from __future__ import annotations

import base64
import binascii
import functools
import typing
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Annotated, Any

from mcp.server.mcpserver.exceptions import ToolError
from mcp.types import CallToolResult, ContentBlock, ImageContent, ResourceLink, TextContent
from pydantic import BaseModel, TypeAdapter

from finerworks_mcp.api.errors import FinerWorksError
from finerworks_mcp.guard.errors import GuardError

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
    """Structured content from `model`; content is `text` (else the model as JSON, minus `hide`), then `extra`.

    The JSON is compact, not indented: the model reads every character of it, and indentation costs tokens."""
    shown = text if text is not None else model.model_dump_json(exclude=hide)
    return CallToolResult(
        content=[TextContent(type="text", text=shown), *extra],
        structured_content=model.model_dump(mode="json"),
    )


def answering(fn: Callable[..., Awaitable[Any]]) -> Callable[..., Awaitable[CallToolResult]]:
    """`fn` as the SDK registers it: every answer leaves as a CallToolResult, which the SDK passes on as it is.

    `functools.wraps` keeps `fn`'s signature, so the SDK still builds the arguments model (and finds the context
    and resolver parameters) from `fn` itself."""

    @functools.wraps(fn)
    async def answer(*args: Any, **kwargs: Any) -> CallToolResult:
        try:
            result = await fn(*args, **kwargs)
        # The one place errors become what the model reads: only a ToolError's words reach it; anything else
        # becomes a bare "Error executing tool".
        except GuardError as error:
            raise ToolError(str(error)) from error
        except FinerWorksError as error:  # a failed call, a refusal, or an answer of the wrong shape
            raise ToolError(error.tool_message()) from error
        return result if isinstance(result, CallToolResult) else tool_result(result)

    return answer


@functools.cache
def output_schema_of(fn: Callable[..., Any]) -> dict[str, Any]:
    """The JSON Schema of the answer model `fn` declares; built on first use, once per tool."""
    declared = typing.get_type_hints(fn, include_extras=True)["return"]
    if typing.get_origin(declared) is Annotated:
        base, *metadata = typing.get_args(declared)
        declared = metadata[0] if base is CallToolResult else base
    return TypeAdapter(declared).json_schema()


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
