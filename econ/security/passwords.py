"""argon2id password hashing (parameters from settings so tests can run cheaply), and
the rule a new password must pass.

Strength is judged by zxcvbn (Dropbox's estimator, with its lists of common passwords,
names, words and keyboard patterns) and must reach score 3 ("safely unguessable: moderate
protection from offline slow-hash scenario") given the person's own e-mail and name, so
"password1234", "qwertyuiop12" or her own name with a year are refused. Ten spaces, or a
password with characters nobody can see or retype (controls, zero-width and format
characters, non-breaking or other unusual spaces), are refused before that.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from zxcvbn import zxcvbn

from econ.config import get_settings
from econ.errors import DomainError
from econ.lanes import outside_lane
from econ.security.errors import SecurityCode

MIN_LENGTH = 10
MAX_LENGTH = 256
MIN_SCORE = 3
ESTIMATED_LENGTH = 100  # zxcvbn's time grows fast with length; the rest only adds strength
# Unicode categories of characters one cannot see (or type back): controls, format
# characters such as zero-width spaces and direction marks, surrogates, private use,
# unassigned, line and paragraph separators. Spaces other than U+0020 are refused too.
_INVISIBLE = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}


def _weak(message: str) -> DomainError:
    return DomainError(SecurityCode.WEAK_PASSWORD, message, "password")


def check_new_password(password: str, personal: Iterable[str] = ()) -> None:
    """Raise WEAK_PASSWORD unless `password` may be set; `personal`: her e-mail, name."""
    password = password or ""
    if len(password) < MIN_LENGTH:
        raise _weak(f"a password needs at least {MIN_LENGTH} characters")
    if len(password) > MAX_LENGTH:
        raise _weak(f"a password may have at most {MAX_LENGTH} characters")
    if not password.strip():
        raise _weak("a password cannot be only spaces")
    for char in password:
        category = unicodedata.category(char)
        if category in _INVISIBLE or (category == "Zs" and char != " "):
            raise _weak("a password may not contain invisible or control characters")
    inputs = [part for value in personal for part in _parts(value)]
    estimate = zxcvbn(password[:ESTIMATED_LENGTH], user_inputs=inputs, max_length=ESTIMATED_LENGTH)
    if estimate["score"] < MIN_SCORE:
        feedback = estimate["feedback"]
        hint = feedback.get("warning") or " ".join(feedback.get("suggestions") or ())
        raise _weak(
            "this password is too easy to guess"
            + (f": {hint}" if hint else "")
            + "; try a few unrelated words"
        )


def _parts(value: str) -> list[str]:
    """An e-mail or name as the words zxcvbn should treat as known to an attacker."""
    value = (value or "").lower()
    local = value.split("@")[0]
    words = [w for w in local.replace(".", " ").replace("-", " ").replace("_", " ").split() if w]
    return [value, local, *words]


@lru_cache(maxsize=4)
def _hasher(time_cost: int, memory_kib: int) -> PasswordHasher:
    return PasswordHasher(time_cost=time_cost, memory_cost=memory_kib, parallelism=1)


def hasher() -> PasswordHasher:
    s = get_settings()
    return _hasher(s.argon2_time_cost, s.argon2_memory_kib)


def hash_password(password: str) -> str:
    with outside_lane():  # argon2 runs in C with the GIL free: others use the lane meanwhile
        return hasher().hash(password)


def verify_password(stored: str, password: str) -> bool:
    try:
        with outside_lane():  # as in hash_password
            return hasher().verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return hash_password("not a real password, only for equal timing")


def burn_verification_time(password: str) -> None:
    """Spend the same time as a real check, so unknown e-mails cannot be told from known ones."""
    verify_password(_dummy_hash(), password)
