"""Paragraph and table styles shared by every document, all in the embedded fonts."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import TableStyle

from econ.statements.render.fonts import BOLD, REGULAR, register_fonts

INK = colors.HexColor("#222222")
MUTED = colors.HexColor("#666666")
ACCENT = colors.HexColor("#2f5d62")
RULE = colors.HexColor("#c8d3d5")
HEADER_FILL = colors.HexColor("#e6eeef")
ZEBRA = colors.HexColor("#f6f8f8")


@dataclass(frozen=True)
class Styles:
    title: ParagraphStyle
    subtitle: ParagraphStyle
    heading: ParagraphStyle
    body: ParagraphStyle
    small: ParagraphStyle
    note: ParagraphStyle
    cell: ParagraphStyle
    cell_right: ParagraphStyle
    cell_bold: ParagraphStyle
    cell_head_right: ParagraphStyle


@functools.cache
def styles() -> Styles:
    register_fonts()
    body = ParagraphStyle("body", fontName=REGULAR, fontSize=9.5, leading=13, textColor=INK)
    return Styles(
        title=ParagraphStyle("title", body, fontName=BOLD, fontSize=16, leading=20, spaceAfter=2),
        subtitle=ParagraphStyle("subtitle", body, fontSize=10.5, leading=14, textColor=MUTED),
        heading=ParagraphStyle(
            "heading",
            body,
            fontName=BOLD,
            fontSize=11.5,
            leading=15,
            textColor=ACCENT,
            spaceBefore=8,
            spaceAfter=4,
        ),
        body=body,
        small=ParagraphStyle("small", body, fontSize=8, leading=10, textColor=MUTED),
        note=ParagraphStyle("note", body, spaceBefore=4, spaceAfter=2),
        cell=ParagraphStyle("cell", body, fontSize=8.5, leading=10.5),
        cell_right=ParagraphStyle(
            "cell_right", body, fontSize=8.5, leading=10.5, alignment=TA_RIGHT
        ),
        cell_bold=ParagraphStyle("cell_bold", body, fontName=BOLD, fontSize=8.5, leading=10.5),
        cell_head_right=ParagraphStyle(
            "cell_head_right",
            body,
            fontName=BOLD,
            fontSize=8.5,
            leading=10.5,
            alignment=TA_RIGHT,
        ),
    )


def grid_style(*, numeric_from: int | None = None, total_row: bool = False) -> TableStyle:
    """A header row, light zebra stripes, numbers right-aligned from column `numeric_from`."""
    commands: list[tuple] = [
        ("FONT", (0, 0), (-1, -1), REGULAR, 8.5),
        ("FONT", (0, 0), (-1, 0), BOLD, 8.5),
        ("TEXTCOLOR", (0, 0), (-1, -1), INK),
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, ACCENT),
        ("LINEBELOW", (0, 1), (-1, -1), 0.25, RULE),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, ZEBRA]),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    if numeric_from is not None:
        commands.append(("ALIGN", (numeric_from, 0), (-1, -1), "RIGHT"))
    if total_row:
        commands += [
            ("FONT", (0, -1), (-1, -1), BOLD, 8.5),
            ("LINEABOVE", (0, -1), (-1, -1), 0.8, ACCENT),
            ("BACKGROUND", (0, -1), (-1, -1), colors.white),
        ]
    return TableStyle(commands)


def key_value_style() -> TableStyle:
    """Two columns, label and value, no grid: for summaries such as the loan terms."""
    return TableStyle(
        [
            ("FONT", (0, 0), (-1, -1), REGULAR, 9.5),
            ("TEXTCOLOR", (0, 0), (0, -1), MUTED),
            ("TEXTCOLOR", (1, 0), (1, -1), INK),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 1.5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
        ]
    )
