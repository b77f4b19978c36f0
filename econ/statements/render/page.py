"""Page template: program name in the header, "Page 2 of 3" in the footer, fixed metadata.

Page totals need the page count before the first page is final, so the canvas keeps every
page's state and draws the footers when it is saved (the NumberedCanvas recipe).
Every PDF is built with reportlab's invariant mode, so the same data gives the same bytes
(fixed creation date and document id derived from the content).
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence

from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate

from econ.errors import DomainError
from econ.statements.errors import StatementCode
from econ.statements.render.fonts import BOLD, REGULAR, register_fonts
from econ.statements.render.styles import ACCENT, MUTED, RULE

PageLabel = Callable[[int, int], str]

_SIZES = {"A4": A4, "LETTER": LETTER}
MARGIN = 18 * mm
HEADER_GAP = 14 * mm  # space above the frame for the header band
PRODUCER = "econ statements"


def page_size(name: str) -> tuple[float, float]:
    try:
        return _SIZES[name.upper()]
    except (KeyError, AttributeError):
        raise DomainError(
            StatementCode.INVALID_PAGE_SIZE, "page size must be A4 or LETTER", "pageSize"
        ) from None


def _numbered_canvas(label: PageLabel) -> type[Canvas]:
    class NumberedCanvas(Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for number, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                self._draw_page_label(label(number, total))
                super().showPage()
            super().save()

        def _draw_page_label(self, text: str) -> None:
            width, _ = self._pagesize
            self.setFont(REGULAR, 8)
            self.setFillColor(MUTED)
            self.drawRightString(width - MARGIN, MARGIN / 2, text)

    return NumberedCanvas


def _header(program_name: str, title: str) -> Callable[[Canvas, BaseDocTemplate], None]:
    def draw(canvas: Canvas, doc: BaseDocTemplate) -> None:
        width, height = doc.pagesize
        top = height - MARGIN / 2 - 4 * mm
        canvas.saveState()
        canvas.setFont(BOLD, 10)
        canvas.setFillColor(ACCENT)
        canvas.drawString(MARGIN, top, program_name)
        canvas.setFont(REGULAR, 9)
        canvas.setFillColor(MUTED)
        canvas.drawRightString(width - MARGIN, top, title)
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.6)
        canvas.line(MARGIN, top - 2.5 * mm, width - MARGIN, top - 2.5 * mm)
        canvas.restoreState()

    return draw


def build_pdf(
    story: Sequence[Flowable],
    *,
    title: str,
    program_name: str,
    language: str,
    page_label: PageLabel,
    size: str = "A4",
) -> bytes:
    """Lay the story out on numbered pages and return the PDF bytes."""
    register_fonts()
    pagesize = page_size(size)
    buffer = io.BytesIO()
    doc = BaseDocTemplate(
        buffer,
        pagesize=pagesize,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN + HEADER_GAP / 2,
        bottomMargin=MARGIN,
        # Metadata never names her: only the document kind and the program's display name.
        title=title,
        author=program_name,
        subject="",
        creator=PRODUCER,
        producer=PRODUCER,
        lang=language,
        invariant=1,
        initialFontName=REGULAR,
    )
    frame = Frame(
        doc.leftMargin,
        doc.bottomMargin,
        doc.width,
        doc.height,
        id="body",
        showBoundary=0,
    )
    doc.addPageTemplates(
        [PageTemplate(id="page", frames=[frame], onPage=_header(program_name, title))]
    )
    doc.build(list(story), canvasmaker=_numbered_canvas(page_label))
    return buffer.getvalue()


def content_width(size: str) -> float:
    """Width of the text frame, for tables whose columns are fractions of it."""
    return page_size(size)[0] - 2 * MARGIN
