"""Openings, referrals with their stages, placements and retention checkpoints."""

from __future__ import annotations

import graphene

from econ.employers import services
from econ.employers.graphql_types.base import (
    CANDIDATE,
    CHECKPOINTS,
    EMPLOYER,
    HANDLE,
    OPPORTUNITY,
    REFERRALS,
    SKILL,
    STAGES,
    CheckpointStatus,
    OpportunityStatus,
    OpportunityTypeEnum,
    PayPeriod,
    PlacementEndReason,
    ReasonCode,
    ReferralStatus,
    _skills,
)
from econ.employers.graphql_types.candidates import Candidate, SuggestedCandidate
from econ.employers.graphql_types.companies import EmployerType
from econ.participants.relations import PARTICIPANT
from econ.schema.errors import visible_or_forbidden
from econ.schema.pagination import connection_field, connection_type, paginate_list
from econ.schema.scalars import Money, money


class ReferralStageType(graphene.ObjectType):
    class Meta:
        name = "ReferralStage"

    from_status = graphene.Field(ReferralStatus)
    to_status = graphene.Field(ReferralStatus, required=True)
    reason_code = graphene.Field(ReasonCode)
    note = graphene.String(description="The employer sees only notes its own staff wrote.")
    actor_role = graphene.String(required=True)
    at = graphene.DateTime(description='Null to an employer for a "no longer available" end.')

    @staticmethod
    def resolve_note(stage, info):
        return services.stage_note_for(info.context.actor, stage)

    @staticmethod
    def resolve_reason_code(stage, info):
        return services.reason_for(info.context.actor, stage.reason_code)

    @staticmethod
    def resolve_actor_role(stage, info):
        return services.stage_actor_for(info.context.actor, stage)

    @staticmethod
    def resolve_at(stage, info):
        return services.stage_time_for(info.context.actor, stage)


ReferralStageConnection = connection_type(ReferralStageType)


class ReferralType(graphene.ObjectType):
    class Meta:
        name = "Referral"

    id = graphene.ID(required=True)
    handle = graphene.String(required=True, description="Random, per referral.")
    status = graphene.Field(ReferralStatus, required=True)
    reason_code = graphene.Field(ReasonCode)
    opportunity = graphene.Field(lambda: OpportunityType, required=True)
    history = connection_field(ReferralStageConnection, "Its steps, oldest first.")
    candidate = graphene.Field(Candidate, description="Null while hidden (no consent).")
    participant = graphene.Field(
        "econ.participants.graphql.Participant", description="Her side and staff only."
    )
    note = graphene.String(description="The counselor's note; never shown to the employer.")
    created_at = graphene.DateTime(required=True)

    @staticmethod
    async def resolve_opportunity(referral, info):
        return await OPPORTUNITY.load(info, referral.opportunity_id)

    @staticmethod
    def resolve_reason_code(referral, info):
        return services.reason_for(info.context.actor, referral.reason_code)

    @staticmethod
    def resolve_history(referral, info, first=None, after=None):
        def page(stages):
            return paginate_list(ReferralStageConnection, stages, first, after)

        return STAGES.now_or_later(info, referral.id, page)

    @staticmethod
    def resolve_candidate(referral, info):
        return CANDIDATE.now_or_later(info, referral)

    @staticmethod
    async def resolve_participant(referral, info):
        with visible_or_forbidden("participant"):
            services.require_programme_side(info.context.actor, "participant")
        return await PARTICIPANT.load(info, referral.participant_id)

    @staticmethod
    def resolve_note(referral, info):
        with visible_or_forbidden("note"):
            return services.referral_note(info.context.actor, referral)


ReferralConnection = connection_type(ReferralType)


class OpportunityType(graphene.ObjectType):
    class Meta:
        name = "Opportunity"

    id = graphene.ID(required=True)
    employer = graphene.Field(EmployerType, required=True)
    title = graphene.String(required=True)
    description = graphene.String(required=True)
    type = graphene.Field(OpportunityTypeEnum, required=True)
    pay = graphene.Field(Money, required=True)
    pay_period = graphene.Field(PayPeriod, required=True)
    hours_per_week = graphene.Int(required=True)
    flexible_schedule = graphene.Boolean(required=True)
    childcare_friendly = graphene.Boolean(required=True)
    location = graphene.String(required=True, description="Coarse: district or town.")
    required_skills = graphene.List(graphene.NonNull(SKILL), required=True)
    optional_skills = graphene.List(graphene.NonNull(SKILL), required=True)
    languages = graphene.List(graphene.NonNull(graphene.String), required=True)
    openings = graphene.Int(required=True)
    closes_on = graphene.Date()
    status = graphene.Field(OpportunityStatus, required=True)
    published_at = graphene.DateTime()
    referrals = connection_field(
        ReferralConnection,
        "Referrals you may see: her counselor's, or the employer's shared ones, oldest first.",
    )
    # Nullable: another role asking for it gets an error on this field alone, not a null
    # opportunity (issue 19).
    suggested_candidates = graphene.List(
        graphene.NonNull(SuggestedCandidate),
        description="COUNSELOR: her participants passing the hard filters, best first.",
    )

    @staticmethod
    async def resolve_employer(opportunity, info):
        return await EMPLOYER.load(info, opportunity.employer_id)

    @staticmethod
    def resolve_pay(opportunity, info):
        return money(opportunity.pay_amount, info.context.currency)

    @staticmethod
    def resolve_required_skills(opportunity, info):
        return _skills(opportunity.required_skills)

    @staticmethod
    def resolve_optional_skills(opportunity, info):
        return _skills(opportunity.optional_skills)

    @staticmethod
    def resolve_referrals(opportunity, info, first=None, after=None):
        def page(referrals):
            connection = paginate_list(ReferralConnection, referrals, first, after)
            shown = [edge.node for edge in connection.edges]
            STAGES.announce(info, [r.id for r in shown])
            CANDIDATE.announce(info, shown)
            return connection

        return REFERRALS.now_or_later(info, opportunity.id, page)

    @staticmethod
    def resolve_suggested_candidates(opportunity, info):
        with visible_or_forbidden("suggestedCandidates"):
            return services.suggested_candidates(info.context.actor, opportunity)


class RetentionCheckpointType(graphene.ObjectType):
    class Meta:
        name = "RetentionCheckpoint"

    id = graphene.ID(required=True)
    days = graphene.Int(required=True)
    due_on = graphene.Date(required=True)
    status = graphene.Field(CheckpointStatus, required=True)
    evidence = graphene.String(required=True)
    confirmed_at = graphene.DateTime()
    confirmer_role = graphene.String()
    due = graphene.Boolean(required=True, description="Not confirmed, and its day has come.")

    @staticmethod
    def resolve_due(checkpoint, info):
        return services.is_due(checkpoint)

    @staticmethod
    def resolve_evidence(checkpoint, info):
        return services.evidence_for(info.context.actor, checkpoint, info.context.reads)


class PlacementType(graphene.ObjectType):
    class Meta:
        name = "Placement"

    id = graphene.ID(required=True)
    handle = graphene.String(required=True, description="The referral's handle.")
    employer = graphene.Field(EmployerType, required=True)
    opportunity = graphene.Field(OpportunityType, required=True)
    type = graphene.Field(OpportunityTypeEnum, required=True)
    start_date = graphene.Date(required=True)
    pay = graphene.Field(Money, required=True)
    pay_period = graphene.Field(PayPeriod, required=True)
    hours_per_week = graphene.Int(required=True)
    ended_on = graphene.Date()
    end_reason = graphene.Field(PlacementEndReason)
    retention_checkpoints = graphene.List(graphene.NonNull(RetentionCheckpointType), required=True)

    @staticmethod
    async def resolve_handle(placement, info):
        return await HANDLE.load(info, placement.referral_id)

    @staticmethod
    async def resolve_employer(placement, info):
        return await EMPLOYER.load(info, placement.employer_id)

    @staticmethod
    async def resolve_opportunity(placement, info):
        return await OPPORTUNITY.load(info, placement.opportunity_id)

    @staticmethod
    def resolve_pay(placement, info):
        return money(placement.pay_amount, info.context.currency)

    @staticmethod
    async def resolve_retention_checkpoints(placement, info):
        return await CHECKPOINTS.load(info, placement.id)


PlacementConnection = connection_type(PlacementType)
