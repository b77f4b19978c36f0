"""Training's GraphQL types: programmes, cohorts, enrolments, attendance, credentials."""

from __future__ import annotations

import datetime as dt

import graphene

from econ.participants.relations import PARTICIPANT
from econ.schema.enums import enum_of
from econ.schema.errors import forbidden
from econ.schema.inputs import enum_value
from econ.schema.loaders import Relation
from econ.schema.pagination import connection_field, connection_type, paginate, paginate_list
from econ.schema.scalars import Money, money
from econ.training import services
from econ.training.access import may_see_enrollments
from econ.training.models import (
    ATTENDANCE_STATUSES,
    COHORT_STATUSES,
    FORMATS,
    REQUEST_STATUSES,
    SKILL_GAIN_TYPES,
    WEEKDAYS,
)
from econ.training.rules import STATUSES

TrainingFormat = enum_of("TrainingFormat", FORMATS)
CohortStatus = enum_of("CohortStatus", COHORT_STATUSES)
# Named apart from microcredit's "Weekday" (MONDAY...): schema type names are global.
Weekday = enum_of("SessionDay", WEEKDAYS)
EnrollmentStatus = enum_of("EnrollmentStatus", STATUSES)
AttendanceStatus = enum_of("TrainingAttendanceStatus", ATTENDANCE_STATUSES)
SkillGainType = enum_of("SkillGainType", SKILL_GAIN_TYPES)
EnrollmentRequestStatus = enum_of("EnrollmentRequestStatus", REQUEST_STATUSES)


COHORT = Relation("cohort by id", services.cohorts_by_id)
PROGRAM = Relation("training programme by id", services.programs_by_id)
HISTORY = Relation("enrolment status history", services.histories_by_enrollment, missing=list)
ATTENDANCE = Relation("enrolment attendance summary", services.summaries)
DAYS = Relation("enrolment attendance days", services.days_by_enrollment, missing=list)
CREDENTIAL = Relation("enrolment credential", services.credentials_by_enrollment)
# The service decides who reads them (her counselor; she gets an empty page).
GAINS = Relation("enrolment skill gains", services.skill_gains_for, missing=list, actor=True)
SEATS = Relation("cohort seat counts", services.seat_counts, missing=lambda: (0, 0))
SKILLS = Relation("programme skills", services.skills_by_program, missing=list)
COHORTS = Relation("programme cohorts", services.cohorts_by_program, missing=list)


def _rate(summary) -> float | None:
    return None if summary.rate is None else float(summary.rate)


# ---- types -------------------------------------------------------------------------------


class Credential(graphene.ObjectType):
    name = graphene.String(required=True)
    issuer = graphene.String(required=True)
    issued_on = graphene.Date(required=True)
    reference = graphene.String(description="Certificate number (encrypted at rest).")

    @staticmethod
    def resolve_reference(credential, info):
        return services.credential_reference(credential)


CredentialConnection = connection_type(Credential)


class EnrollmentStatusChange(graphene.ObjectType):
    from_status = graphene.Field(EnrollmentStatus)
    to_status = graphene.Field(EnrollmentStatus, required=True)
    reason = graphene.String(required=True)
    at = graphene.DateTime(required=True)
    automatic = graphene.Boolean(required=True, description="Made by the system (promotion).")

    @staticmethod
    def resolve_automatic(change, info):
        return change.by_user is None


class AttendanceDay(graphene.ObjectType):
    class Meta:
        name = "TrainingAttendanceDay"

    date = graphene.Date(required=True)
    status = graphene.Field(AttendanceStatus, required=True)


class AttendanceSummary(graphene.ObjectType):
    class Meta:
        name = "TrainingAttendance"

    present = graphene.Int(required=True)
    absent = graphene.Int(required=True)
    excused = graphene.Int(required=True)
    recorded_days = graphene.Int(required=True)
    rate = graphene.Float(description="present / (recorded days - excused); null if none.")

    @staticmethod
    def resolve_rate(summary, info):
        return _rate(summary)


class SkillGain(graphene.ObjectType):
    id = graphene.ID(required=True)
    type = graphene.Field(SkillGainType, required=True)
    date = graphene.Date(required=True)
    note = graphene.String(required=True)


StatusChangeConnection = connection_type(EnrollmentStatusChange)
AttendanceDayConnection = connection_type(AttendanceDay, "TrainingAttendanceDayConnection")
SkillGainConnection = connection_type(SkillGain)


class Enrollment(graphene.ObjectType):
    """A participant's place in a cohort (or in its waitlist)."""

    id = graphene.ID(required=True)
    cohort = graphene.Field(lambda: Cohort, required=True)
    participant = graphene.Field("econ.participants.graphql.Participant", required=True)
    status = graphene.Field(EnrollmentStatus, required=True)
    status_reason = graphene.String(description="Reason of the latest move.")
    status_history = connection_field(StatusChangeConnection, "Its moves, oldest first.")
    seated_at = graphene.DateTime(description="When she got her seat.")
    completed_on = graphene.Date()
    created_at = graphene.DateTime(required=True)
    attendance = graphene.Field(AttendanceSummary, required=True)
    attendance_rate = graphene.Float(description="present / (recorded days - excused).")
    attendance_days = connection_field(AttendanceDayConnection, "Recorded days, oldest first.")
    attendance_on = graphene.Field(
        AttendanceStatus,
        date=graphene.Date(description="Default: today."),
        description="What was recorded for this one day (null: nothing yet); an attendance "
        "sheet reads a whole class list's day without every day of every enrolment.",
    )
    credential = graphene.Field(Credential)
    skill_gains = connection_field(SkillGainConnection, "Skill gains, oldest first.")

    @staticmethod
    async def resolve_cohort(enrollment, info):
        return await COHORT.load(info, enrollment.cohort_id)

    @staticmethod
    async def resolve_participant(enrollment, info):
        return await PARTICIPANT.load(info, enrollment.participant_id)

    @staticmethod
    async def resolve_status_history(enrollment, info, first=None, after=None):
        history = await HISTORY.load(info, enrollment.id)
        return paginate_list(StatusChangeConnection, history, first, after)

    @staticmethod
    async def resolve_status_reason(enrollment, info):
        history = await HISTORY.load(info, enrollment.id)
        return history[-1].reason if history else None

    @staticmethod
    async def resolve_attendance(enrollment, info):
        return await ATTENDANCE.load(info, enrollment.id)

    @staticmethod
    async def resolve_attendance_rate(enrollment, info):
        return _rate(await Enrollment.resolve_attendance(enrollment, info))

    @staticmethod
    async def resolve_attendance_days(enrollment, info, first=None, after=None):
        days = await DAYS.load(info, enrollment.id)
        return paginate_list(AttendanceDayConnection, days, first, after)

    @staticmethod
    async def resolve_attendance_on(enrollment, info, date=None):
        date = date or dt.date.today()
        days = await DAYS.load(info, enrollment.id)
        return next((d.status for d in days if d.date == date), None)

    @staticmethod
    async def resolve_credential(enrollment, info):
        return await CREDENTIAL.load(info, enrollment.id)

    @staticmethod
    async def resolve_skill_gains(enrollment, info, first=None, after=None):
        gains = await GAINS.load(info, enrollment.id)
        return paginate_list(SkillGainConnection, gains, first, after)


EnrollmentConnection = connection_type(Enrollment)


class WaitlistEntry(graphene.ObjectType):
    position = graphene.Int(required=True, description="1 = next to get a seat.")
    enrollment = graphene.Field(Enrollment, required=True)


WaitlistConnection = connection_type(WaitlistEntry)


def _seat_counts(info, cohort) -> tuple[int, int]:
    if not may_see_enrollments(info.context.actor):
        raise forbidden("seat counts")
    return SEATS.load(info, cohort.id)


class Cohort(graphene.ObjectType):
    """One offering of a program."""

    id = graphene.ID(required=True)
    program = graphene.Field(lambda: TrainingProgram, required=True)
    start_date = graphene.Date(required=True)
    end_date = graphene.Date(required=True)
    session_days = graphene.List(graphene.NonNull(Weekday), required=True)
    capacity = graphene.Int(required=True)
    location = graphene.String(required=True, description="Coarse: a district, or online.")
    status = graphene.Field(CohortStatus, required=True)
    cancelled_reason = graphene.String()
    cancelled_at = graphene.DateTime()
    seats_taken = graphene.Int()
    seats_left = graphene.Int()
    waitlist_length = graphene.Int()
    enrollments = connection_field(
        EnrollmentConnection,
        "Enrolments you may see (the waitlist apart), oldest first.",
        status=EnrollmentStatus(),
    )
    waitlist = connection_field(
        WaitlistConnection,
        "Waiting enrolments you may see, with their place in the whole queue, first first.",
    )

    @staticmethod
    async def resolve_program(cohort, info):
        return await PROGRAM.load(info, cohort.program_id)

    @staticmethod
    async def resolve_seats_taken(cohort, info):
        return (await _seat_counts(info, cohort))[0]

    @staticmethod
    async def resolve_seats_left(cohort, info):
        return max(cohort.capacity - (await _seat_counts(info, cohort))[0], 0)

    @staticmethod
    async def resolve_waitlist_length(cohort, info):
        return (await _seat_counts(info, cohort))[1]

    @staticmethod
    def resolve_enrollments(cohort, info, first=None, after=None, status=None):
        if not may_see_enrollments(info.context.actor):
            raise forbidden("enrollments")
        query = services.cohort_enrollments(info.context.actor, cohort, enum_value(status))
        return paginate(EnrollmentConnection, query, first, after)

    @staticmethod
    def resolve_waitlist(cohort, info, first=None, after=None):
        if not may_see_enrollments(info.context.actor):
            raise forbidden("waitlist")
        entries = [
            WaitlistEntry(position=pos, enrollment=e)
            for pos, e in services.waitlist(info.context.actor, cohort)
        ]
        return paginate_list(WaitlistConnection, entries, first, after)


CohortConnection = connection_type(Cohort)


class TrainingProgram(graphene.ObjectType):
    """A course in the catalogue."""

    id = graphene.ID(required=True)
    title = graphene.String(required=True)
    provider = graphene.String(required=True)
    description = graphene.String(required=True)
    format = graphene.Field(TrainingFormat, required=True)
    languages = graphene.List(graphene.NonNull(graphene.String), required=True)
    total_hours = graphene.String(required=True, description='Decimal hours, e.g. "120.0".')
    hours_per_week = graphene.String(required=True, description='Decimal hours, e.g. "7.5".')
    cost = graphene.Field(Money, required=True)
    capacity = graphene.Int(required=True, description="Default capacity of new cohorts.")
    credential_name = graphene.String(description="Credential awarded, if any.")
    active = graphene.Boolean(required=True)
    skills = graphene.List(graphene.NonNull("econ.participants.graphql.Skill"), required=True)
    cohorts = connection_field(
        CohortConnection,
        "Its latest cohorts (at most 100), by start date.",
        upcoming_only=graphene.Boolean(description="Only cohorts not ended nor cancelled."),
    )

    @staticmethod
    def resolve_total_hours(program, info):
        return str(program.total_hours)

    @staticmethod
    def resolve_hours_per_week(program, info):
        return str(program.hours_per_week)

    @staticmethod
    def resolve_cost(program, info):
        return money(program.cost, info.context.currency)

    @staticmethod
    async def resolve_skills(program, info):
        return await SKILLS.load(info, program.id)

    @staticmethod
    async def resolve_cohorts(program, info, first=None, after=None, upcoming_only=False):
        cohorts = await COHORTS.load(info, program.id)
        if upcoming_only:
            today = dt.date.today()
            cohorts = [c for c in cohorts if c.status == "SCHEDULED" and c.end_date >= today]
        return paginate_list(CohortConnection, cohorts, first, after)


TrainingProgramConnection = connection_type(TrainingProgram)


class EnrollmentRequest(graphene.ObjectType):
    """She asked for a seat; her counselor enrols her or declines with a reason."""

    id = graphene.ID(required=True)
    cohort = graphene.Field(Cohort, required=True)
    participant = graphene.Field("econ.participants.graphql.Participant", required=True)
    status = graphene.Field(EnrollmentRequestStatus, required=True)
    note = graphene.String(required=True)
    created_at = graphene.DateTime(required=True)
    decided_at = graphene.DateTime()
    decision_reason = graphene.String(required=True)
    enrollment_id = graphene.ID()

    @staticmethod
    async def resolve_cohort(request, info):
        return await COHORT.load(info, request.cohort_id)

    @staticmethod
    async def resolve_participant(request, info):
        return await PARTICIPANT.load(info, request.participant_id)


EnrollmentRequestConnection = connection_type(EnrollmentRequest)
