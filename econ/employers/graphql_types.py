"""GraphQL object types of the employers domain (queries and mutations are in graphql.py).

Fields that follow a key or list children use request loaders, so an opportunity with any
number of referrals costs a fixed number of statements.
"""

from __future__ import annotations

import graphene

from econ.employers import models as m
from econ.employers import services
from econ.participants.graphql import Skill
from econ.participants.relations import PARTICIPANT
from econ.schema.enums import enum_of
from econ.schema.errors import visible_or_forbidden
from econ.schema.loaders import Relation
from econ.schema.scalars import Money, money

EmployerStatus = enum_of("EmployerStatus", m.EMPLOYER_STATUSES)
EmployerSize = enum_of("EmployerSize", m.EMPLOYER_SIZES)
OpportunityTypeEnum = enum_of("OpportunityType", m.OPPORTUNITY_TYPES)
OpportunityStatus = enum_of("OpportunityStatus", m.OPPORTUNITY_STATUSES)
PayPeriod = enum_of("PayPeriod", m.PAY_PERIODS)
ConsentScope = enum_of("ConsentScope", m.CONSENT_SCOPES)
ChannelType = enum_of("ChannelType", m.CHANNEL_TYPES)
ReferralStatus = enum_of("ReferralStatus", m.REFERRAL_STATUSES)
ReasonCode = enum_of("ReferralReasonCode", (*m.REASON_CODES, services.NEUTRAL_REASON))
PlacementEndReason = enum_of("PlacementEndReason", m.PLACEMENT_END_REASONS)
CheckpointStatus = enum_of("RetentionCheckpointStatus", m.CHECKPOINT_STATUSES)

SKILL = "econ.participants.graphql.Skill"


def _skills(items) -> list:
    return [Skill(key=s["key"], label=s["label"]) for s in items]


def _opportunities_by_id(ids: list[int]) -> dict:
    return {o.id: o for o in m.Opportunity.select().where(m.Opportunity.id.in_(ids))}


def _handles_by_referral(ids: list[int]) -> dict:
    query = m.Referral.select(m.Referral.id, m.Referral.handle).where(m.Referral.id.in_(ids))
    return {r.id: r.handle for r in query}


def _candidates(actor, referrals) -> dict:
    found = services.candidate_profiles(actor, referrals)
    return {r: found[r.id] for r in referrals}


EMPLOYER = Relation("employer by id", services.employers_by_id)
OPPORTUNITY = Relation("opportunity by id", _opportunities_by_id)
HANDLE = Relation("referral handle", _handles_by_referral)
STAGES = Relation("referral stages", services.stages_for)
CANDIDATE = Relation("referral candidate profile", _candidates, actor=True)
REFERRALS = Relation("opportunity referrals", services.referrals_for_opportunities, actor=True)
CHECKPOINTS = Relation("placement checkpoints", services.checkpoints_for)


class InclusionAgreement(graphene.ObjectType):
    signed_on = graphene.Date()
    commitments = graphene.String(required=True)
    review_on = graphene.Date()


class EmployerType(graphene.ObjectType):
    class Meta:
        name = "Employer"
        description = "A partner company."

    id = graphene.ID(required=True)
    name = graphene.String(required=True)
    sector = graphene.String(required=True)
    size = graphene.Field(EmployerSize, required=True)
    status = graphene.Field(EmployerStatus, required=True)
    agreement = graphene.Field(InclusionAgreement, description="Staff and the employer itself.")
    staff = graphene.List(
        graphene.NonNull("econ.security.graphql.User"),
        description="Its logins: to the company itself and to ADMIN.",
    )

    @staticmethod
    def resolve_staff(employer, info):
        with visible_or_forbidden("staff"):
            return services.staff_logins(info.context.actor, employer)

    @staticmethod
    def resolve_agreement(employer, info):
        if not services.sees_agreement(info.context.actor):
            return None
        return InclusionAgreement(
            signed_on=employer.agreement_signed_on,
            commitments=employer.agreement_commitments,
            review_on=employer.agreement_review_on,
        )


class CredentialType(graphene.ObjectType):
    class Meta:
        name = "CandidateCredential"

    name = graphene.String(required=True)
    issued_on = graphene.Date()


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
    credentials = graphene.List(graphene.NonNull(CredentialType), required=True)
    languages = graphene.List(graphene.NonNull(graphene.String), required=True)
    availability = graphene.Field(AvailabilityType)
    preferred_name = graphene.String()
    contact_channel = graphene.Field(ContactChannelType)

    @staticmethod
    def resolve_skills(profile, info):
        return _skills(profile.skills)

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


class ReferralStageType(graphene.ObjectType):
    class Meta:
        name = "ReferralStage"

    from_status = graphene.Field(ReferralStatus)
    to_status = graphene.Field(ReferralStatus, required=True)
    reason_code = graphene.Field(ReasonCode)
    note = graphene.String(description="The employer sees only notes its own staff wrote.")
    actor_role = graphene.String(required=True)
    at = graphene.DateTime(required=True)

    @staticmethod
    def resolve_note(stage, info):
        return services.stage_note_for(info.context.actor, stage)

    @staticmethod
    def resolve_reason_code(stage, info):
        return services.reason_for(info.context.actor, stage.reason_code)

    @staticmethod
    def resolve_actor_role(stage, info):
        return services.stage_actor_for(info.context.actor, stage)


class ReferralType(graphene.ObjectType):
    class Meta:
        name = "Referral"

    id = graphene.ID(required=True)
    handle = graphene.String(required=True, description="Random, per referral.")
    status = graphene.Field(ReferralStatus, required=True)
    reason_code = graphene.Field(ReasonCode)
    opportunity = graphene.Field(lambda: OpportunityType, required=True)
    history = graphene.List(graphene.NonNull(ReferralStageType), required=True)
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
    async def resolve_history(referral, info):
        return await STAGES.load(info, referral.id)

    @staticmethod
    async def resolve_candidate(referral, info):
        return await CANDIDATE.load(info, referral)

    @staticmethod
    async def resolve_participant(referral, info):
        with visible_or_forbidden("participant"):
            services.require_programme_side(info.context.actor, "participant")
        return await PARTICIPANT.load(info, referral.participant_id)

    @staticmethod
    def resolve_note(referral, info):
        with visible_or_forbidden("note"):
            return services.referral_note(info.context.actor, referral)


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
    referrals = graphene.List(
        graphene.NonNull(ReferralType),
        required=True,
        description="Referrals you may see: her counselor's, or the employer's shared ones.",
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
    async def resolve_referrals(opportunity, info):
        return await REFERRALS.load(info, opportunity.id)

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
        return services.evidence_for(info.context.actor, checkpoint)


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


class ConsentType(graphene.ObjectType):
    class Meta:
        name = "Consent"

    id = graphene.ID(required=True)
    employer = graphene.Field(EmployerType, required=True)
    scope = graphene.Field(ConsentScope, required=True)
    given_at = graphene.DateTime(required=True)
    recorded_as = graphene.String(
        required=True, description="PARTICIPANT or COUNSELOR_WITH_PARTICIPANT_PRESENT."
    )
    channel_type = graphene.Field(ChannelType)
    channel_value = graphene.String()
    revoked_at = graphene.DateTime()
    current = graphene.Boolean(required=True)

    @staticmethod
    async def resolve_employer(consent, info):
        return await EMPLOYER.load(info, consent.employer_id)

    @staticmethod
    def resolve_channel_value(consent, info):
        return services.channel_value(consent)

    @staticmethod
    def resolve_current(consent, info):
        return consent.revoked_at is None


class WorkPreferencesType(graphene.ObjectType):
    class Meta:
        name = "WorkPreferences"

    available_hours_per_week = graphene.Int()
    available_from = graphene.Date()
    opportunity_types = graphene.List(graphene.NonNull(OpportunityTypeEnum), required=True)
    needs_flexible_schedule = graphene.Boolean(required=True)
    needs_childcare_friendly = graphene.Boolean(required=True)
    minimum_pay = graphene.Field(Money)
    minimum_pay_period = graphene.Field(PayPeriod)

    @staticmethod
    def resolve_minimum_pay(prefs, info):
        return money(prefs.minimum_pay, info.context.currency)
