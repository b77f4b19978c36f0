"""Parsers of ECON_* values, and the constants they check against."""

from __future__ import annotations

import re
import stat
from collections.abc import Callable
from pathlib import Path

from limits import parse

ENVIRONMENTS = ("development", "production", "test")
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
MIN_SECRET = 32
KEY_ID = re.compile(r"^[A-Za-z0-9_-]{1,16}$")
LEGACY_KEY_ID = "0"  # the id of ECON_SECRET_KEY in the key ring


# Parsers: take the stripped text, return the value or raise ValueError saying what is wanted.


def integer(low: int, high: int | None = None) -> Callable[[str], int]:
    def parse(raw: str) -> int:
        try:
            value = int(raw)
        except ValueError:
            raise ValueError("must be a whole number") from None
        if value < low or (high is not None and value > high):
            raise ValueError(f"must be between {low} and {high}" if high else f"must be ≥ {low}")
        return value

    return parse


def boolean(raw: str) -> bool:
    lowered = raw.lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("0", "false", "no", "off"):
        return False
    raise ValueError("must be one of true, false, 1, 0, yes, no, on, off")


def choice(*values: str, upper: bool = False) -> Callable[[str], str]:
    def parse(raw: str) -> str:
        value = raw.upper() if upper else raw
        if value not in values:
            raise ValueError(f"must be one of {', '.join(values)}")
        return value

    return parse


def url(*schemes: str) -> Callable[[str], str]:
    def parse(raw: str) -> str:
        if not raw.startswith(tuple(f"{s}://" for s in schemes)):
            raise ValueError(
                f"must be a URL starting with {' or '.join(s + '://' for s in schemes)}"
            )
        return raw

    return parse


def text(raw: str) -> str:
    return raw


def secret(raw: str) -> str:
    if len(raw) < MIN_SECRET:
        raise ValueError(f"must be at least {MIN_SECRET} characters")
    return raw


def keyring(raw: str) -> tuple[tuple[str, str], ...]:
    """`id:secret,id:secret`, current key first."""
    return _keyring_entries(raw.replace(",", "\n"))


def _keyring_entries(body: str) -> tuple[tuple[str, str], ...]:
    entries = []
    for line in body.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        key_id, _, value = line.partition(":")
        key_id, value = key_id.strip(), value.strip()
        if not KEY_ID.match(key_id):
            raise ValueError(f"key id {key_id!r} must be 1-16 letters, digits, - or _")
        if len(value) < MIN_SECRET:
            raise ValueError(f"key {key_id!r} must be at least {MIN_SECRET} characters")
        entries.append((key_id, value))
    if not entries:
        raise ValueError("holds no key")
    ids = [key_id for key_id, _ in entries]
    if len(set(ids)) != len(ids):
        raise ValueError("names a key id twice")
    return tuple(entries)


def keyring_file(raw: str) -> tuple[tuple[str, str], ...]:
    """A file with one `id:secret` per line, current key first; readable by its owner only."""
    path = Path(raw)
    try:
        mode = path.stat().st_mode
        body = path.read_text()
    except OSError as exc:
        raise ValueError(f"cannot be read ({exc.strerror})") from None
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise ValueError(f"is readable by others: chmod 600 {path}")
    return _keyring_entries(body)


def rate(raw: str) -> str:
    """A request rate in the `limits` library's notation: "20/minute", "100 per hour"."""
    try:
        parse(raw)
    except ValueError:
        raise ValueError("must be a rate like 20/minute") from None
    return raw
