"""Reference data as MCP resources (finerworks://catalog/..., framing/..., orders/...), so an assistant can read
the catalog without spending tool calls. Each is JSON, served from the server's reference-data cache."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from mcp.server import MCPServer
from mcp.server.mcpserver.exceptions import ResourceError
from pydantic import BaseModel

from finerworks_mcp.api.errors import FinerWorksError
from finerworks_mcp.api.reference import REFERENCE_KINDS, NotServing, ReferenceData
from finerworks_mcp.api.schemas.catalog import MediaTypes, ProductTypes, StyleTypes
from finerworks_mcp.api.schemas.framing import Collections, GlazingOptions, Mats
from finerworks_mcp.api.schemas.orders import StatusDefinitions
from finerworks_mcp.mcp.context import AppState

# The same shapes the list tools answer with, so a resource and a tool call read alike.
MODELS: dict[str, type[BaseModel]] = {
    "product-types": ProductTypes,
    "media-types": MediaTypes,
    "style-types": StyleTypes,
    "frame-collections": Collections,
    "mats": Mats,
    "glazing": GlazingOptions,
    "status-definitions": StatusDefinitions,
}


def register_resources(server: MCPServer[AppState], reference: ReferenceData) -> None:
    for name, kind in REFERENCE_KINDS.items():
        server.resource(
            kind.uri, name=name, title=kind.title, description=kind.description, mime_type="application/json"
        )(_reader(reference, name))


def _reader(reference: ReferenceData, name: str) -> Callable[[], Awaitable[str]]:
    async def read() -> str:
        try:
            payload = await reference.get_for_resource(name)
        except FinerWorksError as error:
            raise ResourceError(error.tool_message()) from error
        except NotServing as error:
            raise ResourceError("The server is not connected to FinerWorks yet; try again.") from error
        return MODELS[name].model_validate(payload).model_dump_json()

    return read
