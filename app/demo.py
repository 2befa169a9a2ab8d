"""The demo data set: a district enforcement bureau with its roster, subjects,
plans, pre-notices, calendar and a fortnight of inspection tasks.

The files in resources/ are written around an anchor day. Seeding moves the
operational dates (certificate expiries, plan filing, pre-notices, tasks) by the
number of days between the anchor and today, so a newcomer always sees tasks for
today, a notice period still running, a certificate that has expired and so on.
The holiday calendar is official data and is never moved.
"""

from __future__ import annotations

import copy
import json
from datetime import date, datetime, timedelta
from pathlib import Path

from app import paths, reference
from app.demolition.specimen import seed_cases as seed_demolition_cases
from app.domain import Inspection, InspectionSource, InspectionStatus
from app.workspace import Workspace
from local_db.database import transaction

TASKS_FORMAT = "fieldinspect.demo-tasks/1"
PINS_FORMAT = "fieldinspect.demo-pins/2"


def _shift_day(text: str | None, days: int) -> str | None:
    return (date.fromisoformat(text) + timedelta(days=days)).isoformat() if text else text


def _shift_moment(text: str, days: int) -> str:
    return (datetime.fromisoformat(text) + timedelta(days=days)).isoformat()


def shifted_reference(document: dict, days: int) -> dict:
    """A copy of the demo reference document with its operational dates moved."""
    doc = copy.deepcopy(document)
    for o in doc["officers"]:
        o["cert_expiry"] = _shift_day(o.get("cert_expiry"), days)
    for p in doc["plans"]:
        p["filing_date"] = _shift_day(p.get("filing_date"), days)
    for n in doc["pre_notices"]:
        n["published_on"] = _shift_day(n["published_on"], days)
        n["scheduled_at"] = _shift_moment(n["scheduled_at"], days)
    return doc


def seed_pins(ws: Workspace, pins_file: Path = paths.DEMO_PINS) -> None:
    """The demo PINs (README.md): each person gets a copy of the master key under theirs; audited."""
    from app.access import seed_pin

    document = json.loads(Path(pins_file).read_text("utf-8"))
    if document.get("format") != PINS_FORMAT:
        raise reference.ReferenceDataError(str(pins_file), "演示 PIN 格式不符", "unexpected demo PIN format")
    for person_id, pin in document["pins"].items():
        seed_pin(ws, person_id, pin, demo=True)


def seed(ws: Workspace, *, reference_file: Path = paths.DEMO_REFERENCE,
         tasks_file: Path = paths.DEMO_INSPECTIONS, media: bool = False) -> bool:
    """Load the demo set into an empty workspace. Returns False when it already holds data.

    With ``media`` a few drawn photos and a short video are sealed for closed demo
    inspections (app/evidence/demo_media.py). It is off by default because it
    starts the device's seal chain, which a workspace for tests must not have.
    """
    if ws.has_reference_data():
        return False
    tasks = json.loads(Path(tasks_file).read_text("utf-8"))
    if tasks.get("format") != TASKS_FORMAT:
        raise reference.ReferenceDataError(str(tasks_file), "演示任务格式不符", "unexpected demo task format")
    today = ws.clock().date()
    days = (today - date.fromisoformat(tasks["anchor_date"])).days
    document = json.loads(Path(reference_file).read_text("utf-8"))
    document = shifted_reference(document, days)
    # Plans are annual: keep them in the year the shifted anchor falls in.
    for p in document["plans"]:
        p["year"] = today.year
    ref = reference.parse(document)
    reference.import_set(ws.db, ref, source="demo", clock=ws.clock)
    agency = ref.agencies[0].id
    with transaction(ws.db):
        for t in tasks["inspections"]:
            ws.inspections.save(Inspection(
                id=t["id"], subject_id=t["subject_id"], agency_id=agency,
                source=InspectionSource(t["source"]),
                scheduled_at=datetime.fromisoformat(_shift_moment(t["scheduled_at"], days)),
                status=InspectionStatus(t["status"]),
                officer_ids=tuple(t["officer_ids"]), assistant_ids=tuple(t["assistant_ids"]),
                source_ref=t.get("source_ref"), plan_id=t.get("plan_id"),
                pre_notice_id=t.get("pre_notice_id"), template_id=t.get("template_id"),
                place=t.get("place", ""), created_at=ws.clock().replace(microsecond=0),
            ))
        ws.audit.append("system", "demo.seeded", ref.version, shift_days=days,
                        inspections=len(tasks["inspections"]))
    seed_pins(ws)
    seed_demolition_cases(ws, days)
    if media:
        from app.evidence.demo_media import seed_media  # OpenCV loads only when media are wanted

        seed_media(ws)
    return True
