"""Fields that stipends adds to `Participant`: her schedules, her payments, her awards and
adjustments. Types are referred to by dotted path (this module is imported while
`Participant` is built)."""

from __future__ import annotations

from econ.schema.errors import visible_or_forbidden
from econ.schema.pagination import connection_field, paginate, paginate_keyset, paginate_list
from econ.stipends import services
from econ.stipends.graphql.line_types import PaymentLineConnection
from econ.stipends.graphql.review_types import (
    AdjustmentConnection,
    IncentiveAwardConnection,
)
from econ.stipends.graphql.review_types import (
    PendingScheduleConnection as StipendScheduleConnection,  # the same type
)
from econ.stipends.models import StipendSchedule


class ParticipantFields:
    stipend_schedules = connection_field(
        StipendScheduleConnection,
        "Her stipend schedules, oldest first (staff in reach, herself).",
        required=False,
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
    def resolve_stipend_schedules(participant, info, first=None, after=None):
        query = services.schedules_of(info.context.actor, participant.id)
        return paginate_keyset(StipendScheduleConnection, query, StipendSchedule.id, first, after)

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
