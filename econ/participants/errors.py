"""Error codes participants raise (`DomainError.code`).

Codes that other domains raise too are in `econ.errors.CommonCode`; together they make
the GraphQL enum `ErrorCode` (`econ/schema/error_codes.py`).
"""

from __future__ import annotations

from enum import StrEnum


class ParticipantCode(StrEnum):
    ALREADY_AGREED = "ALREADY_AGREED"
    ALREADY_VERIFIED = "ALREADY_VERIFIED"
    INVALID_COUNSELOR = "INVALID_COUNSELOR"
    INVALID_PHONE = "INVALID_PHONE"
    INVALID_SIGN_IN_NAME = "INVALID_SIGN_IN_NAME"
    INVALID_SKILL = "INVALID_SKILL"
    NAME_TAKEN = "NAME_TAKEN"
    NAME_TOO_CLOSE = "NAME_TOO_CLOSE"
    NO_PLAN = "NO_PLAN"
    NOT_VERIFIED = "NOT_VERIFIED"
    REVISION_CHANGED = "REVISION_CHANGED"
    STALE_VERSION = "STALE_VERSION"
