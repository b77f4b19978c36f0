"""Her income over GraphQL: record, verify, correct, verify a correction."""

from __future__ import annotations

import graphene

from econ.participants import services
from econ.participants.graphql.income_types import IncomeCorrectionType
from econ.participants.graphql.types import IncomeRecordType, IncomeSource
from econ.schema.inputs import enum_value, parse_id
from econ.schema.mutations import BaseMutation


class RecordIncomeInput(graphene.InputObjectType):
    participant_id = graphene.ID(required=True)
    month = graphene.String(required=True, description="YYYY-MM")
    source = IncomeSource(required=True)
    amount = graphene.String(required=True, description='Decimal string, e.g. "1234.56".')


class RecordIncome(BaseMutation):
    """Report a month's income (unverified until her counselor verifies it)."""

    class Arguments:
        input = RecordIncomeInput(required=True)

    income_record = graphene.Field(IncomeRecordType)

    @classmethod
    def perform(cls, info, actor, data):
        record = services.record_income(
            actor,
            parse_id(data["participant_id"], "participantId"),
            month=data["month"],
            source=enum_value(data["source"]),
            amount=data["amount"],
        )
        return {"income_record": record}


class VerifyIncomeInput(graphene.InputObjectType):
    income_record_id = graphene.ID(required=True)
    version = graphene.Int(required=True, description="The version of the record you read.")


class VerifyIncome(BaseMutation):
    """Her counselor verifies a reported income record."""

    class Arguments:
        input = VerifyIncomeInput(required=True)

    income_record = graphene.Field(IncomeRecordType)

    @classmethod
    def perform(cls, info, actor, data):
        record = services.verify_income(
            actor, parse_id(data["income_record_id"], "incomeRecordId"), data["version"]
        )
        return {"income_record": record}


class CorrectIncomeInput(graphene.InputObjectType):
    income_record_id = graphene.ID(required=True)
    amount = graphene.String(required=True, description='The right amount, e.g. "1234.56".')
    reason = graphene.String(required=True)


class CorrectIncome(BaseMutation):
    """Her counselor corrects a verified record; it counts once a second person verifies."""

    class Arguments:
        input = CorrectIncomeInput(required=True)

    correction = graphene.Field(IncomeCorrectionType)

    @classmethod
    def perform(cls, info, actor, data):
        correction = services.correct_income(
            actor,
            parse_id(data["income_record_id"], "incomeRecordId"),
            amount=data["amount"],
            reason=data["reason"],
        )
        return {"correction": correction}


class VerifyIncomeCorrectionInput(graphene.InputObjectType):
    correction_id = graphene.ID(required=True)


class VerifyIncomeCorrection(BaseMutation):
    """A second person verifies a correction; the next run pays the difference."""

    class Arguments:
        input = VerifyIncomeCorrectionInput(required=True)

    correction = graphene.Field(IncomeCorrectionType)

    @classmethod
    def perform(cls, info, actor, data):
        correction_id = parse_id(data["correction_id"], "correctionId")
        return {"correction": services.verify_correction(actor, correction_id)}
