"""Training over GraphQL: catalogue, cohorts, enrolments, attendance, credentials.

Types are in `types`, queries in `queries`, mutations in `programmes` (the catalogue and
its cohorts) and `enrolments`; other domains refer to the types here by dotted path.
"""

from econ.training.graphql.enrolments import Mutations
from econ.training.graphql.queries import Queries
from econ.training.graphql.types import (
    Cohort,
    Credential,
    Enrollment,
    EnrollmentRequest,
    TrainingProgram,
)

__all__ = [
    "Cohort",
    "Credential",
    "Enrollment",
    "EnrollmentRequest",
    "Mutations",
    "Queries",
    "TrainingProgram",
]
