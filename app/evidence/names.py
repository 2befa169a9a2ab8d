"""File names from outside: kept exactly, shown safely.

A name read from a disk written by a Chinese Windows PC is often GBK, not UTF-8;
Python hands it over with each byte that is not UTF-8 as a lone surrogate
(``surrogateescape``), which the database and the seal record (UTF-8 JSON) cannot
hold. Such a name is sealed under its display form, each such byte as ``\\xNN``, and
its exact bytes are kept in the seal's source detail as ``;name-hex=<hex>``
(docs/FORMATS.md), so a reader can rebuild the name byte for byte.

Control characters and the bidirectional controls (which can make ``gpj.exe``
display as ``exe.jpg``) are shown as ``\\uXXXX`` wherever a name is printed.
"""

from __future__ import annotations

import os
import unicodedata

NAME_HEX = ";name-hex="
_BIDI = {"\u061c", "\u200e", "\u200f", *map(chr, range(0x202A, 0x202F)), *map(chr, range(0x2066, 0x206A))}


def raw_bytes(name: str) -> bytes:
    """The bytes of ``name`` as the file system gave them."""
    return os.fsencode(name) if os.name != "nt" else name.encode("utf-8", "surrogatepass")


def is_exact_text(name: str) -> bool:
    """True when ``name`` is valid Unicode text (no byte that was not UTF-8)."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def stored_name(name: str) -> str:
    """The name as sealed: itself when it is text, else its bytes with the non-UTF-8 ones as ``\\xNN``."""
    if is_exact_text(name):
        return name
    return raw_bytes(name).decode("utf-8", "backslashreplace")


def name_hex(name: str) -> str:
    """``;name-hex=…`` for a name that is not text (to append to the source detail), else ``""``."""
    return "" if is_exact_text(name) else NAME_HEX + raw_bytes(name).hex()


def display(text: str | os.PathLike) -> str:
    """``text`` safe to print: non-UTF-8 bytes as ``\\xNN``, control and bidi characters as ``\\uXXXX``."""
    text = os.fspath(text)
    if not isinstance(text, str):
        text = os.fsdecode(text)
    if not is_exact_text(text):
        text = raw_bytes(text).decode("utf-8", "backslashreplace")
    return "".join(f"\\u{ord(c):04x}" if c in _BIDI or (unicodedata.category(c) == "Cc" and c != " ") else c
                   for c in text)
