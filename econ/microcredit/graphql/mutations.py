"""Microcredit mutations: groups, loan lifecycle, repayments, holidays, savings, sheets."""

from __future__ import annotations

from datetime import date

import graphene

from econ.errors import DomainError
from econ.microcredit import services
from econ.microcredit.disbursements import request_disbursement
from econ.microcredit.graphql.enums import (
    Amortization,
    AttendanceStatus,
    GroupStatus,
    InterestMethod,
    LoanFrequency,
    LoanPurpose,
    MeetingFrequency,
    MemberRole,
    RepaymentChannel,
    Weekday,
)
from econ.microcredit.graphql.groups import LoanGroupType, MeetingType
from econ.microcredit.graphql.loans import LoanType, RepaymentType
from econ.microcredit.graphql.portfolio import CollectionSheetType, sheet_type
from econ.microcredit.models import (
    Loan,
)
from econ.schema.inputs import enum_value, parse_id
from econ.schema.mutations import BaseMutation


class CreateLoanGroupInput(graphene.InputObjectType):
    name = graphene.String(required=True)
    meeting_frequency = MeetingFrequency(required=True)
    meeting_weekday = Weekday(required=True)
    meeting_place = graphene.String(description="Coarse place, e.g. 'community centre'.")
    savings_per_meeting = graphene.String(description='Decimal string, e.g. "5.00".')


class CreateLoanGroup(BaseMutation):
    """COUNSELOR forms a solidarity group (FORMING)."""

    class Arguments:
        input = CreateLoanGroupInput(required=True)

    group = graphene.Field(LoanGroupType)

    @classmethod
    def perform(cls, info, actor, data):
        group = services.create_group(
            actor,
            name=data["name"],
            meeting_frequency=enum_value(data["meeting_frequency"]),
            meeting_weekday=enum_value(data["meeting_weekday"]),
            meeting_place=data.get("meeting_place") or "",
            savings_per_meeting=data.get("savings_per_meeting") or "0.00",
        )
        return {"group": group}


class AddGroupMemberInput(graphene.InputObjectType):
    group_id = graphene.ID(required=True)
    participant_id = graphene.ID(required=True)
    role = MemberRole(description="LEADER replaces the current leader.")


class AddGroupMember(BaseMutation):
    class Arguments:
        input = AddGroupMemberInput(required=True)

    group = graphene.Field(LoanGroupType)

    @classmethod
    def perform(cls, info, actor, data):
        member = services.add_member(
            actor,
            parse_id(data["group_id"], "groupId"),
            parse_id(data["participant_id"], "participantId"),
            enum_value(data.get("role")) or "MEMBER",
        )
        return {"group": member.group}


class RemoveGroupMemberInput(graphene.InputObjectType):
    group_id = graphene.ID(required=True)
    participant_id = graphene.ID(required=True)


class RemoveGroupMember(BaseMutation):
    class Arguments:
        input = RemoveGroupMemberInput(required=True)

    group = graphene.Field(LoanGroupType)

    @classmethod
    def perform(cls, info, actor, data):
        group = services.remove_member(
            actor,
            parse_id(data["group_id"], "groupId"),
            parse_id(data["participant_id"], "participantId"),
        )
        return {"group": group}


class SetGroupStatusInput(graphene.InputObjectType):
    group_id = graphene.ID(required=True)
    status = GroupStatus(required=True)


class SetGroupStatus(BaseMutation):
    class Arguments:
        input = SetGroupStatusInput(required=True)

    group = graphene.Field(LoanGroupType)

    @classmethod
    def perform(cls, info, actor, data):
        group = services.set_group_status(
            actor, parse_id(data["group_id"], "groupId"), enum_value(data["status"])
        )
        return {"group": group}


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


class RecordSavingsContributionInput(graphene.InputObjectType):
    group_id = graphene.ID(required=True)
    participant_id = graphene.ID(required=True)
    amount = graphene.String(required=True)
    paid_on = graphene.Date()


class RecordSavingsContribution(BaseMutation):
    class Arguments:
        input = RecordSavingsContributionInput(required=True)

    group = graphene.Field(LoanGroupType)

    @classmethod
    def perform(cls, info, actor, data):
        contribution = services.record_savings_contribution(
            actor,
            parse_id(data["group_id"], "groupId"),
            parse_id(data["participant_id"], "participantId"),
            data["amount"],
            data.get("paid_on") or date.today(),
        )
        return {"group": contribution.group}


class CollectionSheetRowInput(graphene.InputObjectType):
    participant_id = graphene.ID(required=True)
    attendance = AttendanceStatus(required=True)
    amount = graphene.String(description="Repayment collected (decimal string).")
    savings = graphene.String(description="Savings collected (decimal string).")


class SaveCollectionSheetInput(graphene.InputObjectType):
    group_id = graphene.ID(required=True)
    date = graphene.Date(required=True)
    rows = graphene.List(graphene.NonNull(CollectionSheetRowInput), required=True)


class SaveCollectionSheet(BaseMutation):
    """All rows in one transaction; the first bad row (rows.<i>.<field>) aborts all."""

    class Arguments:
        input = SaveCollectionSheetInput(required=True)

    meeting = graphene.Field(MeetingType)
    sheet = graphene.Field(CollectionSheetType)

    @classmethod
    def perform(cls, info, actor, data):
        rows = []
        for index, row in enumerate(data["rows"]):
            row = dict(row)
            try:
                pid = parse_id(row["participant_id"], f"rows.{index}.participantId")
            except DomainError:
                pid = None
            rows.append({**row, "participant_id": pid, "attendance": enum_value(row["attendance"])})
        group_id = parse_id(data["group_id"], "groupId")
        meeting = services.save_collection_sheet(actor, group_id, data["date"], rows)
        sheet = services.collection_sheet(actor, group_id, data["date"])
        return {"meeting": meeting, "sheet": sheet_type(sheet)}


class Mutations:
    create_loan_group = CreateLoanGroup.Field()
    add_group_member = AddGroupMember.Field()
    remove_group_member = RemoveGroupMember.Field()
    set_group_status = SetGroupStatus.Field()
    apply_for_loan = ApplyForLoan.Field()
    approve_loan = ApproveLoan.Field()
    reject_loan = RejectLoan.Field()
    disburse_loan = DisburseLoan.Field()
    request_loan_disbursement = RequestLoanDisbursement.Field()
    record_repayment = RecordRepayment.Field()
    reverse_repayment = ReverseRepayment.Field()
    grant_repayment_holiday = GrantRepaymentHoliday.Field()
    record_savings_contribution = RecordSavingsContribution.Field()
    save_collection_sheet = SaveCollectionSheet.Field()
    write_off_loan = WriteOffLoan.Field()
    approve_write_off = ApproveWriteOff.Field()
    reject_write_off = RejectWriteOff.Field()
