"""Mutations of openings: create, update, publish, close."""

from __future__ import annotations

import graphene

from econ.employers import services
from econ.employers.graphql.companies import _plain
from econ.employers.graphql_types import (
    OpportunityType,
    OpportunityTypeEnum,
    PayPeriod,
)
from econ.schema.inputs import parse_id
from econ.schema.mutations import BaseMutation


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
