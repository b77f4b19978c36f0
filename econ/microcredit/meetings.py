"""Group meetings and their collection sheets.

A sheet lists, per active member, what her loan schedule asks by the meeting date (unpaid
amounts of installments due on or before it), the savings due, and her attendance. Saving
it writes the meeting, attendance, repayments and savings in ONE transaction: the first bad
row aborts everything and the error names it (`rows.<index>.<field>`, index from 0).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import peewee as pw

from econ.db import db, write_transaction
from econ.errors import CommonCode, Conflict, DomainError
from econ.microcredit.allocation import ZERO
from econ.microcredit.errors import MicrocreditCode
from econ.microcredit.groups import active_members, add_contribution, require_collector
from econ.microcredit.models import ATTENDANCE, Attendance, Loan, LoanGroup, Meeting
from econ.microcredit.repayments import add_repayment, installments_of
from econ.money import from_cents, parse_amount
from econ.security import audit
from econ.security.roles import Actor


@dataclass(frozen=True)
class SheetRow:
    participant_id: int
    preferred_name: str
    role: str
    loan_id: int | None
    amount_due: Decimal
    savings_due: Decimal
    attendance: str | None
    paid: Decimal
    saved: Decimal


@dataclass(frozen=True)
class CollectionSheet:
    group: LoanGroup
    date: date
    saved: bool
    rows: tuple[SheetRow, ...]


def amount_due(loan: Loan | None, on: date) -> Decimal:
    """Unpaid principal and interest of installments due on or before `on`."""
    if loan is None or loan.state != "DISBURSED":
        return ZERO
    return sum(
        (
            i.principal + i.interest - i.paid_principal - i.paid_interest
            for i in installments_of(loan)
            if i.due_date <= on
        ),
        ZERO,
    )


def _open_loans(group: LoanGroup) -> dict[int, Loan]:
    loans = Loan.select().where((Loan.group == group.id) & (Loan.state == "DISBURSED"))
    return {loan.borrower_id: loan for loan in loans}


def _allocated_by(repayment, on: date) -> Decimal:
    """What a repayment paid of installments due on or before `on` (its allocation)."""
    due_numbers = {i.number for i in installments_of(repayment.loan) if i.due_date <= on}
    cents = sum(p + i for number, p, i in repayment.allocation if number in due_numbers)
    return from_cents(cents)


def collection_sheet(actor: Actor | None, group_id: int, on: date) -> CollectionSheet:
    """The sheet of a meeting. Before it is saved: what each member owes by that day. Once
    saved: what was recorded, with "due" as it stood when the meeting began (what is
    still unpaid plus what this meeting's repayments paid of it), so a sheet printed
    after the meeting shows what the members counted, not what is left."""
    group = require_collector(actor, group_id)
    meeting = Meeting.get_or_none((Meeting.group == group.id) & (Meeting.date == on))
    loans = _open_loans(group)
    attendance, paid, saved, settled = {}, {}, {}, {}
    if meeting is not None:
        attendance = {a.participant_id: a.status for a in meeting.attendance}
        for r in meeting.repayments:
            if r.reversed_at is None:
                borrower = r.loan.borrower_id
                loans.setdefault(borrower, r.loan)  # repaid in full at this meeting
                paid[borrower] = paid.get(borrower, ZERO) + r.amount
                settled[borrower] = settled.get(borrower, ZERO) + _allocated_by(r, on)
        for c in meeting.contributions:
            saved[c.participant_id] = saved.get(c.participant_id, ZERO) + c.amount
    rows = tuple(
        SheetRow(
            participant_id=m.participant_id,
            preferred_name=m.participant.preferred_name,
            role=m.role,
            loan_id=loans[m.participant_id].id if m.participant_id in loans else None,
            amount_due=amount_due(loans.get(m.participant_id), on)
            + settled.get(m.participant_id, ZERO),
            savings_due=group.savings_per_meeting,
            attendance=attendance.get(m.participant_id),
            paid=paid.get(m.participant_id, ZERO),
            saved=saved.get(m.participant_id, ZERO),
        )
        for m in active_members(group.id)
    )
    return CollectionSheet(group, on, meeting is not None, rows)


@dataclass(frozen=True)
class _Row:
    participant_id: int
    attendance: str
    amount: Decimal
    savings: Decimal


def _clean_rows(group: LoanGroup, rows: Sequence[dict]) -> list[_Row]:
    members = {m.participant_id for m in active_members(group.id)}
    if not rows:
        raise DomainError(CommonCode.REQUIRED, "a collection sheet needs at least one row", "rows")
    seen: set[int] = set()
    clean = []
    for index, row in enumerate(rows):
        field = f"rows.{index}."
        pid = row.get("participant_id")
        if pid not in members:
            raise DomainError(
                MicrocreditCode.NOT_A_MEMBER, f"row {index}: not a member", field + "participantId"
            )
        if pid in seen:
            raise DomainError(
                MicrocreditCode.DUPLICATE_ROW,
                f"row {index}: member listed twice",
                field + "participantId",
            )
        seen.add(pid)
        status = row.get("attendance")
        if status not in ATTENDANCE:
            raise DomainError(
                CommonCode.INVALID_CHOICE, f"row {index}: attendance", field + "attendance"
            )
        amount = parse_amount(row.get("amount") or "0", field + "amount")
        savings = parse_amount(row.get("savings") or "0", field + "savings")
        clean.append(_Row(pid, status, amount, savings))
    return clean


def save_collection_sheet(
    actor: Actor | None, group_id: int, on: date, rows: Sequence[dict]
) -> Meeting:
    """All rows or none: any failing row rolls the whole sheet back."""
    group = require_collector(actor, group_id)
    if group.status != "ACTIVE":
        raise Conflict(MicrocreditCode.GROUP_NOT_ACTIVE, "the group is not active", "groupId")
    if on > date.today():
        raise DomainError(CommonCode.FUTURE_DATE, "a meeting cannot be recorded in advance", "date")
    clean = _clean_rows(group, rows)
    loans = _open_loans(group)
    with write_transaction():
        try:
            with db.atomic():
                meeting = Meeting.create(group=group, date=on, saved_by=actor.user_id)
        except pw.IntegrityError:
            raise Conflict(
                MicrocreditCode.MEETING_EXISTS, "this meeting's sheet is already saved", "date"
            ) from None
        for index, row in enumerate(clean):
            _save_row(actor, group, meeting, loans, index, row)
        audit.record(actor, "save_collection_sheet", "Meeting", meeting.id)
    return meeting


def _save_row(
    actor: Actor, group: LoanGroup, meeting: Meeting, loans: dict, index: int, row: _Row
) -> None:
    Attendance.create(meeting=meeting, participant=row.participant_id, status=row.attendance)
    try:
        if row.amount > 0:
            loan = loans.get(row.participant_id)
            if loan is None:
                raise DomainError(
                    MicrocreditCode.NO_OPEN_LOAN, "she has no disbursed loan", "amount"
                )
            add_repayment(actor, loan, row.amount, meeting.date, "COLLECTION_SHEET", meeting)
        if row.savings > 0:
            add_contribution(actor, group, row.participant_id, row.savings, meeting.date, meeting)
    except DomainError as exc:
        field = exc.field if exc.field in ("amount", "savings") else "amount"
        raise DomainError(
            exc.code, f"row {index}: {exc.message}", f"rows.{index}.{field}"
        ) from None
