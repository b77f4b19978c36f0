"""A partner company, her consents to it, and her work preferences."""

from __future__ import annotations

import graphene

from econ.employers import services
from econ.employers.graphql_types.base import (
    EMPLOYER,
    ChannelType,
    ConsentScope,
    EmployerSize,
    EmployerStatus,
    OpportunityTypeEnum,
    PayPeriod,
)
from econ.schema.errors import visible_or_forbidden
from econ.schema.pagination import connection_field, connection_type, paginate
from econ.schema.scalars import Money, money
from econ.security.graphql.types import UserConnection


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
    staff = connection_field(
        UserConnection,
        "Its logins by name: to the company itself and to ADMIN.",
        required=False,
    )

    @staticmethod
    def resolve_staff(employer, info, first=None, after=None):
        with visible_or_forbidden("staff"):
            query = services.staff_logins(info.context.actor, employer)
        return paginate(UserConnection, query, first, after)

    @staticmethod
    def resolve_agreement(employer, info):
        if not services.sees_agreement(info.context.actor):
            return None
        return InclusionAgreement(
            signed_on=employer.agreement_signed_on,
            commitments=employer.agreement_commitments,
            review_on=employer.agreement_review_on,
        )


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


ConsentConnection = connection_type(ConsentType)


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
