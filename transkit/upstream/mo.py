"""GNU ``.mo`` files, written the way ``msgfmt`` writes them.

Rules followed (GNU gettext's write-mo.c): the header entry is kept even when fuzzy; other fuzzy
entries and entries whose first translation is empty are left out; a context is stored as
``msgctxt "\\x04" msgid``; a plural original is ``msgid "\\0" msgid_plural`` and its translation the
forms joined by NUL; originals are sorted by their bytes; a hash table (hashpjw, double hashing,
size = next prime after 4/3 of the string count) follows the two string tables unless disabled.
Strings are encoded in the charset the catalog's header declares, as msgfmt does not convert.
"""

from __future__ import annotations

import codecs
import dataclasses
import os
import re
import struct
from pathlib import Path
from typing import Iterable

from transkit.catalog import Catalog, Entry
from transkit.catalog.mofile import hashpjw
from transkit.catalog.pofile import CHARSET_NAME
from transkit.errors import UpstreamError
from transkit.files import atomic_write

MO_MAGIC = 0x950412DE
CONTEXT_SEPARATOR = "\x04"
PLURAL_SEPARATOR = "\x00"

_CHARSET = re.compile(CHARSET_NAME, re.IGNORECASE)  # the reader's rule: "\xffUTF-8" is no charset name


def catalog_charset(catalog: Catalog) -> str:
    """The Python codec for the charset in the catalog's Content-Type header (UTF-8 by default)."""
    match = _CHARSET.search(catalog.header.get("Content-Type", ""))
    if match is None:
        # no charset (or no charset name): msgfmt copies the bytes, so encode back with whatever the
        # file was read as
        return catalog.style.encoding or "utf-8"
    name = match.group(1)
    if name.upper() == "CHARSET":  # a template's placeholder
        return "utf-8"
    try:
        return codecs.lookup(name).name
    except LookupError:
        raise UpstreamError(f"{catalog.path or '<catalog>'}: unknown charset {name!r} in Content-Type") from None


def is_compiled(entry: Entry) -> bool:
    """Whether msgfmt puts this entry in the .mo: not obsolete, not fuzzy, first form not empty."""
    if entry.obsolete or entry.fuzzy:
        return False
    forms = entry.translations
    return bool(forms) and forms[0] != ""


def mo_original(entry: Entry) -> str:
    """The key under which an entry is stored in a .mo file."""
    key = entry.msgid
    if entry.msgctxt is not None:
        key = entry.msgctxt + CONTEXT_SEPARATOR + key
    if entry.is_plural:
        key = key + PLURAL_SEPARATOR + entry.msgid_plural
    return key


def mo_header(header_text: str) -> str:
    """The header as msgfmt (>= 0.20) stores it: without POT-Creation-Date, for reproducible builds."""
    lines = header_text.split("\n")
    return "\n".join(line for line in lines if not line.startswith("POT-Creation-Date:"))


def site_text(text: str, charset: str) -> str:
    """What a WordPress site shows for ``text`` from the .mo: msgfmt stores the bytes of the declared
    charset and WordPress reads them as UTF-8. A catalog whose charset lies (UTF-8 bytes declared
    ISO-8859-1, which msgfmt accepts) is thus right in the .mo, and must be right in the .l10n.php
    and JSON too; text that is not UTF-8 once encoded (an honest ISO-8859-1 catalog) stays as read."""
    if charset == "utf-8" or text.isascii():
        return text
    try:
        return text.encode(charset).decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return text


def as_site_reads(entries: Iterable[Entry], charset: str) -> list[Entry]:
    """Copies of ``entries`` with every string as ``site_text`` gives it (the same entries when the
    catalog is UTF-8): what .l10n.php and JSON are built from, so they say what the .mo says."""
    entries = list(entries)
    if charset == "utf-8":
        return entries
    def convert(value):
        return site_text(value, charset) if isinstance(value, str) else value

    return [dataclasses.replace(e, msgid=convert(e.msgid), msgstr=convert(e.msgstr),
                                msgid_plural=convert(e.msgid_plural), msgctxt=convert(e.msgctxt),
                                msgstr_plural={i: convert(v) for i, v in e.msgstr_plural.items()})
            for e in entries]


def mo_translation(entry: Entry) -> str:
    return PLURAL_SEPARATOR.join(entry.translations)


def compiled_pairs(catalog: Catalog, entries: Iterable[Entry] | None = None) -> list[tuple[str, str]]:
    """(original, translation) pairs as msgfmt would store them, header first when present.

    ``entries`` narrows the messages (e.g. to the ones an export allows); the header always comes
    from the catalog.
    """
    pairs: list[tuple[str, str]] = []
    header = catalog.header_entry
    if header is not None and header.msgstr:  # an empty header is "untranslated" to msgfmt too
        pairs.append(("", mo_header(header.msgstr)))
    chosen = catalog.entries if entries is None else entries
    for entry in chosen:
        if entry.is_header or not is_compiled(entry):
            continue
        pairs.append((mo_original(entry), mo_translation(entry)))
    return pairs


def build_mo(pairs: list[tuple[str, str]], encoding: str = "utf-8", hash_table: bool = True) -> bytes:
    """The bytes of a little-endian .mo file holding ``pairs`` (original, translation)."""
    encoded: dict[bytes, bytes] = {}
    for original, translation in pairs:
        try:
            key, value = original.encode(encoding), translation.encode(encoding)
        except UnicodeEncodeError as exc:
            raise UpstreamError(f"cannot encode {original[:40]!r} in {encoding}: {exc.reason}") from None
        encoded.setdefault(key, value)  # msgfmt refuses duplicates; the first one wins here
    originals = sorted(encoded)
    count = len(originals)
    hash_size = _hash_table_size(count) if hash_table else 0

    originals_table = 28
    translations_table = originals_table + 8 * count
    hash_offset = translations_table + 8 * count
    strings_offset = hash_offset + 4 * hash_size

    string_data = bytearray()
    original_descriptors: list[tuple[int, int]] = []
    translation_descriptors: list[tuple[int, int]] = []
    for key in originals:
        original_descriptors.append((len(key), strings_offset + len(string_data)))
        string_data += key + b"\0"
    for key in originals:
        value = encoded[key]
        translation_descriptors.append((len(value), strings_offset + len(string_data)))
        string_data += value + b"\0"

    out = bytearray(struct.pack("<7I", MO_MAGIC, 0, count, originals_table, translations_table,
                                hash_size, hash_offset))
    for length, offset in original_descriptors + translation_descriptors:
        out += struct.pack("<2I", length, offset)
    if hash_size:
        out += struct.pack(f"<{hash_size}I", *_hash_table(originals, hash_size))
    out += string_data
    return bytes(out)


def compile_mo(catalog: Catalog, entries: Iterable[Entry] | None = None, hash_table: bool = True) -> bytes:
    """The .mo bytes for a catalog (optionally only for ``entries``)."""
    return build_mo(compiled_pairs(catalog, entries), catalog_charset(catalog), hash_table)


def write_mo(catalog: Catalog, path: str | os.PathLike, entries: Iterable[Entry] | None = None,
             hash_table: bool = True) -> Path:
    return write_atomically(Path(path), compile_mo(catalog, entries, hash_table))


def write_atomically(path: Path, data: bytes) -> Path:
    """transkit.files.atomic_write, failing as an UpstreamError (compile/export)."""
    return atomic_write(Path(path), data, UpstreamError)


# -- the hash table, as GNU gettext builds it (so its own lookup code can use it) ----------------

def _is_prime(candidate: int) -> bool:
    # gettext's own test (odd candidates only); it calls 3 composite, and so must we to match its sizes
    divisor, square = 3, 9
    while square < candidate and candidate % divisor != 0:
        divisor += 1
        square += 4 * divisor
        divisor += 1
    return candidate % divisor != 0


def _next_prime(seed: int) -> int:
    seed |= 1
    while not _is_prime(seed):
        seed += 2
    return seed


def _hash_table_size(count: int) -> int:
    size = _next_prime((count * 4) // 3)
    return size if size > 2 else 3


def _hash_table(originals: list[bytes], size: int) -> list[int]:
    table = [0] * size
    for index, key in enumerate(originals):
        hash_value = hashpjw(key)
        slot = hash_value % size
        if table[slot]:
            step = 1 + hash_value % (size - 2)
            while table[slot]:
                slot = slot - (size - step) if slot >= size - step else slot + step
        table[slot] = index + 1
    return table
