"""Payment run report for finance: control totals, every line, exceptions, who and when.

Runs can have thousands of lines: the lines table repeats its header on every page and is
built in chunks, because reportlab re-measures the rest of a table each time it splits it.
"""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.platypus import Flowable, Table

from econ.statements.data import PaymentRunReportData, RunLine
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

RUN_STATE = {
    "DRAFT": N_("Draft"),
    "CALCULATING": N_("Calculating"),
    "CALCULATED": N_("Calculated"),
    "APPROVED": N_("Approved"),
    "DISBURSING": N_("Payments sent, results awaited"),
    "PAID": N_("Paid"),
    "COMPLETED": N_("Completed"),
    "COMPLETED_WITH_FAILURES": N_("Completed, some payments failed"),
    "CANCELLED": N_("Cancelled"),
}
CHUNK_ROWS = 400


def render_payment_run_report(data: PaymentRunReportData, page_size: str = "A4") -> bytes:
    """The run report as PDF bytes; same data, same bytes."""
    ctx = make_context(data.language, data.currency, page_size, data.timezone)
    _ = ctx._
    title = _("Payment run report")
    story: list[Flowable] = [
        para(
            _("Payment run for %(period)s") % {"period": ctx.fmt.month(data.period)},
            ctx.st.title,
        ),
        para(
            _("State: %(state)s") % {"state": ctx.label(RUN_STATE, data.state)},
            ctx.st.subtitle,
        ),
        para(_("Times are in %(zone)s.") % {"zone": data.timezone}, ctx.st.small),
        *_approvals(ctx, data),
        *_totals(ctx, data),
        *_lines(ctx, data.lines),
        *_exceptions(ctx, data),
    ]
    return render(data, ctx, title, data.program_name, story)


def _approvals(ctx: Context, data: PaymentRunReportData) -> list[Flowable]:
    _ = ctx._
    created = _("%(who)s, %(when)s") % {
        "who": data.created_by,
        "when": ctx.fmt.datetime(data.created_at),
    }
    approved = _("Not approved yet")
    if data.approved_by and data.approved_at:
        approved = _("%(who)s, %(when)s") % {
            "who": data.approved_by,
            "when": ctx.fmt.datetime(data.approved_at),
        }
    return [
        gap(3),
        key_values(ctx, [(_("Created by"), created), (_("Approved by"), approved)]),
    ]


def _totals(ctx: Context, data: PaymentRunReportData) -> list[Flowable]:
    """The frozen control totals (what was approved and is paid), then every line
    calculated, held ones included: two different sums, never under one title."""
    return [*_frozen(ctx, data), *_calculated(ctx, data)]


def _frozen(ctx: Context, data: PaymentRunReportData) -> list[Flowable]:
    _, money = ctx._, ctx.fmt.money
    story: list[Flowable] = [heading(ctx, _("Control totals"))]
    if data.frozen is None:
        return [*story, para(_("Frozen when the run is approved."), ctx.st.body)]
    rows = [
        [ctx.label(PAYMENT_METHOD, m.method), str(m.count), money(m.total)]
        for m in data.frozen.by_method
    ]
    rows.append([_("All payment methods"), str(data.frozen.count), money(data.frozen.total)])
    hash_line = _("Control hash: %(hash)s") % {"hash": data.control_hash}
    return [
        *story,
        grid(
            ctx,
            [_("Payment method"), _("Lines"), _("Net")],
            rows,
            (0.5, 0.2, 0.3),
            numeric_from=1,
            total_row=True,
        ),
        gap(1.5),
        para(hash_line, ctx.st.small),
    ]


def _calculated(ctx: Context, data: PaymentRunReportData) -> list[Flowable]:
    _, money, t = ctx._, ctx.fmt.money, data.totals
    header = [
        _("Lines"),
        _("Base"),
        _("Reductions"),
        _("Incentives"),
        _("Adjustments"),
        _("Net"),
    ]
    row = [
        str(t.line_count),
        money(t.base),
        money(-t.taper),
        money(t.incentives),
        money(t.adjustments),
        money(t.net),
    ]
    shares = (0.1, 0.18, 0.18, 0.18, 0.18, 0.18)
    return [
        heading(ctx, _("Calculated lines, held ones included")),
        grid(ctx, header, [row], shares, numeric_from=0),
    ]


def _lines(ctx: Context, lines: Sequence[RunLine]) -> list[Flowable]:
    _ = ctx._
    story: list[Flowable] = [heading(ctx, _("Lines"))]
    if not lines:
        return [*story, para(_("This run has no lines."), ctx.st.body)]
    header = [_("Participant"), _("Method"), _("Status"), _("Reason"), _("Net")]
    for start in range(0, len(lines), CHUNK_ROWS):
        story.append(_line_table(ctx, header, lines[start : start + CHUNK_ROWS]))
    return story


def _line_table(ctx: Context, header: list[str], lines: Sequence[RunLine]) -> Table:
    rows = [
        [
            _participant_cell(ctx, line),
            ctx.label(PAYMENT_METHOD, line.method),
            ctx.label(PAYMENT_STATUS, line.status),
            para(line.reason, ctx.st.cell),
            ctx.fmt.money(line.net),
        ]
        for line in lines
    ]
    return grid(ctx, header, rows, (0.17, 0.2, 0.17, 0.3, 0.16), numeric_from=4)


def _participant_cell(ctx: Context, line: RunLine):
    """Her code; a loan's payout says so (it is no stipend)."""
    if line.loan_id is None:
        return line.participant_code
    payout = ctx._("Payout of loan %(id)s") % {"id": line.loan_id}
    return [para(line.participant_code, ctx.st.cell), para(payout, ctx.st.cell)]


def _exceptions(ctx: Context, data: PaymentRunReportData) -> list[Flowable]:
    _ = ctx._
    story: list[Flowable] = [heading(ctx, _("Exceptions"))]
    if not data.exceptions:
        return [*story, para(_("No exceptions."), ctx.st.body)]
    rows = [
        [e.participant_code, para(e.code, ctx.st.cell), para(e.message, ctx.st.cell)]
        for e in data.exceptions
    ]
    header = [_("Participant"), _("Code"), _("Details")]
    return [*story, grid(ctx, header, rows, (0.2, 0.25, 0.55))]
