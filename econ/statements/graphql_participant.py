"""`Participant.statements`: her stored statements, for her, her counselor and FINANCE."""

from __future__ import annotations

import graphene

from econ.schema.errors import forbidden
from econ.schema.loaders import Relation
from econ.statements.services import may_read_statements, statements_by_participant

# Her statements, newest month first; the service decides who may read them.
STATEMENTS = Relation("her statements", statements_by_participant, actor=True)


class ParticipantFields:
    statements = graphene.List(
        graphene.NonNull("econ.statements.graphql.Statement"),
        description="Her monthly statements, newest month first (she, her counselor, FINANCE).",
    )

    @staticmethod
    async def resolve_statements(participant, info):
        if not may_read_statements(info.context.actor, participant):
            raise forbidden("statements")
        return await STATEMENTS.load(info, participant.id)
