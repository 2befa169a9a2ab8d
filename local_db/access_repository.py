"""Repositories for review decisions (migration 0007; PINs moved to the key custody, migration 0012)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime

from app.domain import AwaitingGroup, EvidenceItem, ReviewDecision, ReviewDecisionKind
from local_db.evidence_repository import SELECT_ITEM, evidence_item
from local_db.repositories import Repository

# An item awaits review when it has no decision yet or its latest one is an officer's
# answer to a return. The latest decision is found through review_decisions_item.
_LATEST_ID = ("(SELECT r.id FROM review_decisions r WHERE r.item_sha256 = e.sha256 "
              "ORDER BY r.id DESC LIMIT 1)")
_AWAITING = (f" e.media_type != ? AND COALESCE((SELECT d.decision FROM review_decisions d "
             f"WHERE d.id = {_LATEST_ID}), 'answer') = 'answer'")


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

    def awaiting_groups(self, exclude_media_type: str) -> list[AwaitingGroup]:
        """The queue in one pass: counts per (task, collectors); totals and filters come from these."""

        # Every reviewable item (read from the covering index evidence_queue_groups) less the
        # decided ones whose latest decision is not an answer: the second part grows with the
        # decisions, not with the items.
        return [AwaitingGroup(r["inspection_id"], tuple(json.loads(r["officer_ids"])), r["n"]) for r in self._rows(
            "SELECT inspection_id, officer_ids, SUM(n) AS n FROM ("
            " SELECT inspection_id, officer_ids, COUNT(*) AS n FROM evidence WHERE media_type != ?"
            " GROUP BY inspection_id, officer_ids"
            " UNION ALL"
            " SELECT e.inspection_id, e.officer_ids, -COUNT(*) AS n FROM (SELECT MAX(id) AS id FROM review_decisions"
            " GROUP BY item_sha256) last JOIN review_decisions d ON d.id = last.id"
            " JOIN evidence e ON e.sha256 = d.item_sha256"
            " WHERE d.decision != 'answer' AND e.media_type != ? GROUP BY e.inspection_id, e.officer_ids"
            ") GROUP BY inspection_id, officer_ids HAVING SUM(n) > 0", [exclude_media_type, exclude_media_type])]

    def awaiting_page(self, exclude_media_type: str, *, after: tuple[str, str] | None, limit: int,
                      inspection_id: str | None = None, unlinked: bool = False,
                      officer_id: str | None = None) -> list[tuple[EvidenceItem, ReviewDecision | None]]:
        """Up to ``limit`` items awaiting review in capture order, after the key ``after``
        (captured_at as stored, sha256), with their latest decision."""
        where, params = _AWAITING, [exclude_media_type]
        if after is not None:
            where += " AND (e.captured_at, e.sha256) > (?, ?)"
            params += list(after)
        if unlinked:
            where += " AND e.inspection_id IS NULL"
        elif inspection_id is not None:
            where += " AND e.inspection_id = ?"
            params.append(inspection_id)
        if officer_id is not None:
            where += " AND EXISTS (SELECT 1 FROM json_each(e.officer_ids) WHERE value = ?)"
            params.append(officer_id)
        rows = list(self._rows(
            SELECT_ITEM.replace(" FROM ", f", {_LATEST_ID} AS latest_id FROM ", 1) + " WHERE" + where
            + " ORDER BY e.captured_at, e.sha256 LIMIT ?", [*params, limit]))
        ids = [r["latest_id"] for r in rows if r["latest_id"] is not None]
        latest = {d.id: d for d in self._decisions_by_id(ids)}
        return [(evidence_item(r), latest.get(r["latest_id"])) for r in rows]

    def _decisions_by_id(self, ids: list[int]) -> list[ReviewDecision]:
        if not ids:
            return []
        marks = ",".join("?" * len(ids))
        return [_decision(r) for r in self._rows(f"SELECT * FROM review_decisions WHERE id IN ({marks})", ids)]

    def sealed_by(self, sha256: str, action: str) -> set[str]:
        """Who sealed an item, from the audit log: the person at the device, who may differ
        from the certificates the item was sealed under."""
        return {r["actor"] for r in self._rows(
            "SELECT actor FROM audit_log WHERE target = ? AND action = ?", [sha256, action])}

    def record_shas(self) -> set[str]:
        """The sealed records that are review decisions (they are never themselves reviewed)."""
        return {r["record_sha256"] for r in self._rows("SELECT record_sha256 FROM review_decisions")}

