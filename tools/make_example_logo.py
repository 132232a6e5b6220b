"""Draw the fictional Westmere Borough Council logo used by the examples (standard library only).

    python tools/make_example_logo.py      # writes ehe_letters/data/examples/westmere-logo.png

A shield with three waves and the name in block capitals: 1000 x 300 pixels at 300 dpi, a
four-colour palette PNG of a few kilobytes.  The council is fictional; so is its logo.  The
output is deterministic (the same bytes every run), so the committed PNG can be rebuilt.
"""

from __future__ import annotations

import math
import struct
import sys
import zlib
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "ehe_letters" / "data" / "examples"
WIDTH, HEIGHT, DPI = 1000, 300, 300
WHITE, NAVY, TEAL, GOLD = 0, 1, 2, 3
PALETTE = bytes([255, 255, 255, 31, 58, 95, 0, 128, 128, 212, 160, 23])

# 5 x 7 block capitals for the letters of the name.
GLYPHS = {
    "W": ["10001", "10001", "10001", "10101", "10101", "11011", "10001"],
    "E": ["11111", "10000", "10000", "11110", "10000", "10000", "11111"],
    "S": ["01111", "10000", "10000", "01110", "00001", "00001", "11110"],
    "T": ["11111", "00100", "00100", "00100", "00100", "00100", "00100"],
    "M": ["10001", "11011", "10101", "10101", "10001", "10001", "10001"],
    "R": ["11110", "10001", "10001", "11110", "10100", "10010", "10001"],
    "B": ["11110", "10001", "10001", "11110", "10001", "10001", "11110"],
    "O": ["01110", "10001", "10001", "10001", "10001", "10001", "01110"],
    "U": ["10001", "10001", "10001", "10001", "10001", "10001", "01110"],
    "G": ["01111", "10000", "10000", "10011", "10001", "10001", "01111"],
    "H": ["10001", "10001", "10001", "11111", "10001", "10001", "10001"],
    "C": ["01111", "10000", "10000", "10000", "10000", "10000", "01111"],
    "N": ["10001", "11001", "10101", "10011", "10001", "10001", "10001"],
    "I": ["11111", "00100", "00100", "00100", "00100", "00100", "11111"],
    "L": ["10000", "10000", "10000", "10000", "10000", "10000", "11111"],
    " ": ["00000"] * 7,
}


def _in_shield(x: int, y: int) -> bool:
    """A shield 20-250 px across, 20-280 px down: straight top and sides, a pointed base."""
    if not (20 <= x <= 250 and 20 <= y <= 280):
        return False
    if y <= 170:
        return True
    half = 115 * (280 - y) / 110  # the base narrows to a point at 280
    return abs(x - 135) <= half


def _draw() -> list[bytearray]:
    rows = [bytearray(WIDTH) for _ in range(HEIGHT)]
    for y in range(HEIGHT):
        row = rows[y]
        for x in range(0, 260):
            if _in_shield(x, y):
                row[x] = NAVY
                for i, colour in enumerate((TEAL, GOLD, TEAL)):
                    centre = 80 + i * 55 + 10 * math.sin((x - 40) / 30)
                    if 45 <= x <= 225 and abs(y - centre) <= 12:
                        row[x] = colour
    _text(rows, "WESTMERE", 300, 45, 13, NAVY)
    _text(rows, "BOROUGH COUNCIL", 302, 180, 6, TEAL)
    for y in range(245, 255):
        for x in range(300, 980):
            rows[y][x] = GOLD
    return rows


def _text(rows: list[bytearray], text: str, left: int, top: int, scale: int, colour: int) -> None:
    x0 = left
    for ch in text:
        for gy, line in enumerate(GLYPHS[ch]):
            for gx, bit in enumerate(line):
                if bit == "1":
                    for y in range(top + gy * scale, top + (gy + 1) * scale):
                        for x in range(x0 + gx * scale, x0 + (gx + 1) * scale):
                            rows[y][x] = colour
        x0 += 6 * scale


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_bytes() -> bytes:
    raw = b"".join(b"\x00" + bytes(row) for row in _draw())
    ppm = round(DPI / 0.0254)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", struct.pack(">IIBBBBB", WIDTH, HEIGHT, 8, 3, 0, 0, 0))
        + _chunk(b"PLTE", PALETTE)
        + _chunk(b"pHYs", struct.pack(">IIB", ppm, ppm, 1))
        + _chunk(b"IDAT", zlib.compress(raw, 9))
        + _chunk(b"IEND", b"")
    )


def main() -> int:
    target = OUT / "westmere-logo.png"
    target.write_bytes(png_bytes())
    print(f"{target} ({target.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
