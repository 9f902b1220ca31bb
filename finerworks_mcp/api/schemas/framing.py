"""Framing: frame collections, frames, mats, glazing, and the frame builder's configuration and answer."""

from typing import Annotated

from pydantic import AliasChoices, Field

from finerworks_mcp.api.schemas.common import Strict, Upstream
from finerworks_mcp.api.schemas.products import PriceLine

ProductCode = Annotated[str, Field(min_length=1, max_length=50, description="A print's product code.")]
Inches = Annotated[float, Field(gt=0, le=200)]
Url = Annotated[str, Field(max_length=500)]


class MatWindow(Strict):
    width: Inches
    height: Inches
    window_x: float = 0
    window_y: float = 0
    mat_image_to_display_url: Url | None = None


class MatChoice(Strict):
    id: int = Field(ge=1, description="Mat id from list_mats.")
    windows: list[MatWindow] = Field(min_length=1, max_length=10)


class GlazingChoice(Strict):
    id: int = Field(ge=1, description="Glazing id from list_glazing.")


class FrameConfig(Strict):
    """A frame package: frame, outer size, up to two mats with their windows, optional glazing."""

    frame_id: int = Field(ge=1)
    width: Inches
    height: Inches
    mats: list[MatChoice] | None = Field(default=None, max_length=2, description="Top mat first.")
    glazing: GlazingChoice | None = None
    units: int = Field(default=0, ge=0, description="0 = inches.")


class FrameRender(Strict):
    """Ask for a preview image (base64); it slows the answer down."""

    content_type: int = Field(default=0, ge=0)
    render_size: int = Field(default=500, ge=50, le=2000, description="Pixels.")
    squared: bool = False
    shadow_inner: bool = False
    prompt_image: bool = False
    frame_image_to_display_url: Url | None = None


class Frame(Upstream):
    id: int
    name: str | None = None
    color: str | None = None
    type_description: str | None = None
    min_width: float | None = None
    min_height: float | None = None
    max_width: float | None = None
    max_height: float | None = None
    allow_matting: bool | None = None
    allow_glazing: bool | None = None
    starting_price: float | None = None


class Collection(Upstream):
    id: int
    name: str | None = None
    description: str | None = None
    starting_price: float | None = None
    frames: list[Frame] | None = None


class Mat(Upstream):
    id: int
    name: str | None = None
    color: str | None = None
    starting_price: float | None = None


class Glazing(Upstream):
    id: int
    name: str | None = None
    description: str | None = None
    starting_price: float | None = None


class Collections(Upstream):
    # Some integrations read the list under `frame_collections`; accept either, answer as `collections`.
    collections: list[Collection] = Field(
        default_factory=list[Collection], validation_alias=AliasChoices("collections", "frame_collections")
    )


class FrameDetails(Upstream):
    frame: Frame | None = Field(default=None, validation_alias=AliasChoices("frame", "frame_details"))


class Mats(Upstream):
    mats: list[Mat] = Field(default_factory=list[Mat])


class GlazingOptions(Upstream):
    glazing: list[Glazing] = Field(default_factory=list[Glazing])


class FramePackage(Upstream):
    """frame_builder's answer; its shape is not documented, so everything is optional."""

    product_code: str | None = None
    frame: Frame | None = None
    mats: list[Mat] | None = None
    glazing: Glazing | None = None
    price_details: PriceLine | None = None
    render_data: str | None = None
