"""Pages and files: A4 page template with the running header, "第 x 页 共 y 页" and the
draft mark; building a story into a PDF; writing it atomically or to bytes.
"""

from __future__ import annotations

import contextlib
import io
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate

from app.atomic_files import fsync_dir
from app.documents import fonts
from app.documents.errors import DocumentWriteFailed

if TYPE_CHECKING:
    from app.crypto import MasterKey
from app.documents.layout import CONTENT_WIDTH, MARGIN_BOTTOM, MARGIN_TOP, MARGIN_X, PAGE_HEIGHT, PAGE_WIDTH

_TOTAL_FORM = "fieldinspect_total_pages"

Progress = Callable[[int], None]


class _PagedCanvas(Canvas):
    """Writes "共 y 页" once, as a form every page refers to, when the last page is known."""

    def save(self) -> None:
        if self._code:
            self.showPage()
        total = self.getPageNumber() - 1
        self.beginForm(_TOTAL_FORM, 0, -4, 60, 14)
        self.setFont(fonts.FONT_NAME, 9)
        self.drawString(0, 0, f"共 {total} 页")
        self.endForm()
        super().save()


@dataclass(frozen=True, slots=True)
class PageSignature:
    """What a record (笔录) carries at the foot of every page: the party's signature, or the refusal.

    笔录 practice: the party signs each page, so no page can be swapped; when it
    refuses, the refusal is noted on each page. ``png`` is the captured signature
    (None: a line to sign by hand); ``note`` replaces the signature when it refused.
    """

    caption: str = "当事人签名"
    png: bytes | None = None
    note: str = ""


SIGNATURE_STRIP = 14 * mm  # the strip above the page line that holds the per-page signature


class DocumentTemplate(BaseDocTemplate):
    """A4, one frame, a running header from page 2, the page line, optional draft mark and
    per-page signature strip."""

    def __init__(self, out: BinaryIO, *, title: str, document_no: str = "", draft: bool = False,
                 progress: Progress | None = None, running_header: bool = True,
                 page_signature: PageSignature | None = None, draft_mark: str = "草稿") -> None:
        font = fonts.register()
        bottom = MARGIN_BOTTOM + (SIGNATURE_STRIP if page_signature else 0)
        super().__init__(out, pagesize=A4, leftMargin=MARGIN_X, rightMargin=MARGIN_X, topMargin=MARGIN_TOP,
                         bottomMargin=bottom, title=title, author="", subject=document_no,
                         creator="FieldInspect", initialFontName=font, initialFontSize=10.5,
                         pageCompression=1, invariant=1)
        self.doc_title, self.document_no, self.draft, self.progress = title, document_no, draft, progress
        self.running_header, self.page_signature, self.draft_mark = running_header, page_signature, draft_mark
        frame = Frame(MARGIN_X, bottom, CONTENT_WIDTH, PAGE_HEIGHT - MARGIN_TOP - bottom,
                      id="body", leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        self.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=self._decorate,
                                            onPageEnd=self._page_done)])

    def _decorate(self, canv: Canvas, _doc: BaseDocTemplate) -> None:
        canv.saveState()
        page = canv.getPageNumber()
        canv.setFont(fonts.FONT_NAME, 9)
        # "第 x 页" ends at the centre line, "共 y 页" (a form filled in at the end) starts there.
        y = MARGIN_BOTTOM - 11 * mm
        canv.drawRightString(PAGE_WIDTH / 2 - 2, y, f"第 {page} 页")
        canv.translate(PAGE_WIDTH / 2 + 2, y)
        canv.doForm(_TOTAL_FORM)
        canv.restoreState()
        if page > 1 and self.running_header:
            canv.saveState()
            canv.setFont(fonts.FONT_NAME, 8)
            canv.setFillColor(colors.HexColor("#555555"))
            top = PAGE_HEIGHT - MARGIN_TOP + 5 * mm
            canv.drawString(MARGIN_X, top, f"{self.doc_title}（续）")
            canv.drawRightString(PAGE_WIDTH - MARGIN_X, top, self.document_no or "草稿")
            canv.setStrokeColor(colors.HexColor("#999999"))
            canv.setLineWidth(0.4)
            canv.line(MARGIN_X, top - 2 * mm, PAGE_WIDTH - MARGIN_X, top - 2 * mm)
            canv.restoreState()
        if self.draft:
            canv.saveState()
            canv.setFont(fonts.FONT_NAME, 72)
            canv.setFillColor(colors.Color(0.6, 0.6, 0.6, alpha=0.25))
            canv.translate(PAGE_WIDTH / 2, PAGE_HEIGHT / 2)
            canv.rotate(35)
            canv.drawCentredString(0, 0, self.draft_mark)
            canv.restoreState()
        if self.page_signature is not None:
            self._sign_strip(canv, self.page_signature)

    @staticmethod
    def _sign_strip(canv: Canvas, sign: PageSignature) -> None:
        """The party's signature (or its refusal) at the foot of the page, above the page line."""
        canv.saveState()
        y = MARGIN_BOTTOM + 2 * mm
        canv.setStrokeColor(colors.HexColor("#999999"))
        canv.setLineWidth(0.4)
        canv.line(MARGIN_X, MARGIN_BOTTOM + SIGNATURE_STRIP - 1 * mm, PAGE_WIDTH - MARGIN_X,
                  MARGIN_BOTTOM + SIGNATURE_STRIP - 1 * mm)
        canv.setFont(fonts.FONT_NAME, 10.5)
        canv.drawString(MARGIN_X, y, f"{sign.caption}：")
        x = MARGIN_X + canv.stringWidth(f"{sign.caption}：", fonts.FONT_NAME, 10.5) + 2 * mm
        if sign.note:
            canv.setFont(fonts.FONT_NAME, 9)
            canv.drawString(x, y, sign.note)
        elif sign.png:
            from reportlab.lib.utils import ImageReader
            image = ImageReader(io.BytesIO(sign.png))
            width, height = image.getSize()
            scale = min(40 * mm / width, 10 * mm / height)
            canv.drawImage(image, x, y - 1.5 * mm, width * scale, height * scale, mask="auto")
        else:
            canv.line(x, y - 1, x + 50 * mm, y - 1)
        if not sign.note:  # a refusal note takes the whole line
            canv.setFont(fonts.FONT_NAME, 10.5)
            canv.drawRightString(PAGE_WIDTH - MARGIN_X, y, "（当事人逐页签名或注明拒签）")
        canv.restoreState()

    def _page_done(self, canv: Canvas, _doc: BaseDocTemplate) -> None:
        if self.progress is not None:
            self.progress(canv.getPageNumber())


def build(out: BinaryIO, story: list[Flowable], *, title: str, document_no: str = "", draft: bool = False,
          progress: Progress | None = None, running_header: bool = True,
          page_signature: PageSignature | None = None, draft_mark: str = "草稿", numbered: bool = True) -> None:
    """Lay ``story`` out on A4 pages into ``out``; ``progress(page)`` is called as each page is done.

    A numbered kind of document with no number has not been issued: it carries the draft mark.
    """
    doc = DocumentTemplate(out, title=title, document_no=document_no, draft=draft or (numbered and not document_no),
                           progress=progress, running_header=running_header, page_signature=page_signature,
                           draft_mark=draft_mark)
    doc.build(story, canvasmaker=_PagedCanvas)


def write_atomic(dest: Path, produce: Callable[[BinaryIO], None], *, master: MasterKey | None = None) -> Path:
    """Write a file by ``produce(fh)`` under a temporary name in the same folder, fsync, rename.

    The destination appears only complete; on any failure nothing is left behind
    and an existing file of that name is unchanged. With ``master`` the file is
    written encrypted (``FIE1``): every document kept in a data folder is, since it
    names the party and the findings; the PDF is laid out in memory first (a few
    hundred KiB at most).
    """
    dest = Path(dest)
    folder = dest.parent
    if master is not None:
        from app.crypto.filecrypt import write_encrypted

        try:
            write_encrypted(dest, to_bytes(produce), master, mode=0o600)
        except OSError as exc:
            raise _write_failed(dest, exc) from None
        return dest
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise _write_failed(dest, exc) from None
    try:
        with os.fdopen(fd, "wb") as fh:
            produce(fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, dest)
        fsync_dir(folder)
    except OSError as exc:
        raise _write_failed(dest, exc) from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
    return dest


def _write_failed(dest: Path, exc: OSError) -> DocumentWriteFailed:
    import errno

    return DocumentWriteFailed(dest, exc.strerror or str(exc),
                               disk_full=exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)),
                               read_only=exc.errno == errno.EROFS)


def to_bytes(produce: Callable[[BinaryIO], None]) -> bytes:
    """The PDF in memory, for a preview."""
    buffer = io.BytesIO()
    produce(buffer)
    return buffer.getvalue()
