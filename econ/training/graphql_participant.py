"""Fields training adds to `Participant`: her enrolments, requests and credentials.

Visible to her counselor and to herself only; other roles get a FORBIDDEN field error.
Each is a keyset page read in SQL for every participant of a list at once (a class list
shows each woman's): the loader's key is (her id, page size, cursor key). Types are
referred to by dotted path (this module is imported while `Participant` is built).
"""

from __future__ import annotations

from econ.paging import pages_by_key
from econ.schema.errors import forbidden
from econ.schema.loaders import Relation
from econ.schema.pagination import connection_at, connection_field, keyset_args, keyset_connection
from econ.training import services
from econ.training.access import sees_training_of

ENROLLMENTS = "econ.training.graphql.types.EnrollmentConnection"
CREDENTIALS = "econ.training.graphql.types.CredentialConnection"
REQUESTS = "econ.training.graphql.types.EnrollmentRequestConnection"


def _check(info, participant, field: str) -> None:
    actor = info.context.actor
    if actor is None or not sees_training_of(actor, participant.id, participant.counselor_id):
        raise forbidden(field)


def _pages(name: str, read) -> Relation:
    return Relation(name, lambda keys: pages_by_key(keys, read))


# (field, its pages, its connection type)
ENROLLMENT_PAGES = ("enrollments", _pages("her enrolments", services.enrollment_pages), ENROLLMENTS)
CREDENTIAL_PAGES = (
    "credentials",
    _pages("her credentials", services.credential_pages),
    CREDENTIALS,
)
REQUEST_PAGES = (
    "enrollmentRequests",
    _pages("her enrolment requests", services.request_pages),
    REQUESTS,
)


async def _page(info, participant, paged: tuple[str, Relation, str], first, after):
    field, relation, conn = paged
    _check(info, participant, field)
    size, start = keyset_args(first, after)
    page = await relation.load(info, (participant.id, size, start))
    return keyset_connection(connection_at(conn), page.rows, "id", page.has_next, page.total, start)


class ParticipantFields:
    enrollments = connection_field(
        ENROLLMENTS, "Her training enrolments, newest first (her counselor and herself).",
        required=False,
    )  # fmt: skip
    credentials = connection_field(
        CREDENTIALS,
        "Credentials she earned, in the order they were recorded (her counselor and herself).",
        required=False,
    )
    enrollment_requests = connection_field(
        REQUESTS, "Seats she asked for and the answers, newest first.", required=False
    )

    @staticmethod
    async def resolve_enrollments(participant, info, first=None, after=None):
        return await _page(info, participant, ENROLLMENT_PAGES, first, after)

    @staticmethod
    async def resolve_credentials(participant, info, first=None, after=None):
        return await _page(info, participant, CREDENTIAL_PAGES, first, after)

    @staticmethod
    async def resolve_enrollment_requests(participant, info, first=None, after=None):
        return await _page(info, participant, REQUEST_PAGES, first, after)
