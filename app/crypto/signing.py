"""Ed25519 keys and signatures (device seals, HQ receipts and reference data)."""

from __future__ import annotations

from typing import TYPE_CHECKING

# The signature library is imported where it is used: hashing and canonical JSON
# sit on the path to the first window, signing does not (benchmarks/startup.py).
if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey as SigningKey
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey as VerifyKey

def generate_signing_key() -> SigningKey:
    """A new Ed25519 private key from the operating system's random source."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    return Ed25519PrivateKey.generate()


def sign(key: SigningKey, data: bytes) -> bytes:
    """The 64-byte raw Ed25519 signature (RFC 8032) of ``data``."""
    return key.sign(data)


def verify_signature(key: VerifyKey, signature: bytes, data: bytes) -> bool:
    """True when ``signature`` is a valid Ed25519 signature of ``data`` by ``key``."""
    from cryptography.exceptions import InvalidSignature

    try:
        key.verify(signature, data)
    except InvalidSignature:
        return False
    return True


def seal_private_key(key: SigningKey, passphrase: str, *, work_factor: int) -> bytes:
    """The key's PKCS#8 PEM inside an age file protected by ``passphrase`` (scrypt, as
    ``age -p`` writes it), so ``age -d FILE | openssl pkey`` reads it. The PEM exists only
    in memory, on its way into the envelope; no function here returns it bare."""
    import io

    from cryptography.hazmat.primitives import serialization

    from app.crypto.age import AgeWriter

    out = io.BytesIO()
    with AgeWriter(out, passphrase=passphrase, work_factor=work_factor) as writer:
        writer.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                       serialization.NoEncryption()))
    return out.getvalue()


def public_key_pem(key: VerifyKey) -> bytes:
    """SubjectPublicKeyInfo PEM, the form ``openssl pkeyutl -pubin`` reads."""
    from cryptography.hazmat.primitives import serialization

    return key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)


def public_key_raw(key: VerifyKey) -> bytes:
    """The 32 raw bytes of the public key (the last 32 bytes of its DER form)."""
    from cryptography.hazmat.primitives import serialization

    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


class KeyFormatError(ValueError):
    """A PEM file that does not hold an Ed25519 key of the expected kind."""


def load_public_key_raw(raw: bytes) -> VerifyKey:
    """The Ed25519 public key of its 32 raw bytes (see :func:`public_key_raw`)."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    try:
        return Ed25519PublicKey.from_public_bytes(raw)
    except ValueError as exc:
        raise KeyFormatError(str(exc)) from None


def load_private_key_pem(data: bytes) -> SigningKey:
    """Parse an unencrypted PKCS#8 PEM Ed25519 private key."""
    from cryptography.exceptions import UnsupportedAlgorithm
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    try:
        key = serialization.load_pem_private_key(data, password=None)
    except (ValueError, TypeError, UnsupportedAlgorithm) as exc:
        raise KeyFormatError(str(exc)) from None
    if not isinstance(key, Ed25519PrivateKey):
        raise KeyFormatError("not an Ed25519 private key")
    return key


def load_public_key_pem(data: bytes) -> VerifyKey:
    """Parse a SubjectPublicKeyInfo PEM Ed25519 public key."""
    from cryptography.exceptions import UnsupportedAlgorithm
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    try:
        key = serialization.load_pem_public_key(data)
    except (ValueError, TypeError, UnsupportedAlgorithm) as exc:
        raise KeyFormatError(str(exc)) from None
    if not isinstance(key, Ed25519PublicKey):
        raise KeyFormatError("not an Ed25519 public key")
    return key


def private_key_raw(key: SigningKey) -> bytes:
    """The 32-byte Ed25519 seed: what the device wraps with its master key (never stored bare)."""
    from cryptography.hazmat.primitives import serialization

    return key.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                             serialization.NoEncryption())


def signing_key_from_raw(seed: bytes) -> SigningKey:
    """The Ed25519 private key of a 32-byte seed (see :func:`private_key_raw`)."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    try:
        return Ed25519PrivateKey.from_private_bytes(seed)
    except ValueError as exc:
        raise KeyFormatError(str(exc)) from None
