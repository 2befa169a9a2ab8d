"""Sample material for the demo, the tests and the benchmark: two demolition cases
(one ready to start on Monday 2026-11-23, one still blocked by R21), drawn photos
of property and a minimal MP4 recording with a running time.

The cases are anchored on 2026-11-23 like the demo tasks; ``days`` moves them.
"""

from __future__ import annotations

import io
import os
import struct
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from app.clock import CHINA_TZ
from app.workspace import Workspace
from local_db.database import transaction
from local_db.demolition_repository import DemolitionCase, DemolitionRepository

ANCHOR = date(2026, 11, 23)
READY_CASE = "QC-2026-0007"
BLOCKED_CASE = "QC-2026-0011"
DEMO_PLAN = ("一、现场设警戒区，安排 2 名辅助人员维持秩序；二、120 急救车在路口待命；三、如遇当事人情绪激烈或"
             "结构倾覆风险，立即暂停作业、撤离人员并报告带队负责人；四、全程执法记录仪录像。")


@dataclass(frozen=True)
class CaseSpec:
    case_id: str
    party_name: str
    party_id_no: str
    place: str
    structure: str
    decision_no: str
    announcement_no: str
    served_on: date
    self_demolition_deadline: date
    removal_deadline: date
    attend_notice_no: str
    attend_notice_served_on: date | None
    scheduled_at: datetime
    emergency_plan: str


def demo_cases(days: int = 0) -> list[CaseSpec]:
    """The two demo cases, their dates moved by ``days``."""
    def d(y: int, m: int, dd: int) -> date:
        return date(y, m, dd) + timedelta(days=days)

    return [
        CaseSpec(READY_CASE, "陈建国", "330106196805120017", "西城区留下街道杨家村 18 号后院",
                 "未经规划许可搭建的砖混结构房屋一处（约 46 平方米）", "西综执强拆决〔2026〕7号",
                 "西综执拆告〔2026〕7号", d(2026, 5, 12), d(2026, 5, 22), d(2026, 11, 20),
                 "西综执到通〔2026〕7号", d(2026, 11, 16),
                 datetime.combine(d(2026, 11, 23), time(9, 0), CHINA_TZ), DEMO_PLAN),
        # Served on 10 June: the 6-month window runs to 10 December; no emergency plan yet.
        CaseSpec(BLOCKED_CASE, "清河市西城区福满楼酒家", "", "西城区文三路 166 号屋顶",
                 "屋顶违法搭建的钢结构雨棚（约 120 平方米）", "西综执强拆决〔2026〕11号",
                 "西综执拆告〔2026〕11号", d(2026, 6, 10), d(2026, 6, 20), d(2026, 11, 30),
                 "", None, datetime.combine(d(2026, 11, 25), time(9, 0), CHINA_TZ), ""),
    ]


def seed_cases(ws: Workspace, days: int = 0) -> None:
    """Write the demo cases (officers O01 and O02 of the demo roster) with their audit entry."""
    agency = ws.agencies.all()[0].id
    now = ws.clock().astimezone(CHINA_TZ).replace(microsecond=0)
    repo = DemolitionRepository(ws.db)
    with transaction(ws.db):
        for spec in demo_cases(days):
            repo.create(DemolitionCase(
                id=spec.case_id, agency_id=agency, party_name=spec.party_name, party_id_no=spec.party_id_no,
                place=spec.place, structure=spec.structure, decision_no=spec.decision_no,
                announcement_no=spec.announcement_no, announcement_served_on=spec.served_on,
                self_demolition_deadline=spec.self_demolition_deadline, removal_deadline=spec.removal_deadline,
                attend_notice_no=spec.attend_notice_no, attend_notice_served_on=spec.attend_notice_served_on,
                emergency_plan=spec.emergency_plan, officer_ids=("O01", "O02"), scheduled_at=spec.scheduled_at,
                created_at=now, created_by="O01"))
        ws.audit.append("system", "demo.demolition_cases", "demo", cases=[c.case_id for c in demo_cases(days)])


def sample_photo(n: int, size: tuple[int, int] = (640, 480)) -> bytes:
    """A JPEG of an item of property, different for every ``n`` (content addressing would merge equal ones)."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", size, ((n * 37) % 200 + 30, (n * 91) % 200 + 30, (n * 53) % 200 + 30))
    draw = ImageDraw.Draw(image)
    draw.rectangle((size[0] // 5, size[1] // 4, size[0] * 4 // 5, size[1] * 3 // 4), outline=(255, 255, 255), width=6)
    draw.text((20, 20), f"ITEM {n:04d}", fill=(255, 255, 255))
    draw.point([(x, (x * n) % size[1]) for x in range(0, size[0], 3)], fill=(0, 0, 0))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=80)
    return out.getvalue()


def _box(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I4s", 8 + len(payload), kind) + payload


def recording_mp4(seconds: float) -> bytes:
    """An MP4 whose ``mvhd`` says it runs ``seconds``: what a body camera leaves, minus the pictures."""
    ftyp = _box(b"ftyp", b"isom\x00\x00\x02\x00isomiso2mp41")
    mvhd = _box(b"mvhd", b"\x00\x00\x00\x00" + struct.pack(">IIII", 0, 0, 1000, round(seconds * 1000)) + b"\x00" * 80)
    return ftyp + _box(b"mdat", os.urandom(256)) + _box(b"moov", mvhd)
