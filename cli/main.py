"""Command-line use of the core, with no display: ``fieldinspect demo|status …``."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from app import paths
from app.clock import system_clock
from app.session import Session
from app.workspace import Workspace
from local_db.database import check_data_folder, latest_version
from local_db.errors import UserFacingError

COMMANDS = ("demo", "status", "verify", "import", "cameras", "sync", "bundle", "pair", "pin", "documents",
            "verify-qr")


def _data_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--data", type=Path, default=None,
                   help="数据目录 / data folder (default: the per-user data folder)")


def _officer_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--officer", default=None, metavar="ID",
                   help="本人人员编号（须输入 PIN）/ your person id (the PIN is asked for)")


def subcommands() -> list[tuple[str, str]]:
    """Each subcommand with its one-line help, in the order ``--help`` lists them."""
    sub = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    helps = {c.dest: c.help for c in sub._choices_actions}
    return [(name, helps.get(name, "")) for name in sub.choices]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="fieldinspect", description="现场执法检查终端 FieldInspect")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("demo", help="新建数据目录并载入演示数据 / create a data folder with the demo data set")
    p.add_argument("--no-media", action="store_true",
                   help="不生成演示照片和视频 / without the sample photos and video")
    _data_arg(p)
    p = sub.add_parser("status", help="检查数据目录并显示概况 / check a data folder and summarise it")
    _officer_arg(p)
    p.add_argument("--lang", choices=("zh", "en"), default="zh", help="审计记录的语言 / language of the audit entries")
    p.add_argument("--audit", type=int, default=10, metavar="N",
                   help="显示最近 N 条审计记录 / show the last N audit entries (default 10)")
    _data_arg(p)
    p = sub.add_parser("verify", help="核验证据与封存记录 / verify the evidence and seal records of a data folder")
    p.add_argument("path", type=Path, help="数据目录或数据包 / data folder, or a bundle file")
    p.add_argument("--public-key", type=Path, default=None,
                   help="在总部登记的设备公钥 PEM / the device public key enrolled at HQ (default: the folder's own)")
    p.add_argument("--hq-identity", type=Path, default=None,
                   help="核验数据包时：总部 age 私钥文件 / for a bundle: the HQ age identity file (hq-age.key)")
    _officer_arg(p)
    p = sub.add_parser("bundle", help="生成同步数据包（离线传输）/ write a sync bundle for offline transfer")
    p.add_argument("--out", type=Path, default=None, help="数据包文件 / bundle file")
    p.add_argument("--officer", default=None, metavar="ID", help="本人人员编号（须输入 PIN）/ your person id "
                   "(the PIN is asked for)")
    p.add_argument("--receipt", type=Path, default=None,
                   help="载入总部回执（不生成数据包）/ apply HQ's receipt file instead of writing a bundle")
    _data_arg(p)
    p = sub.add_parser("pair", help="与总部配对（固定总部公钥）/ pair with HQ (pin its keys)")
    p.add_argument("--hq-dir", type=Path, default=None, help="总部目录（keygen 生成）/ HQ folder made by keygen")
    p.add_argument("--recipient", default=None, help="总部 age 公钥 age1… / HQ age recipient")
    p.add_argument("--hq-key", type=Path, default=None, help="总部签名公钥 PEM / HQ signing public key PEM")
    p.add_argument("--replace", action="store_true", help="替换已配对的总部密钥 / replace pinned HQ keys")
    p.add_argument("--by", default=None, metavar="ID", help="操作人（须输入 PIN）/ who pairs (the PIN is asked for)")
    _data_arg(p)
    p = sub.add_parser("import", help="导入并封存照片、视频 / import and seal photos and videos")
    p.add_argument("paths", type=Path, nargs="*", metavar="PATH", help="文件或文件夹（如 DCIM） / files or folders")
    p.add_argument("--camera", type=Path, default=None, metavar="MOUNT",
                   help="导入该执法记录仪卷上未导入的文件 / import the pending files of this body-camera volume")
    p.add_argument("--inspection", required=True, help="检查任务编号 / inspection id")
    p.add_argument("--officer", default=None, metavar="ID",
                   help="本人人员编号或执法证号（须输入 PIN），即采集人；--camera 时采集人为记录仪使用人 / "
                        "your person id or certificate number (the PIN is asked for), the collector; with --camera "
                        "the collector is the camera's assigned officer")
    p.add_argument("--type", default="audiovisual",
                   help="证据种类（行政处罚法第四十六条）/ evidence type key or label (default: audiovisual 视听资料)")
    _data_arg(p)
    p = sub.add_parser("cameras", help="列出已连接的执法记录仪 / list connected body cameras")
    p.add_argument("--root", type=Path, action="append", default=None, metavar="PATH",
                   help="检查此文件夹而非已挂载的可移动卷 / examine this folder instead of the mounted removable "
                        "volumes (repeatable)")
    p.add_argument("--assign", metavar="SERIAL", default=None,
                   help="将该序列号的记录仪分配给 --officer / assign the camera with this serial to --officer")
    p.add_argument("--officer", metavar="CERT", default=None, help="执法证号或人员编号 / certificate number or id")
    p.add_argument("--by", default=None, metavar="ID", help="操作人（须输入 PIN）/ who acts (the PIN is asked for)")
    _data_arg(p)
    p = sub.add_parser("pin", help="为人员设置 PIN（管理员）/ issue a person's PIN (administrator)")
    p.add_argument("person", metavar="ID", help="人员编号或执法证号 / person id or certificate number")
    p.add_argument("--officer", "--by", dest="by", default=None, metavar="ID",
                   help="设备管理员本人（须输入 PIN）/ the administrator issuing it (the PIN is asked for)")
    _data_arg(p)
    p = sub.add_parser("documents", help="生成检查任务或案件的全部文书 PDF / write every document of a task or case")
    which = p.add_mutually_exclusive_group(required=True)
    which.add_argument("--inspection", metavar="ID", help="检查任务编号 / inspection id")
    which.add_argument("--case", metavar="ID", help="强制拆除案件编号 / demolition case id")
    p.add_argument("--out", type=Path, required=True, help="输出目录 / output folder")
    _officer_arg(p)
    _data_arg(p)
    p = sub.add_parser("verify-qr", help="核验文书或标签上的二维码 / verify the QR code of a document or label")
    p.add_argument("text", nargs="?", default=None, help="二维码内容 / the text of the code")
    p.add_argument("--image", type=Path, default=None, help="二维码图片（PNG）/ a picture of the code (PNG)")
    p.add_argument("--public-key", type=Path, default=None,
                   help="签发设备的公钥 PEM / the issuing device's public key (default: the data folder's own)")
    _data_arg(p)
    p = sub.add_parser("sync", help="结束值班同步：上传数据包到总部并取回执 / end-of-shift sync to HQ")
    p.add_argument("--server", default=None, metavar="URL",
                   help="总部接收端地址 / HQ receiver URL (default: the one saved in settings)")
    p.add_argument("--officer", default=None, metavar="ID", help="发起同步的本人人员编号（须输入 PIN）/ "
                   "your person id (the PIN is asked for)")
    p.add_argument("--chunk-mib", type=int, default=8, help="最大块大小 MiB，实际块随链路调整 / largest chunk in MiB, chunks follow the link (default 8)")
    p.add_argument("--retries", type=int, default=8, metavar="N",
                   help="连续失败多少次后放弃 / give up after N failures in a row (default 8)")
    p.add_argument("--give-up-after", type=float, default=300.0, metavar="SECONDS",
                   help="连续失败多少秒后放弃（退出码 3）/ give up after failing for SECONDS in a row, "
                        "exit status 3 (default 300)")
    _data_arg(p)
    return parser


class SignInNeeded(UserFacingError):
    def __init__(self, option: str) -> None:
        super().__init__(f"请用 {option} 给出本人的人员编号（脚本中也可用环境变量 FIELDINSPECT_OFFICER）；"
                         "PIN 在终端输入，或由环境变量 FIELDINSPECT_PIN 提供。",
                         f"Say who you are with {option} ID (in scripts also FIELDINSPECT_OFFICER); the PIN is "
                         "typed at the terminal, or given in the environment variable FIELDINSPECT_PIN.")


def _ask_pin(prompt: str) -> str:
    """The PIN of the person acting: from FIELDINSPECT_PIN (scripts), else typed without echo."""
    import getpass
    import os

    pin = os.environ.get("FIELDINSPECT_PIN")
    if pin is not None:
        return pin
    if not sys.stdin.isatty():
        raise UserFacingError("需要 PIN：请在终端运行，或设置环境变量 FIELDINSPECT_PIN。",
                              "A PIN is needed: run at a terminal, or set FIELDINSPECT_PIN.")
    return getpass.getpass(prompt)


@contextmanager
def _workspace(args: argparse.Namespace, person: str | None = None, option: str = "--officer"
               ) -> Iterator[Workspace]:
    """The data folder the command names (or the per-user one), unlocked by ``person``'s PIN.

    Closed whatever happens. Nothing opens without the PIN: the database, the
    evidence and the device key are all wrapped by the master key it unlocks.
    """
    import os

    from app import access, unlock
    from app.session import SignedInBy

    person = person or os.environ.get("FIELDINSPECT_OFFICER")
    if not person:
        raise SignInNeeded(option)
    folder = args.data or paths.default_data_folder()
    custody = unlock.open_custody(folder)
    try:
        officer = custody.person(person)
        keys = custody.unlock(officer.id, _ask_pin(f"{officer.name}（{officer.id}）的 PIN / PIN: "),
                              now=system_clock().replace(microsecond=0))
    except BaseException:
        custody.close()
        raise
    ws = unlock.open_with_keys(custody, keys)
    try:
        access.record_unlock(ws, officer.id, how=SignedInBy.CLI)  # ws.sessions.current: every act's author
        _recover(ws)
        if keys.pin_must_change:  # an earlier version's PIN: nothing is done with it but replace it
            raise UserFacingError(
                f"{officer.name} 的 PIN 来自早期版本，须先更换：请在登录窗口登录，按提示设置 {access.PIN_MIN}–12 位的新 PIN。",
                f"{officer.id}'s PIN is from an earlier version and must be replaced first: sign in in the "
                f"window and choose a new PIN of {access.PIN_MIN}–12 digits there.")
        yield ws
    finally:
        ws.close()


def _session(ws: Workspace, permission: str | None = None, target: str = "") -> Session:
    """The session the command signed in with; with ``permission``, checked (a refusal is audited)."""
    from app import access

    session = ws.sessions.current
    assert session is not None  # _workspace signed in
    if permission is not None:
        access.acting(ws, session, access.Permission(permission), target)
    return session


def _recover(ws: Workspace) -> None:
    """Put right what a crash left (recordings, staging, bundle files) before any command acts."""
    from sync.recovery import recover

    done = recover(ws)
    if done.segments:
        print(f"已封存中断录像的 {done.segments} 个分段 / sealed {done.segments} segment(s) of an "
              "interrupted recording", file=sys.stderr)
    for bundle_id in done.bundles_adopted:
        print(f"已恢复写入中断的数据包 / recovered the bundle cut off while written: {bundle_id}", file=sys.stderr)


def _demo(args: argparse.Namespace) -> int:
    from app import demo, unlock
    from app.custody import Custody

    folder = args.data or paths.default_data_folder()
    if Custody.present(folder):
        print(f"数据目录已有数据，未改动 / the data folder already holds data, left unchanged: {folder}")
        return 0
    ws = unlock.create(folder)
    try:
        demo.seed(ws, media=not args.no_media)
        inspections = len(ws.inspections.overview())
    finally:
        ws.close()
    print(f"已载入演示数据 / demo data loaded: {folder} ({inspections} inspections)")
    print("演示 PIN 见 README.md / the demo PINs are listed in README.md")
    return 0


def _status(args: argparse.Namespace) -> int:
    from app.evidence.verify import verify_folder

    with _workspace(args, args.officer) as ws:
        ref = ws.reference_sets.latest()
        # the chains, their signatures, heads and triggers; the originals are hashed by verify only
        problems = verify_folder(ws.folder, keys=ws.keys, check_files=False).problems
        print(f"数据目录 / data folder: {ws.folder}")
        print(f"数据库结构版本 / schema version: {latest_version()}")
        print(f"基础数据 / reference data: {ref['version'] + ' (' + ref['source'] + ')' if ref else '—'}")
        print(f"执法人员 / staff: {len(ws.officers.all())}")
        print(f"检查对象 / subjects: {len(ws.subjects.all())}")
        print(f"检查任务 / inspections: {len(ws.inspections.overview())}")
        print(f"审计日志与封存链 / audit log and seal chain: "
              f"{'完整 intact' if not problems else f'{len(problems)} 处异常 problems'}")
        for problem in problems:
            print(problem.describe("zh"))
            print("  " + problem.describe("en"))
        _print_audit(ws, args.audit, args.lang)
        return 0 if not problems else 1


def _print_audit(ws: Workspace, count: int, language: str) -> None:
    """The last ``count`` audit entries, each as a sentence (``app.audit_words``)."""
    from app.audit_words import describe

    if count <= 0:
        return
    names = {o.id: o.name for o in ws.officers.all()}
    entries = list(ws.audit.repo.entries())[-count:]
    print("最近的审计记录：" if language == "zh" else "Recent audit entries:")
    for e in entries:
        print(f"  #{e.seq} {e.at:%Y-%m-%d %H:%M:%S}  {describe(e, language, names)}")


def _verify(args: argparse.Namespace) -> int:
    from app.evidence.verify import verify_folder

    if args.path.is_file():
        return _verify_bundle(args)

    args.data = args.path
    with _workspace(args, args.officer) as ws:
        report = verify_folder(args.path, public_key=args.public_key, keys=ws.keys)
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

    if bool(args.paths) == (args.camera is not None):
        print("请给出要导入的文件或文件夹，或 --camera 挂载点（二者选一）。\n"
              "Name files or folders to import, or --camera MOUNT (one or the other).", file=sys.stderr)
        return 2
    with _workspace(args, args.officer) as ws:
        locker = EvidenceLocker(ws)
        session = _session(ws)
        job: FileImport
        if args.camera is not None:
            from app.evidence.bodycam import CameraImport, camera_volume_at
            from local_db.evidence_sources_repository import CameraAssignmentRepository

            volume = camera_volume_at(args.camera, assignments=CameraAssignmentRepository(ws.db))
            print(f"执法记录仪 / body camera: {volume.serial} ({volume.label or '—'}) {volume.mount_point}")
            job = CameraImport(locker, volume, inspection_id=args.inspection, actor=session,
                               evidence_type=args.type)
        else:
            job = FileImport(locker, args.paths, inspection_id=args.inspection, actor=session,
                             evidence_type=args.type)
        if not job.files:
            from app.evidence.names import display

            print(f"未找到可导入的文件 / no file to import was found in: {' '.join(display(p) for p in (args.paths or [args.camera]))}")
        tty = sys.stderr.isatty()
        last, shown_at = "", 0.0
        step: ImportProgress
        for step in job.run():
            base = _progress_line(step, with_rate=False)
            # a new percent or file at once; the moving rate at most four times a second
            if base != last or (tty and time.monotonic() - shown_at >= 0.25):
                print(f"\r{_progress_line(step, with_rate=tty)}", end="", file=sys.stderr, flush=True)
                last, shown_at = base, time.monotonic()
        print(file=sys.stderr)
        report = job.report
    from app.evidence.names import display

    for item in report.imported:
        print(f"已封存 / sealed: #{item.seal_seq} {item.sha256} {display(item.original_name)}")
    for path, item in report.duplicates:
        print(f"已存在，跳过 / already sealed, skipped: {display(path)} (#{item.seal_seq})")
    for path, error in report.failed:
        print(f"未导入 / not imported: {display(path)}\n  {error.zh}\n  {error.en}", file=sys.stderr)
    print(f"导入 {len(report.imported)}，跳过 {len(report.duplicates)}，失败 {len(report.failed)} / "
          f"imported {len(report.imported)}, skipped {len(report.duplicates)}, failed {len(report.failed)}")
    return 0 if not report.failed else 1


def _progress_line(step: object, *, with_rate: bool) -> str:
    """``42%  3/10`` and, for a person watching, the rate and time left."""
    from app.evidence.importer import ImportProgress

    assert isinstance(step, ImportProgress)
    percent = step.bytes_done * 100 // step.bytes_total if step.bytes_total else 100
    line = f"{percent:3d}%  {step.files_done}/{step.files_total}"
    if with_rate and step.rate_bps > 0:
        left = step.seconds_left
        eta = f"{int(left) // 60}:{int(left) % 60:02d}" if left is not None else "—"
        line += f"  {step.rate_bps / 1e6:6.1f} MB/s  剩余 / left {eta}"
    return line


def _cameras(args: argparse.Namespace) -> int:
    from app.evidence.bodycam import assign_camera, find_camera_volumes, pending_files
    from app.evidence.locker import EvidenceLocker
    from local_db.evidence_sources_repository import CameraAssignmentRepository

    with _workspace(args, args.by, "--by") as ws:
        if args.assign is not None:
            if not args.officer:
                print("请用 --officer 给出执法证号。\nName the officer with --officer CERT.", file=sys.stderr)
                return 2
            done = assign_camera(ws, args.assign, args.officer, actor=_session(ws))
            print(f"已分配 / assigned: {done.serial} → {done.officer_id}")
            return 0
        locker = EvidenceLocker(ws)
        volumes = find_camera_volumes(args.root, assignments=CameraAssignmentRepository(ws.db))
        if not volumes:
            print("未发现执法记录仪 / no body camera found")
        for v in volumes:
            officer = ws.officers.get(v.officer_id) if v.officer_id else None
            wearer = f"{officer.name} {officer.id} ({officer.cert_no})" if officer else "未分配 / not assigned"
            print(f"{v.mount_point}")
            print(f"  序列号 / serial: {v.serial}  [{v.serial_source}]")
            print(f"  卷标 / label: {v.label or '—'}  卷序列号 / volume id: {v.volume_id or '—'}")
            print(f"  使用人 / assigned officer: {wearer}")
            print(f"  待导入 / pending files: {len(pending_files(locker, v))}")
        return 0


def _sync(args: argparse.Namespace) -> int:
    from sync import client

    with _workspace(args, args.officer) as ws:
        session = _session(ws)  # checked by the sync itself (a refusal is audited once)
        server = args.server or ws.settings.get(client.SERVER_SETTING)
        if not server:
            print("请用 --server 给出总部接收端地址。\nName the HQ receiver with --server URL.", file=sys.stderr)
            return 2
        last = [0.0]

        def show(p: client.SyncProgress) -> None:
            if p.phase == "uploading" and (time.monotonic() - last[0] > 1 or p.done == p.total):
                last[0] = time.monotonic()
                left = f"{p.seconds_left:.0f} s" if p.seconds_left is not None else "—"
                retry = f"  重试 / retrying: {p.retrying}" if p.retrying else ""
                print(f"上传 / uploading {p.bundle_id}: {p.done}/{p.total} B, "
                      f"{(p.rate or 0) / 1e6:.1f} MB/s, 剩余 / left {left}{retry}", flush=True)
            elif p.phase in ("checking", "reference"):
                print({"checking": "等待总部回执 / waiting for HQ's receipt",
                       "reference": "获取基础数据 / fetching reference data"}[p.phase], flush=True)

        from sync.upload import Backoff, HqUnreachable

        if args.retries < 1 or not args.give_up_after > 0:
            raise UserFacingError("--retries 须为正整数，--give-up-after 须为正数（秒）。",
                                  "--retries is a whole number above 0 and --give-up-after a number of seconds "
                                  "above 0.")
        try:
            outcome = client.run(client.sync_to_hq(
                ws, server, device=ws.device, session=session, chunk_size=args.chunk_mib << 20,
                backoff=Backoff(give_up_after=args.give_up_after), max_failures=args.retries), show)
        except HqUnreachable as exc:
            print(exc.zh, file=sys.stderr)
            print(exc.en, file=sys.stderr)
            return 3
    for bundle_id in outcome.acknowledged:
        print(f"总部已确认 / acknowledged by HQ: {bundle_id}")
    for bundle_id, code, zh, en in outcome.rejected:
        print(f"总部拒收 / rejected by HQ: {bundle_id} ({code})\n  {zh}\n  {en}")
    if outcome.nothing_to_send:
        print("没有待同步的数据 / nothing to send")
    if outcome.reference_loaded:
        print("基础数据已更新 / reference data loaded")
    return 1 if outcome.rejected else 0


def _verify_bundle(args: argparse.Namespace) -> int:
    from sync.bundle_reader import verify_bundle

    if args.hq_identity is None:
        print("核验数据包需要 --hq-identity（总部 age 私钥文件）。\n"
              "Verifying a bundle needs --hq-identity (the HQ age identity file).", file=sys.stderr)
        return 2
    from sync.hq.keys import HqKeyError, read_identity_file

    try:  # HQ's identity file is protected by HQ's passphrase (asked for, or from its file)
        identity = read_identity_file(args.hq_identity)
    except HqKeyError as exc:
        print(exc.zh, file=sys.stderr)
        print(exc.en, file=sys.stderr)
        return 2
    report = verify_bundle(args.path, identity, public_key=args.public_key)
    print(f"数据包 / bundle: {report.path}")
    if report.checked is not None:
        c = report.checked
        print(f"设备 / device: {c.device_id}")
        print(f"批次 / bundle: {c.bundle_id} (#{c.sequence}), SHA-256 {c.ciphertext_sha256}")
        seal = f"{c.seal_range[0]}–{c.seal_range[1]}" if c.seal_range else "—"
        audit = f"{c.audit_range[0]}–{c.audit_range[1]}" if c.audit_range else "—"
        print(f"封存记录 / seal records: {len(c.seals)} ({seal}); 审计 / audit entries: {len(c.audit)} ({audit})")
        print(f"检查记录 / inspection snapshots: {len(c.inspections)}; 文件 / files: {len(c.files)}")
        print("完整 / intact")
        return 0
    assert report.rejection is not None
    print(f"[{report.rejection.code}] {report.rejection.zh}")
    print(f"  {report.rejection.en}")
    print("1 处异常 / problem found")
    return 1


def _bundle(args: argparse.Namespace) -> int:
    from sync import state
    from sync.bundle import build_bundle
    from sync.errors import NothingToSend
    from sync.receipt import SignedReceipt

    with _workspace(args, args.officer) as ws:
        session = _session(ws)  # checked by the sync layer (a refusal is audited once)
        if args.receipt is not None:
            _session(ws, "sync", "receipt")  # refused before the file is read
            try:
                receipt = SignedReceipt.from_json(args.receipt.read_bytes())
            except ValueError as exc:
                print(f"回执文件格式错误 / not a receipt file: {exc}", file=sys.stderr)
                return 2
            if _is_refusal(receipt):  # written by fieldinspect-hq ingest when HQ refused the bundle
                fields = state.apply_refusal(ws, receipt, session=session)
                print(f"总部拒收 / refused by HQ: {fields['bundle_id']} ({fields.get('code')})\n"
                      f"  {fields.get('zh')}\n  {fields.get('en')}")
                print("下次生成的数据包将重新包含这些记录 / the next bundle carries these records again")
                return 1
            fields = state.apply_receipt(ws, receipt, session=session)
            print(f"回执已核验，已标记为已同步 / receipt verified, marked as synced: {fields['bundle_id']}")
            return 0
        if args.out is None:
            print("请用 --out 给出数据包文件。\nName the bundle file with --out FILE.", file=sys.stderr)
            return 2
        steps = build_bundle(ws, args.out, device=ws.device, session=session)
        try:
            while True:
                done = next(steps)
                if sys.stderr.isatty():
                    print(f"\r{done / 1e6:10.1f} MB", end="", file=sys.stderr, flush=True)
        except StopIteration as stop:
            info = stop.value
        except NothingToSend as exc:
            print(exc.zh)
            print(exc.en)
            return 0
        if sys.stderr.isatty():
            print(file=sys.stderr)
        again = "（重发未确认的数据包 / re-sent, not yet acknowledged）" if info.resent else ""
        print(f"数据包 / bundle: {info.path}{again}")
        print(f"批次 / id: {info.bundle_id} (#{info.sequence}); {info.size} bytes; SHA-256 {info.sha256}")
        return 0


def _is_refusal(signed: object) -> bool:
    from sync.receipt import REFUSAL_FORMAT

    try:
        return signed.fields().get("format") == REFUSAL_FORMAT  # type: ignore[attr-defined]
    except ValueError:
        return False


def _pair(args: argparse.Namespace) -> int:
    from sync.pairing import pair, pair_with_folder

    with _workspace(args, args.by, "--by") as ws:
        session = _session(ws)  # checked by the pairing (a refusal is audited once)
        if args.hq_dir is not None:
            done = pair_with_folder(ws, args.hq_dir, session=session, replace=args.replace)
        elif args.recipient and args.hq_key:
            done = pair(ws, recipient=args.recipient, signing_pub_pem=args.hq_key.read_bytes(),
                        session=session, replace=args.replace)
        else:
            print("请给出 --hq-dir，或 --recipient 与 --hq-key。\n"
                  "Give --hq-dir, or both --recipient and --hq-key.", file=sys.stderr)
            return 2
        print(f"已配对 / paired: {done.recipient}")
        return 0


def _pin(args: argparse.Namespace) -> int:
    """Ask for the PIN twice (without echo at a terminal; two lines on standard input otherwise)."""
    import getpass

    from app import access

    with _workspace(args, args.by, "--officer") as ws:
        person = next((o for o in ws.officers.all() if args.person in (o.id, o.cert_no)), None)
        if person is None:
            print(f"名册中没有 {args.person} / {args.person} is not on the roster", file=sys.stderr)
            return 2
        # Refused (and audited) before a PIN is asked for, unless an administrator acts for another.
        access.check_may_issue_pin(ws, person.id, by=_session(ws))
        if sys.stdin.isatty():
            pin = getpass.getpass(f"{person.name} 的新 PIN / new PIN: ")
            confirm = getpass.getpass("再次输入 / again: ")
        else:
            pin, confirm = (sys.stdin.readline().strip() for _ in range(2))
        access.issue_pin(ws, person.id, pin, confirm, by=_session(ws))
        print(f"已为 {person.name}（{person.id}）设置 PIN / PIN issued to {person.id}")
        return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return {"demo": _demo, "status": _status, "verify": _verify, "import": _import,
                "cameras": _cameras, "sync": _sync, "bundle": _bundle, "pair": _pair,
                "pin": _pin, "documents": _documents, "verify-qr": _verify_qr}[args.command](args)
    except UserFacingError as exc:
        print(exc.zh, file=sys.stderr)
        print(exc.en, file=sys.stderr)
        return 2
    except OSError as exc:  # a folder of another user, a full disk, a read-only medium
        zh, en = _os_error_text(exc)
        print(zh, file=sys.stderr)
        print(en, file=sys.stderr)
        return 2


def _documents(args: argparse.Namespace) -> int:
    """Every document of an inspection or a demolition case, issued (numbered) as the window would."""
    args.out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    with _workspace(args, args.officer) as ws:
        if args.inspection:
            from app.documents.onsite_record import record_problems
            from app.onsite.documents import DocumentKind, InspectionDocuments, render_document

            docs = InspectionDocuments(ws, session=_session(ws))
            if ws.inspections.get(args.inspection) is None:
                raise UserFacingError(f"没有检查任务 {args.inspection}。", f"No inspection {args.inspection}.")
            for kind in docs.available(args.inspection):
                doc = docs.build(args.inspection, kind)
                draft = kind is DocumentKind.RECORD and bool(record_problems(doc))  # type: ignore[arg-type]
                dest = args.out / docs.path_for(args.inspection, kind).name
                written.append(render_document(kind, doc, dest, draft=draft))
        else:
            from app.demolition.documents import DemolitionDocument, DemolitionDocuments
            from app.demolition.service import DemolitionService

            service = DemolitionService(ws)
            service.case(args.case)  # an unknown case is refused in words
            docs = DemolitionDocuments(service, session=_session(ws))
            handovers = [c.id for c in service.inventory.custody(args.case) if c.kind == "handover"]
            jobs: list[tuple[DemolitionDocument, int | None]] = [(DemolitionDocument.RECORD, None)]
            if service.inventory.items(args.case):
                jobs += [(DemolitionDocument.INVENTORY, None), (DemolitionDocument.LABELS, None)]
            jobs += [(DemolitionDocument.HANDOVER, h) for h in handovers]
            for kind, handover in jobs:
                written.append(docs.render(args.case, kind, handover_id=handover, out_dir=args.out))
    for path in written:
        print(path)
    print(f"已生成 {len(written)} 份文书 / {len(written)} documents written to {args.out}")
    return 0


def _verify_qr(args: argparse.Namespace) -> int:
    """Check a printed code: a document code (FID1|…) or an inspection code (R14 URL), against a device key."""
    import shutil
    import subprocess

    from app.device import DevicePublicKey, device_folder, PUBLIC_KEY_FILE
    from app.documents import doc_code, qr
    from app.documents.errors import InspectionCodeInvalid

    if (args.text is None) == (args.image is None):
        raise UserFacingError("请给出二维码内容，或用 --image 给出图片（二者择一）。",
                              "Give the text of the code, or a picture of it with --image (one of the two).")
    texts = [args.text] if args.text is not None else []
    if args.image is not None:
        if shutil.which("zbarimg") is None:
            raise UserFacingError("读取图片需要 zbarimg（zbar-tools）。", "Reading a picture needs zbarimg (zbar-tools).")
        done = subprocess.run(["zbarimg", "--quiet", "--raw", str(args.image)], capture_output=True, text=True)
        texts = [line for line in done.stdout.splitlines() if line.strip()]
        if not texts:
            raise UserFacingError(f"图片中未找到二维码：{args.image}", f"No QR code found in {args.image}.")
    pem_path = args.public_key or device_folder(args.data or paths.default_data_folder()) / PUBLIC_KEY_FILE
    key = DevicePublicKey.from_pem(Path(pem_path).read_bytes())
    bad = 0
    for text in texts:
        try:
            if text.startswith(doc_code.MAGIC + "|"):
                code = doc_code.verify_code(text, key.public_key)
                print(f"有效 / valid: {code.kind} {code.id}；内容摘要 / record hash {code.hash}；"
                      f"设备 / device {code.device_id}；签发时间 / signed {code.at.isoformat()}")
            else:
                signed = qr.verify_code(text, key.public_key)
                c = signed.code
                print(f"有效 / valid: 检查码 inspection {c.inspection_id}，机关 / agency {c.agency_id}，"
                      f"执法证号 / certificates {', '.join(c.officer_certs)}，日期 / day {c.day.isoformat()}；"
                      f"设备 / device {signed.device_id}")
        except InspectionCodeInvalid as exc:
            bad += 1
            print(f"无效 / invalid: {exc.zh}", file=sys.stderr)
            print(f"  {exc.en}", file=sys.stderr)
    return 1 if bad else 0


def _os_error_text(exc: OSError) -> tuple[str, str]:
    import errno

    where = exc.filename or ""
    if isinstance(exc, PermissionError):
        return (f"没有权限访问 {where}：数据目录属于其他用户或权限被改动。请以目录所有者的身份运行。未作任何改动。",
                f"No permission to access {where}: the data folder belongs to another user or its permissions "
                "were changed. Run as the folder's owner. Nothing was changed.")
    if exc.errno == errno.ENOSPC:
        return (f"磁盘空间已满（{where}）：请腾出空间后重试。已完成的部分保持不变。",
                f"The disk is full ({where}): free some space and try again. What was finished is kept.")
    if exc.errno == errno.EROFS:
        return (f"介质为只读（{where}），无法写入。", f"The medium is read-only ({where}); nothing can be written.")
    return (f"文件操作失败：{where}（{exc.strerror or exc}）。", f"A file operation failed: {where} ({exc.strerror or exc}).")


if __name__ == "__main__":
    sys.exit(main())
