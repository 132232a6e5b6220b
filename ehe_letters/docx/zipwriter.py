"""A deterministic zip writer for .docx packages: fixed timestamps, members in a given order,
unchanged members compressed once and copied as bytes."""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass

try:  # zlib-ng: the same deflate format, its fastest level several times quicker than zlib's
    from zlib_ng import zlib_ng as _quick
except ImportError:  # pragma: no cover - a platform without its wheel: zlib's own
    _quick = zlib

__all__ = ["FIXED_TIME", "Member", "zip_members"]

FIXED_TIME = (1980, 1, 1, 0, 0, 0)
_DOS_DATE, _DOS_TIME = (0 << 9) | (1 << 5) | 1, 0  # 1 January 1980, 00:00 (FIXED_TIME)


@dataclass(frozen=True)
class Member:
    """One zip member: unchanged members are compressed once and copied as these bytes."""

    name: bytes
    data: bytes
    crc: int
    compressed: bytes
    method: int  # 8 = deflated, 0 = stored

    @classmethod
    def deflated(cls, name: str, data: bytes) -> Member:
        """A member compressed hard, once (the template's unchanged parts)."""
        packer = zlib.compressobj(9, zlib.DEFLATED, -15)
        compressed = packer.compress(data) + packer.flush()
        return cls(name.encode("utf-8"), data, zlib.crc32(data), compressed, 8)

    @classmethod
    def stored(cls, name: str, data: bytes) -> Member:
        """A member stored as it is (an image: compressed already)."""
        return cls(name.encode("utf-8"), data, zlib.crc32(data), data, 0)

    @classmethod
    def rendered(cls, name: str, data: bytes) -> Member:
        """A part rendered for one letter, compressed quickly; small parts (under 4 kB: a
        header, the document properties) are stored, as compressing costs more than it saves."""
        if len(data) < 4096:
            return cls(name.encode("utf-8"), data, zlib.crc32(data), data, 0)
        # zlib-ng's level 1 (a few kB of XML in about a quarter of zlib's time, a little
        # larger); a 4 kB window and small tables: no fresh memory (page faults) each time.
        packer = _quick.compressobj(1, zlib.DEFLATED, -12, 4)
        compressed = packer.compress(data) + packer.flush()
        return cls(name.encode("utf-8"), data, zlib.crc32(data), compressed, 8)


def zip_members(members: list[Member]) -> bytes:
    """Write a zip archive of pre-compressed members with fixed timestamps, in the given order."""
    out, directory = [], []
    offset = 0
    for m in members:
        flags = 0x800 if not m.name.isascii() else 0
        fields = (20, flags, m.method, _DOS_TIME, _DOS_DATE, m.crc, len(m.compressed), len(m.data))
        header = struct.pack("<IHHHHHIIIHH", 0x04034B50, *fields, len(m.name), 0) + m.name
        out += (header, m.compressed)
        directory.append(
            struct.pack(
                "<IHHHHHHIIIHHHHHII", 0x02014B50, 20, *fields, len(m.name), 0, 0, 0, 0, 0, offset
            )
            + m.name
        )
        offset += len(header) + len(m.compressed)
    central = b"".join(directory)
    end = struct.pack(
        "<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), len(central), offset, 0
    )
    return b"".join(out) + central + end
