"""The BagIt (RFC 8493) pieces of a bundle: names, tag files and manifests.

Layout and order of the tar (docs/FORMATS.md, "Bundle"): tag files first —
``bagit.txt``, ``bag-info.txt``, ``manifest-sha256.txt``, ``device.pub.pem``,
``chain-head.json`` and its ``.sig``, ``tagmanifest-sha256.txt``,
``tagmanifest-sha256.txt.sig`` — then the payload in
manifest order, so a reader can check the signature and then every file as it streams.
"""

from __future__ import annotations

BUNDLE_FORMAT = "fieldinspect.bundle/1"
BAGIT_TXT = b"BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"
BAG_INFO = "bag-info.txt"
MANIFEST = "manifest-sha256.txt"
TAGMANIFEST = "tagmanifest-sha256.txt"
SIGNATURE = "tagmanifest-sha256.txt.sig"
DEVICE_PUB = "device.pub.pem"
CHAIN_HEAD = "chain-head.json"            # fieldinspect.chain-head/1, as signed (app.chains)
CHAIN_HEAD_SIG = "chain-head.json.sig"    # its raw 64-byte Ed25519 signature by the device key
TAG_ORDER = ("bagit.txt", BAG_INFO, MANIFEST, DEVICE_PUB, CHAIN_HEAD, CHAIN_HEAD_SIG, TAGMANIFEST, SIGNATURE)
# tag files listed in the tag manifest (the signature signs the tag manifest, so it is not in it)
TAGGED = ("bagit.txt", BAG_INFO, MANIFEST, DEVICE_PUB, CHAIN_HEAD, CHAIN_HEAD_SIG)

AUDIT_FILE = "data/audit/audit.jsonl"


def evidence_path(sha256: str) -> str:
    return f"data/evidence/{sha256}"


def seal_path(seq: int) -> str:
    return f"data/seals/{seq:08d}.json"


def seal_signature_path(seq: int) -> str:
    return f"data/seals/{seq:08d}.sig"


def inspection_path(inspection_id: str) -> str:
    return f"data/records/inspections/{inspection_id}.json"


def bag_info(fields: list[tuple[str, str]]) -> bytes:
    """``Label: value`` lines; values never contain a line break."""
    for label, value in fields:
        if "\n" in value or "\r" in value or ":" in label:
            raise ValueError(f"bag-info field {label!r} cannot be written on one line")
    return "".join(f"{label}: {value}\n" for label, value in fields).encode("utf-8")


def parse_bag_info(data: bytes) -> dict[str, str]:
    fields: dict[str, str] = {}
    for line in data.decode("utf-8").splitlines():
        label, sep, value = line.partition(": ")
        if not sep:
            raise ValueError(f"bag-info line without 'Label: value': {line!r}")
        fields[label] = value
    return fields


def manifest(entries: list[tuple[str, str]]) -> bytes:
    """``<sha256>  <path>`` lines, in the given (tar) order."""
    return "".join(f"{sha}  {path}\n" for path, sha in entries).encode("utf-8")


def parse_manifest(data: bytes) -> dict[str, str]:
    """path → sha256; raises ValueError on a malformed or duplicated line."""
    entries: dict[str, str] = {}
    for line in data.decode("utf-8").splitlines():
        sha, sep, path = line.partition("  ")
        if not sep or len(sha) != 64 or path in entries:
            raise ValueError(f"bad manifest line: {line!r}")
        entries[path] = sha
    return entries
