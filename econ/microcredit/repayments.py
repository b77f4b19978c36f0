"""Repayments: record, reverse, and re-allocate a loan's live repayments from scratch.

Every change re-runs `allocation.allocate` over the live (not reversed) repayments and
writes the result to the installment rows and each repayment's `allocation`. The ledger
follows: each repayment posts bank / loans_receivable / interest_income by its split at the
time, a reversal posts the mirror entry, and if re-allocation moved money between principal
and interest of other repayments a reclassification entry brings the loan's ledger lines
back to the installment totals.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import peewee as pw

from econ.db import PreparedQuery, db, for_update, utcnow, write_transaction
from econ.errors import CommonCode, Conflict, DomainError, NotFound
from econ.ledger.services import Posting, post, reverse, source_balance
from econ.microcredit.access import get_loan
from econ.microcredit.allocation import ZERO, Allocation, Due, Payment, allocate
from econ.microcredit.errors import MicrocreditCode
from econ.microcredit.groups import choice, text
from econ.microcredit.models import REPAYMENT_CHANNELS, Installment, Loan, Meeting, Repayment
from econ.money import parse_amount
from econ.participants import services as participants
from econ.security import audit
from econ.security.permissions import require_role
from econ.security.roles import Actor, Role
from econ.stipends.services import grant_award


def installments_of(loan: Loan) -> list[Installment]:
    return _INSTALLMENTS_OF.rows(loan.id)


_INSTALLMENTS_OF = PreparedQuery(  # every repayment and every statement with a loan
    lambda loan_id: (
        Installment.select().where(Installment.loan == loan_id).order_by(Installment.number)
    )
)


def dues(installments: list[Installment]) -> list[Due]:
    return [Due(i.number, i.due_date, i.principal, i.interest) for i in installments]


def live_repayments(loan: Loan) -> list[Repayment]:
    return list(
        Repayment.select()
        .where((Repayment.loan == loan.id) & Repayment.reversed_at.is_null())
        .order_by(Repayment.paid_on, Repayment.id)
    )


def payments(repayments: list[Repayment], up_to: date | None = None) -> list[Payment]:
    return [
        Payment(r.id, r.paid_on, r.amount)
        for r in repayments
        if up_to is None or r.paid_on <= up_to
    ]


def outstanding_principal(loan: Loan) -> Decimal:
    return sum((i.principal - i.paid_principal for i in installments_of(loan)), ZERO)


def require_collector_of_loan(actor: Actor | None, loan_id: int) -> tuple[Actor, Loan]:
    """FINANCE, or the borrower's own counselor (she collects at meetings)."""
    actor = require_role(actor, Role.FINANCE, Role.COUNSELOR)
    return actor, get_loan(actor, loan_id)


def record_repayment(
    actor: Actor | None,
    loan_id: int,
    amount: str | Decimal,
    paid_on: date,
    channel: str = "CASH",
) -> Repayment:
    actor, loan = require_collector_of_loan(actor, loan_id)
    value = parse_amount(amount, "amount")
    channel = choice(channel, REPAYMENT_CHANNELS, "channel")
    with write_transaction():
        return add_repayment(actor, loan, value, paid_on, channel, None)


def add_repayment(
    actor: Actor,
    loan: Loan,
    amount: Decimal,
    paid_on: date,
    channel: str,
    meeting: Meeting | None,
) -> Repayment:
    """Inside the caller's transaction: validate, insert, re-allocate, post, audit."""
    loan = for_update(Loan.select().where(Loan.id == loan.id)).get()
    if loan.state != "DISBURSED":
        raise Conflict(MicrocreditCode.LOAN_NOT_DISBURSED, f"the loan is {loan.state}", "loanId")
    if amount <= 0:
        raise DomainError(CommonCode.INVALID_AMOUNT, "a repayment must be positive", "amount")
    if paid_on < loan.disbursement_date or paid_on > date.today():
        raise DomainError(
            CommonCode.INVALID_DATE, "the date must be between disbursement and today", "paidOn"
        )
    installments = installments_of(loan)
    # Allocating before the insert refuses an overpayment without writing anything.
    allocate(dues(installments), [*payments(live_repayments(loan)), Payment(None, paid_on, amount)])
    repayment = Repayment.create(
        loan=loan,
        amount=amount,
        paid_on=paid_on,
        channel=channel,
        meeting=meeting,
        recorded_by=actor.user_id,
    )
    result = reallocate(loan, installments)
    principal, interest = _split(result, repayment.id)
    post(
        _entry_key(loan, repayment),
        [
            Posting("bank", amount, loan.borrower_id),
            *_credit("loans_receivable", principal, loan.borrower_id),
            *_credit("interest_income", interest, loan.borrower_id),
        ],
        memo=f"repayment {repayment.id} of loan {loan.id}",
        source_type="loan",
        source_id=loan.id,
        created_by=actor.user_id,
    )
    _sync_ledger(loan, f"loan:{loan.id}:reclass:repayment:{repayment.id}", actor)
    audit.record(
        actor, "record_repayment", "Repayment", repayment.id, participant_id=loan.borrower_id
    )
    _settle_state(actor, loan)
    return Repayment.get_by_id(repayment.id)


def reverse_repayment(actor: Actor | None, repayment_id: int, reason: str) -> Repayment:
    """FINANCE undoes a mistaken repayment: both records stay, the ledger gets a mirror."""
    actor = require_role(actor, Role.FINANCE)
    repayment = Repayment.get_or_none(Repayment.id == repayment_id)
    if repayment is None:
        raise NotFound("repayment", "repaymentId")
    loan = get_loan(actor, repayment.loan_id, "repaymentId")
    reason = text(reason, "reason", 300)
    with write_transaction():
        loan = for_update(Loan.select().where(Loan.id == loan.id)).get()
        if loan.state not in ("DISBURSED", "REPAID"):
            raise Conflict(
                CommonCode.INVALID_TRANSITION, f"the loan is {loan.state}", "repaymentId"
            )
        done = Repayment.update(
            reversed_at=utcnow(), reversed_by=actor.user_id, reversal_reason=reason
        ).where((Repayment.id == repayment.id) & Repayment.reversed_at.is_null())
        if done.execute() != 1:
            raise Conflict(
                MicrocreditCode.ALREADY_REVERSED,
                "this repayment is already reversed",
                "repaymentId",
            )
        reallocate(loan, installments_of(loan))
        key = _entry_key(loan, repayment)
        reverse(f"{key}:reversal", key, created_by=actor.user_id)
        _sync_ledger(loan, f"loan:{loan.id}:reclass:reversal:{repayment.id}", actor)
        audit.record(
            actor, "reverse_repayment", "Repayment", repayment.id, participant_id=loan.borrower_id
        )
        _settle_state(actor, loan)
    return Repayment.get_by_id(repayment.id)


def reallocate(loan: Loan, installments: list[Installment]) -> Allocation:
    """Allocate the live repayments from scratch and store the result."""
    live = live_repayments(loan)
    result = allocate(dues(installments), payments(live))
    for inst in installments:
        paid = result.paid[inst.number]
        if (inst.paid_principal, inst.paid_interest) != (paid.principal, paid.interest):
            Installment.update(paid_principal=paid.principal, paid_interest=paid.interest).where(
                Installment.id == inst.id
            ).execute()
    for repayment in live:
        lines = [[n, _cents(p), _cents(i)] for n, p, i in result.lines[repayment.id]]
        if lines != repayment.allocation:
            Repayment.update(allocation=lines).where(Repayment.id == repayment.id).execute()
    return result


def _cents(amount: Decimal) -> int:
    return int(amount * 100)


def _split(result: Allocation, key: object) -> tuple[Decimal, Decimal]:
    lines = result.lines[key]
    return sum((p for _, p, _ in lines), ZERO), sum((i for _, _, i in lines), ZERO)


def _credit(account: str, amount: Decimal, participant_id: int) -> list[Posting]:
    return [Posting(account, -amount, participant_id)] if amount else []


def _entry_key(loan: Loan, repayment: Repayment) -> str:
    return f"loan:{loan.id}:repayment:{repayment.id}"


def posted(loan: Loan, account: str) -> Decimal:
    """Sum of the loan's journal lines on one account (debits positive)."""
    return source_balance("loan", str(loan.id), account)


def _sync_ledger(loan: Loan, key: str, actor: Actor) -> None:
    """Reclassify between principal and interest when re-allocation moved money."""
    installments = installments_of(loan)
    paid_interest = sum((i.paid_interest for i in installments), ZERO)
    gap = -paid_interest - posted(loan, "interest_income")
    if gap:
        post(
            key,
            [
                Posting("interest_income", gap, loan.borrower_id),
                Posting("loans_receivable", -gap, loan.borrower_id),
            ],
            memo=f"re-allocation of loan {loan.id}",
            source_type="loan",
            source_id=loan.id,
            created_by=actor.user_id,
        )


def _settle_state(actor: Actor, loan: Loan) -> None:
    """DISBURSED <-> REPAID as the installments are (no longer) fully paid."""
    left = sum(
        (
            i.principal + i.interest - i.paid_principal - i.paid_interest
            for i in installments_of(loan)
        ),
        ZERO,
    )
    if loan.state == "DISBURSED" and left == 0:
        Loan.update(state="REPAID", repaid_at=utcnow(), open_borrower=None).where(
            Loan.id == loan.id
        ).execute()
        grant_award(loan.borrower_id, "LOAN_REPAID", "loan", loan.id, created_by=actor.user_id)
        # A reversal re-opening the loan leaves the milestone DONE: her counselor reopens it
        # by hand if she wants to (docs/indicators.md, "Milestones fed by events").
        participants.complete_linked_milestones("loan", loan.id, actor)
        audit.record(actor, "loan_repaid", "Loan", loan.id, participant_id=loan.borrower_id)
    elif loan.state == "REPAID" and left > 0:
        try:
            with db.atomic():
                Loan.update(
                    state="DISBURSED", repaid_at=None, open_borrower=loan.borrower_id
                ).where(Loan.id == loan.id).execute()
        except pw.IntegrityError:
            raise Conflict(
                MicrocreditCode.OPEN_LOAN_EXISTS,
                "she has another open loan; reverse there first",
                "repaymentId",
            ) from None
        audit.record(actor, "loan_reopened", "Loan", loan.id, participant_id=loan.borrower_id)
