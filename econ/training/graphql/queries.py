"""Training's queries: the catalogue, cohorts, enrolments and requests you may see."""

from __future__ import annotations

import graphene

from econ.schema.inputs import enum_value, parse_id
from econ.schema.lookups import or_none
from econ.schema.pagination import connection_field, paginate
from econ.training import services
from econ.training.graphql.types import (
    Cohort,
    CohortConnection,
    CohortStatus,
    Enrollment,
    EnrollmentRequestConnection,
    EnrollmentRequestStatus,
    TrainingProgram,
    TrainingProgramConnection,
)
from econ.training.graphql_skills import SkillQueries


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
