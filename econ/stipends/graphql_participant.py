"""Fields that stipends adds to `Participant`: her schedules, her payments, her awards and
adjustments. Types are referred to by dotted path (this module is imported while
`Participant` is built)."""

from __future__ import annotations

import graphene

from econ.schema.errors import visible_or_forbidden
from econ.schema.pagination import connection_field, paginate, paginate_list
from econ.stipends import services
from econ.stipends.graphql.line_types import PaymentLineConnection
from econ.stipends.graphql.review_types import AdjustmentConnection, IncentiveAwardConnection


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
    incentive_awards = connection_field(
        IncentiveAwardConnection,
        "Her incentive awards, newest first, with their approval state (finance, her "
        "counselor, herself).",
    )
    adjustments = connection_field(
        AdjustmentConnection,
        "Her adjustments and support grants, newest first, with their approval state "
        "(finance, her counselor, herself).",
    )

    @staticmethod
    def resolve_stipend_schedules(participant, info):
        return services.schedules_of(info.context.actor, participant.id)

    @staticmethod
    def resolve_payments(participant, info, first=None, after=None):
        with visible_or_forbidden("payments"):
            lines = services.payments_of(info.context.actor, participant)
        return paginate_list(PaymentLineConnection, lines, first, after)

    @staticmethod
    def resolve_incentive_awards(participant, info, first=None, after=None):
        with visible_or_forbidden("incentiveAwards"):
            query = services.awards_of(info.context.actor, participant)
        return paginate(IncentiveAwardConnection, query, first, after)

    @staticmethod
    def resolve_adjustments(participant, info, first=None, after=None):
        with visible_or_forbidden("adjustments"):
            query = services.adjustments_of(info.context.actor, participant)
        return paginate(AdjustmentConnection, query, first, after)
