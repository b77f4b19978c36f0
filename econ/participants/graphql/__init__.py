"""GraphQL surface of participants: types, queries and mutations (one module each).

Other domains refer to these types by dotted path ("econ.participants.graphql.Participant"),
so the names they use are exported here.
"""

from econ.participants.graphql.mutations import Mutations, SkillInput
from econ.participants.graphql.queries import Queries
from econ.participants.graphql.types import (
    EXTENSIONS,
    MilestoneType,
    Participant,
    ParticipantStatus,
    Pathway,
    Skill,
)

__all__ = [
    "EXTENSIONS",
    "MilestoneType",
    "Mutations",
    "Participant",
    "ParticipantStatus",
    "Pathway",
    "Queries",
    "Skill",
    "SkillInput",
]
