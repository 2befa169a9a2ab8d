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

COMMANDS = ("demo", "status", "verify", "import")


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
    p = sub.add_parser("verify", help="核验证据与封存记录 / verify the evidence and seal records of a data folder")
    p.add_argument("path", type=Path, help="数据目录 / data folder")
    p.add_argument("--public-key", type=Path, default=None,
                   help="在总部登记的设备公钥 PEM / the device public key enrolled at HQ (default: the folder's own)")
    p = sub.add_parser("import", help="导入并封存照片、视频 / import and seal photos and videos")
    p.add_argument("paths", type=Path, nargs="+", metavar="PATH", help="文件或文件夹（如 DCIM） / files or folders")
    p.add_argument("--inspection", required=True, help="检查任务编号 / inspection id")
    p.add_argument("--officer", required=True, action="append", metavar="CERT",
                   help="执法证号，可重复 / certificate number, repeatable")
    p.add_argument("--type", default="audiovisual",
                   help="证据种类（行政处罚法第四十六条）/ evidence type key or label (default: audiovisual 视听资料)")
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


def _verify(args: argparse.Namespace) -> int:
    from app.evidence.verify import verify_folder

    report = verify_folder(args.path, public_key=args.public_key)
    print(f"数据目录 / data folder: {report.folder}")
    print(f"设备 / device: {report.device_id or '—'}")
    print(f"封存记录 / seal records: {report.records}; 已核验文件 / files checked: {report.files}")
    for problem in report.problems:
        print(problem.describe("zh"))
        print("  " + problem.describe("en"))
    print("完整 / intact" if report.ok else f"{len(report.problems)} 处异常 / problems found")
    return 0 if report.ok else 1


def _import(args: argparse.Namespace) -> int:
    from app.evidence.importer import FileImport, ImportProgress
    from app.evidence.locker import EvidenceLocker

    folder = args.data or paths.default_data_folder()
    ws = Workspace.open(folder)
    try:
        job = FileImport(EvidenceLocker(ws), args.paths, inspection_id=args.inspection,
                         officer_certs=args.officer, evidence_type=args.type)
        last = -1
        step: ImportProgress
        for step in job.run():
            percent = step.bytes_done * 100 // step.bytes_total if step.bytes_total else 100
            if percent != last:
                print(f"\r{percent:3d}%  {step.files_done}/{step.files_total}", end="", file=sys.stderr)
                last = percent
        print(file=sys.stderr)
        report = job.report
    finally:
        ws.close()
    for item in report.imported:
        print(f"已封存 / sealed: #{item.seal_seq} {item.sha256} {item.original_name}")
    for path, item in report.duplicates:
        print(f"已存在，跳过 / already sealed, skipped: {path} (#{item.seal_seq})")
    for path, error in report.failed:
        print(f"未导入 / not imported: {path}\n  {error.zh}\n  {error.en}", file=sys.stderr)
    print(f"导入 {len(report.imported)}，跳过 {len(report.duplicates)}，失败 {len(report.failed)} / "
          f"imported {len(report.imported)}, skipped {len(report.duplicates)}, failed {len(report.failed)}")
    return 0 if not report.failed else 1


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return {"demo": _demo, "status": _status, "verify": _verify, "import": _import}[args.command](args)
    except UserFacingError as exc:
        print(exc.zh, file=sys.stderr)
        print(exc.en, file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
