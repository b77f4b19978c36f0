"""Fields the employers domain adds to `Participant`: consents, referrals, placements and
work preferences. Her side only (her counselor and she herself). Each list is a keyset
page read in SQL (her counselor reads one participant's at a time)."""

from __future__ import annotations

import graphene

from econ.employers import services
from econ.employers.models import Consent, Placement, Referral
from econ.schema.pagination import connection_at, connection_field, paginate_keyset

CONSENTS = "econ.employers.graphql_types.companies.ConsentConnection"
REFERRALS = "econ.employers.graphql_types.referrals.ReferralConnection"
PLACEMENTS = "econ.employers.graphql_types.referrals.PlacementConnection"


class ParticipantFields:
    consents = connection_field(
        CONSENTS, "Every consent she gave, current and revoked, newest first.", required=False
    )
    referrals = connection_field(REFERRALS, "Her referrals, oldest first.", required=False)
    placements = connection_field(PLACEMENTS, "Her placements, oldest first.", required=False)
    work_preferences = graphene.Field("econ.employers.graphql_types.WorkPreferencesType")

    @staticmethod
    def resolve_consents(participant, info, first=None, after=None):
        query = services.consents_of(info.context.actor, participant)
        conn = connection_at(CONSENTS)
        return paginate_keyset(conn, query, Consent.id, first, after, descending=True)

    @staticmethod
    def resolve_referrals(participant, info, first=None, after=None):
        query = services.referrals_of(info.context.actor, participant)
        return paginate_keyset(connection_at(REFERRALS), query, Referral.id, first, after)

    @staticmethod
    def resolve_placements(participant, info, first=None, after=None):
        query = services.placements_query(info.context.actor, participant)
        return paginate_keyset(connection_at(PLACEMENTS), query, Placement.id, first, after)

    @staticmethod
    def resolve_work_preferences(participant, info):
        return services.work_preferences(info.context.actor, participant)
