"""Loan life cycle: apply, approve or reject, disburse, write off (with a second FINANCE user).

APPLIED -> APPROVED -> DISBURSED -> REPAID, or APPLIED -> REJECTED, or DISBURSED ->
WRITTEN_OFF. One open loan (APPLIED, APPROVED, DISBURSED) per borrower: the unique
`open_borrower` column makes the database refuse a second one whatever the race.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import peewee as pw

from econ.db import db, utcnow, write_transaction
from econ.errors import CommonCode, Conflict, DomainError, PermissionDenied
from econ.ledger.services import Posting, post
from econ.microcredit.access import get_loan
from econ.microcredit.errors import MicrocreditCode
from econ.microcredit.groups import choice, text
from econ.microcredit.models import (
    LOAN_PURPOSES,
    GroupMember,
    Installment,
    Loan,
)
from econ.microcredit.repayments import outstanding_principal
from econ.microcredit.schedule import Schedule, generate_schedule
from econ.microcredit.terms import (
    FREQUENCY_OF_MEETINGS,
    build_terms,
    decimal,
    loan_terms,
    meeting_day_first_due,
    stored_terms,
)
from econ.money import parse_amount
from econ.participants.services import get_participant, lock_participant
from econ.security import audit
from econ.security.permissions import require_role
from econ.security.roles import Actor, Role
from econ.settings.services import setting
from econ.stipends.services import loan_payment


def apply_for_loan(
    actor: Actor | None,
    participant_id: int,
    *,
    purpose: str,
    amount: str | Decimal,
    number_of_installments: int,
    purpose_note: str = "",
    annual_interest_rate: str | None = None,
    interest_method: str | None = None,
    amortization: str | None = None,
    frequency: str | None = None,
    repayment_every: int | None = None,
    grace_on_principal: int | None = None,
    grace_on_interest_payment: int | None = None,
    grace_on_interest_charged: int | None = None,
) -> Loan:
    """COUNSELOR, for a member of an ACTIVE group she runs, her own caseload."""
    actor = require_role(actor, Role.COUNSELOR)
    participant = get_participant(actor, participant_id)
    membership = GroupMember.get_or_none(
        (GroupMember.participant == participant.id) & GroupMember.left_at.is_null()
    )
    if membership is None:
        raise DomainError(
            MicrocreditCode.NOT_A_MEMBER, "she must belong to a loan group", "participantId"
        )
    group = membership.group
    if group.status != "ACTIVE":
        raise Conflict(
            MicrocreditCode.GROUP_NOT_ACTIVE, "her group is not active yet", "participantId"
        )
    purpose = choice(purpose, LOAN_PURPOSES, "purpose")
    note = text(purpose_note, "purposeNote", 200, required=False)
    principal = parse_amount(amount, "amount")
    maximum = setting("loan_max_principal")
    if principal <= 0 or principal > maximum:
        raise DomainError(
            CommonCode.INVALID_AMOUNT, f"the amount must be between 0.01 and {maximum}", "amount"
        )
    default_frequency, default_every = FREQUENCY_OF_MEETINGS[group.meeting_frequency]
    rate = decimal(annual_interest_rate, "annualInterestRate")
    currency = setting("currency")
    # Checked now with today as a stand-in for the disbursement date, so a bad term is
    # refused at application rather than at disbursement.
    terms = build_terms(
        principal=principal,
        currency=currency,
        annual_interest_rate=setting("loan_annual_interest_rate") if rate is None else rate,
        number_of_installments=number_of_installments,
        frequency=frequency or default_frequency,
        repayment_every=repayment_every or (default_every if frequency is None else 1),
        interest_method=interest_method,
        amortization=amortization,
        grace_on_principal=grace_on_principal,
        grace_on_interest_payment=grace_on_interest_payment,
        grace_on_interest_charged=grace_on_interest_charged,
        disbursement_date=date.today(),
    )
    generate_schedule(terms)
    with write_transaction():
        # PostgreSQL: lock her row so two applications for her queue up (SQLite: the
        # IMMEDIATE transaction already does); the unique column is the last word.
        lock_participant(participant.id)
        if Loan.select().where(Loan.open_borrower == participant.id).exists():
            raise _already_open()
        try:
            with db.atomic():
                loan = Loan.create(
                    borrower=participant,
                    group=group,
                    purpose=purpose,
                    purpose_note=note,
                    principal=principal,
                    currency=currency,
                    terms=stored_terms(terms),
                    applied_by=actor.user_id,
                    open_borrower=participant.id,
                )
        except pw.IntegrityError:
            raise _already_open() from None
        audit.record(actor, "apply_for_loan", "Loan", loan.id, participant_id=participant.id)
    return loan


def _already_open() -> Conflict:
    return Conflict(
        MicrocreditCode.OPEN_LOAN_EXISTS, "she already has an open loan", "participantId"
    )


def _finance_decision(actor: Actor | None, loan_id: int, state: str) -> tuple[Actor, Loan]:
    """FINANCE, and never the person who applied nor the borrower's counselor."""
    actor = require_role(actor, Role.FINANCE)
    loan = get_loan(actor, loan_id)
    if loan.state != state:
        raise Conflict(
            CommonCode.INVALID_TRANSITION, f"the loan is {loan.state}, not {state}", "loanId"
        )
    if actor.user_id in (loan.applied_by, loan.borrower.counselor_id):
        raise PermissionDenied("the applicant's counselor cannot decide this loan", "loanId")
    return actor, loan


def _transition(loan: Loan, expected: str, **changes) -> Loan:
    """Conditional update: a second concurrent decision finds the state changed."""
    updated = Loan.update(**changes).where((Loan.id == loan.id) & (Loan.state == expected))
    if updated.execute() != 1:
        raise Conflict(CommonCode.CONFLICT, "the loan changed meanwhile; reload it", "loanId")
    return Loan.get_by_id(loan.id)


def approve_loan(actor: Actor | None, loan_id: int) -> Loan:
    actor, loan = _finance_decision(actor, loan_id, "APPLIED")
    with db.atomic():
        loan = _transition(
            loan, "APPLIED", state="APPROVED", decided_by=actor.user_id, decided_at=utcnow()
        )
        audit.record(actor, "approve_loan", "Loan", loan.id, participant_id=loan.borrower_id)
    return loan


def reject_loan(actor: Actor | None, loan_id: int, reason: str) -> Loan:
    actor, loan = _finance_decision(actor, loan_id, "APPLIED")
    reason = text(reason, "reason", 300)
    with db.atomic():
        loan = _transition(
            loan,
            "APPLIED",
            state="REJECTED",
            decided_by=actor.user_id,
            decided_at=utcnow(),
            rejection_reason=reason,
            open_borrower=None,
        )
        audit.record(actor, "reject_loan", "Loan", loan.id, participant_id=loan.borrower_id)
    return loan


def disburse_loan(
    actor: Actor | None,
    loan_id: int,
    disbursement_date: date,
    first_due_date: date | None = None,
) -> Loan:
    """FINANCE pays out in cash or in person (the default is through a payment run:
    `disbursements.request_disbursement`); the schedule is generated now and its due dates
    fixed. Without a first due date, a loan repaid in weeks falls due on the group's
    meeting days. Refused while a payment of the loan through a run is on its way or done;
    a held or failed one is then never paid."""
    actor = require_role(actor, Role.FINANCE)
    loan = get_loan(actor, loan_id)
    if loan.state != "APPROVED":
        raise Conflict(
            CommonCode.INVALID_TRANSITION, f"the loan is {loan.state}, not APPROVED", "loanId"
        )
    payment = loan_payment(loan.id)
    if payment is not None and payment.live:
        raise Conflict(
            MicrocreditCode.PAID_THROUGH_RUN,
            f"its payment through the run of {payment.period} is {payment.status.lower()}",
            "loanId",
        )
    if disbursement_date > date.today():
        raise DomainError(
            CommonCode.FUTURE_DATE, "disbursement cannot be in the future", "disbursementDate"
        )
    first_due = first_due_date or meeting_day_first_due(loan, disbursement_date)
    terms = loan_terms(loan, disbursement_date, first_due)
    schedule = generate_schedule(terms)
    with db.atomic():
        loan = _transition(
            loan,
            "APPROVED",
            state="DISBURSED",
            disbursed_by=actor.user_id,
            disbursement_date=disbursement_date,
            first_due_date=schedule.installments[0].due_date,
        )
        _store_schedule(loan, schedule)
        post(
            f"loan:{loan.id}:disburse",
            [
                Posting("loans_receivable", loan.principal, loan.borrower_id),
                Posting("bank", -loan.principal, loan.borrower_id),
            ],
            memo=f"disbursement of loan {loan.id}",
            source_type="loan",
            source_id=loan.id,
            created_by=actor.user_id,
        )
        audit.record(actor, "disburse_loan", "Loan", loan.id, participant_id=loan.borrower_id)
    return loan


def _store_schedule(loan: Loan, schedule: Schedule) -> None:
    Installment.insert_many(
        [
            {
                "loan": loan.id,
                "number": i.number,
                "due_date": i.due_date,
                "original_due_date": i.due_date,
                "principal": i.principal,
                "interest": i.interest,
            }
            for i in schedule.installments
        ]
    ).execute()


def write_off_loan(actor: Actor | None, loan_id: int, reason: str) -> Loan:
    """First FINANCE user proposes; nothing is posted until a second one approves."""
    actor = require_role(actor, Role.FINANCE)
    loan = get_loan(actor, loan_id)
    reason = text(reason, "reason", 300)
    if loan.state != "DISBURSED":
        raise Conflict(
            CommonCode.INVALID_TRANSITION, f"a {loan.state} loan cannot be written off", "loanId"
        )
    if loan.write_off_requested_by is not None:
        raise Conflict(
            MicrocreditCode.WRITE_OFF_PENDING, "a write-off is already awaiting approval", "loanId"
        )
    with db.atomic():
        updated = Loan.update(write_off_requested_by=actor.user_id, write_off_reason=reason).where(
            (Loan.id == loan.id)
            & (Loan.state == "DISBURSED")
            & Loan.write_off_requested_by.is_null()
        )
        if updated.execute() != 1:
            raise Conflict(CommonCode.CONFLICT, "the loan changed meanwhile; reload it", "loanId")
        audit.record(actor, "request_write_off", "Loan", loan.id, participant_id=loan.borrower_id)
    return Loan.get_by_id(loan.id)


def reject_write_off(actor: Actor | None, loan_id: int, reason: str) -> Loan:
    """A second FINANCE user refuses the proposed write-off: the loan stays as it was."""
    actor = require_role(actor, Role.FINANCE)
    loan = get_loan(actor, loan_id)
    reason = text(reason, "reason", 300)
    if loan.state != "DISBURSED" or loan.write_off_requested_by is None:
        raise Conflict(
            MicrocreditCode.NO_WRITE_OFF_PENDING, "no write-off awaits approval", "loanId"
        )
    if loan.write_off_requested_by == actor.user_id:
        raise PermissionDenied("a second finance officer must decide on the write-off", "loanId")
    with db.atomic():
        updated = Loan.update(write_off_requested_by=None, write_off_reason=None).where(
            (Loan.id == loan.id)
            & (Loan.state == "DISBURSED")
            & (Loan.write_off_requested_by == loan.write_off_requested_by)
        )
        if updated.execute() != 1:
            raise Conflict(CommonCode.CONFLICT, "the loan changed meanwhile; reload it", "loanId")
        audit.record(
            actor,
            "reject_write_off",
            "Loan",
            loan.id,
            participant_id=loan.borrower_id,
            detail=reason,
        )
    return Loan.get_by_id(loan.id)


def approve_write_off(actor: Actor | None, loan_id: int) -> Loan:
    actor = require_role(actor, Role.FINANCE)
    loan = get_loan(actor, loan_id)
    if loan.state != "DISBURSED" or loan.write_off_requested_by is None:
        raise Conflict(
            MicrocreditCode.NO_WRITE_OFF_PENDING, "no write-off awaits approval", "loanId"
        )
    if loan.write_off_requested_by == actor.user_id:
        raise PermissionDenied("a second finance officer must approve the write-off", "loanId")
    with db.atomic():
        loan = _transition(
            loan,
            "DISBURSED",
            state="WRITTEN_OFF",
            written_off_by=actor.user_id,
            written_off_at=utcnow(),
            open_borrower=None,
        )
        remaining = outstanding_principal(loan)
        if remaining > 0:
            post(
                f"loan:{loan.id}:write_off",
                [
                    Posting("loan_write_off", remaining, loan.borrower_id),
                    Posting("loans_receivable", -remaining, loan.borrower_id),
                ],
                memo=f"write-off of loan {loan.id}",
                source_type="loan",
                source_id=loan.id,
                created_by=actor.user_id,
            )
        audit.record(actor, "approve_write_off", "Loan", loan.id, participant_id=loan.borrower_id)
    return loan


def projected_schedule(loan: Loan, on: date | None = None) -> Schedule:
    """For a loan not yet disbursed: the schedule if it were paid out on `on` (today)."""
    return generate_schedule(loan_terms(loan, on or date.today(), None))
