"""文号: the numbers an agency gives its documents, 机关代字〔年份〕序号号.

Each agency numbers each document type on its own counter, which starts again at 1
every year (the year of issue, China time). A number is given once, when a document
is issued final, and is kept with the document's key: printing the document again
shows the number it got, and no other document ever gets it (``document_numbers``
is append-only, migration 0014). A draft gets no number; it is printed 草稿.

The 代字 come from the reference data (``agencies[].doc_code`` and
``agencies[].doc_type_codes``, docs/FORMATS.md "Document numbers"); an agency that
names none is numbered with its full name and the default type codes below.
Nothing here needs reportlab.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from app.clock import CHINA_TZ
from local_db.database import IntegrityError, transaction
from local_db.errors import UserFacingError

if TYPE_CHECKING:
    from app.domain import Agency
    from app.session import Session
    from app.workspace import Workspace

# The numbered document types and the 代字 each gets when the reference data names none.
DEFAULT_TYPE_CODES: dict[str, str] = {
    "notice": "检通",            # 行政检查通知书
    "record": "检笔",            # 现场检查笔录
    "result": "检告",            # 检查结果告知书
    "order": "责改",             # 责令（限期）改正通知书
    "card": "监卡",              # 行政执法案件监督卡
    "inventory": "登记",         # 财物登记清单
    "demolition_record": "拆笔",  # 强制拆除现场笔录
    "handover": "移交",          # 财物移交清单
}
DOC_TYPES = tuple(DEFAULT_TYPE_CODES)
DRAFT_MARK = "草稿"


@dataclass(frozen=True, slots=True)
class IssuedNumber:
    """A number as given: which document, on which counter, the printed text, when and by whom."""

    document: str
    agency_id: str
    doc_type: str
    year: int
    seq: int
    number: str
    issued_at: datetime
    issued_by: str


def format_number(agency: Agency, doc_type: str, year: int, seq: int) -> str:
    """``清西综执检〔2026〕15号``: 机关代字 + type 代字, the year in 〔〕, the sequence number, 号."""
    codes = dict(agency.doc_type_codes)
    type_code = codes.get(doc_type, DEFAULT_TYPE_CODES[doc_type])
    return f"{agency.doc_code or agency.name}{type_code}〔{year}〕{seq}号"


class DocumentNumbers:
    """Gives and reads the 文号 of one workspace's documents."""

    def __init__(self, ws: Workspace) -> None:
        self.ws = ws

    def get(self, document: str) -> IssuedNumber | None:
        """The number ``document`` was given, or None while it has none (never issued final)."""
        row = self.ws.db.execute(
            "SELECT document, agency_id, doc_type, year, seq, number, issued_at, issued_by"
            " FROM document_numbers WHERE document = ?", [document]).fetchone()
        return _issued(row) if row else None

    def all(self) -> list[IssuedNumber]:
        """Every number given, in the order given."""
        rows = self.ws.db.execute("SELECT document, agency_id, doc_type, year, seq, number, issued_at, issued_by"
                                  " FROM document_numbers ORDER BY issued_at, rowid").fetchall()
        return [_issued(r) for r in rows]

    def issue(self, document: str, agency_id: str, doc_type: str, *, session: Session | None) -> IssuedNumber:
        """The number of ``document``: the one it already has, else the next of its counter, audited.

        The counter is the agency's, the type's and this year's (China time). The row
        and the audit entry are written in one transaction, so a number is either
        given and audited or not given at all. A document goes out under an officer's
        name: it is issued by the person ``session`` signed in, an officer or team
        leader whose certificate is valid for the agency (R1); anyone else, and nobody,
        is refused and audited. A number already given is read back for anyone.
        """
        from app.access import Permission, acting  # app.access reads the reference data this module serves

        if doc_type not in DEFAULT_TYPE_CODES:
            raise ValueError(f"unknown document type {doc_type!r}")
        existing = self.get(document)
        if existing is not None:
            return existing
        actor = acting(self.ws, session, Permission.SIGN_AS_OFFICER, document, agency=agency_id).id
        agency = self.ws.agencies.get(agency_id)
        if agency is None:
            raise KeyError(agency_id)
        now = self.ws.clock().astimezone(CHINA_TZ).replace(microsecond=0)
        with transaction(self.ws.db):
            existing = self.get(document)  # another thread may have issued it meanwhile
            if existing is not None:
                return existing
            last = self.ws.db.execute(
                "SELECT COALESCE(MAX(seq), 0) FROM document_numbers WHERE agency_id = ? AND doc_type = ? AND year = ?",
                [agency_id, doc_type, now.year]).fetchone()[0]
            seq = int(last) + 1
            number = format_number(agency, doc_type, now.year, seq)
            try:
                self.ws.db.execute(
                    "INSERT INTO document_numbers (document, agency_id, doc_type, year, seq, number, issued_at,"
                    " issued_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    [document, agency_id, doc_type, now.year, seq, number, now.isoformat(), actor])
            except IntegrityError as exc:  # the formatted text of another counter: 代字 that collide
                raise DocumentNumberTaken(number) from exc
            self.ws.audit.append(actor, "document.number_issued", document, number=number, doc_type=doc_type,
                                 agency=agency_id, year=now.year, seq=seq)
        return IssuedNumber(document, agency_id, doc_type, now.year, seq, number, now, actor)


class DocumentNumberTaken(UserFacingError):
    """Two types' 代字 give the same text: the reference data must tell them apart."""

    def __init__(self, number: str) -> None:
        super().__init__(f"文号 {number} 已被另一类文书使用，请检查基础数据中的机关代字与文书类型代字。",
                         f"The number {number} is already used by another document type; the agency's codes in "
                         "the reference data must tell the types apart.")


def _issued(row: tuple) -> IssuedNumber:
    return IssuedNumber(document=row[0], agency_id=row[1], doc_type=row[2], year=int(row[3]), seq=int(row[4]),
                        number=row[5], issued_at=datetime.fromisoformat(row[6]), issued_by=row[7])
