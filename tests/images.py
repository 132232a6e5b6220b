"""Small test images written with the standard library (zlib and struct): PNGs of any size,
optionally with a DPI, and a JPEG header good enough for the magic-byte and size checks."""

from __future__ import annotations

import struct
import zlib


def png(width: int, height: int, dpi: int | None = None, colour=(0x1F, 0x3A, 0x5F)) -> bytes:
    """A plain RGB PNG of one colour (optionally with a pHYs DPI chunk)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    raw = b"".join(b"\x00" + bytes(colour) * width for _ in range(height))
    out = b"\x89PNG\r\n\x1a\n" + chunk(
        b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    )
    if dpi:
        ppm = round(dpi / 0.0254)
        out += chunk(b"pHYs", struct.pack(">IIB", ppm, ppm, 1))
    return out + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


def jpeg_header(width: int, height: int, dpi: int = 150) -> bytes:
    """The markers of a JPEG that python-docx reads its size from (SOI, JFIF APP0, SOF0, EOI).
    Not a picture anything can draw: for the logo's size and magic-byte checks only."""
    app0 = b"JFIF\x00\x01\x01\x01" + struct.pack(">HH", dpi, dpi) + b"\x00\x00"
    sof0 = (
        b"\x08"
        + struct.pack(">HH", height, width)
        + b"\x03"
        + b"\x01\x11\x00\x02\x11\x01\x03\x11\x01"
    )
    return (
        b"\xff\xd8"
        + b"\xff\xe0"
        + struct.pack(">H", len(app0) + 2)
        + app0
        + b"\xff\xc0"
        + struct.pack(">H", len(sof0) + 2)
        + sof0
        + b"\xff\xd9"
    )
