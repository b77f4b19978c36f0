"""Fields that stipends adds to `Participant`: her schedules and her payments."""

from __future__ import annotations

import graphene

from econ.schema.errors import visible_or_forbidden
from econ.stipends import services


class ParticipantFields:
    stipend_schedules = graphene.List(
        graphene.NonNull("econ.stipends.graphql.StipendSchedule"),
        description="Her stipend schedules, oldest first (staff in reach, herself).",
    )
    payments = graphene.List(
        graphene.NonNull("econ.stipends.graphql.PaymentLineType"),
        description="Her payment lines, newest first (finance, her counselor, herself).",
    )

    @staticmethod
    def resolve_stipend_schedules(participant, info):
        return services.schedules_of(info.context.actor, participant.id)

    @staticmethod
    def resolve_payments(participant, info):
        with visible_or_forbidden("payments"):
            return services.payments_of(info.context.actor, participant)
