"""Product codes and virtual-inventory SKUs: parsing, and the validity rules of the reference's §5.1.

Unframed codes follow FinerWorks' grammar `{product_type_id}M{media_id}M{style_id}S{width}X{height}`
(`5M6M9S16X20`). FinerWorks' framed-code format is unpublished, so the simulator extends the grammar with a
suffix of its own, `F{frame_id}` then up to two `M{mat_id}` then `G{glazing_id}` (`5M6M9S16X20F458M1G2`), which
frame_builder returns and get_prices accepts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from .catalog import (
    COLLECTIONS,
    FRAMES,
    GLAZING,
    MATS,
    MEDIA,
    PRODUCT_TYPES,
    STYLES,
    Style,
    matted_size,
)

_NUMBER = r"\d+(?:\.\d+)?"
CODE_PATTERN = re.compile(rf"^(\d+)M(\d+)M(\d+)S({_NUMBER})X({_NUMBER})(?:F(\d+)((?:M\d+){{0,2}})(?:G(\d+))?)?$")
SKU_PATTERN = re.compile(r"^AP\d+P\d+$")


@dataclass(frozen=True, slots=True)
class ProductCode:
    product_type_id: int
    media_id: int
    style_id: int
    width: Decimal
    height: Decimal
    frame_id: int | None = None
    mat_ids: tuple[int, ...] = ()
    glazing_id: int | None = None

    def __str__(self) -> str:
        text = f"{self.product_type_id}M{self.media_id}M{self.style_id}S{inches(self.width)}X{inches(self.height)}"
        if self.frame_id is None:
            return text
        mats = "".join(f"M{m}" for m in self.mat_ids)
        glazing = f"G{self.glazing_id}" if self.glazing_id is not None else ""
        return f"{text}F{self.frame_id}{mats}{glazing}"

    @property
    def print_only(self) -> ProductCode:
        return ProductCode(self.product_type_id, self.media_id, self.style_id, self.width, self.height)

    @property
    def outer_size(self) -> tuple[Decimal, Decimal]:
        """The framed piece without moulding: the print plus the mat borders."""
        return matted_size(self.width, self.height, len(self.mat_ids))


def inches(value: Decimal) -> str:
    """`16`, `16.5`: no exponent, no trailing zeros."""
    return f"{value.normalize():f}"


def is_sku(text: str) -> bool:
    return bool(SKU_PATTERN.match(text))


def parse_product_code(text: str) -> ProductCode | None:
    match = CODE_PATTERN.match(text.strip())
    if match is None:
        return None
    type_id, media_id, style_id, width, height, frame_id, mats, glazing_id = match.groups()
    try:
        size = Decimal(width), Decimal(height)
    except InvalidOperation:
        return None
    return ProductCode(
        int(type_id),
        int(media_id),
        int(style_id),
        *size,
        frame_id=int(frame_id) if frame_id else None,
        mat_ids=tuple(int(m) for m in mats.split("M")[1:]) if mats else (),
        glazing_id=int(glazing_id) if glazing_id else None,
    )


def code_problem(code: ProductCode) -> str | None:
    """Why the code names no product FinerWorks makes, or None when it is valid."""
    media = MEDIA.get(code.media_id)
    style = STYLES.get(code.style_id)
    if code.product_type_id not in PRODUCT_TYPES:
        return f"unknown product type {code.product_type_id}"
    if media is None:
        return f"unknown media {code.media_id}"
    if media.product_type_id != code.product_type_id:
        return f"media {media.id} ({media.name}) is not made as product type {code.product_type_id}"
    if style is None:
        return f"unknown style {code.style_id}"
    if style.id not in media.style_ids:
        return f"style {style.id} ({style.name}) is not offered on media {media.id} ({media.name})"
    return _size_problem(style, code.width, code.height) or _framing_problem(code, style)


def portrait(width: Decimal, height: Decimal) -> tuple[Decimal, Decimal]:
    return (width, height) if width <= height else (height, width)


def _size_problem(style: Style, width: Decimal, height: Decimal) -> str | None:
    size_text = f"{inches(width)}x{inches(height)}"
    if width <= 0 or height <= 0:
        return f"size {size_text} must be positive"
    if width > height and not style.allow_rotate:
        return f"style {style.id} ({style.name}) is portrait only; {size_text} would need rotating"
    if (width % 1 or height % 1) and not style.allow_decimal:
        return f"style {style.id} ({style.name}) takes whole-inch sizes only, not {size_text}"
    short, long = portrait(width, height)
    if style.custom_sizing:
        fits = style.min[0] <= short <= style.max[0] and style.min[1] <= long <= style.max[1]
        if not fits:
            low, high = style.min, style.max
            return (
                f"size {size_text} is outside {low[0]}x{low[1]}–{high[0]}x{high[1]} for style {style.id} ({style.name})"
            )
        return None
    if (short, long) not in {(Decimal(w), Decimal(h)) for w, h in style.available_sizes}:
        offered = ", ".join(f"{w}x{h}" for w, h in style.available_sizes)
        return f"size {size_text} is not offered for style {style.id} ({style.name}); sizes: {offered}"
    return None


def _framing_problem(code: ProductCode, style: Style) -> str | None:
    if code.frame_id is None:
        return None
    frame = FRAMES.get(code.frame_id)
    if frame is None:
        return f"unknown frame {code.frame_id}"
    if COLLECTIONS[frame.collection_id].frame_class_id not in style.frame_class_ids:
        return f"frame {frame.id} ({frame.name}) does not fit style {style.id} ({style.name})"
    if code.mat_ids and not style.can_mat:
        return f"style {style.id} ({style.name}) cannot be matted"
    if code.glazing_id is not None and not style.can_glaze:
        return f"style {style.id} ({style.name}) cannot be glazed"
    return framing_problem(code.frame_id, code.mat_ids, code.glazing_id, code.outer_size)


def framing_problem(
    frame_id: int, mat_ids: tuple[int, ...], glazing_id: int | None, outer_size: tuple[Decimal, Decimal]
) -> str | None:
    """Why this frame, mats and glazing cannot frame a piece of `outer_size` (print plus mats); None if they can."""
    frame = FRAMES.get(frame_id)
    if frame is None:
        return f"unknown frame {frame_id}"
    if mat_ids and not frame.allow_matting:
        return f"frame {frame.id} ({frame.name}) takes no mats"
    unknown_mats = [m for m in mat_ids if m not in MATS]
    if unknown_mats:
        return f"unknown mat {unknown_mats[0]}"
    if glazing_id is not None and glazing_id not in GLAZING:
        return f"unknown glazing {glazing_id}"
    if glazing_id is not None and not frame.allow_glazing:
        return f"frame {frame.id} ({frame.name}) takes no glazing"
    short, long = portrait(*outer_size)
    size_text = f"{inches(short)}x{inches(long)}"
    if not (frame.min[0] <= short <= frame.max[0] and frame.min[1] <= long <= frame.max[1]):
        limits = f"{frame.min[0]}x{frame.min[1]}–{frame.max[0]}x{frame.max[1]}"
        return f"framed size {size_text} is outside {limits} for frame {frame.id} ({frame.name})"
    if any(not (short <= MATS[m].max[0] and long <= MATS[m].max[1]) for m in mat_ids):
        return f"framed size {size_text} is too large for the chosen mats"
    return None


def describe(code: ProductCode) -> str:
    """`Archival Matte Paper, Borderless, 16x20 in`, plus the frame when there is one."""
    media, style = MEDIA[code.media_id], STYLES[code.style_id]
    text = f"{media.name}, {style.name}, {inches(code.width)}x{inches(code.height)} in"
    return f"{text}, framed in {FRAMES[code.frame_id].name}" if code.frame_id in FRAMES else text
