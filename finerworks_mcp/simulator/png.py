"""A tiny framed-picture preview as a real PNG, built with zlib and struct so no imaging library is needed."""

from __future__ import annotations

import struct
import zlib

RGB = tuple[int, int, int]


def hex_colour(text: str, default: RGB = (128, 128, 128)) -> RGB:
    digits = text.removeprefix("#")
    if len(digits) != 6:
        return default
    try:
        return (int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16))
    except ValueError:
        return default


def lighter(colour: RGB, amount: float = 0.6) -> RGB:
    r, g, b = (round(c + (255 - c) * amount) for c in colour)
    return (r, g, b)


def framed_square(size: int, frame: RGB, centre: RGB, border: int) -> bytes:
    """A size×size RGB PNG: a `border`-pixel frame in one colour around a centre in another."""
    rows = bytearray()
    for y in range(size):
        rows.append(0)  # filter type "None" for this scanline
        for x in range(size):
            on_frame = min(x, y, size - 1 - x, size - 1 - y) < border
            rows.extend(frame if on_frame else centre)
    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(bytes(rows)))
        + _chunk(b"IEND", b"")
    )


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
