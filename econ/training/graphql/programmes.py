"""Mutations of the catalogue: programmes and their cohorts."""

from __future__ import annotations

import graphene

from econ.schema.inputs import enum_value, parse_id
from econ.schema.mutations import BaseMutation
from econ.training import services
from econ.training.graphql.types import Cohort, TrainingFormat, TrainingProgram, Weekday


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
