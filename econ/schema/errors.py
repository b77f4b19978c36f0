"""GraphQL-facing errors: user errors in payloads, coded top-level errors, masking.

Expected failures carry `extensions.code`; anything else is logged with an id and the
client sees only "internal error" and that id — never a traceback.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import graphene
from graphql import GraphQLError

from econ.errors import CommonCode, DomainError, PermissionDenied
from econ.schema.error_codes import ErrorCode, all_codes

log = logging.getLogger("econ.errors")
KNOWN_CODES = frozenset(all_codes())


class UserError(graphene.ObjectType):
    """An expected failure of a mutation: a stable code, a message, and the input field."""

    field = graphene.String(description="Input field that caused the error, if any.")
    code = graphene.Field(ErrorCode, required=True, description="Stable machine-readable code.")
    message = graphene.String(required=True, description="Human-readable explanation.")


def user_error(exc: DomainError) -> UserError:
    code = str(exc.code)  # a code enum's member is its value
    if code not in KNOWN_CODES:  # a test scans every raise site, so this is a bug if reached
        log.error("error code %r is in no code enum; reported as INVALID", code)
        code = CommonCode.INVALID.value
    return UserError(field=exc.field, code=code, message=exc.message)


def forbidden(what: str = "this field") -> GraphQLError:
    return GraphQLError(f"{what} is not visible to your role", extensions={"code": "FORBIDDEN"})


@contextmanager
def visible_or_forbidden(what: str) -> Iterator[None]:
    """A field whose service refuses the caller (PermissionDenied) reads as FORBIDDEN,
    with the same message as every other field her role may not see."""
    try:
        yield
    except PermissionDenied:
        raise forbidden(what) from None


def bad_request(message: str) -> GraphQLError:
    return GraphQLError(message, extensions={"code": "BAD_REQUEST"})


def format_error(error: GraphQLError) -> dict:
    """Serialise one error for the client, masking anything unexpected."""
    original = error.original_error
    if original is None or isinstance(original, GraphQLError):
        formatted = error.formatted
        return formatted
    if isinstance(original, DomainError):
        return {
            "message": original.message,
            "path": error.path,
            "extensions": {"code": original.code},
        }
    error_id = uuid.uuid4().hex[:12]
    log.error("unexpected error %s at %s", error_id, error.path, exc_info=original)
    return {
        "message": f"internal error (id {error_id})",
        "path": error.path,
        "extensions": {"code": "INTERNAL", "errorId": error_id},
    }
