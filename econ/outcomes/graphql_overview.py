"""GraphQL types of `Participant.plan.overview`; each part links to its records.

The `overview` field itself is declared on the Plan type (econ/participants/graphql/types.py);
it resolves through `load_overview`, one batched load per request and day, so a list of
participants costs the same number of statements as one.
"""

from __future__ import annotations

import datetime as dt

import graphene

from econ.outcomes import overview as service
from econ.schema.loaders import Relation
from econ.schema.scalars import Money, money


def _money(attr: str, description: str = "") -> graphene.Field:
    def resolve(part, info):
        return money(getattr(part, attr), info.context.currency)

    return graphene.Field(Money, description=description, resolver=resolve)


def _overviews(keys: list[tuple[int, dt.date]]) -> dict:
    """Overviews of (participant, day) keys, one query batch per day asked for."""
    days: dict[dt.date, list[int]] = {}
    for participant_id, day in keys:
        days.setdefault(day, []).append(participant_id)
    found = {}
    for day, ids in days.items():
        found.update({(pid, day): o for pid, o in service.overviews(ids, day).items()})
    return found


OVERVIEW = Relation("participant overview on a day", _overviews)


async def load_overview(info, participant_id: int, as_of: dt.date | None):
    """Callers have checked access (the plan resolver did)."""
    return await OVERVIEW.load(info, (participant_id, as_of or dt.date.today()))


class OverviewEnrollment(graphene.ObjectType):
    enrollment_id = graphene.ID(required=True)
    enrollment = graphene.Field("econ.training.graphql.Enrollment")
    program_title = graphene.String(required=True)
    status = graphene.String(required=True)
    attendance_rate = graphene.String(
        description="Decimal share, e.g. 0.9500; null before any day."
    )
    credential_name = graphene.String()

    @staticmethod
    def resolve_enrollment_id(line, info):
        return line.enrollment.id

    @staticmethod
    def resolve_attendance_rate(line, info):
        return None if line.attendance_rate is None else str(line.attendance_rate)

    @staticmethod
    def resolve_credential_name(line, info):
        return line.credential.name if line.credential else None


class TrainingOverview(graphene.ObjectType):
    current = graphene.List(graphene.NonNull(OverviewEnrollment), required=True)
    completed = graphene.List(graphene.NonNull(OverviewEnrollment), required=True)
    credentials = graphene.List(graphene.NonNull("econ.training.graphql.Credential"), required=True)


class StageCount(graphene.ObjectType):
    stage = graphene.String(required=True)
    count = graphene.Int(required=True)


class EmploymentOverview(graphene.ObjectType):
    open_referrals = graphene.List(
        graphene.NonNull("econ.employers.graphql_types.ReferralType"), required=True
    )
    referrals_by_stage = graphene.List(graphene.NonNull(StageCount), required=True)
    current_placement = graphene.Field("econ.employers.graphql_types.PlacementType")
    checkpoints_due = graphene.List(
        graphene.NonNull("econ.employers.graphql_types.RetentionCheckpointType"),
        required=True,
        description="Retention checkpoints of the current placement due within 30 days.",
    )


class IncomeMonth(graphene.ObjectType):
    month = graphene.String(required=True, description="YYYY-MM")
    amount = _money("amount", "Verified employment + business income; null for none.")
    at_target = graphene.Boolean(required=True)


class IncomeOverview(graphene.ObjectType):
    target = _money("target")
    months = graphene.List(
        graphene.NonNull(IncomeMonth), required=True, description="The last 12 complete months."
    )
    months_at_target_in_a_row = graphene.Int(required=True)
    independent = graphene.Boolean(required=True)
    projection = graphene.String(
        required=True, description="REACHED, PROJECTED or NOT_YET_PROJECTABLE"
    )
    projected_independence_month = graphene.String(
        description="YYYY-MM; null when not projectable."
    )

    @staticmethod
    def resolve_projection(part, info):
        return part.projection.status

    @staticmethod
    def resolve_projected_independence_month(part, info):
        return part.projection.month


class StipendOverview(graphene.ObjectType):
    schedule = graphene.Field("econ.stipends.graphql.StipendSchedule")
    state = graphene.String()
    monthly_base = _money("monthly_base")
    months_used = graphene.Int(required=True)
    months_left = graphene.Int(required=True)
    current_period = graphene.String()
    current_net = _money("current_net")
    current_taper = _money("current_taper")
    next_payment_period = graphene.String()
    next_payment_net = _money("next_payment_net", "Null until a run has calculated it.")
    end_reason = graphene.String()


class MicrocreditOverview(graphene.ObjectType):
    loan = graphene.Field("econ.microcredit.graphql.LoanType")
    state = graphene.String()
    outstanding_principal = _money("outstanding_principal")
    next_installment_due = graphene.Date()
    next_installment_amount = _money("next_installment_amount")
    days_past_due = graphene.Int(required=True)


class MilestonesOverview(graphene.ObjectType):
    overdue = graphene.List(
        graphene.NonNull("econ.participants.graphql.MilestoneType"), required=True
    )
    due_soon = graphene.List(
        graphene.NonNull("econ.participants.graphql.MilestoneType"), required=True
    )
    done = graphene.List(graphene.NonNull("econ.participants.graphql.MilestoneType"), required=True)


class PlanOverviewType(graphene.ObjectType):
    class Meta:
        name = "PlanOverview"

    as_of = graphene.Date(required=True)
    training = graphene.Field(TrainingOverview, required=True)
    employment = graphene.Field(EmploymentOverview, required=True)
    income = graphene.Field(IncomeOverview, required=True)
    stipend = graphene.Field(StipendOverview, required=True)
    microcredit = graphene.Field(MicrocreditOverview, required=True)
    milestones = graphene.Field(MilestonesOverview, required=True)
