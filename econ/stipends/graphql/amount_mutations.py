"""Mutations of amounts beyond a schedule's base: adjustments and incentive awards, each
approved by a second person."""

from __future__ import annotations

import graphene

from econ.schema.inputs import enum_value, parse_id
from econ.schema.mutations import BaseMutation
from econ.stipends import services
from econ.stipends.graphql.base import GrantCategory
from econ.stipends.graphql.review_types import Adjustment, IncentiveAwardType


class CreateAdjustmentInput(graphene.InputObjectType):
    participant_id = graphene.ID(required=True)
    period = graphene.String(required=True)
    amount = graphene.String(required=True, description="Signed, e.g. -50.00")
    reason = graphene.String(required=True)
    category = graphene.Field(GrantCategory)


class CreateAdjustment(BaseMutation):
    class Arguments:
        input = CreateAdjustmentInput(required=True)

    adjustment = graphene.Field(Adjustment)

    @classmethod
    def perform(cls, info, actor, data):
        adjustment = services.create_adjustment(
            actor,
            parse_id(data["participant_id"], "participantId"),
            period=data["period"],
            amount=data["amount"],
            reason=data["reason"],
            category=enum_value(data.get("category")),
        )
        return {"adjustment": adjustment}


class ApproveAdjustmentInput(graphene.InputObjectType):
    adjustment_id = graphene.ID(required=True)
    comment = graphene.String(description="Your note, kept with the approval.")


class ApproveAdjustment(BaseMutation):
    class Arguments:
        input = ApproveAdjustmentInput(required=True)

    adjustment = graphene.Field(Adjustment)

    @classmethod
    def perform(cls, info, actor, data):
        adjustment_id = parse_id(data["adjustment_id"], "adjustmentId")
        comment = data.get("comment") or ""
        return {"adjustment": services.approve_adjustment(actor, adjustment_id, comment)}


class RejectAdjustmentInput(graphene.InputObjectType):
    adjustment_id = graphene.ID(required=True)
    comment = graphene.String(required=True, description="Why: it is never paid.")


class RejectAdjustment(BaseMutation):
    """A FINANCE user other than its creator refuses it; it is never paid."""

    class Arguments:
        input = RejectAdjustmentInput(required=True)

    adjustment = graphene.Field(Adjustment)

    @classmethod
    def perform(cls, info, actor, data):
        adjustment_id = parse_id(data["adjustment_id"], "adjustmentId")
        return {"adjustment": services.reject_adjustment(actor, adjustment_id, data["comment"])}


class CreateIncentiveAwardInput(graphene.InputObjectType):
    participant_id = graphene.ID(required=True)
    amount = graphene.String(required=True)
    note = graphene.String(required=True)
    reference = graphene.String(description="Your id for this award: repeats are no-ops.")


class CreateIncentiveAward(BaseMutation):
    """A MANUAL award by FINANCE, paid once by the next run."""

    class Arguments:
        input = CreateIncentiveAwardInput(required=True)

    award = graphene.Field(IncentiveAwardType)

    @classmethod
    def perform(cls, info, actor, data):
        award = services.create_manual_award(
            actor,
            parse_id(data["participant_id"], "participantId"),
            data["amount"],
            data["note"],
            data.get("reference"),
        )
        return {"award": award}


class ApproveIncentiveAwardInput(graphene.InputObjectType):
    award_id = graphene.ID(required=True)
    comment = graphene.String(description="Your note, kept with the approval.")


class ApproveIncentiveAward(BaseMutation):
    """A FINANCE user who did not cause the award; only then can a run pay it."""

    class Arguments:
        input = ApproveIncentiveAwardInput(required=True)

    award = graphene.Field(IncentiveAwardType)

    @classmethod
    def perform(cls, info, actor, data):
        award_id = parse_id(data["award_id"], "awardId")
        return {"award": services.approve_award(actor, award_id, data.get("comment") or "")}


class RejectIncentiveAwardInput(graphene.InputObjectType):
    award_id = graphene.ID(required=True)
    comment = graphene.String(required=True, description="Why: it is never paid.")


class RejectIncentiveAward(BaseMutation):
    """A FINANCE user who did not cause the award refuses it; it is never paid."""

    class Arguments:
        input = RejectIncentiveAwardInput(required=True)

    award = graphene.Field(IncentiveAwardType)

    @classmethod
    def perform(cls, info, actor, data):
        award_id = parse_id(data["award_id"], "awardId")
        return {"award": services.reject_award(actor, award_id, data["comment"])}
