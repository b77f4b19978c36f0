"""Group meeting collection sheet: printed before the meeting and filled in by hand, or
printed after it was saved with what was recorded.

Paid amounts, savings paid and attendance print once the meeting is saved and are
otherwise blank boxes; signature lines at the end are for the people who count the money
together.
"""

from __future__ import annotations

from decimal import Decimal

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Table, TableStyle

from econ.statements.data import CollectionRow, CollectionSheetData
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
from econ.statements.render.fonts import BOLD, REGULAR
from econ.statements.render.styles import INK, MUTED, RULE

ROW_HEIGHT = 9 * mm  # room to write by hand
# Three signature columns with narrow gutters between them, so the lines do not touch.
SIGNATURE_SHARES = (0.3, 0.05, 0.3, 0.05, 0.3)


def render_collection_sheet(data: CollectionSheetData, page_size: str = "A4") -> bytes:
    """The collection sheet as PDF bytes; same data, same bytes."""
    ctx = make_context(data.language, data.currency, page_size)
    _ = ctx._
    story: list[Flowable] = [
        para(_("Collection sheet"), ctx.st.title),
        para(data.group_name, ctx.st.subtitle),
        gap(2),
        key_values(
            ctx,
            [
                (_("Meeting date"), ctx.fmt.date(data.meeting_date)),
                (_("Place"), data.place),
                (_("Members"), str(len(data.members))),
            ],
        ),
        heading(ctx, _("Members")),
        _member_table(ctx, data.members),
        gap(6),
        _signatures(ctx),
    ]
    return render(data, ctx, _("Collection sheet"), data.program_name, story)


def _member_row(ctx: Context, index: int, m: CollectionRow) -> list[object]:
    money = ctx.fmt.money
    present = "" if m.attended is None else (ctx._("Yes") if m.attended else ctx._("No"))
    return [
        str(index),
        para(m.preferred_name, ctx.st.cell),
        money(m.amount_due),
        "" if m.paid is None else money(m.paid),
        money(m.savings_due),
        "" if m.savings_paid is None else money(m.savings_paid),
        present,
        "",  # her signature
    ]


def _member_table(ctx: Context, members: tuple[CollectionRow, ...]) -> Table:
    _, money = ctx._, ctx.fmt.money
    rows = [_member_row(ctx, i, m) for i, m in enumerate(members, start=1)]
    due = sum((m.amount_due for m in members), Decimal(0))
    savings = sum((m.savings_due for m in members), Decimal(0))
    recorded = all(m.paid is not None for m in members)  # the meeting was saved

    def total(field: str) -> str:
        return money(sum((getattr(m, field) or Decimal(0) for m in members), Decimal(0)))

    paid, saved = (total("paid"), total("savings_paid")) if recorded else ("", "")
    rows.append(["", _("Total"), money(due), paid, money(savings), saved, "", ""])
    header = [
        "#",
        _("Member"),
        _("Due"),
        _("Paid"),
        _("Savings due"),
        _("Savings paid"),
        _("Present"),
        _("Signature"),
    ]
    # Paragraph headers wrap ("Savings due" on two lines) instead of overflowing narrow columns.
    header_cells = [
        para(h, ctx.st.cell_head_right if 2 <= col <= 5 else ctx.st.cell_bold)
        for col, h in enumerate(header)
    ]
    shares = (0.04, 0.17, 0.12, 0.12, 0.13, 0.13, 0.12, 0.17)
    writing_boxes = [
        ("GRID", (3, 1), (3, -2), 0.4, RULE),
        ("GRID", (5, 1), (7, -2), 0.4, RULE),
        ("ALIGN", (2, 0), (5, -1), "RIGHT"),
        ("ALIGN", (6, 0), (6, -1), "CENTER"),
    ]
    heights = [None, *[ROW_HEIGHT] * len(members), None]
    return grid(
        ctx,
        header_cells,
        rows,
        shares,
        total_row=True,
        extra=writing_boxes,
        row_heights=heights,
    )


def _signatures(ctx: Context) -> Flowable:
    _ = ctx._
    roles = [_("Group leader"), _("Treasurer"), _("Loan officer")]
    widths = [ctx.width * share for share in SIGNATURE_SHARES]
    hint = _("Name and signature")
    rows = [
        ["", "", "", "", ""],
        [roles[0], "", roles[1], "", roles[2]],
        [hint, "", hint, "", hint],
    ]
    table = Table(rows, colWidths=widths, rowHeights=[14 * mm, None, None], hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [("LINEBELOW", (col, 0), (col, 0), 0.6, INK) for col in (0, 2, 4)]
            + [
                ("FONT", (0, 1), (-1, 1), BOLD, 8.5),
                ("FONT", (0, 2), (-1, 2), REGULAR, 7.5),
                ("TEXTCOLOR", (0, 2), (-1, 2), MUTED),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return KeepTogether([heading(ctx, _("Counted and checked by")), table])
