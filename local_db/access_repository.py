"""Repositories for review decisions (migration 0007; PINs moved to the key custody, migration 0012)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from app.domain import ReviewDecision, ReviewDecisionKind
from local_db.repositories import Repository


def _decision(r: dict) -> ReviewDecision:
    return ReviewDecision(
        id=r["id"], inspection_id=r["inspection_id"], item_sha256=r["item_sha256"],
        decision=ReviewDecisionKind(r["decision"]), reviewer=r["reviewer"],
        at=datetime.fromisoformat(r["at"]), record_sha256=r["record_sha256"],
        comment=r["comment"], finding_ref=r["finding_ref"],
    )


class ReviewDecisionRepository(Repository):
    def insert(self, *, inspection_id: str | None, item_sha256: str, decision: ReviewDecisionKind,
               reviewer: str, at: datetime, record_sha256: str, comment: str = "",
               finding_ref: str = "") -> None:
        self._insert_all("review_decisions", [{
            "inspection_id": inspection_id, "item_sha256": item_sha256, "decision": decision.value,
            "comment": comment, "finding_ref": finding_ref, "reviewer": reviewer,
            "at": at.isoformat(), "record_sha256": record_sha256,
        }])

    def for_item(self, sha256: str) -> list[ReviewDecision]:
        return [_decision(r) for r in self._rows(
            "SELECT * FROM review_decisions WHERE item_sha256 = ? ORDER BY id", [sha256])]

    def latest(self, shas: Iterable[str] | None = None) -> dict[str, ReviewDecision]:
        """The latest decision of every item that has one (of ``shas`` when given)."""
        rows = self._rows(
            "SELECT d.* FROM review_decisions d JOIN (SELECT item_sha256, MAX(id) AS id "
            "FROM review_decisions GROUP BY item_sha256) last ON last.id = d.id")
        wanted = set(shas) if shas is not None else None
        return {r["item_sha256"]: _decision(r) for r in rows if wanted is None or r["item_sha256"] in wanted}

    def sealed_by(self, sha256: str, action: str) -> set[str]:
        """Who sealed an item, from the audit log: the person at the device, who may differ
        from the certificates the item was sealed under."""
        return {r["actor"] for r in self._rows(
            "SELECT actor FROM audit_log WHERE target = ? AND action = ?", [sha256, action])}

    def record_shas(self) -> set[str]:
        """The sealed records that are review decisions (they are never themselves reviewed)."""
        return {r["record_sha256"] for r in self._rows("SELECT record_sha256 FROM review_decisions")}

