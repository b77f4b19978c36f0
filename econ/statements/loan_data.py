"""What a loan's schedule, a schedule preview and a group's collection sheet print."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from econ.microcredit import services as microcredit
from econ.participants import services as participants
from econ.security.roles import Actor
from econ.settings.services import setting
from econ.statements.assembly import neutral, program_name
from econ.statements.data import (
    CollectionRow,
    CollectionSheetData,
    LoanScheduleData,
    ScheduleRow,
)

FREQUENCY = {("WEEKS", 1): "WEEKLY", ("WEEKS", 2): "BIWEEKLY", ("MONTHS", 1): "MONTHLY"}

# --- loan schedule -----------------------------------------------------------------------


def loan_schedule_data(actor: Actor, loan_id: int, language: str) -> LoanScheduleData:
    loan = microcredit.get_loan(actor, loan_id)
    terms = loan.terms
    if loan.state in ("APPLIED", "APPROVED"):
        rows = schedule_rows(microcredit.projected_schedule(loan).installments)
    else:
        rows = stored_rows(microcredit.installments_of(loan), loan.principal)
    borrower = participants.participants_by_id([loan.borrower_id])[loan.borrower_id]
    return LoanScheduleData(
        program_name=program_name(),
        currency=loan.currency,
        language=language,
        principal=loan.principal,
        annual_rate=Decimal(str(terms["annual_interest_rate"])) / 100,
        installment_count=int(terms["number_of_installments"]),
        frequency=frequency(terms.get("frequency", ""), int(terms.get("repayment_every", 1))),
        rows=rows,
        reference=f"L-{loan.id}",
        borrower_name=borrower.preferred_name,
        disbursement_date=loan.disbursement_date,
    )


def loan_preview_data(actor: Actor, language: str, **terms) -> LoanScheduleData:
    """A schedule computed and never saved, for someone thinking about a loan."""
    schedule = microcredit.preview_schedule(actor, **terms)
    currency = terms.get("currency") or str(setting("currency"))
    return LoanScheduleData(
        program_name=program_name(),
        currency=currency,
        language=language,
        principal=schedule.total_principal,
        annual_rate=Decimal(str(terms["annual_interest_rate"])) / 100,
        installment_count=int(terms["number_of_installments"]),
        frequency=frequency(terms["frequency"], int(terms.get("repayment_every") or 1)),
        rows=schedule_rows(schedule.installments),
        disbursement_date=terms["disbursement_date"],
    )


def frequency(unit: str, every: int) -> str:
    return FREQUENCY.get((unit, every), unit)


def schedule_rows(installments) -> tuple[ScheduleRow, ...]:
    return tuple(
        ScheduleRow(i.number, i.due_date, i.principal, i.interest, i.total, i.balance_after)
        for i in installments
    )


def stored_rows(installments, principal: Decimal) -> tuple[ScheduleRow, ...]:
    rows, balance = [], principal
    for i in installments:
        balance -= i.principal
        rows.append(
            ScheduleRow(
                i.number, i.due_date, i.principal, i.interest, i.principal + i.interest, balance
            )
        )
    return tuple(rows)


# --- collection sheet --------------------------------------------------------------------


def collection_sheet_data(
    actor: Actor, group_id: int, on: date, language: str
) -> CollectionSheetData:
    sheet = microcredit.collection_sheet(actor, group_id, on)
    group = sheet.group
    return CollectionSheetData(
        program_name=program_name(),
        group_name=neutral(group.name, "–"),
        meeting_date=on,
        place=neutral(group.meeting_place, ""),
        currency=str(setting("currency")),
        language=language,
        members=tuple(
            CollectionRow(
                preferred_name=row.preferred_name,
                amount_due=row.amount_due,
                savings_due=row.savings_due,
                paid=row.paid if sheet.saved else None,
                attended=(row.attendance in ("PRESENT", "LATE")) if sheet.saved else None,
                savings_paid=row.saved if sheet.saved else None,
            )
            for row in sheet.rows
        ),
    )
