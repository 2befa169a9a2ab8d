"""The one font of every document: the bundled WenQuanYi Micro Hei, embedded as a subset.

reportlab embeds TrueType fonts only (not CFF/OTF), subsetting the glyphs used, so
every PDF carries its own Chinese glyphs and prints the same on any machine. No
base-14 font (Helvetica…) is ever used: it would not be embedded.
"""

from __future__ import annotations

import threading

from app import paths

FONT_NAME = "WenQuanYiMicroHei"
# Chinese punctuation that must not begin a line (GB/T 15834). reportlab's list is
# Japanese and lacks the full-width comma, semicolon, colon, closing quotes…
CANNOT_START_LINE = "，；：？！、。）》〉」』】〕”’…"
_lock = threading.Lock()
_registered = False


def register() -> str:
    """Register the font with reportlab once per process and return its name.

    Parsing the 4.6 MB font takes a noticeable moment, so it is done once; the
    lock makes the first call safe from a worker thread while another renders.
    The same face is registered as bold and italic too, so markup such as ``<b>``
    can never fall back to a non-embedded base-14 font.
    """
    global _registered
    if _registered:
        return FONT_NAME
    with _lock:
        if not _registered:
            from reportlab.lib.fonts import addMapping
            from reportlab.pdfbase import pdfmetrics
            from reportlab.pdfbase.ttfonts import TTFont

            pdfmetrics.registerFont(TTFont(FONT_NAME, str(paths.FONT_FILE)))
            _forbid_line_start(CANNOT_START_LINE)
            for bold in (0, 1):
                for italic in (0, 1):
                    addMapping(FONT_NAME, bold, italic, FONT_NAME)
            _registered = True
    return FONT_NAME


def _forbid_line_start(chars: str) -> None:
    """Add ``chars`` to the characters reportlab's CJK line breaking will not put first on a line.

    reportlab reads the list from module globals; a character kept off the next
    line hangs by at most one em, which the cell styles leave room for.
    """
    from reportlab.lib import textsplit
    from reportlab.platypus import paragraph

    extra = "".join(c for c in chars if c not in textsplit.ALL_CANNOT_START)
    textsplit.ALL_CANNOT_START += extra
    paragraph.ALL_CANNOT_START = textsplit.ALL_CANNOT_START
