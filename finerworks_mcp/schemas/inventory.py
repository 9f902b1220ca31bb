"""Virtual inventory: products saved from the account's images, each with a SKU."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from finerworks_mcp.schemas.common import Page
from finerworks_mcp.schemas.products import Product

CodeFilter = Annotated[list[Annotated[str, Field(min_length=1, max_length=50)]] | None, Field(max_length=50)]


class Inventory(Page):
    products: list[Product] = Field(default_factory=list[Product])
