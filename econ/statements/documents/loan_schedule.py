"""Loan schedule: the terms and every installment, for a loan or for a preview before one."""

from __future__ import annotations

from decimal import Decimal

from reportlab.platypus import Flowable

from econ.statements.data import LoanScheduleData
from econ.statements.documents.common import (
    Context,
    gap,
    grid,
    heading,
    key_values,
    make_context,
    para,
    render,
)
from econ.statements.i18n import N_

FREQUENCY = {
    "WEEKLY": N_("Weekly"),
    "BIWEEKLY": N_("Every two weeks"),
    "MONTHLY": N_("Monthly"),
}


def render_loan_schedule(data: LoanScheduleData, page_size: str = "A4") -> bytes:
    """The repayment schedule as PDF bytes; same data, same bytes."""
    ctx = make_context(data.language, data.currency, page_size)
    _ = ctx._
    borrower = data.borrower_name if data.borrower_name and not data.is_preview else _("Preview")
    subtitle = _("For %(name)s") % {"name": borrower}
    if not data.is_preview:
        subtitle += " · " + _("Loan %(reference)s") % {"reference": data.reference}
    story: list[Flowable] = [
        para(_("Repayment schedule"), ctx.st.title),
        para(subtitle, ctx.st.subtitle),
        heading(ctx, _("Terms")),
        key_values(ctx, _terms(ctx, data)),
        heading(ctx, _("Installments")),
        _installments(ctx, data),
    ]
    if data.is_preview:
        note = _("This is a preview. The amounts are final only when the loan is granted.")
        story += [gap(2), para(note, ctx.st.note)]
    return render(data, ctx, _("Loan schedule"), data.program_name, story)


def _terms(ctx: Context, data: LoanScheduleData) -> list[tuple[str, str]]:
    _ = ctx._
    rows = [
        (_("Amount borrowed"), ctx.fmt.money(data.principal)),
        (_("Interest rate per year"), ctx.fmt.percent(data.annual_rate, exact=True)),
        (_("Number of installments"), str(data.installment_count)),
        (_("Frequency"), ctx.label(FREQUENCY, data.frequency)),
    ]
    if data.disbursement_date:
        rows.append((_("Disbursement date"), ctx.fmt.date(data.disbursement_date)))
    return rows


def _installments(ctx: Context, data: LoanScheduleData):
    _, money = ctx._, ctx.fmt.money
    rows = [
        [
            str(r.number),
            ctx.fmt.date(r.due_date, "medium"),
            money(r.principal),
            money(r.interest),
            money(r.total),
            money(r.balance),
        ]
        for r in data.rows
    ]

    def total(attr: str) -> Decimal:
        return sum((getattr(r, attr) for r in data.rows), Decimal(0))

    rows.append(
        [
            _("Total"),
            "",
            money(total("principal")),
            money(total("interest")),
            money(total("total")),
            "",
        ]
    )
    header = [
        _("No."),
        _("Due date"),
        _("Principal"),
        _("Interest"),
        _("Payment"),
        _("Balance"),
    ]
    shares = (0.08, 0.2, 0.18, 0.18, 0.18, 0.18)
    return grid(ctx, header, rows, shares, numeric_from=2, total_row=True)
