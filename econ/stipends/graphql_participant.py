"""Fields that stipends adds to `Participant`: her schedules and her payments."""

from __future__ import annotations

import graphene

from econ.schema.errors import visible_or_forbidden
from econ.schema.pagination import connection_field, paginate_list
from econ.stipends import services
from econ.stipends.graphql.line_types import PaymentLineConnection


class ParticipantFields:
    stipend_schedules = graphene.List(
        graphene.NonNull("econ.stipends.graphql.StipendSchedule"),
        description="Her stipend schedules, oldest first (staff in reach, herself).",
    )
    payments = connection_field(
        PaymentLineConnection,
        "Her payment lines, newest first (finance, her counselor, herself).",
        required=False,
    )

    @staticmethod
    def resolve_stipend_schedules(participant, info):
        return services.schedules_of(info.context.actor, participant.id)

    @staticmethod
    def resolve_payments(participant, info, first=None, after=None):
        with visible_or_forbidden("payments"):
            lines = services.payments_of(info.context.actor, participant)
        return paginate_list(PaymentLineConnection, lines, first, after)
