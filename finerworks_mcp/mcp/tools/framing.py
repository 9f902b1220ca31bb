"""Framing tools: frame collections, frames, mats and glazing, and pricing a whole frame package."""

from __future__ import annotations

from typing import Annotated

from mcp.server.mcpserver.exceptions import ToolError
from mcp.types import CallToolResult
from pydantic import Field

from finerworks_mcp.api.answers import request_body
from finerworks_mcp.api.schemas.framing import (
    Collections,
    FrameConfig,
    FrameDetails,
    FramePackage,
    FrameRender,
    GlazingOptions,
    Mats,
    ProductCode,
)
from finerworks_mcp.mcp.content import picture, tool_result
from finerworks_mcp.mcp.context import Ctx
from finerworks_mcp.mcp.tools.base import Toolset, fetch, reference

framing = Toolset("framing", "frame collections, frames, mats, glazing; price a frame package")

Id = Annotated[int | None, Field(ge=1)]


@framing.read("List frame collections")
async def list_collections(ctx: Ctx, id: Id = None, product_code: ProductCode | None = None) -> Collections:
    """Frame collections; give a collection id to get its frames, a product_code to keep frames that fit it."""
    return await reference(ctx, "frame-collections", Collections, id=id, product_code=product_code)


@framing.read("Get frame details")
async def frame_details(ctx: Ctx, id: Annotated[int, Field(ge=1)]) -> FrameDetails:
    """One frame's size limits, colour, and whether it takes mats and glazing."""
    return await fetch(ctx, "frame_details", FrameDetails, json=request_body(id=id))


@framing.read("List mats")
async def list_mats(ctx: Ctx, id: Id = None) -> Mats:
    """Mat boards (colour, size limits, starting price); id narrows to one."""
    return await reference(ctx, "mats", Mats, id=id)


@framing.read("List glazing")
async def list_glazing(ctx: Ctx, id: Id = None) -> GlazingOptions:
    """Glazing options (acrylic and the like) with starting prices; id narrows to one."""
    return await reference(ctx, "glazing", GlazingOptions, id=id)


@framing.read("Build a frame package")
async def frame_builder(
    ctx: Ctx,
    product_code: ProductCode | None = None,
    config: FrameConfig | None = None,
    render: FrameRender | None = None,
) -> Annotated[CallToolResult, FramePackage]:
    """Validate and price a framed piece from a product_code, or else a config; render adds a preview picture."""
    if product_code is None and config is None:
        raise ToolError("frame_builder needs a product_code or a config (frame_id, width, height); neither was given.")
    package = await fetch(
        ctx, "frame_builder", FramePackage, json=request_body(product_code=product_code, config=config, render=render)
    )
    # The picture travels as image content a client can show; its base64 in the text would only cost context.
    image = picture(package.render_data)
    return tool_result(package, *([image] if image else []), hide={"render_data"})
