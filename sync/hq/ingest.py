"""HQ's ingest of one bundle: the checks against earlier bundles, storage and the receipt.

Order: decrypt and unpack into ``incoming/`` and run the self-contained checks
(``sync.bundle_reader``); then, in one database transaction that holds the device's
row (``SELECT … FOR UPDATE`` in PostgreSQL, the write lock in SQLite), so that two
receivers finishing the same bundle at once store it once and answer both with the
same receipt, answer a
replay with the stored receipt, refuse a different bag under a used bundle id or
sequence, check the seal and audit chains against what HQ already holds of the
device (records HQ already has must be identical — a fork otherwise; the first
new record must follow HQ's head — a gap otherwise), refuse a revoked device's
bundle signed after the revocation, check that the device-signed chain head extends
the one HQ last accepted and names the end of the chains, and store everything in
that transaction with the files, signing the receipt. Any refusal leaves HQ as it was.
"""

from __future__ import annotations

import os
import shutil
import uuid
from datetime import datetime
from pathlib import Path

from app import crypto
from app.evidence.seal import GENESIS_PREV
from sync import bag
from sync.bundle_reader import CheckedBundle, check, unpack
from sync.errors import BundleRejected
from sync.hq import blobs as blob_stores
from sync.hq import keys
from sync.hq.store import HqStore
from sync.receipt import RECEIPT_FORMAT, SignedReceipt
from local_db.crashpoints import point

AUDIT_GENESIS = "0" * 64


def ingest(store: HqStore, bundle_path: Path, *, device_id: str) -> SignedReceipt:
    # Lost the database on the way (PostgreSQL restarted): start again from the bundle file;
    # what a cut-off transaction placed is taken back or, being content-addressed, reused.
    return store.db.retrying(lambda: _ingest(store, bundle_path, device_id=device_id))


def _ingest(store: HqStore, bundle_path: Path, *, device_id: str) -> SignedReceipt:
    key = store.device_public_key(device_id)
    if key is None:
        raise BundleRejected.of("not-enrolled", device_id)
    sweep_incoming(store)
    # The receiver's process id in the name: what a killed one leaves is known to be nobody's.
    incoming = store.folder / "incoming" / f"{os.getpid()}-{uuid.uuid4().hex}"
    incoming.mkdir(parents=True)
    try:
        identity = keys.age_identity(store.folder)  # HQ's own key: a failure here is HQ's, not the bundle's
        try:
            files, sha, size = unpack(bundle_path, identity, incoming)
            checked = check(incoming, files, device_key=key, ciphertext=(sha, size))
        except (ValueError, TypeError, KeyError, UnicodeDecodeError) as exc:
            # Malformed content is the bundle's fault, not HQ's: a verdict, not a retry.
            raise BundleRejected.of("not-a-bag", f"{type(exc).__name__}: {exc}") from None
        with store.db.transaction():
            store.db.lock_row("devices", "device_id", checked.device_id)  # one ingest per device at a time
            replay = _replay(store, checked)
            if replay is not None:
                return replay
            _check_revoked(store, checked)
            _check_continuity(store, checked)
            _check_head(store, checked)
            receipt = _store(store, checked)
            point("hq.commit")
        point("hq.committed")
        return receipt
    finally:
        shutil.rmtree(incoming, ignore_errors=True)


def sweep_incoming(store: HqStore) -> int:
    """Remove what a killed receiver left in ``incoming/`` (its process is gone); return how many.

    Receivers sharing an HQ folder run on this host (one folder, one machine); a folder
    named by a live process, or by an earlier version (no process id), is left alone.
    """
    root = store.folder / "incoming"
    removed = 0
    if not root.is_dir():
        return 0
    for folder in root.iterdir():
        pid, _, rest = folder.name.partition("-")
        if not pid.isdecimal() or not rest or int(pid) == os.getpid():
            continue
        try:
            os.kill(int(pid), 0)
            continue  # still running
        except ProcessLookupError:
            pass
        except OSError:
            continue
        shutil.rmtree(folder, ignore_errors=True)
        removed += 1
    return removed


def _replay(store: HqStore, checked: CheckedBundle) -> SignedReceipt | None:
    row = store.conn.execute(
        "SELECT bundle_id, tagmanifest_sha256 FROM bundles WHERE device_id = ? AND (bundle_id = ? OR sequence = ?)",
        (checked.device_id, checked.bundle_id, checked.sequence)).fetchone()
    if row is None:
        return None
    if row[0] == checked.bundle_id and row[1] == checked.tagmanifest_sha256:
        return store.receipt(checked.bundle_id)
    raise BundleRejected.of("sequence-reused", f"{checked.bundle_id} (sequence {checked.sequence})")


def _check_revoked(store: HqStore, checked: CheckedBundle) -> None:
    """A revoked device's bundles signed after the revocation time are refused, with the reason."""
    revoked = store.revocation(checked.device_id)
    if revoked is None:
        return
    since, reason = revoked
    times = [checked.head.get("at"), checked.info.get("FieldInspect-Created-At")]
    try:
        signed = [datetime.fromisoformat(str(t)) for t in times]
        late = any(t.tzinfo is None or t > since for t in signed)
    except ValueError:
        late = True
    if late:
        raise BundleRejected.of("revoked", f"{since.isoformat()}: {reason}")


def _check_head(store: HqStore, checked: CheckedBundle) -> None:
    """The signed head extends the one HQ last accepted and names the end of HQ's chains after this bag."""
    head = checked.head
    held = store.chain_head(checked.device_id)
    stored = store.last_head(checked.device_id)
    for chain, genesis in (("audit", AUDIT_GENESIS), ("seal", GENESIS_PREV)):
        seq, digest = head[f"{chain}_seq"], head[f"{chain}_hash"]
        if stored is not None and seq < stored[f"{chain}_seq"]:  # type: ignore[operator]
            raise BundleRejected.of("chain-not-extended", f"{chain} seq {seq}; HQ last accepted a head at "
                                                          f"{chain} seq {stored[f'{chain}_seq']}")
        bag_last = checked.audit[-1] if chain == "audit" and checked.audit else (
            checked.seals[-1] if chain == "seal" and checked.seals else None)
        end_seq, end_hash = held[f"{chain}_seq"], held[f"{chain}_hash"] or genesis
        if bag_last is not None and bag_last.seq >= end_seq:  # type: ignore[operator]
            end_seq, end_hash = bag_last.seq, (bag_last.hash if chain == "audit" else bag_last.digest)  # type: ignore[union-attr]
        if seq < end_seq or (seq == end_seq and digest != end_hash):  # type: ignore[operator]
            raise BundleRejected.of("chain-not-extended", f"the head names {chain} seq {seq}, "
                                                          f"HQ holds the chain up to {end_seq}")
        if seq > end_seq:  # type: ignore[operator]
            raise BundleRejected.of("bad-chain-head", f"the head names {chain} seq {seq}, which the bag does not carry")
    if head["problems"]:
        raise BundleRejected.of("device-tampered", ", ".join(map(str, head["problems"])))


def _check_continuity(store: HqStore, checked: CheckedBundle) -> None:
    """Both chains of the device go on from where HQ's copy ends: no gap, no fork."""
    head = store.chain_head(checked.device_id)
    held_seals = dict(store.conn.execute(
        "SELECT seq, record_hash FROM seals WHERE device_id = ? AND seq BETWEEN ? AND ?",
        (checked.device_id, *(checked.seal_range or (0, -1)))).fetchall())
    _check_chain("seal", "seq", held_seals, [(s.seq, s.digest, s.prev) for s in checked.seals],
                 head["seal_seq"], head["seal_hash"] or GENESIS_PREV)  # type: ignore[arg-type]
    held_audit = dict(store.conn.execute(
        "SELECT seq, hash FROM audit WHERE device_id = ? AND seq BETWEEN ? AND ?",
        (checked.device_id, *(checked.audit_range or (0, -1)))).fetchall())
    _check_chain("audit", "audit seq", held_audit, [(a.seq, a.hash, a.prev_hash) for a in checked.audit],
                 head["audit_seq"], head["audit_hash"] or AUDIT_GENESIS)  # type: ignore[arg-type]


def _check_chain(chain: str, label: str, held: dict[int, str], links: list[tuple[int, str, str]],
                 head_seq: int, head_hash: str) -> None:
    """``links`` are (seq, own hash, previous hash) in order. A link HQ holds must be the
    same (else ``<chain>-fork``); the first new one must come right after HQ's head
    (else ``<chain>-gap``) and point at it (else ``<chain>-fork``)."""
    for seq, digest, _prev in links:
        if seq in held and held[seq] != digest:
            raise BundleRejected.of(f"{chain}-fork", f"{label} {seq} differs from what HQ holds")
    new = [link for link in links if link[0] > head_seq]
    if not new:
        return
    seq, _digest, prev = new[0]
    if seq != head_seq + 1:
        raise BundleRejected.of(f"{chain}-gap", f"HQ holds up to {label} {head_seq}, the bundle starts at {seq}")
    if prev != head_hash:
        raise BundleRejected.of(f"{chain}-fork", f"{label} {seq} does not follow HQ's {label} {head_seq}")


def _store(store: HqStore, checked: CheckedBundle) -> SignedReceipt:
    conn, dev, bid = store.conn, checked.device_id, checked.bundle_id
    blobs = store.blobs
    placed: list[str] = []
    # Named from what check() proved: the enrolled device's id and the bundle sequence.
    bag_at = blob_stores.bag_key(dev, checked.sequence)
    created_bag = False
    # Inside the caller's transaction, which holds the device's row: a refusal or a
    # crash rolls every row back, and the files this call placed are taken back.
    try:
        conn.execute("INSERT INTO bundles VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                     (bid, dev, checked.sequence, checked.tagmanifest_sha256, checked.ciphertext_sha256,
                      checked.ciphertext_size, store.clock().isoformat(), b"", b""))
        conn.executemany("INSERT INTO seals VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                         [(dev, s.seq, s.sha256, s.digest, bid) for s in checked.seals])
        conn.executemany("INSERT INTO audit VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                         [(dev, a.seq, a.hash, a.action, bid) for a in checked.audit])
        h = checked.head
        conn.execute("INSERT INTO device_heads VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (device_id) DO UPDATE "
                     "SET body = excluded.body, signature = excluded.signature, audit_seq = excluded.audit_seq, "
                     "audit_hash = excluded.audit_hash, seal_seq = excluded.seal_seq, "
                     "seal_hash = excluded.seal_hash, at = excluded.at, bundle_id = excluded.bundle_id",
                     (dev, checked.head_body, checked.head_signature, h["audit_seq"], h["audit_hash"],
                      h["seal_seq"], h["seal_hash"], h["at"], bid))
        conn.executemany("INSERT INTO snapshots VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                         [(dev, i, sha, bid) for i, sha in checked.inspections.items()])
        for seal in checked.seals:
            conn.execute("INSERT INTO evidence VALUES (?, ?) ON CONFLICT DO NOTHING", (seal.sha256, seal.size))
            # Content-addressed: an original is stored once. The same bytes may arrive through
            # two receivers at once; the evidence row inserted above makes the second wait
            # until the first commits (and finds its copy) or rolls back (and finds none).
            key = blob_stores.evidence_key(seal.sha256)
            if blobs.put_file(key, checked.folder / bag.evidence_path(seal.sha256)):
                placed.append(key)
                point("hq.evidence-placed")
        shutil.rmtree(checked.folder / "data" / "evidence", ignore_errors=True)
        created_bag = True  # from here on what is under the bag's key is this call's (or an earlier try's)
        blobs.put_tree(bag_at, checked.folder)
        point("hq.bag-placed")
        receipt = _receipt(store, checked)  # signed only once every byte is stored
        conn.execute("UPDATE bundles SET receipt_body = ?, receipt_signature = ? WHERE bundle_id = ?",
                     (receipt.body, receipt.signature, bid))
    except BaseException:
        # The caller's transaction rolls the rows back once this returns. Until then it
        # holds the evidence rows inserted above, so another receiver storing the same
        # original waits at its own insert and finds no file of ours when it looks.
        for key in placed:
            blobs.delete(key)
        if created_bag:  # only this bundle's bag: the device and sequence are not yet HQ's
            blobs.delete_tree(bag_at)
        raise
    return receipt


def _receipt(store: HqStore, checked: CheckedBundle) -> SignedReceipt:
    head = store.chain_head(checked.device_id)  # inside the transaction: includes this bundle
    received_at = store.conn.execute("SELECT received_at FROM bundles WHERE bundle_id = ?",
                                     (checked.bundle_id,)).fetchone()[0]
    signing = keys.signing_key(store.folder)
    body = crypto.canonical_json({
        "format": RECEIPT_FORMAT,
        "bundle_id": checked.bundle_id,
        "device_id": checked.device_id,
        "sequence": checked.sequence,
        "bundle_sha256": checked.ciphertext_sha256,
        "tagmanifest_sha256": checked.tagmanifest_sha256,
        "received_at": received_at,
        "seal_range": list(checked.seal_range) if checked.seal_range else None,
        "audit_range": list(checked.audit_range) if checked.audit_range else None,
        "evidence": [s.sha256 for s in checked.seals],
        "records": [{"inspection_id": i, "sha256": sha} for i, sha in sorted(checked.inspections.items())],
        "chain_head": head,
        "hq_key_sha256": crypto.sha256_hex(crypto.public_key_raw(signing.public_key())),
    })
    return SignedReceipt(body, crypto.sign(signing, body))
