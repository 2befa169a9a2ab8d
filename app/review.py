"""The team leader's review of what officers captured, before it goes to HQ.

A decision — approve, return with a comment, approve as key evidence — is a
sealed record in the device's chain (``app.evidence.records``, kind
``review``), pointing at the item with ``derived_from``; the original is never
touched (R17). A row in ``review_decisions`` written in the same transaction
points at both. The latest row of an item is its review state. An item returned
stays on its officer's Today page until the officer answers it (also sealed,
decision ``answer``), which puts it back in the queue.

Only a team leader with a valid certificate may decide, and never on an item
they captured themselves (:class:`ReviewRefused`).
"""

from __future__ import annotations

from collections.abc import Generator, Iterable, Sequence
from dataclasses import dataclass

from app.access import Permission, acting, refuse
from app.domain import AwaitingGroup, EvidenceItem, Officer, ReviewDecision, ReviewDecisionKind
from app.evidence import errors
from app.evidence.locker import EvidenceLocker
from app.evidence.records import media_type_for, seal_record
from app.evidence.seal import AUDIT_ACTION as SEAL_AUDIT_ACTION
from app.gates.findings import LegalSource
from app.session import Session
from local_db.access_repository import ReviewDecisionRepository
from local_db.errors import UserFacingError
from local_db.onsite_repository import OnsiteRepository

RECORD_KIND = "review"
_REVIEW_MEDIA_TYPE = media_type_for(RECORD_KIND)
_LEADER_DECISIONS = (ReviewDecisionKind.APPROVE, ReviewDecisionKind.RETURN, ReviewDecisionKind.KEY)


class ReviewRefused(UserFacingError):
    """A review step the roles or the item's state do not allow; nothing but the refusal was written."""


# A team leader never reviews what he captured or imported: review is a second pair of eyes.
SELF_REVIEW = LegalSource("审核制度：带队/审核人员不得审核本人采集或导入的证据（DOMAIN.md 人员职责表）",
                          "the review rule: a team leader never reviews evidence he captured or imported")


@dataclass(frozen=True, slots=True)
class QueueEntry:
    """An item with its latest review decision (None: never reviewed)."""

    item: EvidenceItem
    latest: ReviewDecision | None = None

    @property
    def awaiting(self) -> bool:
        return self.latest is None or self.latest.decision is ReviewDecisionKind.ANSWER

    @property
    def returned(self) -> bool:
        return self.latest is not None and self.latest.decision is ReviewDecisionKind.RETURN


UNLINKED = ""  # the task filter's value for items not linked to a task


@dataclass(frozen=True, slots=True)
class QueueSummary:
    """The whole queue counted in one query: the total, the filters' choices and each
    filter's count, without loading an item."""

    groups: tuple[AwaitingGroup, ...]

    def count(self, *, inspection_id: str | None = None, officer_id: str | None = None) -> int:
        return sum(g.count for g in self.groups if _matches(g.inspection_id, g.officer_ids, inspection_id, officer_id))

    @property
    def inspections(self) -> list[str]:
        """The tasks with items awaiting review (UNLINKED for items without one)."""
        return sorted({g.inspection_id or UNLINKED for g in self.groups})

    @property
    def officers(self) -> list[str]:
        return sorted({o for g in self.groups for o in g.officer_ids})


def _matches(task: str | None, officers: tuple[str, ...], inspection_id: str | None, officer_id: str | None) -> bool:
    return ((inspection_id is None or (task or UNLINKED) == inspection_id)
            and (officer_id is None or officer_id in officers))


class ReviewService:
    """Review queue and decisions of one workspace's evidence locker."""

    def __init__(self, locker: EvidenceLocker) -> None:
        self.locker = locker
        self.ws = locker.ws
        self.decisions = ReviewDecisionRepository(self.ws.db)

    # --- reading -----------------------------------------------------------------

    def entries(self, *, inspection_id: str | None = None, officer_id: str | None = None) -> list[QueueEntry]:
        """Every reviewable item (originals and records, not review decisions), with its state.

        ``inspection_id`` and ``officer_id`` (who captured) narrow the list.
        """
        items = (self.locker.items.for_inspection(inspection_id) if inspection_id is not None
                 else self.locker.items.all())
        latest = self.decisions.latest()
        out = []
        for item in items:
            if item.media_type == _REVIEW_MEDIA_TYPE:
                continue
            if officer_id is not None and officer_id not in item.officer_ids:
                continue
            out.append(QueueEntry(item, latest.get(item.sha256)))
        out.sort(key=lambda e: (e.item.captured_at, e.item.sha256))
        return out

    def queue(self, *, inspection_id: str | None = None, officer_id: str | None = None) -> list[QueueEntry]:
        """Items awaiting review: never decided, or answered after a return (every page of
        :meth:`queue_page`)."""
        out: list[QueueEntry] = []
        while page := self.queue_page(after=out[-1] if out else None, inspection_id=inspection_id,
                                      officer_id=officer_id):
            out += page
        return out

    def queue_summary(self) -> QueueSummary:
        """The queue's size per task and collectors, in one query."""
        return QueueSummary(tuple(self.decisions.awaiting_groups(_REVIEW_MEDIA_TYPE)))

    def queue_page(self, *, after: QueueEntry | None = None, limit: int = 200, inspection_id: str | None = None,
                   officer_id: str | None = None) -> list[QueueEntry]:
        """The next ``limit`` items of the queue in capture order after ``after`` (keyset
        pagination: the cost of a page does not grow with the queue). ``inspection_id``
        UNLINKED keeps the items without a task."""
        key = None if after is None else (after.item.captured_at.isoformat(), after.item.sha256)
        rows = self.decisions.awaiting_page(
            _REVIEW_MEDIA_TYPE, after=key, limit=limit, officer_id=officer_id,
            unlinked=inspection_id == UNLINKED, inspection_id=inspection_id or None)
        return [QueueEntry(item, latest) for item, latest in rows]

    def returned_to(self, officer_id: str) -> list[QueueEntry]:
        """Items this officer captured that a team leader returned and that are not yet answered."""
        return [e for e in self.entries(officer_id=officer_id) if e.returned]

    def history(self, sha256: str) -> list[ReviewDecision]:
        return self.decisions.for_item(sha256)

    # --- deciding ------------------------------------------------------------------

    def decide(self, sha256: str, decision: ReviewDecisionKind | str, *, reviewer: Session,
               comment: str = "", finding_ref: str = "") -> ReviewDecision:
        """Seal a team leader's decision on one item and make it the item's review state.

        Refused (nothing written) for anyone but a team leader with a valid
        certificate, for an item the reviewer captured, a return without a
        comment, or a finding that is not a check item of the item's inspection.
        """
        decision = ReviewDecisionKind(decision)
        if decision not in _LEADER_DECISIONS:
            raise ValueError(f"not a team leader's decision: {decision}")
        item = self._item(sha256)
        # R1: the certificate must be valid for the agency whose inspection the item belongs to
        # (the leader's own agency only for items of no inspection).
        inspection = self.ws.inspections.get(item.inspection_id) if item.inspection_id else None
        leader = acting(self.ws, reviewer, Permission.REVIEW, item.sha256,
                        agency=inspection.agency_id if inspection is not None else None)
        if leader.id in item.officer_ids or leader.id in self.decisions.sealed_by(item.sha256, SEAL_AUDIT_ACTION):
            refuse(self.ws, leader.id, ReviewRefused(
                f"{leader.name}本人采集或导入了该证据，不能审核自己采集的证据；请由其他带队/审核人员审核。"
                f"依据：{SELF_REVIEW.zh}",
                f"{leader.id} captured or imported this item and cannot review it; another team leader must. "
                f"Source: {SELF_REVIEW.en}."), item.sha256, act="review.self", rule="self-review")
        if decision is ReviewDecisionKind.RETURN and not comment.strip():
            raise ReviewRefused("退回须写明原因，以便执法人员补正。", "A return needs a comment saying what to correct.")
        if finding_ref:
            self._check_finding(item, finding_ref)
        return self._seal(item, decision, leader, comment.strip(), finding_ref.strip(), reviewer)

    def decide_steps(self, shas: Sequence[str], decision: ReviewDecisionKind | str, *, reviewer: Session,
                     comment: str = "", finding_ref: str = ""
                     ) -> Generator[int, None, tuple[list[ReviewDecision], list[UserFacingError]]]:
        """:meth:`decide` for several items, each sealed on its own; yields how many are done.

        A refused item does not stop the others; the refusals are returned with the decisions.
        """
        made: list[ReviewDecision] = []
        refused: list[UserFacingError] = []
        for n, sha in enumerate(shas, 1):
            try:
                made.append(self.decide(sha, decision, reviewer=reviewer, comment=comment, finding_ref=finding_ref))
            except UserFacingError as exc:
                refused.append(exc)
            yield n
        return made, refused

    def answer(self, sha256: str, *, officer: Session, comment: str) -> ReviewDecision:
        """The capturing officer answers a return; the item goes back into the queue."""
        person = acting(self.ws, officer, Permission.CAPTURE, sha256)
        item = self._item(sha256)
        latest = self.decisions.latest([sha256]).get(sha256)
        if latest is None or latest.decision is not ReviewDecisionKind.RETURN:
            raise ReviewRefused("该证据没有被退回，无需答复。", "This item was not returned; there is nothing to answer.")
        if person.id not in item.officer_ids:
            raise ReviewRefused("只有采集该证据的执法人员可以答复退回意见。",
                                "Only an officer who captured the item may answer its return.")
        if not comment.strip():
            raise ReviewRefused("请写明补正情况。", "Say what was corrected.")
        return self._seal(item, ReviewDecisionKind.ANSWER, person, comment.strip(), "", officer)

    # --- internals ----------------------------------------------------------------------

    def _seal(self, item: EvidenceItem, decision: ReviewDecisionKind, person: Officer, comment: str,
              finding_ref: str, session: Session) -> ReviewDecision:
        at = self.ws.clock().replace(microsecond=0)
        previous = len(self.decisions.for_item(item.sha256))
        payload = {
            "item": item.sha256, "inspection": item.inspection_id, "decision": decision.value,
            "comment": comment, "finding": finding_ref, "by": person.id, "by_cert": person.cert_no,
            "at": at.isoformat(), "sequence": previous + 1,  # a repeated decision is a new record
        }

        def write_row(record: EvidenceItem) -> None:
            self.decisions.insert(inspection_id=item.inspection_id, item_sha256=item.sha256, decision=decision,
                                  reviewer=person.id, at=at, record_sha256=record.sha256, comment=comment,
                                  finding_ref=finding_ref)
            self.ws.audit.append(person.id, f"review.{decision.value}", item.sha256, record=record.sha256,
                                 inspection=item.inspection_id, comment=comment, finding=finding_ref)

        certs = [person.cert_no] if person.cert_no else list(item.officer_certs[:1])
        seal_record(self.locker, RECORD_KIND, payload, officer_certs=certs, session=session,
                    inspection_id=item.inspection_id, derived_from=item.sha256, then=write_row)
        return self.decisions.for_item(item.sha256)[-1]

    def _item(self, sha256: str) -> EvidenceItem:
        item = self.locker.items.get(sha256)
        if item is None:
            raise errors.UnknownEvidence(sha256)
        if item.media_type == _REVIEW_MEDIA_TYPE:
            raise ReviewRefused("审核决定本身不再审核。", "A review decision is not itself reviewed.")
        return item

    def _check_finding(self, item: EvidenceItem, finding_ref: str) -> None:
        codes: Iterable[str] = ()
        if item.inspection_id:
            record = OnsiteRepository(self.ws.db).get(item.inspection_id)
            codes = [r.item_code for r in record.results] if record else ()
        if finding_ref not in codes:
            raise ReviewRefused(f"“{finding_ref}”不是该证据所属检查的检查项，不能关联。",
                                f"“{finding_ref}” is not a check item of this item's inspection; it cannot be linked.")


def is_review_record(item: EvidenceItem) -> bool:
    """True for the sealed records of review decisions (never themselves in the queue)."""
    return item.media_type == _REVIEW_MEDIA_TYPE
