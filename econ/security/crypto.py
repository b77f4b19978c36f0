"""Field encryption for restricted PII, and keyed hashing for tokens.

AES-256-GCM with keys derived by HKDF from the key ring (`ECON_SECRET_KEYS`,
`ECON_KEYRING_FILE` or the single `ECON_SECRET_KEY`, key id `0`). A value is stored as
`v2:<key id>:<base64 nonce+ciphertext>`: it names the key that sealed it, so old keys can
stay in the ring to read while `econ keys rotate` re-seals everything under the current
one. Values written before key ids (`v1:...`) are read with whichever ring key opens them.
The associated data binds each ciphertext to its table, column and row, so a value copied
into another row or column fails to decrypt instead of silently showing someone else's data.

Keyed hashes (login tokens, lookup hashes, the audit chain) use a separate key
(`ECON_HASH_KEY`, by default derived from `ECON_SECRET_KEY`) that rotation never touches.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from econ.config import get_settings

LEGACY = "v1"
CURRENT = "v2"


@lru_cache(maxsize=32)
def _derive(secret: str, purpose: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=b"econ", info=purpose).derive(
        secret.encode()
    )


@lru_cache(maxsize=32)
def _aead(key: bytes) -> AESGCM:
    """One cipher object per key: an export decrypts two values per payee of the file."""
    return AESGCM(key)


def _field_keys() -> tuple[tuple[str, bytes], ...]:
    return _ring(get_settings().field_keys)


@lru_cache(maxsize=8)
def _ring(field_keys: tuple[tuple[str, str], ...]) -> tuple[tuple[str, bytes], ...]:
    """The derived keys of a ring, once per ring: an export decrypts two values per payee."""
    purpose = b"econ field encryption v1"
    return tuple((key_id, _derive(secret, purpose)) for key_id, secret in field_keys)


def current_key_id() -> str:
    return get_settings().field_keys[0][0]


def _hash_key() -> bytes:
    return _derive(get_settings().hashing_secret, b"econ keyed hash v1")


def is_sealed(value: str | None) -> bool:
    return value is not None and value.startswith((f"{LEGACY}:", f"{CURRENT}:"))


def key_id_of(token: str) -> str | None:
    """The id of the key that sealed a value; None for a value from before key ids."""
    version, _, rest = token.partition(":")
    return rest.partition(":")[0] if version == CURRENT else None


def encrypt(plaintext: str | None, context: str) -> str | None:
    if plaintext is None:
        return None
    key_id, key = _field_keys()[0]
    nonce = os.urandom(12)
    sealed = _aead(key).encrypt(nonce, plaintext.encode(), context.encode())
    return f"{CURRENT}:{key_id}:{base64.b64encode(nonce + sealed).decode()}"


def decrypt(token: str | None, context: str) -> str | None:
    if token is None:
        return None
    version, _, rest = token.partition(":")
    if version == CURRENT:
        key_id, _, body = rest.partition(":")
        keys = [key for kid, key in _field_keys() if kid == key_id]
        if not keys:
            raise ValueError(f"key {key_id!r} is not in the key ring")
    elif version == LEGACY:
        body, keys = rest, [key for _, key in _field_keys()]
    else:
        raise ValueError("unknown ciphertext version")
    raw = base64.b64decode(body)
    for key in keys:
        try:
            return _aead(key).decrypt(raw[:12], raw[12:], context.encode()).decode()
        except InvalidTag:
            continue  # a legacy value: try the next key of the ring
    raise InvalidTag()


def keyed_hash(value: str) -> str:
    """HMAC-SHA256: stored instead of tokens, and used to look up values without storing them."""
    return hmac.new(_hash_key(), value.encode(), hashlib.sha256).hexdigest()
