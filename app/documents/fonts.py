"""The fonts of every document, embedded as subsets: a Song/Ming face for all text, and
WenQuanYi Micro Hei for any character the Song face lacks.

GB/T 9704 sets titles in 小标宋 and the body in 仿宋; the freely licensed face that
comes nearest and that reportlab can embed is AR PL UMing CN (a Ming/Song face,
Arphic Public License, ``resources/fonts/uming-gb.ttf``, cut to GB 2312 and the
application's own characters: see ``UMING-NOTICE.txt``). A rare character in a
name or an address is set in the bundled WenQuanYi Micro Hei instead
(:func:`with_fallback`), so nothing prints as an empty box. reportlab embeds
TrueType fonts only (not CFF/OTF), subsetting the glyphs used, so every PDF
carries its own Chinese glyphs. No base-14 font (Helvetica…) is ever used: it
would not be embedded.
"""

from __future__ import annotations

import re
import threading

from app import paths

FONT_NAME = "ARPLUMingCN"  # every piece of text
FALLBACK_NAME = "WenQuanYiMicroHei"  # characters the Song face has no glyph for
# Chinese punctuation that must not begin a line (GB/T 15834). reportlab's list is
# Japanese and lacks the full-width comma, semicolon, colon, closing quotes…
CANNOT_START_LINE = "，；：？！、。）》〉」』】〕”’…"
_lock = threading.Lock()
_registered = False
_covered: frozenset[int] = frozenset()
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")


def register() -> str:
    """Register both fonts with reportlab once per process and return the main font's name.

    Parsing the fonts takes a noticeable moment, so it is done once; the lock makes
    the first call safe from a worker thread while another renders. Each face is
    registered as bold and italic too, so markup such as ``<b>`` can never fall
    back to a non-embedded base-14 font.
    """
    global _registered, _covered
    if _registered:
        return FONT_NAME
    with _lock:
        if not _registered:
            from reportlab.lib.fonts import addMapping
            from reportlab.pdfbase import pdfmetrics
            from reportlab.pdfbase.ttfonts import TTFont

            song = TTFont(FONT_NAME, str(paths.SONG_FONT_FILE))
            pdfmetrics.registerFont(song)
            pdfmetrics.registerFont(TTFont(FALLBACK_NAME, str(paths.FONT_FILE)))
            _covered = frozenset(song.face.charToGlyph)
            _forbid_line_start(CANNOT_START_LINE)
            for name in (FONT_NAME, FALLBACK_NAME):
                for bold in (0, 1):
                    for italic in (0, 1):
                        addMapping(name, bold, italic, name)
            _registered = True
    return FONT_NAME


def covered(char: str) -> bool:
    """True when the Song face has a glyph for ``char``."""
    register()
    return ord(char) in _covered


def with_fallback(markup: str) -> str:
    """Paragraph markup with every run of characters the Song face lacks set in the fallback face.

    Only non-ASCII characters are looked at, so tags and entities are never touched.
    """
    register()

    def wrap(match: re.Match[str]) -> str:
        out, run = [], []
        for ch in match.group(0):
            if ord(ch) in _covered:
                if run:
                    out.append(f'<font name="{FALLBACK_NAME}">{"".join(run)}</font>')
                    run = []
                out.append(ch)
            else:
                run.append(ch)
        if run:
            out.append(f'<font name="{FALLBACK_NAME}">{"".join(run)}</font>')
        return "".join(out)

    return _NON_ASCII.sub(wrap, markup)


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
