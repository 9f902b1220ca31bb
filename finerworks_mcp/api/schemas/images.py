"""Images: the libraries of uploaded files and the file selections kept under a master guid.

Also the list filters that images and virtual inventory share.
"""

import datetime as dt
from collections import Counter
from typing import Annotated, Any, Literal, Self

from pydantic import AfterValidator, Field, model_validator

from finerworks_mcp.api.schemas.common import Guid, Page, Strict, Upstream
from finerworks_mcp.api.schemas.products import Product

SearchFilter = Annotated[str | None, Field(max_length=200, description="Free-text search.")]
GuidFilter = Annotated[list[Guid] | None, Field(max_length=50, description="Only these image guids.")]
DateFilter = Annotated[dt.date | None, Field(description="YYYY-MM-DD.")]
ImageSortField = Literal["id", "title", "file_name", "file_size", "date_added"]


class ImageLibrary(Strict):
    name: Literal["inventory", "temporary"] = "inventory"
    session_id: str | None = Field(
        default=None, min_length=8, max_length=50, description="Default: FINERWORKS_IMAGE_SESSION_ID or this account's."
    )
    account_key: str | None = Field(default=None, max_length=100)
    site_id: int = Field(default=2, ge=0, le=3)


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


# The write side. Limits are FinerWorks' documented ones (reference §2.6, §3.8); the 50-guid caps on updates and
# deletes are ours: a preview must read back every image it names, and list_images filters 50 guids at a time.
MAX_NEW_IMAGES = 5
MAX_GUIDS_PER_CALL = 50


def distinct(values: list[str]) -> list[str]:
    """The same ids in their first order, each once: naming an id twice changes nothing."""
    return list(dict.fromkeys(values))


def unique_by(key: str) -> AfterValidator:
    """A list of changes may name each `key` once: two changes to one thing in one call would be ambiguous."""

    def check(items: list[Any]) -> list[Any]:
        counts = Counter(str(getattr(item, key)) for item in items)
        repeated = [value for value, count in counts.items() if count > 1]
        if repeated:
            raise ValueError(f"each {key} may appear once per call; repeated: {', '.join(repeated)}")
        return items

    return AfterValidator(check)


ImageTitle = Annotated[str, Field(min_length=1, max_length=50)]
ImageDescription = Annotated[str, Field(max_length=300)]
FileName = Annotated[str, Field(min_length=1, max_length=200)]
WebAddress = Annotated[str, Field(max_length=500, pattern=r"^https?://\S+$")]
ImageGuids = Annotated[
    list[Guid],
    Field(min_length=1, max_length=MAX_GUIDS_PER_CALL, description="Image guids (from list_images)."),
    AfterValidator(distinct),
]
SelectionGuids = Annotated[
    list[Guid], Field(max_length=MAX_GUIDS_PER_CALL, description="Image guids; [] clears."), AfterValidator(distinct)
]


class NewImage(Strict):
    """An image FinerWorks downloads from the given web addresses."""

    title: ImageTitle
    description: ImageDescription | None = None
    file_name: FileName
    file_size: int | None = Field(default=None, ge=0, description="Bytes.")
    thumbnail_file_name: FileName | None = None
    preview_file_name: FileName | None = None
    hires_file_name: FileName | None = None
    public_thumbnail_uri: WebAddress | None = None
    public_preview_uri: WebAddress | None = None
    private_hires_uri: WebAddress = Field(description="Where FinerWorks downloads the print file.")
    pix_w: int | None = Field(default=None, ge=1)
    pix_h: int | None = Field(default=None, ge=1)


NewImages = Annotated[list[NewImage], Field(min_length=1, max_length=MAX_NEW_IMAGES)]


class ImageUpdate(Strict):
    guid: Guid
    title: ImageTitle | None = None
    description: ImageDescription | None = None

    @model_validator(mode="after")
    def _changes_something(self) -> Self:
        if self.title is None and self.description is None:
            raise ValueError(f"image {self.guid}: give a new title, a new description, or both")
        return self


ImageUpdates = Annotated[list[ImageUpdate], Field(min_length=1, max_length=MAX_GUIDS_PER_CALL), unique_by("guid")]


class AddImagesRequest(Strict):
    images: list[NewImage]
    library: ImageLibrary


class UpdateImagesRequest(Strict):
    images: list[ImageUpdate]
    account_key: str | None = None


class DeleteImagesRequest(Strict):
    guids: list[str]
    library: ImageLibrary | None = None


class FileSelectionRequest(Strict):
    guid: str
    guids: list[str]
