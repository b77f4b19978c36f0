"""Errors the service layer raises; the GraphQL layer turns them into payload errors.

Codes are enums: the ones several domains share are `CommonCode` below, each domain's own
are in `econ/<domain>/errors.py`; all together they are the GraphQL enum `ErrorCode`.

A `DomainError` is an expected failure (bad input, a state conflict): it carries a stable
`code` a client can branch on, a human message and, where one input caused it, the field.
`NotFound` is also what a caller gets for a record outside her reach, so that denied and
unknown look the same (no existence leaks).
"""

from __future__ import annotations

from enum import StrEnum


class CommonCode(StrEnum):
    """Codes more than one domain raises (and those of the errors above); each domain's own
    are in its `errors.py`. Together they are the GraphQL enum `ErrorCode`."""

    ALREADY_DECIDED = "ALREADY_DECIDED"
    BAD_REQUEST = "BAD_REQUEST"
    BIC_REQUIRED = "BIC_REQUIRED"
    CONFLICT = "CONFLICT"
    DATABASE_NOT_EMPTY = "DATABASE_NOT_EMPTY"
    DEMO_IN_PRODUCTION = "DEMO_IN_PRODUCTION"
    FORBIDDEN = "FORBIDDEN"
    FUTURE_DATE = "FUTURE_DATE"
    INVALID = "INVALID"
    INVALID_AMOUNT = "INVALID_AMOUNT"
    INVALID_BIC = "INVALID_BIC"
    INVALID_CODE = "INVALID_CODE"
    INVALID_CHOICE = "INVALID_CHOICE"
    INVALID_DATE = "INVALID_DATE"
    INVALID_EMAIL = "INVALID_EMAIL"
    INVALID_FORMAT = "INVALID_FORMAT"
    INVALID_HOURS = "INVALID_HOURS"
    INVALID_IBAN = "INVALID_IBAN"
    INVALID_LANGUAGE = "INVALID_LANGUAGE"
    INVALID_MONTH = "INVALID_MONTH"
    INVALID_NUMBER = "INVALID_NUMBER"
    INVALID_REASON = "INVALID_REASON"
    INVALID_SETTING = "INVALID_SETTING"
    INVALID_STATUS = "INVALID_STATUS"
    INVALID_TRANSITION = "INVALID_TRANSITION"
    NOT_FOUND = "NOT_FOUND"
    NO_CHANGE = "NO_CHANGE"
    PARTICIPANT_NOT_ACTIVE = "PARTICIPANT_NOT_ACTIVE"
    REQUIRED = "REQUIRED"
    TOO_LONG = "TOO_LONG"
    TOO_MANY = "TOO_MANY"
    UNAUTHENTICATED = "UNAUTHENTICATED"


class DomainError(Exception):
    """An expected failure with a stable code, a message and optionally the input field."""

    code: str = CommonCode.INVALID

    def __init__(self, code: str | None = None, message: str = "", field: str | None = None):
        """`code` is a member of `CommonCode` or of a domain's code enum (`errors.py`)."""
        self.code = code or self.code
        self.message = message or self.code.replace("_", " ").lower()
        self.field = field
        super().__init__(self.message)


class NotFound(DomainError):
    """Unknown id, or a record the caller may not see: the two are indistinguishable."""

    code = CommonCode.NOT_FOUND

    def __init__(self, what: str = "record", field: str | None = None):
        super().__init__(self.code, f"{what} not found", field)


class PermissionDenied(DomainError):
    """The caller may not perform this action (she can see the record, but not do this)."""

    code = CommonCode.FORBIDDEN

    def __init__(self, message: str = "you are not allowed to do this", field: str | None = None):
        super().__init__(self.code, message, field)


class Unauthenticated(DomainError):
    """No valid session: the caller must log in."""

    code = CommonCode.UNAUTHENTICATED

    def __init__(self, message: str = "authentication required"):
        super().__init__(self.code, message)


class Conflict(DomainError):
    """The record changed under the caller, or is in a state that forbids the action."""

    code = CommonCode.CONFLICT


class DomainErrors(DomainError):
    """Several expected failures at once: every bad field of a form, so that fixing one does
    not reveal the next (a bad date must not hide a bad IBAN). Reads as its first error to
    code that knows only one."""

    def __init__(self, errors: list[DomainError]):
        self.errors = list(errors)
        first = self.errors[0]
        super().__init__(first.code, first.message, first.field)


class ErrorCollector:
    """Runs checks and keeps each one's DomainError instead of stopping at the first."""

    def __init__(self) -> None:
        self.errors: list[DomainError] = []

    def check(self, check, *args, **kwargs):
        """check(*args, **kwargs), or None when it raised a DomainError (kept for later)."""
        try:
            return check(*args, **kwargs)
        except DomainErrors as many:
            self.errors.extend(many.errors)
        except DomainError as exc:
            self.errors.append(exc)
        return None

    def raise_any(self) -> None:
        if len(self.errors) == 1:
            raise self.errors[0]
        if self.errors:
            raise DomainErrors(self.errors)
