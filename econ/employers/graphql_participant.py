"""Fields the employers domain adds to `Participant`: consents, referrals, placements and
work preferences. Her side only (her counselor and she herself)."""

from __future__ import annotations

import graphene

from econ.employers import services


class ParticipantFields:
    consents = graphene.List(
        graphene.NonNull("econ.employers.graphql_types.ConsentType"),
        description="Every consent she gave, current and revoked.",
    )
    referrals = graphene.List(graphene.NonNull("econ.employers.graphql_types.ReferralType"))
    placements = graphene.List(graphene.NonNull("econ.employers.graphql_types.PlacementType"))
    work_preferences = graphene.Field("econ.employers.graphql_types.WorkPreferencesType")

    @staticmethod
    def resolve_consents(participant, info):
        return services.consents_of(info.context.actor, participant)

    @staticmethod
    def resolve_referrals(participant, info):
        return services.referrals_of(info.context.actor, participant)

    @staticmethod
    def resolve_placements(participant, info):
        return services.placements_of(info.context.actor, participant)

    @staticmethod
    def resolve_work_preferences(participant, info):
        return services.work_preferences(info.context.actor, participant)
