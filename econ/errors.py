"""Errors the service layer raises; the GraphQL layer turns them into payload errors.

A `DomainError` is an expected failure (bad input, a state conflict): it carries a stable
`code` a client can branch on, a human message and, where one input caused it, the field.
`NotFound` is also what a caller gets for a record outside her reach, so that denied and
unknown look the same (no existence leaks).
"""

from __future__ import annotations


class DomainError(Exception):
    """An expected failure with a stable code, a message and optionally the input field."""

    code = "INVALID"

    def __init__(self, code: str | None = None, message: str = "", field: str | None = None):
        self.code = code or self.code
        self.message = message or self.code.replace("_", " ").lower()
        self.field = field
        super().__init__(self.message)


class NotFound(DomainError):
    """Unknown id, or a record the caller may not see: the two are indistinguishable."""

    code = "NOT_FOUND"

    def __init__(self, what: str = "record", field: str | None = None):
        super().__init__(self.code, f"{what} not found", field)


class PermissionDenied(DomainError):
    """The caller may not perform this action (she can see the record, but not do this)."""

    code = "FORBIDDEN"

    def __init__(self, message: str = "you are not allowed to do this", field: str | None = None):
        super().__init__(self.code, message, field)


class Unauthenticated(DomainError):
    """No valid session: the caller must log in."""

    code = "UNAUTHENTICATED"

    def __init__(self, message: str = "authentication required"):
        super().__init__(self.code, message)


class Conflict(DomainError):
    """The record changed under the caller, or is in a state that forbids the action."""

    code = "CONFLICT"
