"""The seed catalog: product types, media, styles, frames, mats and glazing, with the rates prices derive from.

Rates (`base`, `rate`) are the simulator's own invention and never leave it; everything else is emitted with
FinerWorks' field names. Sizes are inches, and `min`/`max`/`available_sizes` are portrait (width <= height).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

D = Decimal
ZERO = D(0)
CENT = D("0.01")
PAPER_DEPTH = D("0.1")
MAT_BASE = D("3.00")
MAT_RATE = D("0.012")
ICONS = "https://sim-assets.finerworks.local/icons"

Size = tuple[int, int]


def cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _size_json(size: Size) -> dict[str, int]:
    return {"width": size[0], "height": size[1]}


@dataclass(frozen=True, slots=True)
class ProductType:
    id: int
    name: str
    description: str
    media_ids: tuple[int, ...]
    color_code: str

    def as_json(self) -> dict[str, Any]:
        styles = sorted({s for m in self.media_ids for s in MEDIA[m].style_ids})
        return {
            "id": self.id,
            "name": self.name,
            "description": self.description,
            "media_ids": list(self.media_ids),
            "printable_ids": styles,
            "icon_url": f"{ICONS}/product-type-{self.id}.png",
            "color_code": self.color_code,
        }


@dataclass(frozen=True, slots=True)
class Media:
    id: int
    product_type_id: int
    name: str
    description: str
    style_ids: tuple[int, ...]
    base: Decimal
    rate: Decimal
    """Price per square inch of print."""
    ounces_per_sq_in: Decimal

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "product_type_id": self.product_type_id,
            "name": self.name,
            "description": self.description,
            "style_ids": list(self.style_ids),
            "icon_url": f"{ICONS}/media-{self.id}.png",
        }


@dataclass(frozen=True, slots=True)
class Style:
    id: int
    name: str
    description: str
    min: Size
    max: Size
    available_sizes: tuple[Size, ...] = ()
    custom_sizing: bool = False
    allow_decimal: bool = False
    allow_rotate: bool = True
    frame_class_ids: tuple[int, ...] = ()
    can_mat: bool = False
    can_glaze: bool = False
    depth: Decimal = PAPER_DEPTH
    rigid: bool = False
    border_size: Decimal = ZERO
    bleed_amt: Decimal = ZERO
    surcharge: Decimal = ZERO

    @property
    def can_frame(self) -> bool:
        return bool(self.frame_class_ids)

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "description": self.description,
            "can_frame": self.can_frame,
            "can_mat": self.can_mat,
            "can_glaze": self.can_glaze,
            "frame_class_ids": list(self.frame_class_ids),
            "custom_sizing": self.custom_sizing,
            "allow_decimal": self.allow_decimal,
            "allow_rotate": self.allow_rotate,
            "min": _size_json(self.min),
            "max": _size_json(self.max),
            "available_sizes": [_size_json(s) for s in self.available_sizes],
            "border_size": float(self.border_size),
            "bleed_amt": float(self.bleed_amt),
            "corner_radius": 0,
            "depth": float(self.depth),
            "icon_url": f"{ICONS}/style-{self.id}.png",
            "mounting_add_ons": [],
        }


@dataclass(frozen=True, slots=True)
class Frame:
    id: int
    collection_id: int
    name: str
    color: str
    thickness: Decimal
    """Face width of the moulding, added to each side of the framed piece."""
    depth: Decimal
    base: Decimal
    rate: Decimal
    """Price per inch of outer perimeter."""
    allow_matting: bool = True
    allow_glazing: bool = True
    min: Size = (5, 5)
    max: Size = (40, 60)

    def price(self, width: Decimal, height: Decimal) -> Decimal:
        """The moulding for a piece of `width`×`height`, priced by its outer perimeter."""
        outer_perimeter = 2 * (width + height) + 8 * self.thickness
        return cents(self.base + self.rate * outer_perimeter)

    def as_json(self) -> dict[str, Any]:
        collection = COLLECTIONS[self.collection_id]
        slug = f"frame-{self.id}"
        return {
            "id": self.id,
            "name": self.name,
            "thickness": float(self.thickness),
            "depth": float(self.depth),
            "float_offset": 0.25 if collection.frame_class_id == FLOATER_CLASS else 0,
            "rabbet": 0.5,
            "lip": 0.25,
            "profile_svg_url": f"{ICONS}/{slug}-profile.svg",
            "sample_image_url_1": f"{ICONS}/{slug}-1.jpg",
            "sample_image_url_2": f"{ICONS}/{slug}-2.jpg",
            "sample_image_url_3": f"{ICONS}/{slug}-3.jpg",
            "min_width": self.min[0],
            "min_height": self.min[1],
            "max_width": self.max[0],
            "max_height": self.max[1],
            "price_level": 1 + int(self.rate * 2),
            "allow_glazing": self.allow_glazing,
            "allow_matting": self.allow_matting,
            "color": self.color,
            "composite": 0,
            "segment_url": f"{ICONS}/{slug}-segment.png",
            "sample_length": 12,
            "class_alias": collection.alias,
            "starting_price": float(self.price(D(8), D(10))),
            "type": collection.frame_class_id,
            "type_description": FRAME_CLASSES[collection.frame_class_id],
        }


@dataclass(frozen=True, slots=True)
class FrameCollection:
    id: int
    name: str
    description: str
    alias: str
    frame_class_id: int

    @property
    def frames(self) -> tuple[Frame, ...]:
        return tuple(f for f in FRAMES.values() if f.collection_id == self.id)

    def as_json(self, frames: list[Frame] | None) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "description": self.description,
            "alias": self.alias,
            "icon_url_1": f"{ICONS}/collection-{self.id}-1.png",
            "icon_url_2": f"{ICONS}/collection-{self.id}-2.png",
            "icon_url_3": f"{ICONS}/collection-{self.id}-3.png",
            "starting_price": float(min(f.price(D(8), D(10)) for f in self.frames)),
            "frames": [f.as_json() for f in frames] if frames is not None else None,
        }


@dataclass(frozen=True, slots=True)
class Mat:
    id: int
    name: str
    color: str
    core_color: str
    base: Decimal = MAT_BASE
    rate: Decimal = MAT_RATE
    max: Size = (32, 40)

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "color": self.color,
            "core_color": self.core_color,
            "thickness": 0.0625,
            "min_width": 5,
            "min_height": 5,
            "max_width": self.max[0],
            "max_height": self.max[1],
            "composite": 0,
            "starting_price": float(self.base + self.rate * 80),
        }


@dataclass(frozen=True, slots=True)
class Glazing:
    id: int
    name: str
    description: str
    base: Decimal
    rate: Decimal

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "description": self.description,
            "composite": 0,
            "image_1": f"{ICONS}/glazing-{self.id}.jpg",
            "starting_price": float(self.base + self.rate * 80),
        }


PICTURE_CLASS = 1
FLOATER_CLASS = 2
FRAME_CLASSES = {PICTURE_CLASS: "Picture frame", FLOATER_CLASS: "Canvas floater frame"}

MAT_BORDER = D(2)
"""Each side of the first mat; a second mat shows a thin reveal inside it."""
SECOND_MAT_REVEAL = D("0.25")


def matted_size(width: Decimal, height: Decimal, mats: int) -> tuple[Decimal, Decimal]:
    """The artwork plus the borders its mats add."""
    border = (MAT_BORDER if mats else D(0)) + (SECOND_MAT_REVEAL if mats > 1 else D(0))
    return width + 2 * border, height + 2 * border


_WRAP_SIZES: tuple[Size, ...] = (
    (8, 10), (11, 14), (12, 12), (12, 16), (16, 16), (16, 20),
    (18, 24), (20, 20), (20, 30), (24, 30), (24, 36), (30, 40),
)  # fmt: skip
_METAL_SIZES: tuple[Size, ...] = (
    (8, 10), (8, 12), (11, 14), (12, 12), (12, 16), (12, 18),
    (16, 20), (16, 24), (20, 20), (20, 24), (20, 30), (24, 36),
)  # fmt: skip
_PAPER_SIZES: tuple[Size, ...] = ((5, 7), (8, 10), (11, 14), (12, 16), (16, 20), (18, 24), (24, 36))

PRODUCT_TYPES: dict[int, ProductType] = {
    t.id: t
    for t in (
        ProductType(1, "Canvas Prints", "Giclée prints on artist canvas, rolled or stretched.", (1, 2), "#8B5E3C"),
        ProductType(2, "Metal Prints", "Dye-infused aluminum panels.", (3, 4), "#7A8896"),
        ProductType(3, "Acrylic Prints", "Face-mounted prints behind clear acrylic.", (5,), "#3FA7D6"),
        ProductType(4, "Wood Prints", "Prints on natural birch panels.", (9,), "#C19A6B"),
        ProductType(5, "Giclee Paper Prints", "Archival pigment prints on fine-art papers.", (6, 7, 8), "#E8E2D0"),
    )
}

MEDIA: dict[int, Media] = {
    m.id: m
    for m in (
        # id, product type, name, description, styles, base price, price per sq in, ounces per sq in
        Media(1, 1, "Premium Matte Canvas", "Poly-cotton, matte finish.", (1, 2, 3), D(8), D("0.055"), D("0.02")),
        Media(2, 1, "Satin Canvas", "Canvas with a soft satin sheen.", (1, 2, 3), D("8.5"), D("0.058"), D("0.02")),
        Media(3, 2, "HD Gloss Aluminum", "High-gloss white aluminum.", (4, 5), D(12), D("0.095"), D("0.05")),
        Media(4, 2, "Brushed Aluminum", "Brushed aluminum; whites show metal.", (4, 5), D(13), D("0.105"), D("0.05")),
        Media(5, 3, "Clear Acrylic 1/4 in", "Face-mounted to 1/4 in acrylic.", (5, 6), D(15), D("0.12"), D("0.09")),
        Media(6, 5, "Archival Matte Paper", "Heavyweight archival matte.", (9, 10), D("3.5"), D("0.0425"), D("0.006")),
        Media(7, 5, "Photo Luster Paper", "Photo paper, luster finish.", (9, 10), D("3.25"), D("0.04"), D("0.005")),
        Media(8, 5, "Hahnemühle Photo Rag", "100% cotton rag paper.", (9, 10, 11), D("4.5"), D("0.06"), D("0.007")),
        Media(9, 4, "Natural Birch Panel", "Print on a 1/2 in birch panel.", (7, 8), D(10), D("0.08"), D("0.08")),
    )
}

STYLES: dict[int, Style] = {
    s.id: s
    for s in (
        Style(1, "Rolled Canvas", "Unstretched, shipped in a tube.", (4, 4), (40, 90), custom_sizing=True,
              allow_decimal=True, bleed_amt=D(2)),
        Style(2, "Gallery Wrap 1.5 in", "Stretched over 1.5 in bars, image wraps the sides.", (8, 10), (30, 40),
              _WRAP_SIZES, frame_class_ids=(FLOATER_CLASS,), depth=D("1.5"), rigid=True, bleed_amt=D("1.75"),
              surcharge=D(14)),
        Style(3, "Museum Wrap 0.75 in", "Stretched over 0.75 in bars.", (8, 10), (30, 40), _WRAP_SIZES,
              frame_class_ids=(FLOATER_CLASS,), depth=D("0.75"), rigid=True, bleed_amt=D(1), surcharge=D(9)),
        Style(4, "Float Mount", "Panel floats 0.75 in off the wall.", (8, 10), (24, 36), _METAL_SIZES,
              depth=D("0.75"), rigid=True, surcharge=D(8)),
        Style(5, "Flush Mount", "Flat hanging panel.", (5, 5), (30, 40), custom_sizing=True, depth=D("0.25"),
              rigid=True),
        Style(6, "Standoff Mount", "Stainless standoffs at each corner.", (8, 10), (24, 36),
              ((8, 10), (11, 14), (12, 16), (16, 20), (20, 24), (24, 36)), depth=D(1), rigid=True, surcharge=D(12)),
        Style(7, "Raw Edge", "Unfinished panel edges.", (8, 10), (16, 20), ((8, 10), (11, 14), (12, 12), (16, 20)),
              depth=D("0.5"), rigid=True),
        Style(8, "Cradled Panel", "Panel on a 1.5 in cradle.", (8, 10), (18, 24),
              ((8, 10), (11, 14), (16, 20), (18, 24)), frame_class_ids=(FLOATER_CLASS,), depth=D("1.5"), rigid=True,
              surcharge=D(10)),
        Style(9, "Borderless", "Printed edge to edge.", (4, 4), (40, 90), _PAPER_SIZES, custom_sizing=True,
              allow_decimal=True, frame_class_ids=(PICTURE_CLASS,), can_mat=True, can_glaze=True),
        Style(10, "1 in White Border", "A 1 in white border around the image.", (5, 5), (38, 88), custom_sizing=True,
              frame_class_ids=(PICTURE_CLASS,), can_mat=True, can_glaze=True, border_size=D(1), surcharge=D("0.50")),
        Style(11, "Deckled Edge", "Hand-torn edges; portrait only.", (8, 10), (16, 20), ((8, 10), (11, 14), (16, 20)),
              allow_rotate=False, frame_class_ids=(PICTURE_CLASS,), can_mat=True, can_glaze=True, surcharge=D(6)),
    )
}  # fmt: skip

COLLECTIONS: dict[int, FrameCollection] = {
    c.id: c
    for c in (
        FrameCollection(1, "Classic Wood", "Solid hardwood mouldings.", "classic-wood", PICTURE_CLASS),
        FrameCollection(2, "Modern Metal", "Slim aluminum profiles.", "modern-metal", PICTURE_CLASS),
        FrameCollection(
            3, "Canvas Floaters", "Floater frames for stretched canvas and panels.", "floaters", FLOATER_CLASS
        ),
    )
}

FRAMES: dict[int, Frame] = {
    f.id: f
    for f in (
        Frame(458, 1, "Walnut Gallery 1.25 in", "#5C4033", D("1.25"), D("1.0"), D(12), D("0.85")),
        Frame(459, 1, "Black Satin 1 in", "#1C1C1C", D(1), D("0.875"), D(10), D("0.70")),
        Frame(460, 1, "Natural Maple 0.75 in", "#D9B98B", D("0.75"), D("0.875"), D(11), D("0.78")),
        Frame(470, 2, "Silver Metal 0.5 in", "#B8BCC2", D("0.5"), D("1.125"), D(9), D("0.65")),
        Frame(471, 2, "Matte Black Metal 0.5 in", "#2B2B2B", D("0.5"), D("1.125"), D(9), D("0.65")),
        Frame(480, 3, "Black Floater 1.75 in", "#111111", D("0.5"), D("1.75"), D(18), D("1.10"),
              allow_matting=False, allow_glazing=False),
        Frame(481, 3, "White Oak Floater 1.75 in", "#C8A97E", D("0.5"), D("1.75"), D(20), D("1.25"),
              allow_matting=False, allow_glazing=False),
    )
}  # fmt: skip

MATS: dict[int, Mat] = {
    m.id: m
    for m in (
        Mat(1, "Bright White", "#FFFFFF", "#FFFFFF"),
        Mat(2, "Soft White", "#F4F1E8", "#FFFFFF"),
        Mat(3, "Black", "#1B1B1B", "#1B1B1B", base=D("3.50")),
        Mat(4, "Antique Ivory", "#EDE3C8", "#FFFFFF"),
    )
}

GLAZING: dict[int, Glazing] = {
    g.id: g
    for g in (
        Glazing(1, "Standard Acrylic", "Shatter-resistant clear acrylic.", D(2), D("0.015")),
        Glazing(2, "UV Protective Acrylic", "Blocks 99% of UV light.", D(3), D("0.025")),
        Glazing(3, "Museum Acrylic", "Anti-reflective, UV protective acrylic.", D(5), D("0.06")),
    )
}
