"""Where HQ keeps its files: the HQ folder (the default) or an S3-compatible bucket.

What is kept, by key (the same keys in both): ``evidence/<2 hex>/<sha256>`` (each
original once, named by its content), ``bags/<device id>/<sequence>/…`` (the rest
of each accepted bag), ``upload-results/<upload id>.json`` (each finished upload's
verdict) and, in a bucket, ``uploads/<upload id>/<offset>`` (the tus bytes, one
object per chunk received; in the folder they are ``uploads/<id>.bin``, appended to).

Every write is whole or absent: in the folder a rename in the same filesystem
followed by a sync of the folder, in a bucket a PUT (S3 makes an object visible only
once all of it arrived; a large one goes as a multipart upload, completed last). The
database row that names a file is committed only after the file is written, so a
row never points at nothing.

Which store: ``--blobs`` on the command line, else ``FIELDINSPECT_HQ_BLOBS``, else
the HQ folder. ``s3://bucket/prefix`` is a bucket through boto3 (``pip install
'fieldinspect[s3]'``); the endpoint (``AWS_ENDPOINT_URL_S3`` or ``AWS_ENDPOINT_URL``,
or ``--s3-endpoint-url``), the region and the credentials come from the standard
AWS environment variables and files, never from HQ's own files.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from app.atomic_files import fsync_dir

ENV = "FIELDINSPECT_HQ_BLOBS"
PART_BYTES = 8 << 20  # a multipart upload's part, and the size from which one is used
PARALLEL_PARTS = 2    # parts in flight per file: memory stays at about PART_BYTES × this per transfer


class BlobStoreError(ValueError):
    """A ``--blobs`` that names no store HQ can use (in Chinese and English)."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(f"{zh}\n{en}")
        self.zh, self.en = zh, en


def evidence_key(sha256: str) -> str:
    return f"evidence/{sha256[:2]}/{sha256}"


def bag_key(device_id: str, sequence: int) -> str:
    return f"bags/{device_id}/{sequence:06d}"


def result_key(upload_id: str) -> str:
    return f"upload-results/{upload_id}.json"


def upload_key(upload_id: str) -> str:
    """Where a bucket keeps the tus bytes of one upload in progress (one object per chunk)."""
    return f"uploads/{upload_id}"


def chunk_key(upload_id: str, offset: int) -> str:
    """The chunk of ``upload_id`` that begins at byte ``offset`` (zero-padded: listed in order)."""
    return f"{upload_key(upload_id)}/{offset:020d}"


def resolve(spec: str | None, folder: Path) -> FolderBlobs | S3Blobs:
    """The store named (a folder or ``s3://bucket/prefix``), else the environment's, else ``folder``."""
    chosen = spec or os.environ.get(ENV) or ""
    if chosen.startswith("s3://"):
        return S3Blobs.from_url(chosen)
    if "://" in chosen:
        raise BlobStoreError(f"不支持的文件存储：{chosen}（应为文件夹或 s3://桶/前缀）",
                             f"unsupported file store: {chosen} (a folder or s3://bucket/prefix)")
    return FolderBlobs(Path(chosen) if chosen else Path(folder))


class FolderBlobs:
    """Files under a folder that every receiver reaches (one machine, or a shared filesystem)."""

    shared_across_machines = False

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def __str__(self) -> str:
        return str(self.root)

    def path(self, key: str) -> Path:
        return self.root / key

    def has(self, key: str) -> bool:
        return self.path(key).exists()

    def put_file(self, key: str, source: Path) -> bool:
        """Move ``source`` (already synced) to ``key``; False, leaving ``source``, when
        ``key`` was there (content-addressed: the same bytes)."""
        target = self.path(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.exists():
            return False
        os.replace(source, target)
        fsync_dir(target.parent)
        return True

    def put_tree(self, key: str, folder: Path) -> None:
        """Move the folder ``folder`` to ``key``, replacing what an interrupted attempt left there."""
        target = self.path(key)
        if target.exists():
            shutil.rmtree(target)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(folder, target)
        fsync_dir(target.parent)

    def delete(self, key: str) -> None:
        self.path(key).unlink(missing_ok=True)

    def delete_tree(self, key: str) -> None:
        shutil.rmtree(self.path(key), ignore_errors=True)

    def read(self, key: str) -> bytes | None:
        try:
            return self.path(key).read_bytes()
        except FileNotFoundError:
            return None

    def write(self, key: str, data: bytes) -> None:
        """A small file, replaced whole (write, sync, rename)."""
        target = self.path(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(target.name + ".tmp")
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)


class S3Blobs:
    """Objects in an S3-compatible bucket under a prefix, through boto3. Thread-safe
    (boto3 clients are); files stream from and to disk, a part at a time."""

    shared_across_machines = True

    def __init__(self, bucket: str, prefix: str = "", *, endpoint_url: str | None = None) -> None:
        try:
            import boto3
            from boto3.s3.transfer import TransferConfig
            from botocore.config import Config
        except ImportError:
            raise BlobStoreError("未安装 boto3，无法使用 S3 存储：pip install 'fieldinspect[s3]'",
                                 "boto3 is not installed, needed for an S3 store: pip install 'fieldinspect[s3]'")
        self.bucket = bucket
        self.prefix = prefix.strip("/") + "/" if prefix.strip("/") else ""
        self.client = boto3.session.Session().client(
            "s3", endpoint_url=endpoint_url,
            config=Config(retries={"max_attempts": 10, "mode": "standard"}, max_pool_connections=32))
        self.transfer = TransferConfig(multipart_threshold=PART_BYTES, multipart_chunksize=PART_BYTES,
                                       max_concurrency=PARALLEL_PARTS, use_threads=True)

    @classmethod
    def from_url(cls, url: str, *, endpoint_url: str | None = None) -> S3Blobs:
        bucket, _, prefix = url.removeprefix("s3://").partition("/")
        if not bucket:
            raise BlobStoreError(f"S3 地址缺少桶名：{url}（应为 s3://桶/前缀）",
                                 f"the S3 address names no bucket: {url} (s3://bucket/prefix)")
        return cls(bucket, prefix, endpoint_url=endpoint_url)

    def __str__(self) -> str:
        return f"s3://{self.bucket}/{self.prefix}"

    def _key(self, key: str) -> str:
        return self.prefix + key

    def _missing(self, exc: Exception) -> bool:
        code = getattr(exc, "response", {}).get("Error", {}).get("Code", "")
        return code in ("404", "NoSuchKey", "NotFound")

    def has(self, key: str) -> bool:
        from botocore.exceptions import ClientError

        try:
            self.client.head_object(Bucket=self.bucket, Key=self._key(key))
            return True
        except ClientError as exc:
            if self._missing(exc):
                return False
            raise

    def upload(self, key: str, source: Path) -> None:
        """Copy the file ``source`` to ``key`` (multipart from :data:`PART_BYTES`); returns once it is whole."""
        self.client.upload_file(str(source), self.bucket, self._key(key), Config=self.transfer)

    def upload_stream(self, key: str, source: BinaryIO) -> None:
        """Copy the readable, seekable ``source`` from its start to ``key``; returns once the object is whole."""
        source.seek(0)
        self.client.upload_fileobj(source, self.bucket, self._key(key), Config=self.transfer)

    def open_stream(self, key: str) -> BinaryIO:
        """The object's bytes as a stream read from the network as asked (``read(n)``, ``close()``)."""
        return self.client.get_object(Bucket=self.bucket, Key=self._key(key))["Body"]

    def download(self, key: str, dest: Path) -> None:
        self.client.download_file(self.bucket, self._key(key), str(dest), Config=self.transfer)

    def put_file(self, key: str, source: Path) -> bool:
        if self.has(key):
            return False
        self.upload(key, source)
        source.unlink()
        return True

    def put_tree(self, key: str, folder: Path) -> None:
        self.delete_tree(key)  # what an interrupted attempt left
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            self.upload(f"{key}/{path.relative_to(folder).as_posix()}", path)
        shutil.rmtree(folder)

    def listing(self, key: str) -> Iterator[dict]:
        """The objects under ``key/`` (``Key`` without the store's prefix, ``Size``, ``LastModified``)."""
        pages = self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket,
                                                                      Prefix=self._key(key.rstrip("/") + "/"))
        for page in pages:
            for item in page.get("Contents", []):
                yield {**item, "Key": item["Key"][len(self.prefix):]}

    def delete(self, key: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=self._key(key))

    def delete_tree(self, key: str) -> None:
        keys = [{"Key": self._key(item["Key"])} for item in self.listing(key)]
        for start in range(0, len(keys), 1000):
            self.client.delete_objects(Bucket=self.bucket, Delete={"Objects": keys[start:start + 1000]})

    def read(self, key: str) -> bytes | None:
        from botocore.exceptions import ClientError

        try:
            return self.client.get_object(Bucket=self.bucket, Key=self._key(key))["Body"].read()
        except ClientError as exc:
            if self._missing(exc):
                return None
            raise

    def write(self, key: str, data: bytes) -> None:
        self.client.put_object(Bucket=self.bucket, Key=self._key(key), Body=data)
