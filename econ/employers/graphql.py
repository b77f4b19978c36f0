"""GraphQL queries and mutations of the employers domain (types in graphql_types.py)."""

from __future__ import annotations

import graphene

from econ.employers import services
from econ.employers.graphql_types import (
    ChannelType,
    CheckpointStatus,
    ConsentScope,
    ConsentType,
    EmployerSize,
    EmployerStatus,
    EmployerType,
    OpportunityStatus,
    OpportunityType,
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
from econ.errors import DomainError
from econ.schema.errors import visible_or_forbidden
from econ.schema.inputs import enum_value, parse_id
from econ.schema.lookups import or_none
from econ.schema.mutations import BaseMutation
from econ.schema.pagination import connection_field, connection_type, paginate
from econ.schema.scalars import Money, money

EmployerConnection = connection_type(EmployerType)
OpportunityConnection = connection_type(OpportunityType)
PlacementConnection = connection_type(PlacementType)


class Queries:
    employers = connection_field(
        EmployerConnection, "Partner companies you may see.", status=EmployerStatus()
    )
    employer = graphene.Field(EmployerType, id=graphene.ID(required=True))
    opportunities = connection_field(
        OpportunityConnection,
        "Opportunities you may see, newest first.",
        status=OpportunityStatus(),
        employer_id=graphene.ID(),
        skill=graphene.String(description="A skill key, required or optional."),
    )
    opportunity = graphene.Field(OpportunityType, id=graphene.ID(required=True))
    referral = graphene.Field(ReferralType, id=graphene.ID(required=True))
    placement = graphene.Field(PlacementType, id=graphene.ID(required=True))
    minimum_wage = graphene.Field(
        Money, description="Posting roles: the lowest hourly pay an opportunity may offer."
    )
    placements = connection_field(
        PlacementConnection,
        "Placements you may see, newest first: an employer its own hires.",
        due=graphene.Boolean(description="Only those with a retention check due or overdue."),
    )

    @staticmethod
    def resolve_employers(root, info, first=None, after=None, status=None):
        query = services.visible_employers(info.context.actor, enum_value(status))
        return paginate(EmployerConnection, query, first, after)

    @staticmethod
    def resolve_employer(root, info, id):
        return or_none(lambda: services.get_employer(info.context.actor, parse_id(id)))

    @staticmethod
    def resolve_opportunities(
        root, info, first=None, after=None, status=None, employer_id=None, skill=None
    ):
        eid = or_none(lambda: parse_id(employer_id, "employerId", required=False))
        if employer_id not in (None, "") and eid is None:
            eid = 0  # a malformed id matches nothing, like an unknown one
        try:
            query = services.visible_opportunities(
                info.context.actor, enum_value(status), eid, skill
            )
        except DomainError as exc:
            if exc.code == "UNAUTHENTICATED":
                raise
            query = services.visible_opportunities(info.context.actor, enum_value(status), 0)
        return paginate(OpportunityConnection, query, first, after)

    @staticmethod
    def resolve_opportunity(root, info, id):
        return or_none(lambda: services.get_opportunity(info.context.actor, parse_id(id)))

    @staticmethod
    def resolve_referral(root, info, id):
        return or_none(lambda: services.get_referral(info.context.actor, parse_id(id)))

    @staticmethod
    def resolve_placement(root, info, id):
        return or_none(lambda: services.get_placement(info.context.actor, parse_id(id)))

    @staticmethod
    def resolve_minimum_wage(root, info):
        with visible_or_forbidden("minimumWage"):
            return money(services.minimum_hourly_wage(info.context.actor), info.context.currency)

    @staticmethod
    def resolve_placements(root, info, first=None, after=None, due=False):
        query = services.list_placements(info.context.actor, bool(due))
        return paginate(PlacementConnection, query, first, after)


# ---- mutations ---------------------------------------------------------------------------


class CreateEmployerInput(graphene.InputObjectType):
    name = graphene.String(required=True)
    sector = graphene.String()
    size = EmployerSize()
    agreement_signed_on = graphene.String(description="YYYY-MM-DD")
    agreement_commitments = graphene.String()
    agreement_review_on = graphene.String(description="YYYY-MM-DD")


def _plain(data: dict) -> dict:
    return {key: enum_value(value) for key, value in data.items()}


class CreateEmployer(BaseMutation):
    """ADMIN registers a partner company (PROSPECT until activated)."""

    class Arguments:
        input = CreateEmployerInput(required=True)

    employer = graphene.Field(EmployerType)

    @classmethod
    def perform(cls, info, actor, data):
        return {"employer": services.create_employer(actor, **_plain(data))}


class UpdateEmployerInput(graphene.InputObjectType):
    employer_id = graphene.ID(required=True)
    name = graphene.String()
    sector = graphene.String()
    size = EmployerSize()
    agreement_signed_on = graphene.String()
    agreement_commitments = graphene.String()
    agreement_review_on = graphene.String()


class UpdateEmployer(BaseMutation):
    """ADMIN edits the company or its inclusion agreement (fields given only)."""

    class Arguments:
        input = UpdateEmployerInput(required=True)

    employer = graphene.Field(EmployerType)

    @classmethod
    def perform(cls, info, actor, data):
        eid = parse_id(data.pop("employer_id"), "employerId")
        changes = {k: val for k, val in _plain(data).items() if val is not None}
        return {"employer": services.update_employer(actor, eid, **changes)}


class SetEmployerStatusInput(graphene.InputObjectType):
    employer_id = graphene.ID(required=True)
    status = EmployerStatus(required=True)
    reason = graphene.String()


class SetEmployerStatus(BaseMutation):
    """ADMIN: PROSPECT → ACTIVE ⇄ SUSPENDED; suspension hides all candidates at once."""

    class Arguments:
        input = SetEmployerStatusInput(required=True)

    employer = graphene.Field(EmployerType)

    @classmethod
    def perform(cls, info, actor, data):
        employer = services.set_employer_status(
            actor,
            parse_id(data["employer_id"], "employerId"),
            enum_value(data["status"]),
            data.get("reason") or "",
        )
        return {"employer": employer}


class SkillInputType(graphene.InputObjectType):
    class Meta:
        name = "OpportunitySkillInput"

    key = graphene.String(required=True)
    label = graphene.String()


def _opportunity_fields(required: bool) -> dict:
    return {
        "title": graphene.String(required=required),
        "description": graphene.String(),
        "type": OpportunityTypeEnum(required=required),
        "pay_amount": graphene.String(required=required, description='Decimal, e.g. "12.50".'),
        "pay_period": PayPeriod(required=required),
        "hours_per_week": graphene.Int(required=required),
        "flexible_schedule": graphene.Boolean(),
        "childcare_friendly": graphene.Boolean(),
        "location": graphene.String(description="Coarse: district or town, never an address."),
        "required_skills": graphene.List(graphene.NonNull(SkillInputType)),
        "optional_skills": graphene.List(graphene.NonNull(SkillInputType)),
        "languages": graphene.List(graphene.NonNull(graphene.String)),
        "openings": graphene.Int(),
        "closes_on": graphene.String(description="YYYY-MM-DD"),
    }


CreateOpportunityInput = type(
    "CreateOpportunityInput",
    (graphene.InputObjectType,),
    {
        "employer_id": graphene.ID(description="Staff only; employers post for their own."),
        **_opportunity_fields(True),
    },
)
UpdateOpportunityInput = type(
    "UpdateOpportunityInput",
    (graphene.InputObjectType,),
    {"opportunity_id": graphene.ID(required=True), **_opportunity_fields(False)},
)


def _opportunity_values(data: dict) -> dict:
    values = _plain(data)
    for key in ("required_skills", "optional_skills"):
        if values.get(key) is not None:
            values[key] = [dict(s) for s in values[key]]
    return values


class CreateOpportunity(BaseMutation):
    """Employer staff (own company) or a counselor / admin on its behalf; starts as DRAFT."""

    class Arguments:
        input = CreateOpportunityInput(required=True)

    opportunity = graphene.Field(OpportunityType)

    @classmethod
    def perform(cls, info, actor, data):
        eid = parse_id(data.pop("employer_id", None), "employerId", required=False)
        values = {k: val for k, val in _opportunity_values(data).items() if val is not None}
        return {"opportunity": services.create_opportunity(actor, eid, **values)}


class UpdateOpportunity(BaseMutation):
    """Change the fields given while DRAFT or OPEN."""

    class Arguments:
        input = UpdateOpportunityInput(required=True)

    opportunity = graphene.Field(OpportunityType)

    @classmethod
    def perform(cls, info, actor, data):
        oid = parse_id(data.pop("opportunity_id"), "opportunityId")
        values = {k: val for k, val in _opportunity_values(data).items() if val is not None}
        return {"opportunity": services.update_opportunity(actor, oid, **values)}


class PublishOpportunityInput(graphene.InputObjectType):
    opportunity_id = graphene.ID(required=True)


class CloseOpportunityInput(graphene.InputObjectType):
    opportunity_id = graphene.ID(required=True)


class PublishOpportunity(BaseMutation):
    """DRAFT → OPEN (an ACTIVE employer's only)."""

    class Arguments:
        input = PublishOpportunityInput(required=True)

    opportunity = graphene.Field(OpportunityType)

    @classmethod
    def perform(cls, info, actor, data):
        oid = parse_id(data["opportunity_id"], "opportunityId")
        return {"opportunity": services.publish_opportunity(actor, oid)}


class CloseOpportunity(BaseMutation):
    """DRAFT or OPEN → CLOSED; open referrals end with OPPORTUNITY_CLOSED."""

    class Arguments:
        input = CloseOpportunityInput(required=True)

    opportunity = graphene.Field(OpportunityType)

    @classmethod
    def perform(cls, info, actor, data):
        oid = parse_id(data["opportunity_id"], "opportunityId")
        return {"opportunity": services.close_opportunity(actor, oid)}


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


__all__ = ["Mutations", "Queries", "ReasonCode"]
