"""Reading compiled ``.mo`` catalogs, validated the way GNU ``msgunfmt`` validates them.

Every number in a .mo file is a claim the file makes about itself: the magic (either byte order),
the format revision, the message count, where the two string tables are and, per message, a length
and an offset. Each is checked against the file's real size before it is used, and every string
must end with the NUL gettext writes after it, so a truncated, overflowing or hand-made file is a
``CatalogError`` naming the file (never a ``struct.error`` and never "100% translated"). The file is
read through ``mmap`` and only the tables and strings asked for are touched, so a 2 GB sparse file
costs a few page reads before it is refused.
"""

from __future__ import annotations

import codecs
import mmap
import os
import re
import struct
from dataclasses import dataclass, field
from pathlib import Path

from transkit.errors import CatalogError
from transkit.files import open_for_reading

MAGIC_LE = b"\xde\x12\x04\x95"
MAGIC_BE = b"\x95\x04\x12\xde"
HEADER_SIZE = 28
# the largest .mo of WordPress core is ~1 MB; a file far past this is not a catalog we can use
MAX_MO_BYTES = 32 * 1024 * 1024
_CHARSET = re.compile(rb"charset\s*=\s*([A-Za-z0-9_.:-]+)", re.I)


@dataclass
class MoMessage:
    msgid: str
    translations: list[str]
    msgctxt: str | None = None
    msgid_plural: str | None = None


@dataclass
class MoCatalog:
    path: Path | None
    header: dict[str, str] = field(default_factory=dict)
    encoding: str = "utf-8"
    messages: list[MoMessage] = field(default_factory=list)  # the header entry not included

    @property
    def language(self) -> str:
        return self.header.get("Language", "")


@dataclass
class MoLayout:
    """What the file's fixed header says, checked against its size."""

    byte_order: str  # "<" or ">"
    count: int  # strings, the header entry included
    originals_at: int
    translations_at: int
    originals: list[bytes] = field(default_factory=list)


class _Reader:
    """The checks msgunfmt (GNU gettext's read-mo.c) makes, in its order, with every read bounded."""

    def __init__(self, data, path):
        self.data, self.path, self.size = data, path, len(data)
        self.order = "<"

    def fail(self, message: str):
        raise CatalogError(f"not a valid .mo file: {message}", self.path)

    def u32(self, offset: int) -> int:
        if offset + 4 > self.size:
            self.fail(f"truncated (a number at offset {offset} lies past the end, {self.size} bytes)")
        return struct.unpack_from(self.order + "I", self.data, offset)[0]

    def string(self, layout: "MoLayout", table: int, index: int) -> bytes:
        length, offset = self.u32(table + 8 * index), self.u32(table + 8 * index + 4)
        if offset + length + 1 > self.size:
            self.fail(f"string {index} (offset {offset}, length {length}) lies past the end of the file "
                      f"({self.size} bytes)")
        if self.data[offset + length] != 0:
            self.fail(f"string {index} at offset {offset} is not NUL-terminated")
        return bytes(self.data[offset:offset + length])

    def layout(self) -> "MoLayout":
        if self.size < HEADER_SIZE:
            self.fail(f"{self.size} bytes, shorter than the 28-byte .mo header (truncated?)")
        magic = bytes(self.data[:4])
        if magic == MAGIC_LE:
            self.order = "<"
        elif magic == MAGIC_BE:
            self.order = ">"
        else:
            self.fail("wrong magic number (is it a .mo file at all?)")
        revision, count, originals_at, translations_at, hash_size, hash_at = struct.unpack_from(
            self.order + "6I", self.data, 4)
        if revision >> 16 > 1:
            self.fail(f"format revision {revision >> 16}.{revision & 0xFFFF} is not supported")
        if count and (originals_at + 8 * count > self.size or translations_at + 8 * count > self.size):
            # 8 bytes per string: a count the file cannot hold is a lie, not a reason to read on
            self.fail(f"its string tables ({count} entries) lie past the end of the file ({self.size} bytes)")
        layout = MoLayout(self.order, count, originals_at, translations_at)
        originals = [self.string(layout, originals_at, i) for i in range(count)]
        keys = [original.split(b"\0", 1)[0] for original in originals]  # C strings stop at the NUL
        if any(keys[i] >= keys[i + 1] for i in range(count - 1)):
            self.fail("the messages are not sorted")
        if hash_size:
            self.hash_table(keys, hash_size, hash_at)
        for index in range(count):
            self.string(layout, translations_at, index)
        if revision & 0xFFFF >= 1:
            self.system_dependent()
        layout.originals = originals
        return layout

    def hash_table(self, keys: list[bytes], size: int, at: int) -> None:
        if size <= 2:
            self.fail(f"hash table size {size} is invalid")
        if at + 4 * size > self.size:
            self.fail(f"the hash table ({size} slots at offset {at}) lies past the end of the file")
        slots = struct.unpack_from(f"{self.order}{size}I", self.data, at)
        seen = set()
        for slot in slots:
            if slot:
                if slot > len(keys) or slot in seen:
                    self.fail("the hash table contains invalid entries")
                seen.add(slot)
        if len(seen) != len(keys):
            self.fail("some messages are not in the hash table")
        for index, key in enumerate(keys):
            value = hashpjw(key)
            slot, step = value % size, 1 + value % (size - 2)
            for _ in range(size):  # msgunfmt loops until found; a cycle here is a broken table
                found = slots[slot]
                if found == 0:
                    break
                if found == index + 1:
                    break
                slot = slot - (size - step) if slot >= size - step else slot + step
            if slots[slot] != index + 1:
                self.fail("some messages are at a wrong index in the hash table")

    def system_dependent(self) -> None:
        """Revision x.1 files may hold strings assembled from segments (<PRIu64>…): each segment
        must lie in the file and end in NUL, as must the last static part of each string."""
        segment_count, segments_at = self.u32(28), self.u32(32)
        string_count = self.u32(36)
        tables = (self.u32(40), self.u32(44))
        if tables[0] + 4 * string_count > self.size or tables[1] + 4 * string_count > self.size:
            self.fail("truncated (the system-dependent string table lies past the end)")
        for index in range(string_count):
            for table in tables:
                at = self.u32(table + 4 * index)
                static_at = self.u32(at)
                position = at + 4
                while True:
                    size, reference = self.u32(position), self.u32(position + 4)
                    position += 8
                    if static_at + size > self.size:
                        self.fail(f"truncated (system-dependent string {index} lies past the end)")
                    static_at += size
                    if reference == 0xFFFFFFFF:
                        if not (size > 0 and self.data[static_at - 1] == 0):
                            self.fail(f"system-dependent string {index} is not NUL-terminated")
                        break
                    if reference >= segment_count:
                        self.fail(f"system-dependent string {index} names segment {reference} of {segment_count}")
                    length = self.u32(segments_at + 8 * reference)
                    offset = self.u32(segments_at + 8 * reference + 4)
                    if offset + length > self.size:
                        self.fail(f"truncated (system-dependent segment {reference} lies past the end)")
                    if not (length > 0 and self.data[offset + length - 1] == 0):
                        self.fail(f"system-dependent segment {reference} is not NUL-terminated")


def hashpjw(key: bytes) -> int:
    """GNU gettext's hash of a C string (it stops at the first NUL: a plural key hashes its msgid)."""
    value = 0
    for byte in key:
        if byte == 0:
            break
        value = ((value << 4) + byte) & 0xFFFFFFFF
        high = value & 0xF0000000
        if high:
            value ^= high >> 24
            value ^= high
    return value


def _with_data(path: str | os.PathLike, use):
    path = Path(path)
    with open_for_reading(path) as handle:
        size = os.fstat(handle.fileno()).st_size
        if size > MAX_MO_BYTES:
            raise CatalogError(f"{size // (1024 * 1024)} MB is far too large for a .mo catalog; not read", path)
        if size == 0:
            return use(_Reader(b"", path))
        try:
            with mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data:
                return use(_Reader(data, path))
        except (OSError, ValueError) as exc:
            raise CatalogError(f"cannot read: {exc}", path) from None


def mo_message_count(path: str | os.PathLike) -> int:
    """How many translated messages the file holds (its header entry not counted), after every check
    msgunfmt makes, charset included: what ``scan`` shows for a .mo-only catalog."""
    return len(read_mo(path).messages)


def _encoding_of(header_bytes: bytes, path) -> str:
    match = _CHARSET.search(header_bytes)
    name = match.group(1).decode("ascii") if match else "utf-8"
    if name.upper() == "CHARSET":
        return "utf-8"
    try:
        return codecs.lookup(name).name
    except LookupError:
        raise CatalogError(f"not a valid .mo file: unknown charset {name!r} in its header", path) from None


def read_mo(path: str | os.PathLike) -> MoCatalog:
    """Every message of a .mo file, decoded with the charset its header declares."""

    def read(reader: _Reader) -> MoCatalog:
        layout = reader.layout()
        pairs = [(original, reader.string(layout, layout.translations_at, i))
                 for i, original in enumerate(layout.originals)]
        header_bytes = next((value for key, value in pairs if key == b""), b"")
        encoding = _encoding_of(header_bytes, reader.path)
        catalog = MoCatalog(reader.path, encoding=encoding)
        for index, (key, value) in enumerate(pairs):
            try:
                original, translation = key.decode(encoding), value.decode(encoding)
            except UnicodeDecodeError:
                reader.fail(f"string {index} is not valid {encoding}")
            if original == "":
                for line in translation.split("\n"):
                    name, sep, text = line.partition(":")
                    if sep and name.strip():
                        catalog.header[name.strip()] = text.strip()
                continue
            context, sep, msgid = original.partition("\x04")
            if not sep:
                context, msgid = None, original
            msgid, _, plural = msgid.partition("\x00")
            catalog.messages.append(MoMessage(msgid, translation.split("\x00"), context, plural or None))
        return catalog

    return _with_data(path, read)
