"""What goes into the printed documents of an inspection: plain, frozen input data.

The types hold only printable values (text, aware date-times, dates, tuples, PNG
bytes), so any layer can fill them from its own records. Each checks on
construction what can be checked field by field — a naive time, a penalty
without its benchmark clause (R12), a non-compliant item without the finding
(R10), a QR code that names another inspection (R14) — and raises
:class:`~app.documents.errors.DocumentInputInvalid` with Chinese and English text.
Whether an on-site record is complete enough to be final (R1, R2, R3, R9) is
judged when it is printed (:func:`app.documents.onsite_record.record_problems`):
a draft is shown to the party before anyone signs.
"""

from app.documents.model.common import (AgencyLine, ItemResult, OfficerLine, Signature, SignerRole,
                                        SubjectLine)
from app.documents.model.outcome import (DEFAULT_REMEDY, DEFAULT_SUPERVISION_POINTS, InspectionNotice,
                                         NoticeItem, RectificationOrder, ResultItem, SupervisionCard,
                                         WrittenResult)
from app.documents.model.record import (BenchmarkDeviation, CardHandover, CertificateShown, DiscretionClause,
                                        FlexibleMeasure, ItemFinding, MinorHandling, NoPenaltyGround,
                                        OnsiteRecord, PenaltyProposal, RecusalAnswer, SignatureRefusal)

__all__ = [
    "AgencyLine", "BenchmarkDeviation", "CardHandover", "CertificateShown", "DEFAULT_REMEDY",
    "DEFAULT_SUPERVISION_POINTS", "DiscretionClause", "FlexibleMeasure", "InspectionNotice", "ItemFinding",
    "ItemResult", "MinorHandling", "NoPenaltyGround", "NoticeItem", "OfficerLine", "OnsiteRecord",
    "PenaltyProposal", "RectificationOrder", "RecusalAnswer", "ResultItem", "Signature", "SignatureRefusal",
    "SignerRole", "SubjectLine", "SupervisionCard", "WrittenResult",
]
