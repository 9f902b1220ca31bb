"""Images: the libraries of uploaded files and the file selections kept under a master guid.

Also the list filters that images and virtual inventory share.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import Field

from finerworks_mcp.schemas.common import Guid, Page, Strict, Upstream
from finerworks_mcp.schemas.products import Product

SearchFilter = Annotated[str | None, Field(max_length=200, description="Free-text search.")]
GuidFilter = Annotated[list[Guid] | None, Field(max_length=50, description="Only these image guids.")]
DateFilter = Annotated[dt.date | None, Field(description="YYYY-MM-DD.")]
ImageSortField = Literal["id", "title", "file_name", "file_size", "date_added"]


class ImageLibrary(Strict):
    name: Literal["inventory", "temporary"] = "inventory"
    session_id: str | None = Field(default=None, min_length=8, max_length=50, description="Temporary library only.")
    account_key: str | None = Field(default=None, max_length=100)
    site_id: int | None = Field(default=None, ge=0, le=3)


class Image(Upstream):
    id: int | None = None
    guid: str | None = None
    title: str | None = None
    description: str | None = None
    file_name: str | None = None
    file_size: int | None = None
    pix_w: int | None = None
    pix_h: int | None = None
    date_added: str | None = None
    active: bool | None = None
    public_thumbnail_uri: str | None = None
    products: list[Product] | None = None


class Images(Page):
    images: list[Image] = Field(default_factory=list[Image])


class FileSelection(Upstream):
    guids: list[str] = Field(default_factory=list[str])
