"""``fieldinspect-hq``: the reference headquarters receiver's command line.

``keygen`` creates HQ's Ed25519 signing key, with which HQ signs receipts and the
reference data it publishes; devices pin its public key.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from app import crypto
from app.atomic_files import write_new_file

SIGNING_KEY = "hq-signing.key.pem"
SIGNING_PUB = "hq-signing.pub.pem"


def keygen(folder: Path) -> str:
    """Create the HQ signing key pair in ``folder``; refuse to overwrite an existing key."""
    folder.mkdir(parents=True, exist_ok=True)
    if (folder / SIGNING_KEY).exists():
        raise FileExistsError(folder / SIGNING_KEY)
    key = crypto.generate_signing_key()
    write_new_file(folder / SIGNING_KEY, crypto.private_key_pem(key), mode=0o600)
    write_new_file(folder / SIGNING_PUB, crypto.public_key_pem(key.public_key()), mode=0o644)
    return crypto.sha256_hex(crypto.public_key_raw(key.public_key()))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="fieldinspect-hq", description="执法监督平台参考接收端 / reference HQ receiver")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("keygen", help="生成总部签名密钥 / create the HQ signing key")
    p.add_argument("--dir", type=Path, required=True, help="密钥目录 / key folder")
    from sync.hq import server

    server.add_serve_parser(sub)
    args = parser.parse_args(argv)
    if args.command == "serve":
        return server.run_serve(args)
    try:
        fingerprint = keygen(args.dir)
    except FileExistsError as exc:
        print(f"密钥已存在，未覆盖 / a key already exists, not overwritten: {exc}", file=sys.stderr)
        return 2
    print(f"总部签名公钥 / HQ signing public key: {args.dir / SIGNING_PUB}")
    print(f"SHA-256 指纹 / fingerprint: {fingerprint}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
