"""A verified income record's corrections (the second-person check of issue 14)."""

from __future__ import annotations

import graphene

from econ.schema.pagination import connection_type
from econ.schema.scalars import Money, money


class IncomeCorrectionType(graphene.ObjectType):
    class Meta:
        name = "IncomeCorrection"

    id = graphene.ID(required=True)
    income_record_id = graphene.ID(required=True)
    month = graphene.String(required=True)
    amount = graphene.Field(Money, required=True)
    reason = graphene.String(required=True)
    verified = graphene.Boolean(required=True)
    created_at = graphene.DateTime(required=True)
    verified_at = graphene.DateTime()
    asked_by_me = graphene.Boolean(
        required=True, description="You asked for it, so a second person verifies it."
    )

    @staticmethod
    def resolve_asked_by_me(correction, info):
        actor = info.context.actor
        return actor is not None and correction.created_by == actor.user_id

    @staticmethod
    def resolve_income_record_id(correction, info):
        return correction.record_id

    @staticmethod
    def resolve_amount(correction, info):
        return money(correction.amount, info.context.currency)

    @staticmethod
    def resolve_verified(correction, info):
        return correction.verified_at is not None


IncomeCorrectionConnection = connection_type(IncomeCorrectionType)
