"""What a file holds, judged by its first bytes, and the running time of MP4/MOV video.

The content decides, never the file name: a body camera's ``.MP4`` that is really
garbage is refused, a ``.jpg`` that is really PNG is taken as PNG.
"""

from __future__ import annotations

import contextlib
import struct
from pathlib import Path
from typing import BinaryIO

SNIFF_BYTES = 64

_FTYP_BRANDS = {
    b"qt  ": "video/quicktime",
    b"M4A ": "audio/mp4",
    b"heic": "image/heic", b"heix": "image/heic", b"mif1": "image/heif", b"msf1": "image/heif",
    b"3gp4": "video/3gpp", b"3gp5": "video/3gpp", b"3gp6": "video/3gpp",
}


def sniff(head: bytes) -> str | None:
    """The media type of content starting with ``head``, or None when it is not media."""
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return "image/tiff"  # also DNG raw photos
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif"
    if head.startswith(b"BM") and len(head) >= 14:
        return "image/bmp"
    if head[:4] == b"RIFF" and len(head) >= 12:
        return {b"WEBP": "image/webp", b"AVI ": "video/x-msvideo", b"WAVE": "audio/wav"}.get(head[8:12])
    if len(head) >= 12 and head[4:8] == b"ftyp":
        return _FTYP_BRANDS.get(head[8:12], "video/mp4")
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return "video/x-matroska"
    if head.startswith(b"#!AMR"):
        return "audio/amr"
    if head.startswith(b"ID3") or head[:2] in (b"\xff\xfb", b"\xff\xf3", b"\xff\xf2"):
        return "audio/mpeg"
    if head.startswith(b"\x00\x00\x01\xba"):
        return "video/mpeg"
    return None


def is_timed(media_type: str) -> bool:
    return media_type.startswith(("video/", "audio/"))


def duration_ms(source: Path | BinaryIO, media_type: str) -> int | None:
    """Running time of an ISO base media (MP4/MOV/3GP) file, from its ``mvhd`` box.

    None for other formats and for a recording cut short before its index was
    written (a camera that lost power): such a file is still sealed as it is.
    Only box headers are read, by seeking; the file is not read through again.
    """
    if media_type not in ("video/mp4", "video/quicktime", "video/3gpp", "audio/mp4"):
        return None
    try:
        with (open(source, "rb") if isinstance(source, str | Path) else contextlib.nullcontext(source)) as fh:
            size = fh.seek(0, 2)
            moov = _find_box(fh, 0, size, b"moov")
            if moov is None:
                return None
            mvhd = _find_box(fh, moov[0], moov[1], b"mvhd")
            if mvhd is None:
                return None
            fh.seek(mvhd[0])
            version = fh.read(4)[0]
            if version == 1:
                timescale, duration = struct.unpack(">16xIQ", fh.read(28))
            else:
                timescale, duration = struct.unpack(">8xII", fh.read(16))
    except (OSError, struct.error, IndexError):
        return None
    if not timescale:
        return None
    return duration * 1000 // timescale


def _find_box(fh, start: int, end: int, kind: bytes) -> tuple[int, int] | None:  # type: ignore[no-untyped-def]
    """(payload start, payload end) of the first ``kind`` box between start and end."""
    pos = start
    while pos + 8 <= end:
        fh.seek(pos)
        header = fh.read(8)
        if len(header) < 8:
            return None
        size, box = struct.unpack(">I4s", header)
        header_len = 8
        if size == 1:
            size = struct.unpack(">Q", fh.read(8))[0]
            header_len = 16
        elif size == 0:
            size = end - pos
        if size < header_len:
            return None
        if box == kind:
            return pos + header_len, min(pos + size, end)
        pos += size
    return None
