"""Command-line use of the core, with no display: ``fieldinspect demo|status …``."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from app import demo, paths
from app.audit import verify as verify_audit
from app.workspace import Workspace
from local_db.database import latest_version
from local_db.errors import UserFacingError

COMMANDS = ("demo", "status")


def _data_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--data", type=Path, default=None,
                   help="数据目录 / data folder (default: the per-user data folder)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="fieldinspect", description="现场执法检查终端 FieldInspect")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("demo", help="新建数据目录并载入演示数据 / create a data folder with the demo data set")
    _data_arg(p)
    p = sub.add_parser("status", help="检查数据目录并显示概况 / check a data folder and summarise it")
    _data_arg(p)
    return parser


def _demo(args: argparse.Namespace) -> int:
    folder = args.data or paths.default_data_folder()
    ws = Workspace.open(folder, create=True)
    try:
        seeded = demo.seed(ws)
        inspections = len(ws.inspections.overview())
    finally:
        ws.close()
    if seeded:
        print(f"已载入演示数据 / demo data loaded: {folder} ({inspections} inspections)")
    else:
        print(f"数据目录已有数据，未改动 / the data folder already holds data, left unchanged: {folder}")
    return 0


def _status(args: argparse.Namespace) -> int:
    folder = args.data or paths.default_data_folder()
    ws = Workspace.open(folder)
    try:
        ref = ws.reference_sets.latest()
        problems = verify_audit(ws.db)
        print(f"数据目录 / data folder: {folder}")
        print(f"数据库结构版本 / schema version: {latest_version()}")
        print(f"基础数据 / reference data: {ref['version'] + ' (' + ref['source'] + ')' if ref else '—'}")
        print(f"执法人员 / staff: {len(ws.officers.all())}")
        print(f"检查对象 / subjects: {len(ws.subjects.all())}")
        print(f"检查任务 / inspections: {len(ws.inspections.overview())}")
        print(f"审计日志 / audit log: {'完整 intact' if not problems else f'{len(problems)} 处异常 problems'}")
        return 0 if not problems else 1
    finally:
        ws.close()


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return {"demo": _demo, "status": _status}[args.command](args)
    except UserFacingError as exc:
        print(exc.zh, file=sys.stderr)
        print(exc.en, file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
