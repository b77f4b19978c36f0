"""Training over GraphQL: catalogue, cohorts, enrolments, attendance, credentials."""

from __future__ import annotations

import datetime as dt

import graphene

from econ.participants.relations import PARTICIPANT
from econ.schema.enums import enum_of
from econ.schema.errors import forbidden
from econ.schema.inputs import enum_value, parse_id
from econ.schema.loaders import Relation
from econ.schema.lookups import or_none
from econ.schema.mutations import BaseMutation
from econ.schema.pagination import connection_field, connection_type, paginate
from econ.schema.scalars import Money, money
from econ.training import services
from econ.training.access import may_see_enrollments
from econ.training.graphql_skills import SkillMutations, SkillQueries
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
GAINS = Relation("enrolment skill gains", services.skill_gains_by_enrollment, missing=list)
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


class Enrollment(graphene.ObjectType):
    """A participant's place in a cohort (or in its waitlist)."""

    id = graphene.ID(required=True)
    cohort = graphene.Field(lambda: Cohort, required=True)
    participant = graphene.Field("econ.participants.graphql.Participant", required=True)
    status = graphene.Field(EnrollmentStatus, required=True)
    status_reason = graphene.String(description="Reason of the latest move.")
    status_history = graphene.List(graphene.NonNull(EnrollmentStatusChange), required=True)
    seated_at = graphene.DateTime(description="When she got her seat.")
    completed_on = graphene.Date()
    created_at = graphene.DateTime(required=True)
    attendance = graphene.Field(AttendanceSummary, required=True)
    attendance_rate = graphene.Float(description="present / (recorded days - excused).")
    attendance_days = graphene.List(graphene.NonNull(AttendanceDay), required=True)
    attendance_on = graphene.Field(
        AttendanceStatus,
        date=graphene.Date(description="Default: today."),
        description="What was recorded for this one day (null: nothing yet); an attendance "
        "sheet reads a whole class list's day without every day of every enrolment.",
    )
    credential = graphene.Field(Credential)
    skill_gains = graphene.List(graphene.NonNull(SkillGain), required=True)

    @staticmethod
    async def resolve_cohort(enrollment, info):
        return await COHORT.load(info, enrollment.cohort_id)

    @staticmethod
    async def resolve_participant(enrollment, info):
        return await PARTICIPANT.load(info, enrollment.participant_id)

    @staticmethod
    async def resolve_status_history(enrollment, info):
        return await HISTORY.load(info, enrollment.id)

    @staticmethod
    async def resolve_status_reason(enrollment, info):
        history = await Enrollment.resolve_status_history(enrollment, info)
        return history[-1].reason if history else None

    @staticmethod
    async def resolve_attendance(enrollment, info):
        return await ATTENDANCE.load(info, enrollment.id)

    @staticmethod
    async def resolve_attendance_rate(enrollment, info):
        return _rate(await Enrollment.resolve_attendance(enrollment, info))

    @staticmethod
    async def resolve_attendance_days(enrollment, info):
        return await DAYS.load(info, enrollment.id)

    @staticmethod
    async def resolve_attendance_on(enrollment, info, date=None):
        date = date or dt.date.today()
        days = await Enrollment.resolve_attendance_days(enrollment, info)
        return next((d.status for d in days if d.date == date), None)

    @staticmethod
    async def resolve_credential(enrollment, info):
        return await CREDENTIAL.load(info, enrollment.id)

    @staticmethod
    async def resolve_skill_gains(enrollment, info):
        return await GAINS.load(info, enrollment.id)


EnrollmentConnection = connection_type(Enrollment)


class WaitlistEntry(graphene.ObjectType):
    position = graphene.Int(required=True, description="1 = next to get a seat.")
    enrollment = graphene.Field(Enrollment, required=True)


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
    waitlist = graphene.List(
        graphene.NonNull(WaitlistEntry),
        required=True,
        description="Waiting enrolments you may see, with their place in the whole queue.",
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
    def resolve_waitlist(cohort, info):
        if not may_see_enrollments(info.context.actor):
            raise forbidden("waitlist")
        return [
            WaitlistEntry(position=pos, enrollment=e)
            for pos, e in services.waitlist(info.context.actor, cohort)
        ]


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
    cohorts = graphene.List(
        graphene.NonNull(Cohort),
        required=True,
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
    async def resolve_cohorts(program, info, upcoming_only=False):
        cohorts = await COHORTS.load(info, program.id)
        if upcoming_only:
            today = dt.date.today()
            cohorts = [c for c in cohorts if c.status == "SCHEDULED" and c.end_date >= today]
        return cohorts


TrainingProgramConnection = connection_type(TrainingProgram)
CohortConnection = connection_type(Cohort)


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


class Queries(SkillQueries):
    training_programs = connection_field(
        TrainingProgramConnection,
        "The catalogue, by title.",
        skill=graphene.String(description="Only programs teaching this skill key."),
        language=graphene.String(description="Only programs taught in this language."),
        active_only=graphene.Boolean(default_value=True),
    )
    training_program = graphene.Field(TrainingProgram, id=graphene.ID(required=True))
    cohort = graphene.Field(Cohort, id=graphene.ID(required=True))
    cohorts = connection_field(
        CohortConnection,
        "Every cohort of the programs you may see, by start date.",
        status=CohortStatus(),
        ending_from=graphene.Date(description="Only cohorts that end on or after this day."),
    )
    enrollment = graphene.Field(Enrollment, id=graphene.ID(required=True))
    enrollment_requests = connection_field(
        EnrollmentRequestConnection,
        "Requests of your caseload (counselor) or your own (participant), newest first.",
        status=EnrollmentRequestStatus(),
    )

    @staticmethod
    def resolve_training_programs(
        root, info, first=None, after=None, skill=None, language=None, active_only=True
    ):
        query = services.list_programs(
            info.context.actor, skill=skill, language=language, active_only=active_only
        )
        return paginate(TrainingProgramConnection, query, first, after)

    @staticmethod
    def resolve_training_program(root, info, id):
        return or_none(lambda: services.get_program(info.context.actor, parse_id(id)))

    @staticmethod
    def resolve_cohort(root, info, id):
        return or_none(lambda: services.get_cohort(info.context.actor, parse_id(id)))

    @staticmethod
    def resolve_cohorts(root, info, first=None, after=None, status=None, ending_from=None):
        query = services.list_cohorts(
            info.context.actor, status=enum_value(status), ending_from=ending_from
        )
        return paginate(CohortConnection, query, first, after)

    @staticmethod
    def resolve_enrollment(root, info, id):
        return or_none(lambda: services.get_enrollment(info.context.actor, parse_id(id)))

    @staticmethod
    def resolve_enrollment_requests(root, info, first=None, after=None, status=None):
        query = services.enrollment_requests(info.context.actor, enum_value(status))
        return paginate(EnrollmentRequestConnection, query, first, after)


# ---- mutations ---------------------------------------------------------------------------


class _ProgramFields:
    title = graphene.String()
    provider = graphene.String()
    description = graphene.String()
    format = TrainingFormat()
    languages = graphene.List(graphene.NonNull(graphene.String))
    total_hours = graphene.String(description='Decimal hours, e.g. "120".')
    hours_per_week = graphene.String(description='Decimal hours, e.g. "7.5".')
    cost = graphene.String(description='Decimal string, e.g. "850.00".')
    capacity = graphene.Int()
    credential_name = graphene.String(description="Empty for none.")
    skills = graphene.List(graphene.NonNull("econ.participants.graphql.SkillInput"))
    active = graphene.Boolean()


def _program_values(data: dict) -> dict:
    values = {k: val for k, val in data.items() if val is not None}
    if "format" in values:
        values["format"] = enum_value(values["format"])
    if "skills" in values:
        values["skills"] = [dict(s) for s in values["skills"]]
    if data.get("credential_name") == "":
        values["credential_name"] = None
    return values


class CreateTrainingProgramInput(_ProgramFields, graphene.InputObjectType):
    pass


class CreateTrainingProgram(BaseMutation):
    """Add a program to the catalogue (ADMIN, COUNSELOR)."""

    class Arguments:
        input = CreateTrainingProgramInput(required=True)

    training_program = graphene.Field(TrainingProgram)

    @classmethod
    def perform(cls, info, actor, data):
        return {"training_program": services.create_program(actor, **_program_values(data))}


class UpdateTrainingProgramInput(_ProgramFields, graphene.InputObjectType):
    program_id = graphene.ID(required=True)


class UpdateTrainingProgram(BaseMutation):
    """Change the fields given; omitted fields stay as they are."""

    class Arguments:
        input = UpdateTrainingProgramInput(required=True)

    training_program = graphene.Field(TrainingProgram)

    @classmethod
    def perform(cls, info, actor, data):
        pid = parse_id(data.pop("program_id"), "programId")
        program = services.update_program(actor, pid, **_program_values(data))
        return {"training_program": program}


class CreateCohortInput(graphene.InputObjectType):
    program_id = graphene.ID(required=True)
    start_date = graphene.String(required=True, description="YYYY-MM-DD")
    end_date = graphene.String(required=True, description="YYYY-MM-DD")
    session_days = graphene.List(graphene.NonNull(Weekday), required=True)
    capacity = graphene.Int(description="Defaults to the program's capacity.")
    location = graphene.String(description="Coarse: a district, or online.")


class CreateCohort(BaseMutation):
    """Offer a program with dates, session days and capacity."""

    class Arguments:
        input = CreateCohortInput(required=True)

    cohort = graphene.Field(Cohort)

    @classmethod
    def perform(cls, info, actor, data):
        cohort = services.create_cohort(
            actor,
            parse_id(data["program_id"], "programId"),
            start_date=data["start_date"],
            end_date=data["end_date"],
            session_days=[enum_value(d) for d in data["session_days"]],
            capacity=data.get("capacity"),
            location=data.get("location"),
        )
        return {"cohort": cohort}


class UpdateCohortInput(graphene.InputObjectType):
    cohort_id = graphene.ID(required=True)
    capacity = graphene.Int(description="A raise promotes the waitlist at once.")
    location = graphene.String()
    end_date = graphene.String(description="YYYY-MM-DD")


class UpdateCohort(BaseMutation):
    """Change capacity, location or end date."""

    class Arguments:
        input = UpdateCohortInput(required=True)

    cohort = graphene.Field(Cohort)

    @classmethod
    def perform(cls, info, actor, data):
        cohort = services.update_cohort(
            actor,
            parse_id(data["cohort_id"], "cohortId"),
            capacity=data.get("capacity"),
            location=data.get("location"),
            end_date=data.get("end_date"),
        )
        return {"cohort": cohort}


class CancelCohortInput(graphene.InputObjectType):
    cohort_id = graphene.ID(required=True)
    reason = graphene.String(required=True)


class CancelCohort(BaseMutation):
    """Cancel: open enrolments are withdrawn with the reason, which counselors then read."""

    class Arguments:
        input = CancelCohortInput(required=True)

    cohort = graphene.Field(Cohort)

    @classmethod
    def perform(cls, info, actor, data):
        cohort = services.cancel_cohort(
            actor, parse_id(data["cohort_id"], "cohortId"), data["reason"]
        )
        return {"cohort": cohort}


class DeleteCohortInput(graphene.InputObjectType):
    cohort_id = graphene.ID(required=True)


class DeleteCohort(BaseMutation):
    """Delete a cohort that has not started and has no enrolment (else cancel it)."""

    class Arguments:
        input = DeleteCohortInput(required=True)

    deleted_id = graphene.ID()

    @classmethod
    def perform(cls, info, actor, data):
        cid = parse_id(data["cohort_id"], "cohortId")
        services.delete_cohort(actor, cid)
        return {"deleted_id": cid}


class EnrollParticipantInput(graphene.InputObjectType):
    cohort_id = graphene.ID(required=True)
    participant_id = graphene.ID(required=True)
    milestone_id = graphene.ID(description="Plan milestone that completion will close.")


class EnrollParticipant(BaseMutation):
    """Her counselor enrols her: a seat if free, else the waitlist."""

    class Arguments:
        input = EnrollParticipantInput(required=True)

    enrollment = graphene.Field(Enrollment)

    @classmethod
    def perform(cls, info, actor, data):
        enrollment = services.enroll_participant(
            actor,
            parse_id(data["cohort_id"], "cohortId"),
            parse_id(data["participant_id"], "participantId"),
            milestone_id=parse_id(data.get("milestone_id"), "milestoneId", required=False),
        )
        return {"enrollment": enrollment}


class RequestEnrollmentInput(graphene.InputObjectType):
    cohort_id = graphene.ID(required=True)
    note = graphene.String(description="A word for her counselor.")


class RequestEnrollment(BaseMutation):
    """The participant asks her counselor for a seat."""

    class Arguments:
        input = RequestEnrollmentInput(required=True)

    request = graphene.Field(EnrollmentRequest)

    @classmethod
    def perform(cls, info, actor, data):
        request = services.request_enrollment(
            actor, parse_id(data["cohort_id"], "cohortId"), data.get("note") or ""
        )
        return {"request": request}


class DeclineEnrollmentRequestInput(graphene.InputObjectType):
    request_id = graphene.ID(required=True)
    reason = graphene.String(required=True)


class DeclineEnrollmentRequest(BaseMutation):
    """Her counselor declines a request, with a reason she reads."""

    class Arguments:
        input = DeclineEnrollmentRequestInput(required=True)

    request = graphene.Field(EnrollmentRequest)

    @classmethod
    def perform(cls, info, actor, data):
        request = services.decline_request(
            actor, parse_id(data["request_id"], "requestId"), data["reason"]
        )
        return {"request": request}


class SetEnrollmentStatusInput(graphene.InputObjectType):
    enrollment_id = graphene.ID(required=True)
    status = EnrollmentStatus(required=True)
    reason = graphene.String(required=True)


class SetEnrollmentStatus(BaseMutation):
    """Start, pause, resume or withdraw (see docs/training.md for the table)."""

    class Arguments:
        input = SetEnrollmentStatusInput(required=True)

    enrollment = graphene.Field(Enrollment)

    @classmethod
    def perform(cls, info, actor, data):
        enrollment = services.set_enrollment_status(
            actor,
            parse_id(data["enrollment_id"], "enrollmentId"),
            enum_value(data["status"]),
            data["reason"],
        )
        return {"enrollment": enrollment}


class AttendanceEntryInput(graphene.InputObjectType):
    class Meta:
        name = "TrainingAttendanceEntryInput"

    enrollment_id = graphene.ID(required=True)
    status = AttendanceStatus(required=True)


class RecordAttendanceInput(graphene.InputObjectType):
    cohort_id = graphene.ID(required=True)
    date = graphene.String(required=True, description="YYYY-MM-DD, a session day.")
    entries = graphene.List(graphene.NonNull(AttendanceEntryInput), required=True)


class RecordAttendance(BaseMutation):
    """One session day for the class list (recording a day again corrects it)."""

    class Arguments:
        input = RecordAttendanceInput(required=True)

    cohort = graphene.Field(Cohort)
    recorded = graphene.Int(description="Entries written.")

    @classmethod
    def perform(cls, info, actor, data):
        cid = parse_id(data["cohort_id"], "cohortId")
        entries = [
            {"enrollment_id": e["enrollment_id"], "status": enum_value(e["status"])}
            for e in data["entries"]
        ]
        rows = services.record_attendance(actor, cid, data["date"], entries)
        return {"cohort": services.get_cohort(actor, cid), "recorded": len(rows)}


class CredentialInput(graphene.InputObjectType):
    name = graphene.String(description="Defaults to the program's credential.")
    issuer = graphene.String(description="Defaults to the provider.")
    reference = graphene.String(description="Certificate number, if any.")


class CompleteEnrollmentInput(graphene.InputObjectType):
    enrollment_id = graphene.ID(required=True)
    completed_on = graphene.String(required=True, description="YYYY-MM-DD")
    credential = CredentialInput(description="Omit when no credential was earned.")


class CompleteEnrollment(BaseMutation):
    """Complete: credential, skills to her profile, incentive award, linked milestone."""

    class Arguments:
        input = CompleteEnrollmentInput(required=True)

    enrollment = graphene.Field(Enrollment)

    @classmethod
    def perform(cls, info, actor, data):
        credential = dict(data["credential"]) if data.get("credential") else None
        enrollment = services.complete_enrollment(
            actor,
            parse_id(data["enrollment_id"], "enrollmentId"),
            data["completed_on"],
            credential,
        )
        return {"enrollment": enrollment}


class RecordSkillGainInput(graphene.InputObjectType):
    enrollment_id = graphene.ID(required=True)
    type = SkillGainType(required=True)
    date = graphene.String(required=True, description="YYYY-MM-DD")
    note = graphene.String(description="About the skill, not the person.")


class RecordSkillGain(BaseMutation):
    """A measurable skill gain on an active enrolment."""

    class Arguments:
        input = RecordSkillGainInput(required=True)

    skill_gain = graphene.Field(SkillGain)

    @classmethod
    def perform(cls, info, actor, data):
        gain = services.record_skill_gain(
            actor,
            parse_id(data["enrollment_id"], "enrollmentId"),
            enum_value(data["type"]),
            data["date"],
            data.get("note") or "",
        )
        return {"skill_gain": gain}


class Mutations(SkillMutations):
    create_training_program = CreateTrainingProgram.Field()
    update_training_program = UpdateTrainingProgram.Field()
    create_cohort = CreateCohort.Field()
    update_cohort = UpdateCohort.Field()
    cancel_cohort = CancelCohort.Field()
    delete_cohort = DeleteCohort.Field()
    enroll_participant = EnrollParticipant.Field()
    request_enrollment = RequestEnrollment.Field()
    decline_enrollment_request = DeclineEnrollmentRequest.Field()
    set_enrollment_status = SetEnrollmentStatus.Field()
    record_attendance = RecordAttendance.Field()
    complete_enrollment = CompleteEnrollment.Field()
    record_skill_gain = RecordSkillGain.Field()
