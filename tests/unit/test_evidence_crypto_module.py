"""Every cryptographic primitive lives in the app/crypto package (the house rule the seals rely on)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRIMITIVES = ("hashlib", "cryptography", "hmac", "nacl", "Crypto")


def test_only_the_app_crypto_package_imports_hashing_or_signature_libraries() -> None:
    offenders = []
    for path in sorted(p for pkg in ("app", "local_db", "sync") for p in (ROOT / pkg).rglob("*.py")):
        if path.parent == ROOT / "app" / "crypto":
            continue
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                [node.module] if isinstance(node, ast.ImportFrom) and node.module and node.level == 0 else [])
            offenders += [f"{path.relative_to(ROOT)}: {n}" for n in names if n.split(".")[0] in PRIMITIVES]
    assert offenders == []
