"""`loanSchedulePreview`: any schedule, computed and not saved."""

from __future__ import annotations

import graphene
from graphql import GraphQLError

from econ.errors import DomainError
from econ.microcredit import services
from econ.microcredit.graphql.enums import (
    Amortization,
    InterestCalculationPeriod,
    InterestMethod,
    LoanFrequency,
    RoundingMode,
)
from econ.microcredit.graphql.shared import actor_of
from econ.microcredit.preview import format_amount
from econ.microcredit.terms import camel
from econ.schema.inputs import enum_value


class PreviewInstallment(graphene.ObjectType):
    class Meta:
        name = "LoanSchedulePreviewInstallment"

    number = graphene.Int(required=True)
    due_date = graphene.Date(required=True)
    principal = graphene.String(required=True)
    interest = graphene.String(required=True)
    total = graphene.String(required=True)
    balance_after = graphene.String(required=True)


class SchedulePreview(graphene.ObjectType):
    class Meta:
        name = "LoanSchedulePreview"

    currency = graphene.String(required=True)
    installments = graphene.List(graphene.NonNull(PreviewInstallment), required=True)
    total_principal = graphene.String(required=True)
    total_interest = graphene.String(required=True)
    total_repayment = graphene.String(required=True)


class LoanSchedulePreviewInput(graphene.InputObjectType):
    principal = graphene.String(required=True)
    annual_interest_rate = graphene.String(required=True, description='Percent, e.g. "12".')
    number_of_installments = graphene.Int(required=True)
    frequency = LoanFrequency(required=True)
    disbursement_date = graphene.Date(required=True)
    currency = graphene.String()
    currency_digits = graphene.Int()
    currency_in_multiples_of = graphene.Int()
    interest_method = InterestMethod()
    amortization = Amortization()
    repayment_every = graphene.Int()
    interest_calculation_period = InterestCalculationPeriod()
    # A string, not an enum: GraphQL enum values cannot be "360".
    days_in_year = graphene.String(description='"ACTUAL" (365 in Fineract), "360", "364", "365".')
    grace_on_principal = graphene.Int()
    grace_on_interest_payment = graphene.Int()
    grace_on_interest_charged = graphene.Int()
    installment_amount_in_multiples_of = graphene.String()
    rounding_mode = RoundingMode()
    first_due_date = graphene.Date()


def schedule_preview(info: graphene.ResolveInfo, data: dict) -> SchedulePreview:
    values = {k: enum_value(v) for k, v in dict(data).items()}
    try:
        schedule = services.preview_schedule(actor_of(info), **values)
    except DomainError as exc:
        raise GraphQLError(
            exc.message, extensions={"code": exc.code, "field": exc.field and camel(exc.field)}
        ) from None
    digits = values.get("currency_digits")
    digits = 2 if digits is None else digits
    fmt = lambda v: format_amount(v, digits)  # noqa: E731
    return SchedulePreview(
        currency=values.get("currency") or info.context.currency,
        installments=[
            PreviewInstallment(
                number=i.number,
                due_date=i.due_date,
                principal=fmt(i.principal),
                interest=fmt(i.interest),
                total=fmt(i.total),
                balance_after=fmt(i.balance_after),
            )
            for i in schedule.installments
        ],
        total_principal=fmt(schedule.total_principal),
        total_interest=fmt(schedule.total_interest),
        total_repayment=fmt(schedule.total_repayment),
    )
