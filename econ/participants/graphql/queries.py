"""Participants' queries: one participant by id or code, and the list she may see."""

from __future__ import annotations

import graphene

from econ.participants import services
from econ.participants.graphql.types import Participant, ParticipantConnection, ParticipantStatus
from econ.schema.inputs import enum_value, parse_id
from econ.schema.lookups import or_none
from econ.schema.pagination import connection_field, paginate


class Queries:
    participant = graphene.Field(
        Participant,
        id=graphene.ID(required=True),
        description="Null when unknown or outside your reach.",
    )
    participant_by_code = graphene.Field(Participant, code=graphene.String(required=True))
    participants = connection_field(
        ParticipantConnection, "Participants you may see.", status=ParticipantStatus()
    )

    @staticmethod
    def resolve_participant(root, info, id):
        return or_none(lambda: services.get_participant(info.context.actor, parse_id(id)))

    @staticmethod
    def resolve_participant_by_code(root, info, code):
        return or_none(services.get_by_code, info.context.actor, code)

    @staticmethod
    def resolve_participants(root, info, first=None, after=None, status=None):
        query = services.visible_participants(info.context.actor, enum_value(status))
        return paginate(ParticipantConnection, query, first, after)
