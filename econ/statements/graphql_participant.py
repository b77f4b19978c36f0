"""`Participant.statements`: her stored statements, for her, her counselor and FINANCE."""

from __future__ import annotations

from econ.schema.errors import forbidden
from econ.schema.loaders import Relation
from econ.schema.pagination import connection_field, paginate_list
from econ.statements.graphql import StatementConnection
from econ.statements.services import may_read_statements, statements_by_participant

# Her statements, newest month first; the service decides who may read them.
STATEMENTS = Relation("her statements", statements_by_participant, actor=True)


class ParticipantFields:
    statements = connection_field(
        StatementConnection,
        "Her monthly statements, newest month first (she, her counselor, FINANCE).",
        required=False,
    )

    @staticmethod
    async def resolve_statements(participant, info, first=None, after=None):
        if not may_read_statements(info.context.actor, participant):
            raise forbidden("statements")
        found = await STATEMENTS.load(info, participant.id)
        return paginate_list(StatementConnection, found, first, after)
