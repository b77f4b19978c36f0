"""Participants' mutations on her record (create, update, status, counselor), and the root."""

from __future__ import annotations

import graphene

from econ.participants import services
from econ.participants.graphql.income_mutations import (
    CorrectIncome,
    RecordIncome,
    VerifyIncome,
    VerifyIncomeCorrection,
)
from econ.participants.graphql.plan_mutations import (
    AgreeToPlan,
    ChangePlan,
    RevisePlan,
    SetMilestoneStatus,
)
from econ.participants.graphql.types import Participant, ParticipantStatus
from econ.participants.graphql_enrolment import EnrolmentMutations
from econ.participants.models import (
    RESTRICTED_FIELDS,
)
from econ.schema.inputs import enum_value, parse_id
from econ.schema.mutations import BaseMutation


class SkillInput(graphene.InputObjectType):
    key = graphene.String(required=True)
    label = graphene.String()


class CreateParticipantInput(graphene.InputObjectType):
    preferred_name = graphene.String(required=True)
    legal_name = graphene.String()
    date_of_birth = graphene.String(description="YYYY-MM-DD")
    phone = graphene.String()
    email = graphene.String()
    address = graphene.String()
    bank_account = graphene.String()
    bank_bic = graphene.String()
    safety_notes = graphene.String()
    languages = graphene.List(graphene.NonNull(graphene.String))
    preferred_language = graphene.String()
    counselor_id = graphene.ID()
    skills = graphene.List(graphene.NonNull(SkillInput))


RESTRICTED_INPUTS = RESTRICTED_FIELDS


class CreateParticipant(BaseMutation):
    """Register a participant (COUNSELOR: assigned to her; ADMIN: no restricted data)."""

    class Arguments:
        input = CreateParticipantInput(required=True)

    participant = graphene.Field(Participant)

    @classmethod
    def perform(cls, info, actor, data):
        participant = services.create_participant(
            actor,
            preferred_name=data.get("preferred_name"),
            languages=data.get("languages"),
            preferred_language=data.get("preferred_language"),
            counselor_id=parse_id(data.get("counselor_id"), "counselorId", required=False),
            skills=[dict(s) for s in data.get("skills") or []],
            **{k: data.get(k) for k in RESTRICTED_INPUTS},
        )
        return {"participant": participant}


class UpdateParticipantInput(graphene.InputObjectType):
    participant_id = graphene.ID(required=True)
    preferred_name = graphene.String()
    legal_name = graphene.String()
    date_of_birth = graphene.String()
    phone = graphene.String()
    email = graphene.String()
    address = graphene.String()
    bank_account = graphene.String()
    bank_bic = graphene.String()
    safety_notes = graphene.String()
    languages = graphene.List(graphene.NonNull(graphene.String))
    preferred_language = graphene.String()
    skills = graphene.List(graphene.NonNull(SkillInput))


class UpdateParticipant(BaseMutation):
    """Change fields given (omitted fields stay as they are)."""

    class Arguments:
        input = UpdateParticipantInput(required=True)

    participant = graphene.Field(Participant)

    @classmethod
    def perform(cls, info, actor, data):
        pid = parse_id(data.pop("participant_id"), "participantId")
        changes = {k: val for k, val in data.items() if val is not None}
        if "skills" in changes:
            changes["skills"] = [dict(s) for s in changes["skills"]]
        return {"participant": services.update_participant(actor, pid, **changes)}


class SetParticipantStatusInput(graphene.InputObjectType):
    participant_id = graphene.ID(required=True)
    status = ParticipantStatus(required=True)
    reason = graphene.String(required=True)


class SetParticipantStatus(BaseMutation):
    """Pause, exit, re-enter or graduate; history is kept."""

    class Arguments:
        input = SetParticipantStatusInput(required=True)

    participant = graphene.Field(Participant)

    @classmethod
    def perform(cls, info, actor, data):
        participant = services.set_status(
            actor,
            parse_id(data["participant_id"], "participantId"),
            enum_value(data["status"]),
            data["reason"],
        )
        return {"participant": participant}


class AssignCounselorInput(graphene.InputObjectType):
    participant_id = graphene.ID(required=True)
    counselor_id = graphene.ID(required=True)


class AssignCounselor(BaseMutation):
    """ADMIN (re)assigns a counselor; the previous one loses access at once."""

    class Arguments:
        input = AssignCounselorInput(required=True)

    participant = graphene.Field(Participant)

    @classmethod
    def perform(cls, info, actor, data):
        participant = services.assign_counselor(
            actor,
            parse_id(data["participant_id"], "participantId"),
            parse_id(data["counselor_id"], "counselorId"),
        )
        return {"participant": participant}


class Mutations(EnrolmentMutations):
    create_participant = CreateParticipant.Field()
    update_participant = UpdateParticipant.Field()
    set_participant_status = SetParticipantStatus.Field()
    assign_counselor = AssignCounselor.Field()
    revise_plan = RevisePlan.Field()
    change_plan = ChangePlan.Field()
    agree_to_plan = AgreeToPlan.Field()
    set_milestone_status = SetMilestoneStatus.Field()
    record_income = RecordIncome.Field()
    verify_income = VerifyIncome.Field()
    correct_income = CorrectIncome.Field()
    verify_income_correction = VerifyIncomeCorrection.Field()
