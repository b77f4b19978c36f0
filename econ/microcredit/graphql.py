"""GraphQL surface of microcredit: groups, loans, schedules, repayments, meetings, portfolio.

Amounts are decimal strings ("1234.56") as the issue's contract selects them as leaves;
rates and PAR figures are decimal fractions with four places ("0.1234" = 12.34 %).
"""

from __future__ import annotations

from datetime import date

import graphene
import peewee as pw
from graphql import GraphQLError

from econ.errors import DomainError
from econ.microcredit import services
from econ.microcredit.access import group_detail_visible
from econ.microcredit.arrears import arrears_for
from econ.microcredit.models import (
    ATTENDANCE,
    GROUP_STATUSES,
    LOAN_PURPOSES,
    LOAN_STATES,
    MEETING_FREQUENCIES,
    MEMBER_ROLES,
    REPAYMENT_CHANNELS,
    WEEKDAYS,
    GroupMember,
    Installment,
    Loan,
    LoanGroup,
    Meeting,
    Repayment,
    SavingsContribution,
)
from econ.microcredit.preview import format_amount
from econ.microcredit.schedule import add_periods
from econ.microcredit.terms import camel
from econ.participants.models import Participant
from econ.participants.services import participants_by_id
from econ.schema.enums import enum_of
from econ.schema.errors import forbidden
from econ.schema.inputs import enum_value, parse_id
from econ.schema.lookups import or_none
from econ.schema.mutations import BaseMutation
from econ.schema.pagination import connection_field, connection_type, paginate

GroupStatus = enum_of("LoanGroupStatus", GROUP_STATUSES)
MeetingFrequency = enum_of("MeetingFrequency", MEETING_FREQUENCIES)
Weekday = enum_of("MeetingWeekday", WEEKDAYS)
MemberRole = enum_of("GroupMemberRole", MEMBER_ROLES)
LoanPurpose = enum_of("LoanPurpose", LOAN_PURPOSES)
LoanState = enum_of("LoanState", LOAN_STATES)
RepaymentChannel = enum_of("RepaymentChannel", REPAYMENT_CHANNELS)
AttendanceStatus = enum_of("MeetingAttendanceStatus", ATTENDANCE)
InterestMethod = enum_of("InterestMethod", ("FLAT", "DECLINING_BALANCE"))
Amortization = enum_of("Amortization", ("EQUAL_INSTALLMENTS", "EQUAL_PRINCIPAL"))
LoanFrequency = enum_of("LoanFrequency", ("DAYS", "WEEKS", "MONTHS"))
InterestCalculationPeriod = enum_of(
    "InterestCalculationPeriod", ("SAME_AS_REPAYMENT_PERIOD", "DAILY")
)
RoundingMode = enum_of(
    "RoundingMode", ("UP", "DOWN", "CEILING", "FLOOR", "HALF_UP", "HALF_DOWN", "HALF_EVEN")
)


def amount(value) -> str | None:
    return None if value is None else f"{value:.2f}"


def _actor(info):
    return info.context.actor


def _require_detail(info, field: str) -> None:
    if not group_detail_visible(_actor(info)):
        raise forbidden(field)


def _batch(info, name: str, fn):
    return info.context.loader(f"microcredit.{name}", fn)


def _grouped(rows, key) -> dict:
    out: dict = {}
    for row in rows:
        out.setdefault(key(row), []).append(row)
    return out


# ---- schedule preview ----------------------------------------------------------------------


class PreviewInstallment(graphene.ObjectType):
    class Meta:
        name = "LoanSchedulePreviewInstallment"

    number = graphene.Int(required=True)
    due_date = graphene.Date(required=True)
    principal = graphene.String(required=True)
    interest = graphene.String(required=True)
    total = graphene.String(required=True)
    balance_after = graphene.String(required=True)


class SchedulePreview(graphene.ObjectType):
    class Meta:
        name = "LoanSchedulePreview"

    currency = graphene.String(required=True)
    installments = graphene.List(graphene.NonNull(PreviewInstallment), required=True)
    total_principal = graphene.String(required=True)
    total_interest = graphene.String(required=True)
    total_repayment = graphene.String(required=True)


class LoanSchedulePreviewInput(graphene.InputObjectType):
    principal = graphene.String(required=True)
    annual_interest_rate = graphene.String(required=True, description='Percent, e.g. "12".')
    number_of_installments = graphene.Int(required=True)
    frequency = LoanFrequency(required=True)
    disbursement_date = graphene.Date(required=True)
    currency = graphene.String()
    currency_digits = graphene.Int()
    currency_in_multiples_of = graphene.Int()
    interest_method = InterestMethod()
    amortization = Amortization()
    repayment_every = graphene.Int()
    interest_calculation_period = InterestCalculationPeriod()
    # A string, not an enum: GraphQL enum values cannot be "360".
    days_in_year = graphene.String(description='"ACTUAL" (365 in Fineract), "360", "364", "365".')
    grace_on_principal = graphene.Int()
    grace_on_interest_payment = graphene.Int()
    grace_on_interest_charged = graphene.Int()
    installment_amount_in_multiples_of = graphene.String()
    rounding_mode = RoundingMode()
    first_due_date = graphene.Date()


def _preview(info, data: dict) -> SchedulePreview:
    values = {k: enum_value(v) for k, v in dict(data).items()}
    try:
        schedule = services.preview_schedule(_actor(info), **values)
    except DomainError as exc:
        raise GraphQLError(
            exc.message, extensions={"code": exc.code, "field": exc.field and camel(exc.field)}
        ) from None
    digits = values.get("currency_digits")
    digits = 2 if digits is None else digits
    fmt = lambda v: format_amount(v, digits)  # noqa: E731
    return SchedulePreview(
        currency=values.get("currency") or info.context.currency,
        installments=[
            PreviewInstallment(
                number=i.number,
                due_date=i.due_date,
                principal=fmt(i.principal),
                interest=fmt(i.interest),
                total=fmt(i.total),
                balance_after=fmt(i.balance_after),
            )
            for i in schedule.installments
        ],
        total_principal=fmt(schedule.total_principal),
        total_interest=fmt(schedule.total_interest),
        total_repayment=fmt(schedule.total_repayment),
    )


# ---- loans -------------------------------------------------------------------------------


class LoanInstallment(graphene.ObjectType):
    number = graphene.Int(required=True)
    due_date = graphene.Date(required=True)
    original_due_date = graphene.Date(required=True, description="Before any holiday.")
    principal = graphene.String(required=True)
    interest = graphene.String(required=True)
    total = graphene.String(required=True)
    paid_principal = graphene.String(required=True)
    paid_interest = graphene.String(required=True)
    paid = graphene.String(required=True)
    outstanding = graphene.String(required=True)


class LoanSchedule(graphene.ObjectType):
    projected = graphene.Boolean(
        required=True, description="True before disbursement: as if paid out today."
    )
    installments = graphene.List(graphene.NonNull(LoanInstallment), required=True)
    total_principal = graphene.String(required=True)
    total_interest = graphene.String(required=True)
    total_repayment = graphene.String(required=True)


def _installment(i) -> LoanInstallment:
    paid_p = getattr(i, "paid_principal", 0) or 0
    paid_i = getattr(i, "paid_interest", 0) or 0
    return LoanInstallment(
        number=i.number,
        due_date=i.due_date,
        original_due_date=getattr(i, "original_due_date", i.due_date),
        principal=amount(i.principal),
        interest=amount(i.interest),
        total=amount(i.principal + i.interest),
        paid_principal=amount(paid_p),
        paid_interest=amount(paid_i),
        paid=amount(paid_p + paid_i),
        outstanding=amount(i.principal + i.interest - paid_p - paid_i),
    )


def _installments_loader(info):
    def batch(ids):
        rows = Installment.select().where(Installment.loan.in_(ids)).order_by(Installment.number)
        found = _grouped(rows, lambda r: r.loan_id)
        return [found.get(i, []) for i in ids]

    return _batch(info, "installments", batch)


def _repayments_loader(info):
    def batch(ids):
        rows = (
            Repayment.select()
            .where(Repayment.loan.in_(ids))
            .order_by(Repayment.paid_on, Repayment.id)
        )
        found = _grouped(rows, lambda r: r.loan_id)
        return [found.get(i, []) for i in ids]

    return _batch(info, "repayments", batch)


def _participant_loader(info):
    def batch(ids):
        found = participants_by_id(ids)
        return [found.get(i) for i in ids]

    return _batch(info, "participant", batch)


class AllocationLine(graphene.ObjectType):
    installment_number = graphene.Int(required=True)
    principal = graphene.String(required=True)
    interest = graphene.String(required=True)


class RepaymentType(graphene.ObjectType):
    class Meta:
        name = "Repayment"

    id = graphene.ID(required=True)
    amount = graphene.String(required=True)
    paid_on = graphene.Date(required=True)
    channel = graphene.Field(RepaymentChannel, required=True)
    reversed = graphene.Boolean(required=True)
    reversed_at = graphene.DateTime()
    reversal_reason = graphene.String()
    allocation = graphene.List(
        graphene.NonNull(AllocationLine),
        required=True,
        description="Its share of each installment (for a reversed one: before reversal).",
    )

    @staticmethod
    def resolve_amount(r, info):
        return amount(r.amount)

    @staticmethod
    def resolve_reversed(r, info):
        return r.reversed_at is not None

    @staticmethod
    def resolve_allocation(r, info):
        return [
            AllocationLine(
                installment_number=n, principal=amount(p / 100), interest=amount(i / 100)
            )
            for n, p, i in r.allocation
        ]


def _term(name: str):
    return lambda loan, info: loan.terms[name]


class LoanType(graphene.ObjectType):
    class Meta:
        name = "Loan"

    id = graphene.ID(required=True)
    state = graphene.Field(LoanState, required=True)
    purpose = graphene.Field(LoanPurpose, required=True)
    purpose_note = graphene.String(required=True)
    principal = graphene.String(required=True)
    currency = graphene.String(required=True)
    annual_interest_rate = graphene.String(required=True)
    interest_method = graphene.String(required=True)
    amortization = graphene.String(required=True)
    number_of_installments = graphene.Int(required=True)
    frequency = graphene.String(required=True)
    repayment_every = graphene.Int(required=True)
    disbursement_date = graphene.Date()
    first_due_date = graphene.Date()
    borrower = graphene.Field("econ.participants.graphql.Participant")
    group = graphene.Field(lambda: LoanGroupType)
    schedule = graphene.Field(LoanSchedule, required=True)
    repayments = graphene.List(graphene.NonNull(RepaymentType), required=True)
    days_past_due = graphene.Int(required=True, description="As of today.")
    outstanding_principal = graphene.String(required=True)
    outstanding = graphene.String(required=True, description="Principal and interest.")
    rejection_reason = graphene.String()
    write_off_pending = graphene.Boolean(required=True)
    write_off_reason = graphene.String()

    @staticmethod
    def resolve_principal(loan, info):
        return amount(loan.principal)

    resolve_annual_interest_rate = staticmethod(_term("annual_interest_rate"))
    resolve_interest_method = staticmethod(_term("interest_method"))
    resolve_amortization = staticmethod(_term("amortization"))
    resolve_number_of_installments = staticmethod(_term("number_of_installments"))
    resolve_frequency = staticmethod(_term("frequency"))
    resolve_repayment_every = staticmethod(_term("repayment_every"))

    @staticmethod
    async def resolve_borrower(loan, info):
        return await _participant_loader(info).load(loan.borrower_id)

    @staticmethod
    async def resolve_group(loan, info):
        def batch(ids):
            found = {g.id: g for g in LoanGroup.select().where(LoanGroup.id.in_(ids))}
            return [found.get(i) for i in ids]

        return await _batch(info, "group", batch).load(loan.group_id)

    @staticmethod
    async def resolve_schedule(loan, info):
        if loan.state in ("APPLIED", "APPROVED", "REJECTED"):
            schedule = services.projected_schedule(loan)
            rows, projected = schedule.installments, True
        else:
            rows, projected = await _installments_loader(info).load(loan.id), False
        principal = sum((r.principal for r in rows), 0)
        interest = sum((r.interest for r in rows), 0)
        return LoanSchedule(
            projected=projected,
            installments=[_installment(r) for r in rows],
            total_principal=amount(principal),
            total_interest=amount(interest),
            total_repayment=amount(principal + interest),
        )

    @staticmethod
    async def resolve_repayments(loan, info):
        return await _repayments_loader(info).load(loan.id)

    @staticmethod
    async def resolve_days_past_due(loan, info):
        def batch(loans):
            rows = {r.loan_id: r for r in arrears_for(loans, date.today())}
            return [rows[x.id].days_past_due if x.state == "DISBURSED" else 0 for x in loans]

        return await _batch(info, "dpd", batch).load(loan)

    @staticmethod
    async def resolve_outstanding_principal(loan, info):
        rows = await _installments_loader(info).load(loan.id)
        return amount(sum((r.principal - r.paid_principal for r in rows), 0) if rows else 0)

    @staticmethod
    async def resolve_outstanding(loan, info):
        rows = await _installments_loader(info).load(loan.id)
        left = sum((r.principal + r.interest - r.paid_principal - r.paid_interest for r in rows), 0)
        return amount(left)

    @staticmethod
    def resolve_write_off_pending(loan, info):
        return loan.state == "DISBURSED" and loan.write_off_requested_by is not None


LoanConnection = connection_type(LoanType)


# ---- groups ------------------------------------------------------------------------------


class GroupMemberType(graphene.ObjectType):
    class Meta:
        name = "GroupMember"

    participant = graphene.Field("econ.participants.graphql.Participant", required=True)
    role = graphene.Field(MemberRole, required=True)
    joined_at = graphene.DateTime(required=True)


class AttendanceType(graphene.ObjectType):
    class Meta:
        name = "MeetingAttendance"

    participant_id = graphene.ID(required=True)
    status = graphene.Field(AttendanceStatus, required=True)


class MeetingType(graphene.ObjectType):
    class Meta:
        name = "Meeting"

    id = graphene.ID(required=True)
    date = graphene.Date(required=True)
    attendance = graphene.List(graphene.NonNull(AttendanceType), required=True)
    collected = graphene.String(required=True, description="Live repayments at the meeting.")
    saved = graphene.String(required=True, description="Savings at the meeting.")

    @staticmethod
    def resolve_attendance(meeting, info):
        return [
            AttendanceType(participant_id=a.participant_id, status=a.status)
            for a in meeting.attendance
        ]

    @staticmethod
    def resolve_collected(meeting, info):
        return amount(sum((r.amount for r in meeting.repayments if r.reversed_at is None), 0) or 0)

    @staticmethod
    def resolve_saved(meeting, info):
        return amount(sum((c.amount for c in meeting.contributions), 0) or 0)


class LoanGroupType(graphene.ObjectType):
    class Meta:
        name = "LoanGroup"

    id = graphene.ID(required=True)
    name = graphene.String(required=True)
    status = graphene.Field(GroupStatus, required=True)
    meeting_frequency = graphene.Field(MeetingFrequency, required=True)
    meeting_weekday = graphene.Field(Weekday, required=True)
    meeting_place = graphene.String(required=True, description="Coarse, never an address.")
    savings_per_meeting = graphene.String(required=True)
    next_meeting_dates = graphene.List(
        graphene.NonNull(graphene.Date), required=True, count=graphene.Int(default_value=4)
    )
    member_count = graphene.Int(required=True)
    fund = graphene.String(required=True, description="Savings in the solidarity fund.")
    members = graphene.List(graphene.NonNull(GroupMemberType), description="Staff only.")
    loans = graphene.List(graphene.NonNull(LoanType), description="Staff only.")
    meetings = graphene.List(graphene.NonNull(MeetingType), description="Staff only.")
    par30 = graphene.String(description="Staff only: CGAP PAR30 of the group's loans today.")
    arrears_rate = graphene.String(description="Staff only: overdue / outstanding principal.")

    @staticmethod
    def resolve_savings_per_meeting(group, info):
        return amount(group.savings_per_meeting)

    @staticmethod
    def resolve_next_meeting_dates(group, info, count=4):
        count = max(1, min(count, 12))
        today = date.today()
        weekday = WEEKDAYS.index(group.meeting_weekday)
        first = today + _days_until(today.weekday(), weekday)
        unit, every = {"WEEKLY": ("WEEKS", 1), "BIWEEKLY": ("WEEKS", 2), "MONTHLY": ("WEEKS", 4)}[
            group.meeting_frequency
        ]
        return [add_periods(first, unit, every, k) for k in range(count)]

    @staticmethod
    async def resolve_member_count(group, info):
        def batch(ids):
            rows = (
                GroupMember.select(GroupMember.group, pw.fn.COUNT(GroupMember.id))
                .where(GroupMember.group.in_(ids) & GroupMember.left_at.is_null())
                .group_by(GroupMember.group)
                .tuples()
            )
            found = dict(rows)
            return [found.get(i, 0) for i in ids]

        return await _batch(info, "member_count", batch).load(group.id)

    @staticmethod
    async def resolve_fund(group, info):
        def batch(ids):
            rows = (
                SavingsContribution.select(
                    SavingsContribution.group, pw.fn.SUM(SavingsContribution.amount)
                )
                .where(SavingsContribution.group.in_(ids))
                .group_by(SavingsContribution.group)
                .tuples()
            )
            found = dict(rows)
            return [amount(SavingsContribution.amount.python_value(found.get(i, 0))) for i in ids]

        return await _batch(info, "fund", batch).load(group.id)

    @staticmethod
    async def resolve_members(group, info):
        _require_detail(info, "members")

        def batch(ids):
            rows = (
                GroupMember.select(GroupMember, Participant)
                .join(Participant)
                .where(GroupMember.group.in_(ids) & GroupMember.left_at.is_null())
                .order_by(GroupMember.id)
            )
            found = _grouped(rows, lambda m: m.group_id)
            return [found.get(i, []) for i in ids]

        members = await _batch(info, "members", batch).load(group.id)
        return [
            GroupMemberType(participant=m.participant, role=m.role, joined_at=m.joined_at)
            for m in members
        ]

    @staticmethod
    async def resolve_loans(group, info):
        _require_detail(info, "loans")
        actor = _actor(info)

        def batch(ids):
            rows = services.visible_loans(actor).where(Loan.group.in_(ids))
            found = _grouped(rows, lambda loan: loan.group_id)
            return [found.get(i, []) for i in ids]

        return await _batch(info, "group_loans", batch).load(group.id)

    @staticmethod
    def resolve_meetings(group, info):
        _require_detail(info, "meetings")
        return list(Meeting.select().where(Meeting.group == group.id).order_by(Meeting.date))

    @staticmethod
    def resolve_par30(group, info):
        _require_detail(info, "par30")
        return str(services.portfolio(_actor(info), date.today(), group.id).par30)

    @staticmethod
    def resolve_arrears_rate(group, info):
        _require_detail(info, "arrearsRate")
        return str(services.portfolio(_actor(info), date.today(), group.id).arrears_rate)


def _days_until(today_weekday: int, weekday: int):
    from datetime import timedelta

    return timedelta(days=(weekday - today_weekday) % 7)


LoanGroupConnection = connection_type(LoanGroupType)


# ---- portfolio and collection sheets ------------------------------------------------------


class Bucket(graphene.ObjectType):
    class Meta:
        name = "DelinquencyBucket"

    label = graphene.String(required=True)
    count = graphene.Int(required=True)
    outstanding = graphene.String(required=True)


class PortfolioType(graphene.ObjectType):
    class Meta:
        name = "Portfolio"

    as_of = graphene.Date(required=True)
    loan_count = graphene.Int(required=True)
    outstanding_principal = graphene.String(required=True)
    par30 = graphene.String(
        required=True, description="CGAP PAR30: principal of loans >30 days late / outstanding."
    )
    par30_principal = graphene.String(required=True)
    arrears_rate = graphene.String(
        required=True, description="Overdue principal / outstanding principal (not PAR)."
    )
    overdue_principal = graphene.String(required=True)
    buckets = graphene.List(graphene.NonNull(Bucket), required=True)


def _portfolio(p) -> PortfolioType:
    return PortfolioType(
        as_of=p.as_of,
        loan_count=p.loans,
        outstanding_principal=amount(p.outstanding_principal),
        par30=str(p.par30),
        par30_principal=amount(p.par30_principal),
        arrears_rate=str(p.arrears_rate),
        overdue_principal=amount(p.overdue_principal),
        buckets=[
            Bucket(label=b.label, count=b.count, outstanding=amount(b.outstanding))
            for b in p.buckets
        ],
    )


class SheetRowType(graphene.ObjectType):
    class Meta:
        name = "CollectionSheetRow"

    participant_id = graphene.ID(required=True)
    preferred_name = graphene.String(required=True)
    role = graphene.Field(MemberRole, required=True)
    loan_id = graphene.ID()
    amount_due = graphene.String(required=True)
    savings_due = graphene.String(required=True)
    attendance = graphene.Field(AttendanceStatus)
    paid = graphene.String(required=True)
    saved = graphene.String(required=True)


class CollectionSheetType(graphene.ObjectType):
    class Meta:
        name = "CollectionSheet"

    group_id = graphene.ID(required=True)
    date = graphene.Date(required=True)
    saved = graphene.Boolean(required=True, description="True once the meeting is recorded.")
    rows = graphene.List(graphene.NonNull(SheetRowType), required=True)


def _sheet(sheet) -> CollectionSheetType:
    return CollectionSheetType(
        group_id=sheet.group.id,
        date=sheet.date,
        saved=sheet.saved,
        rows=[
            SheetRowType(
                participant_id=r.participant_id,
                preferred_name=r.preferred_name,
                role=r.role,
                loan_id=r.loan_id,
                amount_due=amount(r.amount_due),
                savings_due=amount(r.savings_due),
                attendance=r.attendance,
                paid=amount(r.paid),
                saved=amount(r.saved),
            )
            for r in sheet.rows
        ],
    )


class Queries:
    loan_schedule_preview = graphene.Field(
        graphene.NonNull(SchedulePreview),
        input=LoanSchedulePreviewInput(required=True),
        description="Any schedule, computed and not saved (Fineract cumulative conventions).",
    )
    loan_groups = connection_field(LoanGroupConnection, "Loan groups you may see.")
    loan_group = graphene.Field(LoanGroupType, id=graphene.ID(required=True))
    loans = connection_field(LoanConnection, "Loans you may see.", state=LoanState())
    loan = graphene.Field(LoanType, id=graphene.ID(required=True))
    portfolio = graphene.Field(
        graphene.NonNull(PortfolioType),
        as_of=graphene.Date(),
        group_id=graphene.ID(),
        description="PAR30, arrears rate and delinquency buckets as of a date (default today).",
    )
    collection_sheet = graphene.Field(
        graphene.NonNull(CollectionSheetType),
        group_id=graphene.ID(required=True),
        date=graphene.Date(required=True),
    )

    @staticmethod
    def resolve_loan_schedule_preview(root, info, input):
        return _preview(info, input)

    @staticmethod
    def resolve_loan_groups(root, info, first=None, after=None):
        return paginate(LoanGroupConnection, services.visible_groups(_actor(info)), first, after)

    @staticmethod
    def resolve_loan_group(root, info, id):
        return or_none(services.get_group, _actor(info), parse_id(id))

    @staticmethod
    def resolve_loans(root, info, first=None, after=None, state=None):
        query = services.visible_loans(_actor(info))
        if state is not None:
            query = query.where(Loan.state == enum_value(state))
        return paginate(LoanConnection, query, first, after)

    @staticmethod
    def resolve_loan(root, info, id):
        return or_none(services.get_loan, _actor(info), parse_id(id))

    @staticmethod
    def resolve_portfolio(root, info, as_of=None, group_id=None):
        group = parse_id(group_id, "groupId", required=False)
        return _portfolio(services.portfolio(_actor(info), as_of or date.today(), group))

    @staticmethod
    def resolve_collection_sheet(root, info, group_id, date):
        return _sheet(services.collection_sheet(_actor(info), parse_id(group_id, "groupId"), date))


# ---- mutations ---------------------------------------------------------------------------


class CreateLoanGroupInput(graphene.InputObjectType):
    name = graphene.String(required=True)
    meeting_frequency = MeetingFrequency(required=True)
    meeting_weekday = Weekday(required=True)
    meeting_place = graphene.String(description="Coarse place, e.g. 'community centre'.")
    savings_per_meeting = graphene.String(description='Decimal string, e.g. "5.00".')


class CreateLoanGroup(BaseMutation):
    """COUNSELOR forms a solidarity group (FORMING)."""

    class Arguments:
        input = CreateLoanGroupInput(required=True)

    group = graphene.Field(LoanGroupType)

    @classmethod
    def perform(cls, info, actor, data):
        group = services.create_group(
            actor,
            name=data["name"],
            meeting_frequency=enum_value(data["meeting_frequency"]),
            meeting_weekday=enum_value(data["meeting_weekday"]),
            meeting_place=data.get("meeting_place") or "",
            savings_per_meeting=data.get("savings_per_meeting") or "0.00",
        )
        return {"group": group}


class AddGroupMemberInput(graphene.InputObjectType):
    group_id = graphene.ID(required=True)
    participant_id = graphene.ID(required=True)
    role = MemberRole(description="LEADER replaces the current leader.")


class AddGroupMember(BaseMutation):
    class Arguments:
        input = AddGroupMemberInput(required=True)

    group = graphene.Field(LoanGroupType)

    @classmethod
    def perform(cls, info, actor, data):
        member = services.add_member(
            actor,
            parse_id(data["group_id"], "groupId"),
            parse_id(data["participant_id"], "participantId"),
            enum_value(data.get("role")) or "MEMBER",
        )
        return {"group": member.group}


class RemoveGroupMemberInput(graphene.InputObjectType):
    group_id = graphene.ID(required=True)
    participant_id = graphene.ID(required=True)


class RemoveGroupMember(BaseMutation):
    class Arguments:
        input = RemoveGroupMemberInput(required=True)

    group = graphene.Field(LoanGroupType)

    @classmethod
    def perform(cls, info, actor, data):
        group = services.remove_member(
            actor,
            parse_id(data["group_id"], "groupId"),
            parse_id(data["participant_id"], "participantId"),
        )
        return {"group": group}


class SetGroupStatusInput(graphene.InputObjectType):
    group_id = graphene.ID(required=True)
    status = GroupStatus(required=True)


class SetGroupStatus(BaseMutation):
    class Arguments:
        input = SetGroupStatusInput(required=True)

    group = graphene.Field(LoanGroupType)

    @classmethod
    def perform(cls, info, actor, data):
        group = services.set_group_status(
            actor, parse_id(data["group_id"], "groupId"), enum_value(data["status"])
        )
        return {"group": group}


class ApplyForLoanInput(graphene.InputObjectType):
    participant_id = graphene.ID(required=True)
    purpose = LoanPurpose(required=True)
    purpose_note = graphene.String()
    amount = graphene.String(required=True, description='Decimal string, e.g. "800.00".')
    number_of_installments = graphene.Int(required=True)
    annual_interest_rate = graphene.String(description="Percent; default from the settings.")
    interest_method = InterestMethod()
    amortization = Amortization()
    frequency = LoanFrequency(description="Default: the group's meeting rhythm.")
    repayment_every = graphene.Int()
    grace_on_principal = graphene.Int()
    grace_on_interest_payment = graphene.Int()
    grace_on_interest_charged = graphene.Int()


class ApplyForLoan(BaseMutation):
    """COUNSELOR applies for a loan for a member of an active group of her caseload."""

    class Arguments:
        input = ApplyForLoanInput(required=True)

    loan = graphene.Field(LoanType)

    @classmethod
    def perform(cls, info, actor, data):
        optional = (
            "purpose_note",
            "annual_interest_rate",
            "interest_method",
            "amortization",
            "frequency",
            "repayment_every",
            "grace_on_principal",
            "grace_on_interest_payment",
            "grace_on_interest_charged",
        )
        loan = services.apply_for_loan(
            actor,
            parse_id(data["participant_id"], "participantId"),
            purpose=enum_value(data["purpose"]),
            amount=data["amount"],
            number_of_installments=data["number_of_installments"],
            **{k: enum_value(data[k]) for k in optional if data.get(k) is not None},
        )
        return {"loan": loan}


class LoanIdInput(graphene.InputObjectType):
    loan_id = graphene.ID(required=True)


def _loan_mutation(name: str, doc: str, call, extra: dict | None = None):
    """A mutation taking a loan id (and maybe a reason) and returning the loan."""
    fields = {"loan_id": graphene.ID(required=True), **(extra or {})}
    input_type = type(f"{name}Input", (graphene.InputObjectType,), fields)

    def perform(cls, info, actor, data):
        return {"loan": call(actor, parse_id(data["loan_id"], "loanId"), data)}

    return type(
        name,
        (BaseMutation,),
        {
            "__doc__": doc,
            "Arguments": type("Arguments", (), {"input": input_type(required=True)}),
            "loan": graphene.Field(LoanType),
            "perform": classmethod(perform),
        },
    )


_REASON = {"reason": graphene.String(required=True)}

ApproveLoan = _loan_mutation(
    "ApproveLoan",
    "FINANCE approves (never the applicant's counselor).",
    lambda actor, loan_id, data: services.approve_loan(actor, loan_id),
)
RejectLoan = _loan_mutation(
    "RejectLoan",
    "FINANCE rejects with a reason.",
    lambda actor, loan_id, data: services.reject_loan(actor, loan_id, data["reason"]),
    _REASON,
)
DisburseLoan = _loan_mutation(
    "DisburseLoan",
    "FINANCE pays out; the schedule is fixed and the ledger posted.",
    lambda actor, loan_id, data: services.disburse_loan(
        actor, loan_id, data.get("disbursement_date") or date.today(), data.get("first_due_date")
    ),
    {"disbursement_date": graphene.Date(), "first_due_date": graphene.Date()},
)
WriteOffLoan = _loan_mutation(
    "WriteOffLoan",
    "FINANCE proposes a write-off; a second FINANCE user must approve it.",
    lambda actor, loan_id, data: services.write_off_loan(actor, loan_id, data["reason"]),
    _REASON,
)
ApproveWriteOff = _loan_mutation(
    "ApproveWriteOff",
    "A second FINANCE user approves the pending write-off.",
    lambda actor, loan_id, data: services.approve_write_off(actor, loan_id),
)


class RecordRepaymentInput(graphene.InputObjectType):
    loan_id = graphene.ID(required=True)
    amount = graphene.String(required=True)
    paid_on = graphene.Date(description="Default today.")
    channel = RepaymentChannel()


class RecordRepayment(BaseMutation):
    """FINANCE or her counselor; oldest installment first, interest before principal."""

    class Arguments:
        input = RecordRepaymentInput(required=True)

    repayment = graphene.Field(RepaymentType)
    loan = graphene.Field(LoanType)

    @classmethod
    def perform(cls, info, actor, data):
        repayment = services.record_repayment(
            actor,
            parse_id(data["loan_id"], "loanId"),
            data["amount"],
            data.get("paid_on") or date.today(),
            enum_value(data.get("channel")) or "CASH",
        )
        return {"repayment": repayment, "loan": Loan.get_by_id(repayment.loan_id)}


class ReverseRepaymentInput(graphene.InputObjectType):
    repayment_id = graphene.ID(required=True)
    reason = graphene.String(required=True)


class ReverseRepayment(BaseMutation):
    """FINANCE reverses a mistaken repayment; both records stay; the ledger is mirrored."""

    class Arguments:
        input = ReverseRepaymentInput(required=True)

    repayment = graphene.Field(RepaymentType)
    loan = graphene.Field(LoanType)

    @classmethod
    def perform(cls, info, actor, data):
        repayment = services.reverse_repayment(
            actor, parse_id(data["repayment_id"], "repaymentId"), data["reason"]
        )
        return {"repayment": repayment, "loan": Loan.get_by_id(repayment.loan_id)}


class GrantRepaymentHolidayInput(graphene.InputObjectType):
    loan_id = graphene.ID()
    group_id = graphene.ID(description="Every disbursed loan of the group (a moratorium).")
    installments = graphene.Int(required=True, description="Periods to move by.")
    reason = graphene.String(required=True)


class GrantRepaymentHoliday(BaseMutation):
    """FINANCE moves the unpaid installments by k periods, without extra interest."""

    class Arguments:
        input = GrantRepaymentHolidayInput(required=True)

    loans = graphene.List(graphene.NonNull(LoanType))

    @classmethod
    def perform(cls, info, actor, data):
        holiday = services.grant_repayment_holiday(
            actor,
            installments=data["installments"],
            reason=data["reason"],
            loan_id=parse_id(data.get("loan_id"), "loanId", required=False),
            group_id=parse_id(data.get("group_id"), "groupId", required=False),
        )
        return {"loans": list(Loan.select().where(Loan.id.in_(holiday.loan_ids)))}


class RecordSavingsContributionInput(graphene.InputObjectType):
    group_id = graphene.ID(required=True)
    participant_id = graphene.ID(required=True)
    amount = graphene.String(required=True)
    paid_on = graphene.Date()


class RecordSavingsContribution(BaseMutation):
    class Arguments:
        input = RecordSavingsContributionInput(required=True)

    group = graphene.Field(LoanGroupType)

    @classmethod
    def perform(cls, info, actor, data):
        contribution = services.record_savings_contribution(
            actor,
            parse_id(data["group_id"], "groupId"),
            parse_id(data["participant_id"], "participantId"),
            data["amount"],
            data.get("paid_on") or date.today(),
        )
        return {"group": contribution.group}


class CollectionSheetRowInput(graphene.InputObjectType):
    participant_id = graphene.ID(required=True)
    attendance = AttendanceStatus(required=True)
    amount = graphene.String(description="Repayment collected (decimal string).")
    savings = graphene.String(description="Savings collected (decimal string).")


class SaveCollectionSheetInput(graphene.InputObjectType):
    group_id = graphene.ID(required=True)
    date = graphene.Date(required=True)
    rows = graphene.List(graphene.NonNull(CollectionSheetRowInput), required=True)


class SaveCollectionSheet(BaseMutation):
    """All rows in one transaction; the first bad row (rows.<i>.<field>) aborts all."""

    class Arguments:
        input = SaveCollectionSheetInput(required=True)

    meeting = graphene.Field(MeetingType)
    sheet = graphene.Field(CollectionSheetType)

    @classmethod
    def perform(cls, info, actor, data):
        rows = []
        for index, row in enumerate(data["rows"]):
            row = dict(row)
            try:
                pid = parse_id(row["participant_id"], f"rows.{index}.participantId")
            except DomainError:
                pid = None
            rows.append({**row, "participant_id": pid, "attendance": enum_value(row["attendance"])})
        group_id = parse_id(data["group_id"], "groupId")
        meeting = services.save_collection_sheet(actor, group_id, data["date"], rows)
        sheet = services.collection_sheet(actor, group_id, data["date"])
        return {"meeting": meeting, "sheet": _sheet(sheet)}


class Mutations:
    create_loan_group = CreateLoanGroup.Field()
    add_group_member = AddGroupMember.Field()
    remove_group_member = RemoveGroupMember.Field()
    set_group_status = SetGroupStatus.Field()
    apply_for_loan = ApplyForLoan.Field()
    approve_loan = ApproveLoan.Field()
    reject_loan = RejectLoan.Field()
    disburse_loan = DisburseLoan.Field()
    record_repayment = RecordRepayment.Field()
    reverse_repayment = ReverseRepayment.Field()
    grant_repayment_holiday = GrantRepaymentHoliday.Field()
    record_savings_contribution = RecordSavingsContribution.Field()
    save_collection_sheet = SaveCollectionSheet.Field()
    write_off_loan = WriteOffLoan.Field()
    approve_write_off = ApproveWriteOff.Field()
