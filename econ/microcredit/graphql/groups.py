"""Loan groups, members and meetings as GraphQL types; details are for staff only."""

from __future__ import annotations

from datetime import date, timedelta

import graphene
import peewee as pw

from econ.grouping import group_by
from econ.microcredit import services
from econ.microcredit.graphql.enums import (
    AttendanceStatus,
    GroupStatus,
    MeetingFrequency,
    MemberRole,
    Weekday,
)
from econ.microcredit.graphql.loans import LoanConnection
from econ.microcredit.graphql.shared import actor_of, amount, require_detail
from econ.microcredit.models import (
    WEEKDAYS,
    GroupMember,
    Loan,
    Meeting,
    SavingsContribution,
)
from econ.microcredit.schedule import add_periods
from econ.money import from_cents
from econ.participants.models import Participant
from econ.schema.loaders import Relation
from econ.schema.pagination import connection_field, connection_type, paginate_list


def _member_counts(group_ids: list[int]) -> dict:
    rows = (
        GroupMember.select(GroupMember.group, pw.fn.COUNT(GroupMember.id))
        .where(GroupMember.group.in_(group_ids) & GroupMember.left_at.is_null())
        .group_by(GroupMember.group)
        .tuples()
    )
    return dict(rows)


def _funds(group_ids: list[int]) -> dict:
    """Savings collected per group (the solidarity fund), as Decimal."""
    rows = (
        SavingsContribution.select(SavingsContribution.group, pw.fn.SUM(SavingsContribution.amount))
        .where(SavingsContribution.group.in_(group_ids))
        .group_by(SavingsContribution.group)
        .tuples()
    )
    return {gid: from_cents(total) for gid, total in rows}


def _members(group_ids: list[int]) -> dict:
    rows = (
        GroupMember.select(GroupMember, Participant)
        .join(Participant)
        .where(GroupMember.group.in_(group_ids) & GroupMember.left_at.is_null())
        .order_by(GroupMember.id)
    )
    return group_by(rows, lambda m: m.group_id)


def _group_loans(actor, group_ids: list[int]) -> dict:
    rows = services.visible_loans(actor).where(Loan.group.in_(group_ids))
    return group_by(rows, lambda loan: loan.group_id)


MEMBER_COUNT = Relation("group member count", _member_counts, missing=int)
FUND = Relation("group savings fund", _funds, missing=lambda: from_cents(0))
MEMBERS = Relation("group members", _members, missing=list)
GROUP_LOANS = Relation("group loans", _group_loans, missing=list, actor=True)


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


MeetingConnection = connection_type(MeetingType)


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
    loans = connection_field(LoanConnection, "Staff only, oldest first.", required=False)
    meetings = connection_field(MeetingConnection, "Staff only, the latest first.", required=False)
    par30 = graphene.String(description="Staff only: CGAP PAR30 of the group's loans today.")
    arrears_rate = graphene.String(description="Staff only: overdue / outstanding principal.")

    @staticmethod
    def resolve_savings_per_meeting(group, info):
        return amount(group.savings_per_meeting)

    @staticmethod
    def resolve_next_meeting_dates(group, info, count=4):
        count = max(1, min(4 if count is None else count, 12))  # `count: null` = the default
        today = date.today()
        weekday = WEEKDAYS.index(group.meeting_weekday)
        first = today + _days_until(today.weekday(), weekday)
        unit, every = {"WEEKLY": ("WEEKS", 1), "BIWEEKLY": ("WEEKS", 2), "MONTHLY": ("WEEKS", 4)}[
            group.meeting_frequency
        ]
        return [add_periods(first, unit, every, k) for k in range(count)]

    @staticmethod
    async def resolve_member_count(group, info):
        return await MEMBER_COUNT.load(info, group.id)

    @staticmethod
    async def resolve_fund(group, info):
        return amount(await FUND.load(info, group.id))

    @staticmethod
    async def resolve_members(group, info):
        require_detail(info, "members")

        members = await MEMBERS.load(info, group.id)
        return [
            GroupMemberType(participant=m.participant, role=m.role, joined_at=m.joined_at)
            for m in members
        ]

    @staticmethod
    async def resolve_loans(group, info, first=None, after=None):
        require_detail(info, "loans")
        loans = await GROUP_LOANS.load(info, group.id)
        return paginate_list(LoanConnection, loans, first, after)

    @staticmethod
    def resolve_meetings(group, info, first=None, after=None):
        require_detail(info, "meetings")
        # the latest first: the group's page shows the meetings that matter now, and a
        # group that meets weekly has more than a page of them within two years
        meetings = list(
            Meeting.select().where(Meeting.group == group.id).order_by(Meeting.date.desc())
        )
        return paginate_list(MeetingConnection, meetings, first, after)

    @staticmethod
    def resolve_par30(group, info):
        require_detail(info, "par30")
        return str(services.portfolio(actor_of(info), date.today(), group.id).par30)

    @staticmethod
    def resolve_arrears_rate(group, info):
        require_detail(info, "arrearsRate")
        return str(services.portfolio(actor_of(info), date.today(), group.id).arrears_rate)


def _days_until(today_weekday: int, weekday: int):
    return timedelta(days=(weekday - today_weekday) % 7)


LoanGroupConnection = connection_type(LoanGroupType)
