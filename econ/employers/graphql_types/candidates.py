"""What an employer may see of a candidate, and a counselor's suggested matches."""

from __future__ import annotations

import graphene

from econ.employers import services
from econ.employers.graphql_types.base import (
    CREDENTIAL_PAGES,
    SKILL,
    ChannelType,
    OpportunityTypeEnum,
    _skills,
)
from econ.participants.relations import PARTICIPANT
from econ.schema.pagination import (
    connection_field,
    connection_type,
    offset_args,
    offset_connection,
)


class CredentialType(graphene.ObjectType):
    class Meta:
        name = "CandidateCredential"

    name = graphene.String(required=True)
    issued_on = graphene.Date()


CandidateCredentialConnection = connection_type(CredentialType)


class AvailabilityType(graphene.ObjectType):
    class Meta:
        name = "Availability"

    hours_per_week = graphene.Int()
    available_from = graphene.Date()
    opportunity_types = graphene.List(graphene.NonNull(OpportunityTypeEnum), required=True)


class ContactChannelType(graphene.ObjectType):
    class Meta:
        name = "ContactChannel"

    type = graphene.Field(ChannelType, required=True)
    value = graphene.String(required=True)


class Candidate(graphene.ObjectType):
    """The anonymous profile an employer sees; name and channel only with IDENTITY consent."""

    handle = graphene.String(required=True)
    skills = graphene.List(graphene.NonNull(SKILL), required=True)
    credentials = connection_field(
        CandidateCredentialConnection, "Her credentials (name and date), as recorded."
    )
    languages = graphene.List(graphene.NonNull(graphene.String), required=True)
    availability = graphene.Field(AvailabilityType)
    preferred_name = graphene.String()
    contact_channel = graphene.Field(ContactChannelType)

    @staticmethod
    def resolve_skills(profile, info):
        return _skills(profile.skills)

    @staticmethod
    def resolve_credentials(profile, info, first=None, after=None):
        size, start = offset_args(first, after)

        def connection(page):
            conn = CandidateCredentialConnection
            return offset_connection(conn, page.rows, start, page.has_next, page.total)

        key = (profile.participant_id, size, start)
        return CREDENTIAL_PAGES.now_or_later(info, key, connection)

    @staticmethod
    def resolve_preferred_name(profile, info):
        if profile.preferred_name is not None:
            services.note_identity_read(
                info.context.actor, profile, "preferred_name", info.context.reads
            )
        return profile.preferred_name

    @staticmethod
    def resolve_contact_channel(profile, info):
        if profile.contact_channel is not None:
            services.note_identity_read(
                info.context.actor, profile, "contact_channel", info.context.reads
            )
        return profile.contact_channel


class SuggestedCandidate(graphene.ObjectType):
    """One of her participants, with the score and its parts (weights in docs/employers.md)."""

    participant = graphene.Field("econ.participants.graphql.Participant", required=True)
    score = graphene.Float(required=True, description="0 to 1, four decimals.")
    required_skills = graphene.Float(required=True, description="Share of required skills.")
    optional_skills = graphene.Float(required=True, description="Share of optional skills.")
    language_fit = graphene.Float(required=True)
    schedule_fit = graphene.Float(required=True)
    matched_skills = graphene.List(graphene.NonNull(SKILL), required=True)
    missing_skills = graphene.List(graphene.NonNull(SKILL), required=True)

    @staticmethod
    async def resolve_participant(match, info):
        return await PARTICIPANT.load(info, match.participant_id)

    @staticmethod
    def resolve_matched_skills(match, info):
        return _skills(match.matched_skills)

    @staticmethod
    def resolve_missing_skills(match, info):
        return _skills(match.missing_skills)


def _float_part(name: str):
    return lambda match, info: float(getattr(match, name))


for _part in ("score", "required_skills", "optional_skills", "language_fit", "schedule_fit"):
    setattr(SuggestedCandidate, f"resolve_{_part}", staticmethod(_float_part(_part)))
