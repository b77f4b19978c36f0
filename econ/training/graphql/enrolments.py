"""Mutations of enrolments (enrol, requests, status, attendance, completion, skills); the root."""

from __future__ import annotations

import graphene

from econ.schema.inputs import enum_value, parse_id
from econ.schema.mutations import BaseMutation
from econ.training import services
from econ.training.graphql.programmes import (
    CancelCohort,
    CreateCohort,
    CreateTrainingProgram,
    DeleteCohort,
    UpdateCohort,
    UpdateTrainingProgram,
)
from econ.training.graphql.types import (
    AttendanceStatus,
    Cohort,
    Enrollment,
    EnrollmentRequest,
    EnrollmentStatus,
    SkillGain,
    SkillGainType,
)
from econ.training.graphql_skills import SkillMutations


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
