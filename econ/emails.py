"""E-mail addresses as logins and contact details store them: trimmed and lower-cased.

Below every domain: security checks a login's address with it, participants her contact
address, without either importing the other.
"""

from __future__ import annotations

import re

from econ.errors import CommonCode, DomainError

_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,189}\.[^@\s]{2,}$")


def normalize_email(email: str, field: str = "email") -> str:
    value = (email or "").strip().lower()
    if not _EMAIL.match(value):
        raise DomainError(
            CommonCode.INVALID_EMAIL, "enter an e-mail address like name@example.org", field
        )
    return value
