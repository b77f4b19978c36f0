"""Key checks: an entropy estimate, the key rules of start-up, the development key."""

from __future__ import annotations

import math
import os
import secrets
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from zxcvbn import zxcvbn

MIN_KEY_BITS = 100


def key_entropy_bits(key: str) -> float:
    """An estimate of a key's entropy: the lower of its length times the Shannon entropy of
    its characters (a repeated letter: 0) and zxcvbn's guess count (repeats, sequences and
    words: "0123456789" four times has many distinct characters but few guesses). Random
    keys (token_urlsafe, token_hex) score far above MIN_KEY_BITS."""
    if not key:
        return 0.0
    counts = Counter(key)
    per_char = -sum(n / len(key) * math.log2(n / len(key)) for n in counts.values())
    guesses_log10 = zxcvbn(key[:100], max_length=100)["guesses_log10"]
    return min(per_char * len(key), guesses_log10 * math.log2(10))


def key_problems(values: dict[str, Any], *, production: bool) -> list[str]:
    given = [
        n
        for n, a in (
            ("ECON_SECRET_KEY", "secret_key"),
            ("ECON_SECRET_KEYS", "secret_keys"),
            ("ECON_KEYRING_FILE", "keyring_file"),
        )
        if a in values
    ]
    if len(given) > 1:
        return [f"set only one of {', '.join(given)}"]
    if production and not given:
        return [
            "ECON_SECRET_KEY must be set (at least 32 characters), or a key ring in "
            "ECON_SECRET_KEYS or ECON_KEYRING_FILE, in production: it protects participants' "
            "restricted data"
        ]
    if given and given[0] != "ECON_SECRET_KEY" and "hash_key" not in values:
        return [f"ECON_HASH_KEY must be set with {given[0]} (the login tokens and audit chain)"]
    if production:
        ring = values.get("secret_keys") or values.get("keyring_file") or ()
        named = [(given[0], values["secret_key"])] if "secret_key" in values else []
        named += [(f"{given[0]} key {key_id!r}", value) for key_id, value in ring]
        if "hash_key" in values:
            named.append(("ECON_HASH_KEY", values["hash_key"]))
        weak = [name for name, value in named if key_entropy_bits(value) < MIN_KEY_BITS]
        if weak:
            return [
                f"{name} has too little entropy for production (a repeated or patterned "
                "value): generate one with `python -c 'import secrets; "
                "print(secrets.token_urlsafe(48))'`"
                for name in weak
            ]
    return []


def development_key(data_dir: Path) -> str:
    """A per-installation key under the data directory, created once, readable by us only."""
    path = data_dir / "secret.key"
    if path.exists():
        return path.read_text().strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(key + "\n")
    print(
        f"econ: generated a development secret key in {path} (set ECON_SECRET_KEY in production)",
        file=sys.stderr,
    )
    return key
