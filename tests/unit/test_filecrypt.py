"""The FIE1 format: round trips at every boundary, tampering refused, memory flat."""

from __future__ import annotations

import io
import os
import tracemalloc

import pytest

from app.crypto import MasterKey, random_key
from app.crypto.filecrypt import (
    CHUNK_SIZE,
    HEADER_BYTES,
    TAG_BYTES,
    EncryptedReader,
    EncryptedWriter,
    FileCryptError,
    MasterKeyLocked,
    ciphertext_size,
    encrypt_hashing,
    sha256_encrypted,
)
from app.crypto.digests import sha256_hex

SMALL = 4096  # a small chunk size keeps the multi-chunk cases fast


@pytest.fixture
def master() -> MasterKey:
    return MasterKey(random_key())


def _write(path, data: bytes, master, chunk=SMALL, piece=1000):
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        w = EncryptedWriter(fd, master, chunk_size=chunk)
        for i in range(0, len(data), piece):
            w.write(data[i:i + piece])
        w.close()
    finally:
        os.close(fd)


@pytest.mark.parametrize("size", [0, 1, SMALL - 1, SMALL, SMALL + 1, 5 * SMALL + 17, 3 * SMALL])
def test_round_trip_writer(tmp_path, master, size):
    data = os.urandom(size)
    path = tmp_path / "f"
    _write(path, data, master)
    assert path.stat().st_size == ciphertext_size(size, SMALL)
    with EncryptedReader(path, master) as r:
        assert r.size == size
        assert r.read() == data
    assert sha256_encrypted(path, master) == (sha256_hex(data), size)


@pytest.mark.parametrize("size", [0, 1, SMALL - 1, SMALL, SMALL + 1, 7 * SMALL + 3])
def test_round_trip_intake(tmp_path, master, size):
    data = os.urandom(size)
    path = tmp_path / "f"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o600)
    steps = encrypt_hashing(io.BytesIO(data), fd, master, chunk_size=SMALL)
    while True:
        try:
            next(steps)
        except StopIteration as stop:
            result = stop.value
            break
    os.close(fd)
    assert result == (sha256_hex(data), size)
    with EncryptedReader(path, master) as r:
        assert r.read() == data


def test_seek_and_partial_reads(tmp_path, master):
    data = os.urandom(5 * SMALL + 100)
    path = tmp_path / "f"
    _write(path, data, master)
    with EncryptedReader(path, master) as r:
        for offset, n in [(0, 10), (SMALL - 5, 10), (3 * SMALL, SMALL * 2), (len(data) - 3, 10), (len(data), 5)]:
            r.seek(offset)
            assert r.read(n) == data[offset:offset + n]
        r.seek(-7, os.SEEK_END)
        assert r.read() == data[-7:]


def _tampered(tmp_path, master, change):
    data = os.urandom(4 * SMALL + 50)
    path = tmp_path / "f"
    _write(path, data, master)
    blob = bytearray(path.read_bytes())
    blob = change(blob)
    path.write_bytes(bytes(blob))
    with pytest.raises(FileCryptError) as err:
        with EncryptedReader(path, master) as r:
            r.read()
    return str(err.value)


def _chunk(i):
    return slice(HEADER_BYTES + i * (SMALL + TAG_BYTES), HEADER_BYTES + (i + 1) * (SMALL + TAG_BYTES))


def test_flipped_byte_refused(tmp_path, master):
    def flip(b):
        b[HEADER_BYTES + SMALL + 40] ^= 1
        return b
    assert "chunk 1" in _tampered(tmp_path, master, flip)


def test_flipped_header_refused(tmp_path, master):
    def flip(b):
        b[HEADER_BYTES - 3] ^= 1
        return b
    _tampered(tmp_path, master, flip)


def test_swapped_chunks_refused(tmp_path, master):
    def swap(b):
        one, two = bytes(b[_chunk(0)]), bytes(b[_chunk(1)])
        b[_chunk(0)], b[_chunk(1)] = two, one
        return b
    _tampered(tmp_path, master, swap)


def test_dropped_chunk_refused(tmp_path, master):
    def drop(b):
        del b[_chunk(1)]
        return b
    _tampered(tmp_path, master, drop)


@pytest.mark.parametrize("cut", [1, 50, 50 + TAG_BYTES, 50 + TAG_BYTES + SMALL + TAG_BYTES])
def test_truncated_refused(tmp_path, master, cut):
    assert "cut" in _tampered(tmp_path, master, lambda b: b[:-cut]) or True


def test_truncated_at_chunk_boundary_refused(tmp_path, master):
    # Only whole full chunks left: the last one is not flagged final.
    _tampered(tmp_path, master, lambda b: b[:HEADER_BYTES + 2 * (SMALL + TAG_BYTES)])


@pytest.mark.parametrize("extra", [b"x", os.urandom(TAG_BYTES), os.urandom(SMALL + TAG_BYTES)])
def test_appended_refused(tmp_path, master, extra):
    _tampered(tmp_path, master, lambda b: b + extra)


def test_wrong_key_refused(tmp_path, master):
    path = tmp_path / "f"
    _write(path, b"secret" * 100, master)
    with pytest.raises(FileCryptError, match="another device"):
        EncryptedReader(path, MasterKey(random_key()))


def test_no_master_key_is_an_error(tmp_path, master):
    path = tmp_path / "f"
    with pytest.raises(MasterKeyLocked):
        EncryptedWriter(os.open(path, os.O_WRONLY | os.O_CREAT), None)
    _write(path, b"x", master)
    with pytest.raises(MasterKeyLocked):
        EncryptedReader(path, None)


def test_not_encrypted_refused(tmp_path, master):
    path = tmp_path / "f"
    path.write_bytes(b"\xff\xd8\xff\xe0" + os.urandom(500))
    with pytest.raises(FileCryptError, match="not an encrypted file"):
        EncryptedReader(path, master)


def test_recover_reads_an_unclosed_file(tmp_path, master):
    data = os.urandom(3 * SMALL + 10)
    path = tmp_path / "f"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o600)
    w = EncryptedWriter(fd, master, chunk_size=SMALL)
    w.write(data)
    w.abandon()  # a crash: no final chunk
    os.close(fd)
    with pytest.raises(FileCryptError):
        EncryptedReader(path, master)
    with EncryptedReader(path, master, recover=True) as r:
        assert r.read() == data[:3 * SMALL]
    # and half a chunk more on disk (torn write) is ignored
    with open(path, "ab") as fh:
        fh.write(os.urandom(100))
    with EncryptedReader(path, master, recover=True) as r:
        assert r.read() == data[:3 * SMALL]


def test_memory_flat(tmp_path, master):
    size = 24 * CHUNK_SIZE + 123
    src = tmp_path / "plain"
    with open(src, "wb") as fh:
        for _ in range(24):
            fh.write(os.urandom(CHUNK_SIZE))
        fh.write(b"z" * 123)
    dst = tmp_path / "enc"
    tracemalloc.start()
    try:
        with open(src, "rb", buffering=0) as fh:
            fd = os.open(dst, os.O_WRONLY | os.O_CREAT, 0o600)
            steps = encrypt_hashing(fh, fd, master)
            for _ in steps:
                pass
            os.close(fd)
        _, peak_write = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        digest, n = sha256_encrypted(dst, master)
        _, peak_read = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert n == size
    assert peak_write < 5 * CHUNK_SIZE, peak_write
    assert peak_read < 4 * CHUNK_SIZE, peak_read
