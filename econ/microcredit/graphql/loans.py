"""Loans, their schedules and repayments as GraphQL types (nested lists batched)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import graphene

from econ.grouping import group_by
from econ.microcredit import services
from econ.microcredit.access import sees_who_asked
from econ.microcredit.arrears import arrears_for
from econ.microcredit.graphql.enums import (
    LoanPurpose,
    LoanState,
    RepaymentChannel,
)
from econ.microcredit.graphql.shared import amount
from econ.microcredit.models import (
    LoanGroup,
    Repayment,
)
from econ.participants.relations import PARTICIPANT, USER
from econ.schema.loaders import Relation
from econ.schema.pagination import connection_field, connection_type, paginate_list
from econ.stipends.graphql import LineStatus


class LoanInstallment(graphene.ObjectType):
    number = graphene.Int(required=True)
    due_date = graphene.Date(required=True)
    original_due_date = graphene.Date(required=True, description="Before any holiday.")
    principal = graphene.String(required=True)
    interest = graphene.String(required=True)
    total = graphene.String(required=True)
    paid_principal = graphene.String(required=True)
    paid_interest = graphene.String(required=True)
    paid = graphene.String(required=True)
    outstanding = graphene.String(required=True)


class LoanSchedule(graphene.ObjectType):
    projected = graphene.Boolean(
        required=True, description="True before disbursement: as if paid out today."
    )
    installments = graphene.List(graphene.NonNull(LoanInstallment), required=True)
    total_principal = graphene.String(required=True)
    total_interest = graphene.String(required=True)
    total_repayment = graphene.String(required=True)


def _installment(i) -> LoanInstallment:
    paid_p = getattr(i, "paid_principal", 0) or 0
    paid_i = getattr(i, "paid_interest", 0) or 0
    return LoanInstallment(
        number=i.number,
        due_date=i.due_date,
        original_due_date=getattr(i, "original_due_date", i.due_date),
        principal=amount(i.principal),
        interest=amount(i.interest),
        total=amount(i.principal + i.interest),
        paid_principal=amount(paid_p),
        paid_interest=amount(paid_i),
        paid=amount(paid_p + paid_i),
        outstanding=amount(i.principal + i.interest - paid_p - paid_i),
    )


def _installments(loan_ids: list[int]) -> dict:
    return group_by(services.installments_of_loans(loan_ids), lambda r: r.loan_id)


def _repayments(loan_ids: list[int]) -> dict:
    rows = (
        Repayment.select()
        .where(Repayment.loan.in_(loan_ids))
        .order_by(Repayment.paid_on, Repayment.id)
    )
    return group_by(rows, lambda r: r.loan_id)


def _groups_by_id(ids: list[int]) -> dict:
    return {g.id: g for g in LoanGroup.select().where(LoanGroup.id.in_(ids))}


def _days_past_due(loans: list) -> dict:
    rows = {r.loan_id: r for r in arrears_for(loans, date.today())}
    return {x: rows[x.id].days_past_due if x.state == "DISBURSED" else 0 for x in loans}


INSTALLMENTS = Relation("loan installments", _installments, missing=list)
REPAYMENTS = Relation("loan repayments", _repayments, missing=list)
GROUP = Relation("loan group by id", _groups_by_id)
DAYS_PAST_DUE = Relation("loan days past due", _days_past_due)
DISBURSEMENT_PAYMENT = Relation(
    "loan disbursement payment", services.disbursement_payments, actor=True
)


class AllocationLine(graphene.ObjectType):
    installment_number = graphene.Int(required=True)
    principal = graphene.String(required=True)
    interest = graphene.String(required=True)


class RepaymentType(graphene.ObjectType):
    class Meta:
        name = "Repayment"

    id = graphene.ID(required=True)
    amount = graphene.String(required=True)
    paid_on = graphene.Date(required=True)
    channel = graphene.Field(RepaymentChannel, required=True)
    reversed = graphene.Boolean(required=True)
    reversed_at = graphene.DateTime()
    reversal_reason = graphene.String()
    allocation = graphene.List(
        graphene.NonNull(AllocationLine),
        required=True,
        description="Its share of each installment (for a reversed one: before reversal).",
    )

    @staticmethod
    def resolve_amount(r, info):
        return amount(r.amount)

    @staticmethod
    def resolve_reversed(r, info):
        return r.reversed_at is not None

    @staticmethod
    def resolve_allocation(r, info):
        return [
            AllocationLine(
                installment_number=n, principal=amount(p / 100), interest=amount(i / 100)
            )
            for n, p, i in r.allocation
        ]


def _term(name: str):
    return lambda loan, info: loan.terms[name]


class LoanDisbursementPaymentType(graphene.ObjectType):
    class Meta:
        name = "LoanDisbursementPayment"

    line_id = graphene.ID(required=True)
    run_id = graphene.ID(required=True, description="The run paying it now.")
    period = graphene.String(required=True)
    status = graphene.Field(LineStatus, required=True)
    exception = graphene.String(description="Why it is held.")
    failure_reason = graphene.String()
    in_flight = graphene.Boolean(required=True, description="Sent; the outcome is not known.")


RepaymentConnection = connection_type(RepaymentType)


class LoanType(graphene.ObjectType):
    class Meta:
        name = "Loan"

    id = graphene.ID(required=True)
    state = graphene.Field(LoanState, required=True)
    purpose = graphene.Field(LoanPurpose, required=True)
    purpose_note = graphene.String(required=True)
    principal = graphene.String(required=True)
    currency = graphene.String(required=True)
    annual_interest_rate = graphene.String(required=True)
    interest_method = graphene.String(required=True)
    amortization = graphene.String(required=True)
    number_of_installments = graphene.Int(required=True)
    frequency = graphene.String(required=True)
    repayment_every = graphene.Int(required=True)
    disbursement_date = graphene.Date()
    first_due_date = graphene.Date()
    borrower = graphene.Field("econ.participants.graphql.Participant")
    group = graphene.Field("econ.microcredit.graphql.groups.LoanGroupType")
    schedule = graphene.Field(LoanSchedule, required=True)
    next_installment = graphene.Field(
        LoanInstallment, description="The first installment not fully paid (null when none)."
    )
    repayments = connection_field(RepaymentConnection, "Its repayments, oldest first.")
    days_past_due = graphene.Int(required=True, description="As of today.")
    outstanding_principal = graphene.String(required=True)
    outstanding = graphene.String(required=True, description="Principal and interest.")
    rejection_reason = graphene.String()
    applied_by = graphene.Field(
        "econ.security.graphql.User", description="Who applied for it (FINANCE)."
    )
    write_off_pending = graphene.Boolean(required=True)
    write_off_reason = graphene.String()
    write_off_requested_by = graphene.Field(
        "econ.security.graphql.User", description="Who proposed the write-off (FINANCE)."
    )
    disbursement_requested = graphene.Boolean(
        required=True, description="FINANCE asked for it to be paid through a payment run."
    )
    disbursement_requested_at = graphene.DateTime()
    disbursement_payment = graphene.Field(
        LoanDisbursementPaymentType,
        description="Its payment line in a payment run, once calculated (FINANCE, ADMIN).",
    )

    @staticmethod
    def resolve_disbursement_requested(loan, info):
        return loan.disbursement_requested_by is not None

    @staticmethod
    async def resolve_disbursement_payment(loan, info):
        return await DISBURSEMENT_PAYMENT.load(info, loan.id)

    @staticmethod
    async def resolve_applied_by(loan, info):
        if not sees_who_asked(info.context.actor):
            return None
        return await USER.load(info, loan.applied_by)

    @staticmethod
    async def resolve_write_off_requested_by(loan, info):
        actor = info.context.actor
        if loan.write_off_requested_by is None or not sees_who_asked(actor):
            return None

        return await USER.load(info, loan.write_off_requested_by)

    @staticmethod
    def resolve_principal(loan, info):
        return amount(loan.principal)

    resolve_annual_interest_rate = staticmethod(_term("annual_interest_rate"))
    resolve_interest_method = staticmethod(_term("interest_method"))
    resolve_amortization = staticmethod(_term("amortization"))
    resolve_number_of_installments = staticmethod(_term("number_of_installments"))
    resolve_frequency = staticmethod(_term("frequency"))
    resolve_repayment_every = staticmethod(_term("repayment_every"))

    @staticmethod
    async def resolve_borrower(loan, info):
        return await PARTICIPANT.load(info, loan.borrower_id)

    @staticmethod
    async def resolve_group(loan, info):
        return await GROUP.load(info, loan.group_id)

    @staticmethod
    async def resolve_schedule(loan, info):
        if loan.state in ("APPLIED", "APPROVED", "REJECTED"):
            schedule = services.projected_schedule(loan)
            rows, projected = schedule.installments, True
        else:
            rows, projected = await INSTALLMENTS.load(info, loan.id), False
        principal = sum((r.principal for r in rows), 0)
        interest = sum((r.interest for r in rows), 0)
        return LoanSchedule(
            projected=projected,
            installments=[_installment(r) for r in rows],
            total_principal=amount(principal),
            total_interest=amount(interest),
            total_repayment=amount(principal + interest),
        )

    @staticmethod
    async def resolve_next_installment(loan, info):
        if loan.state not in ("DISBURSED",):
            return None
        for row in await INSTALLMENTS.load(info, loan.id):
            shown = _installment(row)
            if Decimal(shown.outstanding) > 0:
                return shown
        return None

    @staticmethod
    async def resolve_repayments(loan, info, first=None, after=None):
        repayments = await REPAYMENTS.load(info, loan.id)
        return paginate_list(RepaymentConnection, repayments, first, after)

    @staticmethod
    async def resolve_days_past_due(loan, info):
        return await DAYS_PAST_DUE.load(info, loan)

    @staticmethod
    async def resolve_outstanding_principal(loan, info):
        rows = await INSTALLMENTS.load(info, loan.id)
        return amount(sum((r.principal - r.paid_principal for r in rows), 0) if rows else 0)

    @staticmethod
    async def resolve_outstanding(loan, info):
        rows = await INSTALLMENTS.load(info, loan.id)
        left = sum((r.principal + r.interest - r.paid_principal - r.paid_interest for r in rows), 0)
        return amount(left)

    @staticmethod
    def resolve_write_off_pending(loan, info):
        return loan.state == "DISBURSED" and loan.write_off_requested_by is not None


LoanConnection = connection_type(LoanType)
