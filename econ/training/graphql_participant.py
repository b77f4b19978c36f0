"""Fields training adds to `Participant`: her enrolments, requests and credentials.

Visible to her counselor and to herself only; other roles get a FORBIDDEN field error.
Types are referred to by dotted path (this module is imported while `Participant` is built).
"""

from __future__ import annotations

import graphene

from econ.schema.errors import forbidden
from econ.schema.loaders import Relation
from econ.training import services
from econ.training.access import sees_training_of


def _check(info, participant, field: str) -> None:
    actor = info.context.actor
    if actor is None or not sees_training_of(actor, participant.id, participant.counselor_id):
        raise forbidden(field)


ENROLLMENTS = Relation("her enrolments", services.enrollments_by_participant, missing=list)
CREDENTIALS = Relation("her credentials", services.credentials_for, missing=list)
REQUESTS = Relation("her enrolment requests", services.requests_by_participant, missing=list)


class ParticipantFields:
    enrollments = graphene.List(
        graphene.NonNull("econ.training.graphql.Enrollment"),
        description="Her training enrolments, newest first (her counselor and herself).",
    )
    credentials = graphene.List(
        graphene.NonNull("econ.training.graphql.Credential"),
        description="Credentials she earned, by date (her counselor and herself).",
    )
    enrollment_requests = graphene.List(
        graphene.NonNull("econ.training.graphql.EnrollmentRequest"),
        description="Seats she asked for and the answers.",
    )

    @staticmethod
    async def resolve_enrollments(participant, info):
        _check(info, participant, "enrollments")
        return await ENROLLMENTS.load(info, participant.id)

    @staticmethod
    async def resolve_credentials(participant, info):
        _check(info, participant, "credentials")
        return await CREDENTIALS.load(info, participant.id)

    @staticmethod
    async def resolve_enrollment_requests(participant, info):
        _check(info, participant, "enrollmentRequests")
        return await REQUESTS.load(info, participant.id)
