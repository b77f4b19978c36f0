"""Mutations of partner companies: create, update, status."""

from __future__ import annotations

import graphene

from econ.employers import services
from econ.employers.graphql_types import (
    EmployerSize,
    EmployerStatus,
    EmployerType,
)
from econ.schema.inputs import enum_value, parse_id
from econ.schema.mutations import BaseMutation


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
