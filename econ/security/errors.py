"""Error codes logins and sessions raise (`DomainError.code`).

Codes that other domains raise too are in `econ.errors.CommonCode`; together they make
the GraphQL enum `ErrorCode` (`econ/schema/error_codes.py`).
"""

from __future__ import annotations

from enum import StrEnum


class SecurityCode(StrEnum):
    ALREADY_LINKED = "ALREADY_LINKED"
    EMAIL_TAKEN = "EMAIL_TAKEN"
    INVALID_CREDENTIALS = "INVALID_CREDENTIALS"
    INVALID_LINK = "INVALID_LINK"
    INVALID_ROLE = "INVALID_ROLE"
    LAST_ADMIN = "LAST_ADMIN"
    NEEDS_APPROVAL = "NEEDS_APPROVAL"
    RATE_LIMITED = "RATE_LIMITED"
    TOO_MANY_ATTEMPTS = "TOO_MANY_ATTEMPTS"
    WEAK_PASSWORD = "WEAK_PASSWORD"
