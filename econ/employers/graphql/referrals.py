"""Mutations of consents, referrals, placements and preferences; the root."""

from __future__ import annotations

import graphene

from econ.employers import services
from econ.employers.graphql.companies import (
    CreateEmployer,
    SetEmployerStatus,
    UpdateEmployer,
    _plain,
)
from econ.employers.graphql.openings import (
    CloseOpportunity,
    CreateOpportunity,
    PublishOpportunity,
    UpdateOpportunity,
)
from econ.employers.graphql_types import (
    ChannelType,
    CheckpointStatus,
    ConsentScope,
    ConsentType,
    OpportunityTypeEnum,
    PayPeriod,
    PlacementEndReason,
    PlacementType,
    ReasonCode,
    ReferralStatus,
    ReferralType,
    RetentionCheckpointType,
    WorkPreferencesType,
)
from econ.schema.inputs import enum_value, parse_id
from econ.schema.mutations import BaseMutation


class GiveConsentInput(graphene.InputObjectType):
    participant_id = graphene.ID(required=True)
    employer_id = graphene.ID(required=True)
    scope = ConsentScope(required=True)
    participant_present = graphene.Boolean(
        description="A counselor records consent only with her present, and says so."
    )
    channel_type = ChannelType(description="IDENTITY only: how this employer may contact her.")
    channel_value = graphene.String()


class GiveConsent(BaseMutation):
    """She (or her counselor, with her present) lets one employer see her profile or identity."""

    class Arguments:
        input = GiveConsentInput(required=True)

    consent = graphene.Field(ConsentType)

    @classmethod
    def perform(cls, info, actor, data):
        consent = services.give_consent(
            actor,
            parse_id(data["participant_id"], "participantId"),
            parse_id(data["employer_id"], "employerId"),
            enum_value(data["scope"]),
            participant_present=data.get("participant_present"),
            channel_type=enum_value(data.get("channel_type")),
            channel_value=data.get("channel_value"),
        )
        return {"consent": consent}


class RevokeConsentInput(graphene.InputObjectType):
    consent_id = graphene.ID(required=True)


class RevokeConsent(BaseMutation):
    """Takes effect on the next request; revoking PROFILE withdraws open referrals."""

    class Arguments:
        input = RevokeConsentInput(required=True)

    consent = graphene.Field(ConsentType)

    @classmethod
    def perform(cls, info, actor, data):
        cid = parse_id(data["consent_id"], "consentId")
        return {"consent": services.revoke_consent(actor, cid)}


class ReferParticipantInput(graphene.InputObjectType):
    opportunity_id = graphene.ID(required=True)
    participant_id = graphene.ID(required=True)
    note = graphene.String(description="For her side only; never shown to the employer.")


class ReferParticipant(BaseMutation):
    """Her counselor proposes her for an opportunity (PROPOSED; shared later, with consent)."""

    class Arguments:
        input = ReferParticipantInput(required=True)

    referral = graphene.Field(ReferralType)

    @classmethod
    def perform(cls, info, actor, data):
        referral = services.refer_participant(
            actor,
            parse_id(data["opportunity_id"], "opportunityId"),
            parse_id(data["participant_id"], "participantId"),
            data.get("note") or "",
        )
        return {"referral": referral}


class PlacementInput(graphene.InputObjectType):
    start_date = graphene.String(description="YYYY-MM-DD; default today.")
    pay_amount = graphene.String(description="Default: the opportunity's pay.")
    pay_period = PayPeriod()
    hours_per_week = graphene.Int()
    type = OpportunityTypeEnum()


class AdvanceReferralInput(graphene.InputObjectType):
    referral_id = graphene.ID(required=True)
    status = ReferralStatus(required=True)
    reason_code = ReasonCode(description="Required to end a referral (DECLINED, WITHDRAWN).")
    note = graphene.String()
    placement = PlacementInput(description="For HIRED: the job's terms.")


class AdvanceReferral(BaseMutation):
    """Move a referral one step (HIRED creates the placement), or end it with a reason."""

    class Arguments:
        input = AdvanceReferralInput(required=True)

    referral = graphene.Field(ReferralType)
    placement = graphene.Field(PlacementType)

    @classmethod
    def perform(cls, info, actor, data):
        placement = _plain(dict(data.get("placement") or {}))
        referral = services.advance_referral(
            actor,
            parse_id(data["referral_id"], "referralId"),
            enum_value(data["status"]),
            enum_value(data.get("reason_code")),
            data.get("note") or "",
            placement,
        )
        hired = referral.status == "HIRED"
        return {
            "referral": referral,
            "placement": services.placement_of_referral(referral.id) if hired else None,
        }


class EndPlacementInput(graphene.InputObjectType):
    placement_id = graphene.ID(required=True)
    ended_on = graphene.String(required=True, description="YYYY-MM-DD")
    reason = PlacementEndReason(required=True)
    note = graphene.String()


class EndPlacement(BaseMutation):
    """Her counselor or the employer records the end of the job."""

    class Arguments:
        input = EndPlacementInput(required=True)

    placement = graphene.Field(PlacementType)

    @classmethod
    def perform(cls, info, actor, data):
        placement = services.end_placement(
            actor,
            parse_id(data["placement_id"], "placementId"),
            data["ended_on"],
            enum_value(data["reason"]),
            data.get("note") or "",
        )
        return {"placement": placement}


class ConfirmRetentionInput(graphene.InputObjectType):
    checkpoint_id = graphene.ID(required=True)
    outcome = CheckpointStatus(required=True)
    evidence = graphene.String(description="e.g. 'payslip seen', 'call with HR'.")


class ConfirmRetention(BaseMutation):
    """Counselor: any outcome; employer: only employment at its own company."""

    class Arguments:
        input = ConfirmRetentionInput(required=True)

    checkpoint = graphene.Field(RetentionCheckpointType)

    @classmethod
    def perform(cls, info, actor, data):
        checkpoint = services.confirm_retention(
            actor,
            parse_id(data["checkpoint_id"], "checkpointId"),
            enum_value(data["outcome"]),
            data.get("evidence") or "",
        )
        return {"checkpoint": checkpoint}


class SetWorkPreferencesInput(graphene.InputObjectType):
    participant_id = graphene.ID(required=True)
    available_hours_per_week = graphene.Int()
    available_from = graphene.String(description="YYYY-MM-DD")
    opportunity_types = graphene.List(graphene.NonNull(OpportunityTypeEnum))
    needs_flexible_schedule = graphene.Boolean()
    needs_childcare_friendly = graphene.Boolean()
    minimum_pay = graphene.String(description='Decimal, e.g. "1500.00".')
    minimum_pay_period = PayPeriod()


class SetWorkPreferences(BaseMutation):
    """She or her counselor states what work fits her (replaces the previous statement)."""

    class Arguments:
        input = SetWorkPreferencesInput(required=True)

    work_preferences = graphene.Field(WorkPreferencesType)

    @classmethod
    def perform(cls, info, actor, data):
        pid = parse_id(data.pop("participant_id"), "participantId")
        values = _plain(data)
        values["opportunity_types"] = [enum_value(t) for t in data.get("opportunity_types") or []]
        return {"work_preferences": services.set_work_preferences(actor, pid, **values)}


class Mutations:
    create_employer = CreateEmployer.Field()
    update_employer = UpdateEmployer.Field()
    set_employer_status = SetEmployerStatus.Field()
    create_opportunity = CreateOpportunity.Field()
    update_opportunity = UpdateOpportunity.Field()
    publish_opportunity = PublishOpportunity.Field()
    close_opportunity = CloseOpportunity.Field()
    give_consent = GiveConsent.Field()
    revoke_consent = RevokeConsent.Field()
    refer_participant = ReferParticipant.Field()
    advance_referral = AdvanceReferral.Field()
    end_placement = EndPlacement.Field()
    confirm_retention = ConfirmRetention.Field()
    set_work_preferences = SetWorkPreferences.Field()
