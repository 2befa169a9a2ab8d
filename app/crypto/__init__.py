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
    private_key_pem,
    public_key_pem,
    public_key_raw,
    KeyFormatError,
    load_private_key_pem,
    load_public_key_pem,
    load_public_key_raw,
    private_key_raw,
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

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the key types, for annotations elsewhere (the library loads only when signing)
    from app.crypto.signing import SigningKey, VerifyKey  # noqa: F401
