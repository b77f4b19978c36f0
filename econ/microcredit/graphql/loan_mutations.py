"""Microcredit mutations on loans: apply, the lifecycle (approve to write-off), repayments and
repayment holidays."""

from __future__ import annotations

from datetime import date

import graphene

from econ.microcredit import services
from econ.microcredit.disbursements import request_disbursement
from econ.microcredit.graphql.enums import (
    Amortization,
    InterestMethod,
    LoanFrequency,
    LoanPurpose,
    RepaymentChannel,
)
from econ.microcredit.graphql.loans import LoanType, RepaymentType
from econ.microcredit.models import (
    Loan,
)
from econ.schema.inputs import enum_value, parse_id
from econ.schema.mutations import BaseMutation


class ApplyForLoanInput(graphene.InputObjectType):
    participant_id = graphene.ID(required=True)
    purpose = LoanPurpose(required=True)
    purpose_note = graphene.String()
    amount = graphene.String(required=True, description='Decimal string, e.g. "800.00".')
    number_of_installments = graphene.Int(required=True)
    annual_interest_rate = graphene.String(description="Percent; default from the settings.")
    interest_method = InterestMethod()
    amortization = Amortization()
    frequency = LoanFrequency(description="Default: the group's meeting rhythm.")
    repayment_every = graphene.Int()
    grace_on_principal = graphene.Int()
    grace_on_interest_payment = graphene.Int()
    grace_on_interest_charged = graphene.Int()


class ApplyForLoan(BaseMutation):
    """COUNSELOR applies for a loan for a member of an active group of her caseload."""

    class Arguments:
        input = ApplyForLoanInput(required=True)

    loan = graphene.Field(LoanType)

    @classmethod
    def perform(cls, info, actor, data):
        optional = (
            "purpose_note",
            "annual_interest_rate",
            "interest_method",
            "amortization",
            "frequency",
            "repayment_every",
            "grace_on_principal",
            "grace_on_interest_payment",
            "grace_on_interest_charged",
        )
        loan = services.apply_for_loan(
            actor,
            parse_id(data["participant_id"], "participantId"),
            purpose=enum_value(data["purpose"]),
            amount=data["amount"],
            number_of_installments=data["number_of_installments"],
            **{k: enum_value(data[k]) for k in optional if data.get(k) is not None},
        )
        return {"loan": loan}


class LoanIdInput(graphene.InputObjectType):
    loan_id = graphene.ID(required=True)


def _loan_mutation(name: str, doc: str, call, extra: dict | None = None):
    """A mutation taking a loan id (and maybe a reason) and returning the loan."""
    fields = {"loan_id": graphene.ID(required=True), **(extra or {})}
    input_type = type(f"{name}Input", (graphene.InputObjectType,), fields)

    def perform(cls, info, actor, data):
        return {"loan": call(actor, parse_id(data["loan_id"], "loanId"), data)}

    return type(
        name,
        (BaseMutation,),
        {
            "__doc__": doc,
            "Arguments": type("Arguments", (), {"input": input_type(required=True)}),
            "loan": graphene.Field(LoanType),
            "perform": classmethod(perform),
        },
    )


_REASON = {"reason": graphene.String(required=True)}

ApproveLoan = _loan_mutation(
    "ApproveLoan",
    "FINANCE approves (never the applicant's counselor).",
    lambda actor, loan_id, data: services.approve_loan(actor, loan_id),
)
RejectLoan = _loan_mutation(
    "RejectLoan",
    "FINANCE rejects with a reason.",
    lambda actor, loan_id, data: services.reject_loan(actor, loan_id, data["reason"]),
    _REASON,
)
DisburseLoan = _loan_mutation(
    "DisburseLoan",
    "FINANCE pays out in cash or in person (the default is requestLoanDisbursement); the "
    "schedule is fixed and the ledger posted.",
    lambda actor, loan_id, data: services.disburse_loan(
        actor, loan_id, data.get("disbursement_date") or date.today(), data.get("first_due_date")
    ),
    {"disbursement_date": graphene.Date(), "first_due_date": graphene.Date()},
)
RequestLoanDisbursement = _loan_mutation(
    "RequestLoanDisbursement",
    "FINANCE (not the applicant's counselor) asks for the approved loan to be paid through "
    "the next payment run; it is disbursed when the bank reports the payment paid.",
    lambda actor, loan_id, data: request_disbursement(actor, loan_id),
)
WriteOffLoan = _loan_mutation(
    "WriteOffLoan",
    "FINANCE proposes a write-off; a second FINANCE user must approve it.",
    lambda actor, loan_id, data: services.write_off_loan(actor, loan_id, data["reason"]),
    _REASON,
)
ApproveWriteOff = _loan_mutation(
    "ApproveWriteOff",
    "A second FINANCE user approves the pending write-off.",
    lambda actor, loan_id, data: services.approve_write_off(actor, loan_id),
)

RejectWriteOff = _loan_mutation(
    "RejectWriteOff",
    "A second FINANCE user refuses the pending write-off, with a reason.",
    lambda actor, loan_id, data: services.reject_write_off(actor, loan_id, data["reason"]),
    _REASON,
)


class RecordRepaymentInput(graphene.InputObjectType):
    loan_id = graphene.ID(required=True)
    amount = graphene.String(required=True)
    paid_on = graphene.Date(description="Default today.")
    channel = RepaymentChannel()


class RecordRepayment(BaseMutation):
    """FINANCE or her counselor; oldest installment first, interest before principal."""

    class Arguments:
        input = RecordRepaymentInput(required=True)

    repayment = graphene.Field(RepaymentType)
    loan = graphene.Field(LoanType)

    @classmethod
    def perform(cls, info, actor, data):
        repayment = services.record_repayment(
            actor,
            parse_id(data["loan_id"], "loanId"),
            data["amount"],
            data.get("paid_on") or date.today(),
            enum_value(data.get("channel")) or "CASH",
        )
        return {"repayment": repayment, "loan": Loan.get_by_id(repayment.loan_id)}


class ReverseRepaymentInput(graphene.InputObjectType):
    repayment_id = graphene.ID(required=True)
    reason = graphene.String(required=True)


class ReverseRepayment(BaseMutation):
    """FINANCE reverses a mistaken repayment; both records stay; the ledger is mirrored."""

    class Arguments:
        input = ReverseRepaymentInput(required=True)

    repayment = graphene.Field(RepaymentType)
    loan = graphene.Field(LoanType)

    @classmethod
    def perform(cls, info, actor, data):
        repayment = services.reverse_repayment(
            actor, parse_id(data["repayment_id"], "repaymentId"), data["reason"]
        )
        return {"repayment": repayment, "loan": Loan.get_by_id(repayment.loan_id)}


class GrantRepaymentHolidayInput(graphene.InputObjectType):
    loan_id = graphene.ID()
    group_id = graphene.ID(description="Every disbursed loan of the group (a moratorium).")
    installments = graphene.Int(required=True, description="Periods to move by.")
    reason = graphene.String(required=True)


class GrantRepaymentHoliday(BaseMutation):
    """FINANCE moves the unpaid installments by k periods, without extra interest."""

    class Arguments:
        input = GrantRepaymentHolidayInput(required=True)

    loans = graphene.List(graphene.NonNull(LoanType))

    @classmethod
    def perform(cls, info, actor, data):
        holiday = services.grant_repayment_holiday(
            actor,
            installments=data["installments"],
            reason=data["reason"],
            loan_id=parse_id(data.get("loan_id"), "loanId", required=False),
            group_id=parse_id(data.get("group_id"), "groupId", required=False),
        )
        return {"loans": list(Loan.select().where(Loan.id.in_(holiday.loan_ids)))}
