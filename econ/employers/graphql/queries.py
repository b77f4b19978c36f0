"""Employers' queries: partners, openings, placements, consents you may see."""

from __future__ import annotations

import graphene

from econ.employers import services
from econ.employers.graphql_types import (
    REFERRALS,
    EmployerStatus,
    EmployerType,
    OpportunityStatus,
    OpportunityType,
    PlacementType,
    ReferralType,
)
from econ.employers.graphql_types.referrals import PlacementConnection
from econ.errors import DomainError
from econ.schema.errors import visible_or_forbidden
from econ.schema.inputs import enum_value, parse_id
from econ.schema.lookups import or_none
from econ.schema.pagination import connection_field, connection_type, paginate
from econ.schema.scalars import Money, money

EmployerConnection = connection_type(EmployerType)
OpportunityConnection = connection_type(OpportunityType)


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
        found = or_none(lambda: services.get_opportunity(info.context.actor, parse_id(id)))
        if found is not None:
            REFERRALS.announce(info, [found.id])
        return found

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
