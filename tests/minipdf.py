"""Write small test PDFs by hand: text lines (Helvetica) and images at given positions in mm
from the top-left corner, one list of items per page.  No dependency beyond the standard library.
"""

from __future__ import annotations

PT = 72 / 25.4


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def make_pdf(pages: list[list[tuple]], size_mm: tuple[float, float] = (210, 297)) -> bytes:
    """pages: per page, items ("text", x_mm, baseline_mm, size_pt, text) or
    ("image", x0_mm, y0_mm, x1_mm, y1_mm)."""
    w, h = size_mm[0] * PT, size_mm[1] * PT
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    catalog = add(b"")  # filled in below
    pages_obj = add(b"")
    font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    image = add(
        b"<< /Type /XObject /Subtype /Image /Width 1 /Height 1 /ColorSpace /DeviceGray"
        b" /BitsPerComponent 8 /Length 1 >>\nstream\n\x00\nendstream"
    )
    kids = []
    for items in pages:
        ops = []
        for item in items:
            if item[0] == "text":
                _, x, baseline, size, text = item
                data = _escape(text).encode("cp1252")
                ops.append(
                    b"BT /F1 %.2f Tf %.3f %.3f Td (%s) Tj ET"
                    % (size, x * PT, h - baseline * PT, data)
                )
            elif item[0] == "image":
                _, x0, y0, x1, y1 = item
                ops.append(
                    b"q %.3f 0 0 %.3f %.3f %.3f cm /Im1 Do Q"
                    % ((x1 - x0) * PT, (y1 - y0) * PT, x0 * PT, h - y1 * PT)
                )
        stream = b"\n".join(ops)
        content = add(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream))
        kids.append(
            add(
                b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 %.2f %.2f] /Contents %d 0 R"
                b" /Resources << /Font << /F1 %d 0 R >> /XObject << /Im1 %d 0 R >> >> >>"
                % (pages_obj, w, h, content, font, image)
            )
        )
    objects[catalog - 1] = b"<< /Type /Catalog /Pages %d 0 R >>" % pages_obj
    objects[pages_obj - 1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(b"%d 0 R" % k for k in kids),
        len(kids),
    )
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        catalog,
        xref,
    )
    return bytes(out)


def address(x: float = 26.0, top: float = 43.0, lines=None, size: float = 10) -> list[tuple]:
    """An address block: baselines 3.7 mm apart starting at top (a 10 pt line)."""
    lines = lines or ["Ms A Example", "1 Test Street", "TESTTOWN", "TE1 1ST"]
    return [("text", x, top + i * 3.7, size, line) for i, line in enumerate(lines)]


def good_first_page() -> list[tuple]:
    return [
        ("image", 15.5, 5.0, 115.5, 30.0),
        ("text", 126, 10, 10, "Westmere Borough Council"),
        ("text", 126, 14, 10, "Our reference: WM-1"),
        *address(),
        ("text", 16, 100, 12, "Dear Ms Example,"),
        ("text", 16, 280, 9, "Page footer"),
    ]
