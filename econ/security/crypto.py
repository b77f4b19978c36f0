"""Field encryption for restricted PII, and keyed hashing for tokens.

AES-256-GCM with a key derived by HKDF from `ECON_SECRET_KEY`. The associated data binds
each ciphertext to its table, column and row, so a value copied into another row or
column fails to decrypt instead of silently showing someone else's data.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from functools import lru_cache

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from econ.config import get_settings

_VERSION = "v1"


@lru_cache(maxsize=8)
def _derive(secret: str, purpose: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=b"econ", info=purpose).derive(
        secret.encode()
    )


def _field_key() -> bytes:
    return _derive(get_settings().secret_key, b"econ field encryption v1")


def _hash_key() -> bytes:
    return _derive(get_settings().secret_key, b"econ keyed hash v1")


def encrypt(plaintext: str | None, context: str) -> str | None:
    if plaintext is None:
        return None
    nonce = os.urandom(12)
    sealed = AESGCM(_field_key()).encrypt(nonce, plaintext.encode(), context.encode())
    return f"{_VERSION}:{base64.b64encode(nonce + sealed).decode()}"


def decrypt(token: str | None, context: str) -> str | None:
    if token is None:
        return None
    version, _, body = token.partition(":")
    if version != _VERSION:
        raise ValueError("unknown ciphertext version")
    raw = base64.b64decode(body)
    return AESGCM(_field_key()).decrypt(raw[:12], raw[12:], context.encode()).decode()


def keyed_hash(value: str) -> str:
    """HMAC-SHA256: stored instead of tokens, and used to look up values without storing them."""
    return hmac.new(_hash_key(), value.encode(), hashlib.sha256).hexdigest()
