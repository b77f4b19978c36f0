"""The counselor's candidates for an opportunity with their consent state, and referring one
only with her PROFILE consent (econ/employers/candidates.py). Kept beside graphql.py so the
employer pages' API and this one change apart."""

from __future__ import annotations

import graphene

from econ.employers import candidates as rules
from econ.employers.graphql_types import OpportunityType, ReferralType, SuggestedCandidate
from econ.schema.errors import visible_or_forbidden
from econ.schema.inputs import parse_id
from econ.schema.lookups import or_none
from econ.schema.mutations import BaseMutation


class RankedCandidateType(SuggestedCandidate):
    """A suggested candidate, and whether she lets this employer see her anonymous profile."""

    class Meta:
        name = "RankedCandidate"

    profile_consent = graphene.Boolean(
        required=True, description="A current PROFILE consent for the opportunity's employer."
    )


class OpportunityCandidates(graphene.ObjectType):
    opportunity = graphene.Field(OpportunityType, required=True)
    candidates = graphene.List(graphene.NonNull(RankedCandidateType), required=True)


class Queries:
    opportunity_candidates = graphene.Field(
        OpportunityCandidates,
        opportunity_id=graphene.ID(required=True),
        description="COUNSELOR: her participants for this opportunity, best first, with the "
        "score's parts and their consent state.",
    )

    @staticmethod
    def resolve_opportunity_candidates(root, info, opportunity_id):
        actor = info.context.actor
        with visible_or_forbidden("opportunityCandidates"):
            rules.require_reader(actor)  # refused: a field error; out of reach: null
        found = or_none(lambda: rules.candidates(actor, parse_id(opportunity_id)))
        if found is None:
            return None
        opportunity, ranked = found
        return OpportunityCandidates(opportunity=opportunity, candidates=ranked)


class ReferWithConsentInput(graphene.InputObjectType):
    opportunity_id = graphene.ID(required=True)
    participant_id = graphene.ID(required=True)
    note = graphene.String(description="For her side only; never shown to the employer.")


class ReferWithConsent(BaseMutation):
    """Refer her and share her anonymous profile, only with her current PROFILE consent for
    the employer (CONSENT_REQUIRED otherwise: record it with her present first)."""

    class Arguments:
        input = ReferWithConsentInput(required=True)

    referral = graphene.Field(ReferralType)

    @classmethod
    def perform(cls, info, actor, data):
        referral = rules.refer_with_consent(
            actor,
            parse_id(data["opportunity_id"], "opportunityId"),
            parse_id(data["participant_id"], "participantId"),
            data.get("note") or "",
        )
        return {"referral": referral}


class Mutations:
    refer_with_consent = ReferWithConsent.Field()
