"""What every document shares: its language context, code labels and table builders."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from econ.statements.data import text_fields
from econ.statements.i18n import (
    N_,
    Gettext,
    LocaleFormat,
    Ngettext,
    ensure_neutral_wording,
    normalise_language,
    plural_translator,
    translator,
)
from econ.statements.render.page import build_pdf, content_width
from econ.statements.render.styles import Styles, grid_style, key_value_style, styles

PAYMENT_STATUS = {
    "PAID": N_("Paid"),
    "SCHEDULED": N_("Scheduled"),
    "PENDING": N_("Pending"),
    "HELD": N_("On hold"),
    "SENT": N_("Sent to the bank"),
    "FAILED": N_("Not delivered"),
    "APPROVED": N_("Approved"),
    "EXCLUDED": N_("Excluded"),
}
PAYMENT_METHOD = {
    "BANK_TRANSFER": N_("Bank transfer"),
    "PREPAID_CARD": N_("Prepaid card"),
    "CASH": N_("Cash"),
    "MOBILE_MONEY": N_("Mobile money"),
}


@dataclass(frozen=True)
class Context:
    """Language, formats, styles and width for one document being rendered."""

    language: str
    _: Gettext
    ngettext: Ngettext
    fmt: LocaleFormat
    st: Styles
    width: float
    page_size: str

    def label(self, labels: dict[str, str], code: str) -> str:
        """Translated label for a code; the code itself when it is new to us."""
        return self._(labels[code]) if code in labels else code


def make_context(language: str, currency: str, page_size: str, timezone: str = "UTC") -> Context:
    lang = normalise_language(language)
    return Context(
        language=lang,
        _=translator(lang),
        ngettext=plural_translator(lang),
        fmt=LocaleFormat(lang, currency, timezone),
        st=styles(),
        width=content_width(page_size),
        page_size=page_size,
    )


def text(value: str) -> str:
    """Data text made safe for reportlab's paragraph markup."""
    return escape(value)


def para(value: str, style) -> Paragraph:
    return Paragraph(text(value), style)


def heading(ctx: Context, value: str) -> Paragraph:
    return para(value, ctx.st.heading)


def key_values(ctx: Context, rows: Sequence[tuple[str, str]], label_share: float = 0.35) -> Table:
    """A label/value list such as loan terms; values wrap rather than overflow."""
    cells = [[para(k, ctx.st.body), para(v, ctx.st.body)] for k, v in rows]
    widths = [ctx.width * label_share, ctx.width * (1 - label_share)]
    table = Table(cells, colWidths=widths, hAlign="LEFT")
    table.setStyle(key_value_style())
    return table


def grid(
    ctx: Context,
    header: Sequence[str],
    rows: Sequence[Sequence[object]],
    shares: Sequence[float],
    *,
    numeric_from: int | None = None,
    total_row: bool = False,
    extra: Sequence[tuple] = (),
    row_heights: Sequence[float | None] | None = None,
) -> Table:
    """A table with a header repeated on every page; column widths are shares of the frame."""
    widths = [ctx.width * share for share in shares]
    table = Table(
        [list(header), *map(list, rows)],
        colWidths=widths,
        rowHeights=row_heights,
        repeatRows=1,
        hAlign="LEFT",
    )
    style = grid_style(numeric_from=numeric_from, total_row=total_row)
    table.setStyle(TableStyle(list(style.getCommands()) + list(extra)))
    return table


def gap(height_mm: float = 3) -> Spacer:
    return Spacer(1, height_mm * mm)


def page_label(ctx: Context):
    return lambda page, pages: ctx._("Page %(page)d of %(pages)d") % {"page": page, "pages": pages}


def render(
    data: object, ctx: Context, title: str, program_name: str, story: list[Flowable]
) -> bytes:
    """Check the wording of the data, then lay the story out; every document ends here."""
    ensure_neutral_wording(text_fields(data))
    return build_pdf(
        story,
        title=title,
        program_name=program_name,
        language=ctx.language,
        page_label=page_label(ctx),
        size=ctx.page_size,
    )
