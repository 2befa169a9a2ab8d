"""``fieldinspect-hq``: the reference headquarters receiver's command line.

``keygen`` creates HQ's keys (``sync.hq.keys``): the Ed25519 signing key, with
which HQ signs receipts and the reference data it publishes (devices pin its
public key), and the age X25519 identity bundles are encrypted to, both kept
under HQ's passphrase; ``protect-keys`` encrypts the clear keys of an earlier
version's folder in place. ``enroll``
registers a device's public key; ``publish`` signs reference data for devices to
pull; ``ingest`` takes a bundle brought on a USB stick and writes its receipt;
``pairing`` writes HQ's signed pairing offer as a file and a QR code, for the Sync
page of a device to pair with; ``revoke`` refuses a lost device's bundles signed
after a given time;
``recover`` re-keys a device's data folder for a new key store with HQ's identity.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from sync.hq import keys
from sync.hq.keys import SIGNING_KEY, SIGNING_PUB, keygen  # noqa: F401  (the names callers used)


def _keygen(args: argparse.Namespace) -> int:
    try:
        fingerprint = keygen(args.dir)
    except FileExistsError as exc:
        print(f"密钥已存在，未覆盖 / a key already exists, not overwritten: {exc}", file=sys.stderr)
        return 2
    print(f"总部签名公钥 / HQ signing public key: {args.dir / SIGNING_PUB}")
    print(f"SHA-256 指纹 / fingerprint: {fingerprint}")
    print(f"总部加密公钥 / HQ age recipient: {keys.age_recipient(args.dir)}")
    return 0


def _protect_keys(args: argparse.Namespace) -> int:
    done = keys.protect(args.dir)
    if not done:
        print(f"{args.dir} 中没有明文私钥 / no key in the clear in {args.dir}")
    for name in done:
        print(f"已用口令加密 / now protected by the passphrase: {args.dir / name}")
    return 0


def _pairing(args: argparse.Namespace) -> int:
    from sync import pairing_offer

    out = args.out or args.dir
    try:
        out.mkdir(parents=True, exist_ok=True)
        json_path, png_path = pairing_offer.write(keys.signing_key(args.dir), keys.age_recipient(args.dir), out)
    except OSError as exc:
        print(f"无法读取总部密钥或写入配对文件 / cannot read HQ's keys or write the pairing files: {exc}",
              file=sys.stderr)
        return 2
    print(f"配对文件 / pairing file: {json_path}")
    print(f"配对二维码 / pairing QR code: {png_path}")
    print(f"SHA-256 指纹（请设备核对）/ fingerprint (to compare on the device): {keys.fingerprint(args.dir)}")
    return 0


def _enroll(args: argparse.Namespace) -> int:
    from app.device import DeviceKeyError
    from sync.hq.store import HqStore

    store = HqStore(args.dir, database=args.database)
    try:
        device_id = store.enroll(args.public_key.read_bytes())
    except (OSError, ValueError, KeyError, DeviceKeyError) as exc:
        print(f"无法登记设备公钥 / cannot enroll the device key: {args.public_key}: {exc}", file=sys.stderr)
        return 2
    finally:
        store.close()
    print(f"已登记设备 / device enrolled: {device_id}")
    return 0


def _publish(args: argparse.Namespace) -> int:
    from app.reference import ReferenceDataError
    from sync.hq.store import HqStore

    store = HqStore(args.dir, database=args.database)
    try:
        sha = store.publish(args.file.read_bytes())
    except ReferenceDataError as exc:
        print(exc.zh, file=sys.stderr)
        print(exc.en, file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"无法读取 / cannot read {args.file}: {exc.strerror}", file=sys.stderr)
        return 2
    finally:
        store.close()
    print(f"已签名发布基础数据 / reference data signed and published: {sha}")
    return 0


def _ingest(args: argparse.Namespace) -> int:
    from sync.errors import BundleRejected
    from sync.hq import server
    from sync.hq.store import HqStore

    server.use_s3_endpoint(args)
    store = HqStore(args.dir, database=args.database, blobs=args.blobs)
    out = args.receipt or args.bundle.with_name(args.bundle.name + ".receipt.json")
    try:
        receipt = store.ingest(args.bundle, device_id=args.device)
    except BundleRejected as exc:
        print(exc.zh, file=sys.stderr)
        print(exc.en, file=sys.stderr)
        # The device reads HQ's reason back from the stick like a receipt (fieldinspect bundle
        # --receipt), marks the bundle refused and builds the next one accordingly.
        refusal = store.sign_refusal(args.bundle, device_id=args.device, code=exc.code,
                                     zh=exc.reason_zh, en=exc.reason_en)
        out.write_bytes(refusal.to_json())
        print(f"已写入签名的拒收说明 / signed refusal written: {out}", file=sys.stderr)
        return 1
    finally:
        store.close()
    out.write_bytes(receipt.to_json())
    print(f"已接收，回执 / accepted, receipt: {out}")
    return 0


def _revoke(args: argparse.Namespace) -> int:
    """A lost or stolen device: bundles it signed after ``--from`` are refused with the reason."""
    from datetime import datetime

    from sync.hq.store import HqStore

    try:
        since = datetime.fromisoformat(args.since)
    except ValueError:
        since = None
    if since is None or since.tzinfo is None:
        print("--from 须为带时区的 ISO 8601 时间，如 2026-11-23T18:00:00+08:00\n"
              "--from must be an ISO 8601 time with a UTC offset, e.g. 2026-11-23T18:00:00+08:00", file=sys.stderr)
        return 2
    if not args.reason.strip():
        print("请用 --reason 说明吊销原因 / give the reason with --reason", file=sys.stderr)
        return 2
    store = HqStore(args.dir, database=args.database)
    try:
        store.revoke(args.device, since, args.reason.strip())
    except KeyError:
        print(f"设备未登记 / device not enrolled: {args.device}", file=sys.stderr)
        return 2
    finally:
        store.close()
    print(f"已吊销 / revoked: {args.device}，自 / from {since.isoformat()}：{args.reason.strip()}\n"
          "此前已接收的数据仍然有效；替换设备须以新密钥登记。\n"
          "What HQ accepted before stays valid; enroll a replacement device with its own new key.")
    return 0


def _recover(args: argparse.Namespace) -> int:
    """Open the master key sealed to HQ, give the folder a new key store entry and one PIN."""
    import getpass

    from app import access, unlock
    from app.custody import Custody, check_new_pin
    from local_db.database import transaction
    from local_db.errors import UserFacingError

    try:
        identity = keys.age_identity(args.dir)
    except OSError as exc:
        print(f"无法读取总部私钥 / cannot read HQ's identity in {args.dir}: {exc.strerror}", file=sys.stderr)
        return 2
    if sys.stdin.isatty():
        pin = getpass.getpass(f"{args.person} 的新 PIN / new PIN: ")
        confirm = getpass.getpass("再次输入 / again: ")
    else:
        pin, confirm = (sys.stdin.readline().strip() for _ in range(2))
    try:
        check_new_pin(pin, confirm)  # before anything changes
        custody, recovered = Custody.recover(args.data, identity)
        ws = unlock.open_with_keys(custody, recovered)
        try:
            person = ws.officers.get(args.person)
            if person is None:
                raise access.UnknownPerson(args.person)
            custody.set_pin(recovered, person.id, pin, confirm, by="hq", now=ws.clock().replace(microsecond=0))
            with transaction(ws.db):
                ws.audit.append("hq", "custody.recovered", custody.installation, pin_issued_to=person.id)
        finally:
            ws.close()
    except UserFacingError as exc:
        print(exc.zh, file=sys.stderr)
        print(exc.en, file=sys.stderr)
        return 2
    print(f"已恢复 / recovered: {args.data}; {person.name}（{person.id}）可用新 PIN 登录，其他人员的 PIN 须重新设置。\n"
          f"{person.id} signs in with the new PIN; everyone else's PIN must be issued again.")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="fieldinspect-hq", description="执法监督平台参考接收端 / reference HQ receiver")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("keygen", help="生成总部签名密钥和加密密钥 / create the HQ signing and age keys")
    p.add_argument("--dir", type=Path, required=True, help="总部目录 / HQ folder")
    p = sub.add_parser("protect-keys", help="用口令加密早期版本的明文私钥 / encrypt an earlier version's clear "
                                            "keys with a passphrase")
    p.add_argument("--dir", type=Path, required=True, help="总部目录 / HQ folder")
    p = sub.add_parser("pairing", help="生成签名的配对文件和配对二维码 / write the signed pairing file and QR code")
    p.add_argument("--dir", type=Path, required=True, help="总部目录 / HQ folder")
    p.add_argument("--out", type=Path, default=None, help="输出目录（默认总部目录）/ where to write (default: the HQ folder)")
    p = sub.add_parser("enroll", help="登记设备公钥 / enroll a device public key")
    p.add_argument("--dir", type=Path, required=True, help="总部目录 / HQ folder")
    p.add_argument("public_key", type=Path, help="设备公钥 PEM 或导出 JSON / device public key PEM or export JSON")
    p = sub.add_parser("publish", help="签名发布基础数据 / sign and publish reference data")
    p.add_argument("--dir", type=Path, required=True, help="总部目录 / HQ folder")
    p.add_argument("file", type=Path, help="fieldinspect.reference/1 JSON")
    p = sub.add_parser("ingest", help="接收离线数据包（U 盘）/ ingest a bundle brought offline (USB)")
    p.add_argument("--dir", type=Path, required=True, help="总部目录 / HQ folder")
    p.add_argument("--device", required=True, help="设备标识 / device id")
    p.add_argument("--receipt", type=Path, default=None, help="回执输出文件 / where to write the receipt")
    p.add_argument("bundle", type=Path)
    p = sub.add_parser("revoke", help="吊销丢失或被盗的设备 / revoke a lost or stolen device")
    p.add_argument("--dir", type=Path, required=True, help="总部目录 / HQ folder")
    p.add_argument("--from", dest="since", required=True, metavar="TIME",
                   help="自此时间起签名的数据包一律拒收（ISO 8601，带时区）/ refuse bundles signed after TIME "
                        "(ISO 8601 with offset)")
    p.add_argument("--reason", required=True, help="吊销原因 / why")
    p.add_argument("device", help="设备标识 / device id")
    p = sub.add_parser("recover", help="为丢失密钥库的设备恢复数据目录 / re-key a device folder whose key store was lost")
    p.add_argument("--dir", type=Path, required=True, help="总部目录（含 age 私钥）/ HQ folder (with its age identity)")
    p.add_argument("--data", type=Path, required=True, help="设备数据目录 / the device's data folder")
    p.add_argument("--person", required=True, metavar="ID",
                   help="恢复后首先登录的人员（新 PIN 输入两次）/ who signs in first (new PIN, typed twice)")
    from sync.hq import server

    for name in ("enroll", "publish", "ingest", "revoke"):
        server.add_database_option(sub.choices[name])
    server.add_blobs_option(sub.choices["ingest"])
    server.add_serve_parser(sub)
    args = parser.parse_args(argv)
    try:
        if args.command == "serve":
            return server.run_serve(args)
        return {"keygen": _keygen, "protect-keys": _protect_keys, "pairing": _pairing, "enroll": _enroll,
                "publish": _publish, "ingest": _ingest, "revoke": _revoke, "recover": _recover}[args.command](args)
    except keys.HqKeyError as exc:  # no passphrase, a wrong one, keys still in the clear: nothing was done
        print(exc.zh, file=sys.stderr)
        print(exc.en, file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
