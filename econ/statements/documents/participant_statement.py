"""Monthly participant statement: her stipend, loan, training, placement, plan and counselor.

Written to be read by her: plain words, kind wording for late payments, her preferred name.
"""

from __future__ import annotations

from reportlab.platypus import Flowable, KeepTogether

from econ.statements.data import (
    LoanBlock,
    PlacementBlock,
    StatementData,
    StipendBlock,
    TrainingProgress,
)
from econ.statements.documents.common import (
    PAYMENT_METHOD,
    PAYMENT_STATUS,
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

MILESTONE_STATE = {
    "MET": N_("Reached"),
    "PENDING": N_("Coming up"),
    "MISSED": N_("Not reached"),
}
INSTALLMENTS_SHOWN = 3


def render_statement(data: StatementData, page_size: str = "A4") -> bytes:
    """The monthly statement as PDF bytes; same data, same bytes."""
    ctx = make_context(data.language, data.currency, page_size)
    _ = ctx._
    story: list[Flowable] = [*_opening(ctx, data)]
    if data.stipend:
        story += _stipend(ctx, data.stipend)
    else:
        story += [
            heading(ctx, _("Stipend")),
            para(_("No stipend this month."), ctx.st.body),
        ]
    if data.loan:
        story += _loan(ctx, data.loan)
    if data.training:
        story += _training(ctx, data.training)
    if data.placement:
        story += _placement(ctx, data.placement)
    if data.plan_milestones:
        story += _plan(ctx, data)
    story += _counselor(ctx, data)
    return render(data, ctx, _("Monthly statement"), data.program_name, story)


def _opening(ctx: Context, data: StatementData) -> list[Flowable]:
    _ = ctx._
    period = ctx.fmt.month(data.period)
    lines = [para(_("Statement for %(period)s") % {"period": period}, ctx.st.title)]
    prepared = _("Prepared for %(name)s") % {"name": data.display_name}
    if data.reference:
        prepared += " · " + _("Reference %(code)s") % {"code": data.reference}
    lines += [para(prepared, ctx.st.subtitle), gap(2)]
    return lines


def _stipend(ctx: Context, s: StipendBlock) -> list[Flowable]:
    _, money = ctx._, ctx.fmt.money
    rows: list[tuple[str, str]] = [(_("Base stipend"), money(s.base))]
    if s.taper or s.taper_income:
        income = _("Reduction for earned income (income reported: %(income)s)") % {
            "income": money(s.taper_income)
        }
        rows.append((income, money(-s.taper)))
    rows += [(_("Incentive: %(name)s") % {"name": i.name}, money(i.amount)) for i in s.incentives]
    rows += [
        (_("Adjustment: %(reason)s") % {"reason": a.reason}, money(a.amount)) for a in s.adjustments
    ]
    rows.append((_("Net amount"), money(s.net)))
    cells = [[para(label, ctx.st.cell), amount] for label, amount in rows]
    table = grid(
        ctx,
        [_("Item"), _("Amount")],
        cells,
        (0.75, 0.25),
        numeric_from=1,
        total_row=True,
    )
    return [
        heading(ctx, _("Stipend")),
        table,
        gap(2),
        para(_payment_line(ctx, s), ctx.st.note),
    ]


def _payment_line(ctx: Context, s: StipendBlock) -> str:
    _ = ctx._
    status = ctx.label(PAYMENT_STATUS, s.payment_status)
    if s.payment_date:
        status = _("%(status)s on %(date)s") % {
            "status": status,
            "date": ctx.fmt.date(s.payment_date),
        }
    method = ctx.label(PAYMENT_METHOD, s.payment_method)
    return _("Payment: %(status)s. Method: %(method)s.") % {
        "status": status,
        "method": method,
    }


def arrears_sentence(ctx: Context, loan: LoanBlock) -> str:
    """Late payments in plain, kind words, with where to get help; never a threat."""
    _, n_ = ctx._, ctx.ngettext
    days = loan.days_past_due
    if days <= 0:
        return _("Your loan payments are up to date. Thank you.")
    if loan.overdue_installments <= 1:
        late = n_(
            "One payment is %(days)d day late.",
            "One payment is %(days)d days late.",
            days,
        )
    else:
        late = n_(
            "%(count)d payments are late; the oldest by %(days)d day.",
            "%(count)d payments are late; the oldest by %(days)d days.",
            days,
        )
    help_ = _("Talk to your counselor if you need a repayment holiday.")
    return late % {"days": days, "count": loan.overdue_installments} + " " + help_


def _loan(ctx: Context, loan: LoanBlock) -> list[Flowable]:
    _, money = ctx._, ctx.fmt.money
    story: list[Flowable] = [
        heading(ctx, _("Loan")),
        key_values(ctx, [(_("Outstanding principal"), money(loan.outstanding_principal))]),
    ]
    upcoming = loan.next_installments[:INSTALLMENTS_SHOWN]
    if upcoming:
        rows = [[ctx.fmt.date(i.due_date), money(i.amount)] for i in upcoming]
        story += [
            gap(2),
            grid(
                ctx,
                [_("Next payments"), _("Amount")],
                rows,
                (0.5, 0.25),
                numeric_from=1,
            ),
        ]
    story.append(para(arrears_sentence(ctx, loan), ctx.st.note))
    return story


def _training(ctx: Context, programs: tuple[TrainingProgress, ...]) -> list[Flowable]:
    _ = ctx._
    rows = [
        [
            para(p.program_name, ctx.st.cell),
            ctx.fmt.percent(p.attendance_rate),
            para(", ".join(p.credentials) or "–", ctx.st.cell),
        ]
        for p in programs
    ]
    header = [_("Training"), _("Attendance"), _("Credentials earned")]
    table = grid(
        ctx,
        header,
        rows,
        (0.42, 0.16, 0.42),
        extra=[("ALIGN", (1, 0), (1, -1), "RIGHT")],
    )
    return [heading(ctx, _("Training")), table]


def _placement(ctx: Context, placement: PlacementBlock) -> list[Flowable]:
    _, n_ = ctx._, ctx.ngettext
    story: list[Flowable] = [
        heading(ctx, _("Work placement")),
        key_values(
            ctx,
            [
                (_("Employer"), placement.employer_display_name),
                (_("Start date"), ctx.fmt.date(placement.start_date)),
            ],
        ),
    ]
    if placement.milestones:
        rows = [
            [
                n_("%(days)d day in the job", "%(days)d days in the job", m.days)
                % {"days": m.days},
                ctx.fmt.date(m.due_date),
                ctx.label(MILESTONE_STATE, m.state),
            ]
            for m in placement.milestones
        ]
        header = [_("Milestone"), _("Date"), _("State")]
        story += [gap(2), grid(ctx, header, rows, (0.4, 0.3, 0.3))]
    return story


def _plan(ctx: Context, data: StatementData) -> list[Flowable]:
    _ = ctx._
    rows = [[para(m.title, ctx.st.cell), ctx.fmt.date(m.due_date)] for m in data.plan_milestones]
    table = grid(ctx, [_("Next steps in your plan"), _("Due by")], rows, (0.7, 0.3))
    return [heading(ctx, _("Your plan")), table]


def _counselor(ctx: Context, data: StatementData) -> list[Flowable]:
    _ = ctx._
    c = data.counselor
    lines = [_("Your counselor %(name)s can help with this statement.") % {"name": c.name}]
    if c.phone:
        lines.append(_("Office phone: %(phone)s") % {"phone": c.phone})
    if c.email:
        lines.append(_("Office e-mail: %(email)s") % {"email": c.email})
    body = [para(line, ctx.st.body) for line in lines]
    return [KeepTogether([heading(ctx, _("Questions?")), *body])]
