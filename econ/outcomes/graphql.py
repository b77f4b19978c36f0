"""GraphQL surface of outcomes: `outcomes`, `caseload`, `outcomesReport`, `linkMilestone`."""

from __future__ import annotations

import datetime as dt

import graphene

from econ.outcomes import services
from econ.outcomes import today as today_items
from econ.outcomes.graphql_overview import load_overview
from econ.outcomes.report import LABELS, report_link
from econ.schema.enums import enum_of
from econ.schema.inputs import enum_value, parse_id
from econ.schema.mutations import BaseMutation
from econ.schema.pagination import connection_field, connection_type, paginate_list
from econ.schema.scalars import Money, money

OutcomeGrouping = enum_of("OutcomeGrouping", services.GROUPINGS)
CaseloadSortField = enum_of("CaseloadSortField", services.SORT_KEYS)
TodayKind = enum_of("TodayKind", today_items.KINDS, "What waits for the counselor.")
LinkedRecordType = graphene.Enum(
    "LinkedRecordType", [(t.upper(), t) for t in services.RECORD_TYPES]
)


class IndicatorCell(graphene.ObjectType):
    """One figure with what it counts; numerator and denominator are null when suppressed."""

    name = graphene.String(required=True)
    label = graphene.String(required=True)
    value = graphene.String(description="Decimal string; null when empty or suppressed.")
    numerator = graphene.Int()
    denominator = graphene.Int()
    suppressed = graphene.Boolean(required=True)

    @staticmethod
    def resolve_label(cell, info):
        return LABELS[cell.name]

    @staticmethod
    def resolve_value(cell, info):
        return None if cell.value is None else str(cell.value)


def _figure(name: str, kind: type = graphene.String) -> graphene.Field:
    def resolve(row, info):
        value = row.value(name)
        if value is None or kind is graphene.Int:
            return value
        return str(value)

    return kind(resolver=resolve, description=LABELS[name])


class OutcomeRow(graphene.ObjectType):
    """Figures of one group; rates are decimal strings (0.7500 = 75 %)."""

    key = graphene.String(required=True)
    group_id = graphene.ID()
    placement_rate = _figure("placement_rate")
    retention30 = _figure("retention30")
    retention90 = _figure("retention90")
    retention180 = _figure("retention180")
    median_earnings_q2 = _figure("median_earnings_q2")
    credential_rate = _figure("credential_rate")
    completion_rate = _figure("completion_rate")
    skill_gain_rate = _figure("skill_gain_rate")
    repayment_rate = _figure("repayment_rate")
    par30 = _figure("par30")
    median_stipend_months_to_independence = _figure("median_stipend_months_to_independence")
    independent_count = _figure("independent_count", graphene.Int)
    reentries = _figure("reentries", graphene.Int)
    employment_rate_q2 = _figure("employment_rate_q2")
    employment_rate_q4 = _figure("employment_rate_q4")
    wioa_median_earnings_q2 = _figure("wioa_median_earnings_q2")
    suppressed = graphene.Boolean(required=True)
    cells = graphene.List(graphene.NonNull(IndicatorCell), required=True)

    @staticmethod
    def resolve_cells(row, info):
        return list(row.cells.values())


OutcomeRowConnection = connection_type(OutcomeRow)


class Outcomes(graphene.ObjectType):
    # A page of rows computed whole: a grouping by cohort grows with every cohort, and the
    # secondary suppression of small cells needs every row of the grouping at once.
    rows = connection_field(OutcomeRowConnection, "One row per group of the grouping.")

    @staticmethod
    def resolve_rows(outcomes, info, first=None, after=None):
        return paginate_list(OutcomeRowConnection, outcomes.rows, first, after)


class OutcomesReport(graphene.ObjectType):
    url = graphene.String(required=True, description="GET it with your bearer token.")


class CaseloadEntry(graphene.ObjectType):
    participant = graphene.Field("econ.participants.graphql.Participant", required=True)
    status = graphene.String(required=True)
    months_at_target = graphene.Int(required=True, description="In a row, of the 3 needed.")
    independence_progress = graphene.String(required=True, description="0.00 to 1.00")
    latest_income = graphene.Field(Money)
    target = graphene.Field(Money, required=True)
    next_milestone = graphene.Field("econ.participants.graphql.MilestoneType")
    overdue_milestones = graphene.Int(required=True)
    stipend_months_left = graphene.Int(description="Null without a live stipend.")
    loan_days_past_due = graphene.Int(required=True)
    overview = graphene.Field(
        "econ.outcomes.graphql_overview.PlanOverviewType",
        required=True,
        description="Her plan overview as of the caseload's day (batched for the page).",
    )

    @staticmethod
    async def resolve_overview(row, info):
        return await load_overview(info, row.participant.id, row.as_of)

    @staticmethod
    def resolve_independence_progress(row, info):
        return str(row.independence_progress)

    @staticmethod
    def resolve_latest_income(row, info):
        return money(row.latest_income, info.context.currency)

    @staticmethod
    def resolve_target(row, info):
        return money(row.target, info.context.currency)


CaseloadConnection = connection_type(CaseloadEntry)


class CaseloadSort(graphene.InputObjectType):
    field = CaseloadSortField(required=True)
    descending = graphene.Boolean()


class CaseloadFilterInput(graphene.InputObjectType):
    status = graphene.InputField("econ.participants.graphql.ParticipantStatus")
    pathway = graphene.InputField(
        "econ.participants.graphql.Pathway", description="One of her plan's pathways."
    )
    has_overdue_milestones = graphene.Boolean()
    in_arrears = graphene.Boolean()
    stipend_months_left_at_most = graphene.Int()
    search = graphene.String(description="Part of her preferred name or code.")


class TodayItem(graphene.ObjectType):
    """One thing in her caseload waiting for her action; `recordId` names the referral,
    checkpoint, payment line, loan, milestone, enrolment request or plan revision."""

    kind = TodayKind(required=True)
    participant = graphene.Field("econ.participants.graphql.Participant", required=True)
    since = graphene.Date(description="Since when it waits (a due date, the day she asked).")
    record_id = graphene.ID()
    detail = graphene.String(
        required=True,
        description="An employer's name, a milestone's title, a hold code or a bank's reason.",
    )
    days = graphene.Int(description="Days overdue or past due, where that is the measure.")
    amount = graphene.Field(Money, description="A payment line's net amount.")

    @staticmethod
    def resolve_amount(item, info):
        return money(item.amount, info.context.currency) if item.amount is not None else None


class TodayKindCount(graphene.ObjectType):
    """How many things of one kind wait for her, on every page together."""

    kind = TodayKind(required=True)
    count = graphene.Int(required=True)


TodayItemConnection = connection_type(
    TodayItem,
    kind_counts=graphene.List(
        graphene.NonNull(TodayKindCount),
        required=True,
        description="Per kind, all pages together (a page shows only some of them).",
    ),
)


def _caseload_filter(given) -> services.CaseloadFilter:
    values = dict(given or {})
    for name in ("status", "pathway"):
        values[name] = enum_value(values.get(name))
    return services.CaseloadFilter(**values)


class Queries:
    outcomes = graphene.Field(
        graphene.NonNull(Outcomes),
        from_=graphene.Date(required=True, name="from"),
        to=graphene.Date(required=True),
        group_by=OutcomeGrouping(),
        as_of=graphene.Date(description="Read the data as of this day (default: the end)."),
        description="Indicators for the period, in your reach; small cells suppressed.",
    )
    caseload = connection_field(
        CaseloadConnection,
        "A counselor's caseload with signals, sortable and filterable.",
        sort=CaseloadSort(),
        filter=CaseloadFilterInput(),
        as_of=graphene.Date(),
    )
    counselor_today = connection_field(
        TodayItemConnection,
        "COUNSELOR: what in her caseload waits for her action, oldest first.",
        kinds=graphene.List(graphene.NonNull(TodayKind)),
        as_of=graphene.Date(),
    )
    outcomes_report = graphene.Field(
        graphene.NonNull(OutcomesReport),
        from_=graphene.Date(required=True, name="from"),
        to=graphene.Date(required=True),
        description="ADMIN: where to download the indicator report PDF.",
    )

    @staticmethod
    def resolve_outcomes(root, info, from_, to, group_by=None, as_of=None):
        rows = services.outcomes(
            info.context.actor, from_, to, enum_value(group_by) or "OVERALL", as_of
        )
        return Outcomes(rows=rows)

    @staticmethod
    def resolve_caseload(root, info, first=None, after=None, sort=None, filter=None, as_of=None):
        sort = sort or {}
        rows = services.caseload(
            info.context.actor,
            as_of or dt.date.today(),
            enum_value(sort.get("field")) or "NAME",
            bool(sort.get("descending")),
            _caseload_filter(filter),
        )
        return paginate_list(CaseloadConnection, rows, first, after)

    @staticmethod
    def resolve_counselor_today(root, info, kinds=None, as_of=None, first=None, after=None):
        # Items derived from her whole caseload's facts in a fixed number of statements,
        # then ranked: the page is cut from the ranked list (paginate_list).
        wanted = tuple(enum_value(k) for k in kinds) if kinds else None
        items = today_items.today(info.context.actor, as_of or dt.date.today(), wanted)
        page = paginate_list(TodayItemConnection, items, first, after)
        page.kind_counts = [
            TodayKindCount(kind=kind, count=n) for kind, n in today_items.count_by_kind(items)
        ]
        return page

    @staticmethod
    def resolve_outcomes_report(root, info, from_, to):
        return OutcomesReport(url=report_link(info.context.actor, from_, to))


class LinkMilestoneInput(graphene.InputObjectType):
    milestone_id = graphene.ID(required=True)
    record_type = LinkedRecordType(required=True)
    record_id = graphene.ID(required=True)


class LinkMilestone(BaseMutation):
    """Her counselor links a plan milestone to the record whose goal completes it."""

    class Arguments:
        input = LinkMilestoneInput(required=True)

    milestone = graphene.Field("econ.participants.graphql.MilestoneType")

    @classmethod
    def perform(cls, info, actor, data):
        milestone = services.link_plan_milestone(
            actor,
            parse_id(data["milestone_id"], "milestoneId"),
            enum_value(data["record_type"]),
            parse_id(data["record_id"], "recordId"),
        )
        return {"milestone": milestone}


class Mutations:
    link_milestone = LinkMilestone.Field()
