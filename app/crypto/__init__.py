"""Every cryptographic primitive the application uses, in one package.

Other modules ask for "the SHA-256 of these bytes", "canonical JSON", "sign this" or
"encrypt this stream to HQ"; none of them call hashlib, hmac or a cryptography library
themselves (tests/unit/test_evidence_crypto_module.py). The modules:

- ``digests``: SHA-256, canonical JSON, digests by name (the tus checksum extension);
- ``streaming``: copy and hash in one pass (evidence intake, bundles);
- ``signing``: Ed25519 keys and signatures (seals, receipts, reference data);
- ``pins``: salted scrypt PIN hashes;
- ``age``: the age v1 format for X25519 recipients, streamed;
- ``envelope``: AES-256-GCM key wrapping, HKDF, Argon2id, the device master key.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

# Each name is loaded from its module on first use (PEP 562), so a caller pays only
# for the modules it needs: the sign-in page needs neither streaming nor age nor
# signatures, and those loaded with the rest of the start-up cost it about 20 ms.
_HOME = {
    "canonical_json": "digests",
    "sha256_hex": "digests",
    "UPLOAD_CHECKSUM_ALGORITHMS": "digests",
    "new_digest": "digests",
    "new_sha256": "digests",
    "COPY_BUFFER_SIZE": "streaming",
    "copy_hashing": "streaming",
    "sha256_file": "streaming",
    "sha256_file_copy": "streaming",
    "PIN_SCRYPT_N": "pins",
    "PIN_SCRYPT_R": "pins",
    "PIN_SCRYPT_P": "pins",
    "hash_pin": "pins",
    "pin_matches": "pins",
    "generate_signing_key": "signing",
    "sign": "signing",
    "verify_signature": "signing",
    "public_key_pem": "signing",
    "public_key_raw": "signing",
    "KeyFormatError": "signing",
    "load_private_key_pem": "signing",
    "load_public_key_pem": "signing",
    "load_public_key_raw": "signing",
    "private_key_raw": "signing",
    "seal_private_key": "signing",
    "signing_key_from_raw": "signing",
    "AGE_INTRO": "age",
    "AGE_CHUNK": "age",
    "AgeError": "age",
    "bech32_encode": "age",
    "bech32_decode": "age",
    "age_generate_identity": "age",
    "age_recipient_bytes": "age",
    "age_identity_secret": "age",
    "age_recipient_of": "age",
    "AgeWriter": "age",
    "AgeReader": "age",
    "KEY_BYTES": "envelope",
    "Argon2Params": "envelope",
    "DEFAULT_ARGON2": "envelope",
    "KeyUnwrapError": "envelope",
    "MasterKey": "envelope",
    "derive_key": "envelope",
    "derive_pin_key": "envelope",
    "open_bytes": "envelope",
    "random_key": "envelope",
    "seal_bytes": "envelope",
    "unwrap_key": "envelope",
    "wrap_key": "envelope",
}


def __getattr__(name: str) -> Any:
    module = _HOME.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_HOME))


if TYPE_CHECKING:
    from app.crypto.digests import (  # noqa: F401
        canonical_json,
        sha256_hex,
        UPLOAD_CHECKSUM_ALGORITHMS,
        new_digest,
        new_sha256,
    )
    from app.crypto.streaming import (  # noqa: F401
        COPY_BUFFER_SIZE,
        copy_hashing,
        sha256_file,
        sha256_file_copy,
    )
    from app.crypto.pins import (  # noqa: F401
        PIN_SCRYPT_N,
        PIN_SCRYPT_R,
        PIN_SCRYPT_P,
        hash_pin,
        pin_matches,
    )
    from app.crypto.signing import (  # noqa: F401
        generate_signing_key,
        sign,
        verify_signature,
        public_key_pem,
        public_key_raw,
        KeyFormatError,
        load_private_key_pem,
        load_public_key_pem,
        load_public_key_raw,
        private_key_raw,
        seal_private_key,
        signing_key_from_raw,
    )
    from app.crypto.age import (  # noqa: F401
        AGE_INTRO,
        AGE_CHUNK,
        AgeError,
        bech32_encode,
        bech32_decode,
        age_generate_identity,
        age_recipient_bytes,
        age_identity_secret,
        age_recipient_of,
        AgeWriter,
        AgeReader,
    )
    from app.crypto.envelope import (  # noqa: F401
        KEY_BYTES,
        Argon2Params,
        DEFAULT_ARGON2,
        KeyUnwrapError,
        MasterKey,
        derive_key,
        derive_pin_key,
        open_bytes,
        random_key,
        seal_bytes,
        unwrap_key,
        wrap_key,
    )
    from app.crypto.signing import SigningKey, VerifyKey  # noqa: F401
