"""The indicator report PDF (ADMIN): tables of every indicator and three charts.

Built with reportlab directly (Platypus + reportlab.graphics), deterministic (`invariant`),
headed with the program's neutral display name. It shows aggregates only, as ADMIN's
unsuppressed aggregate view; no participant is named.
"""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from urllib.parse import urlencode

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from econ.errors import DomainError
from econ.money import from_cents
from econ.outcomes import definitions as d
from econ.outcomes import indicators, sources
from econ.outcomes.calendar import month_of
from econ.outcomes.errors import OutcomeCode
from econ.participants import services as participants
from econ.security import audit
from econ.security.permissions import require_role
from econ.security.roles import Actor, Role
from econ.settings.services import setting

LABELS = {
    "placement_rate": "Placement rate",
    "retention30": "Retention at 30 days",
    "retention90": "Retention at 90 days",
    "retention180": "Retention at 180 days",
    "median_earnings_q2": "Median monthly earnings, Q2 after placement",
    "credential_rate": "Credential attainment rate",
    "completion_rate": "Training completion rate",
    "skill_gain_rate": "Measurable skill gains rate",
    "repayment_rate": "Loan repayment rate",
    "par30": "PAR30",
    "median_stipend_months_to_independence": "Median stipend months to independence",
    "independent_count": "Number independent",
    "reentries": "Re-entries (a normal path)",
    "employment_rate_q2": "Employment rate, Q2 after exit",
    "employment_rate_q4": "Employment rate, Q4 after exit",
    "wioa_median_earnings_q2": "Median earnings, Q2 after exit",
}
ACCENT = colors.HexColor("#1f5f6b")
SOFT = colors.HexColor("#c96f3b")


def report_link(actor: Actor | None, start: date, end: date) -> str:
    """Where ADMIN downloads the outcomes report of a period (the PDF is hers alone)."""
    require_role(actor, Role.ADMIN)
    return "/outcomes/report.pdf?" + urlencode({"from": start.isoformat(), "to": end.isoformat()})


def outcomes_report_pdf(
    actor: Actor | None, start: date, end: date, as_of: date | None = None
) -> bytes:
    """ADMIN downloads the report; the download is audited."""
    actor = require_role(actor, Role.ADMIN)
    if end < start:
        raise DomainError(OutcomeCode.INVALID_RANGE, "the period ends before it starts", "to")
    overall = indicators.outcomes(actor, start, end, "OVERALL", as_of)[0]
    programs = indicators.outcomes(actor, start, end, "PROGRAM", as_of)
    period = d.Period(start, end, as_of or end)
    facts = sources.load_facts(
        participants.all_participant_ids(), period.end, parts={"employment", "income", "targets"}
    )
    pdf = _render(period, overall, programs, facts)
    audit.record(actor, "download_outcomes_report", "OutcomesReport", 0)
    return pdf


def _value(cell: indicators.Cell, kind: str) -> str:
    if cell.value is None:
        return "suppressed" if cell.suppressed else "-"
    if kind == "rate":
        return f"{(Decimal(cell.value) * 100).quantize(Decimal('0.1'))} %"
    return str(cell.value)


def _counts(name: str, cell: indicators.Cell, kind: str) -> tuple[str, str]:
    """Numerator and denominator as printed (PAR30's are amounts; medians and counts show
    how many they count)."""
    if cell.suppressed:
        return "", ""
    if kind != "rate":
        return "", str(cell.size)
    if name == "par30":
        return str(from_cents(cell.numerator)), str(from_cents(cell.denominator))
    return str(cell.numerator), str(cell.denominator)


def _indicator_table(row: indicators.IndicatorRow) -> Table:
    data = [["Indicator", "Numerator", "Denominator", "Value"]]
    for name, cell in row.cells.items():
        kind = indicators.INDICATORS[name][1]
        data.append([LABELS[name], *_counts(name, cell, kind), _value(cell, kind)])
    return _table(data, [85 * mm, 25 * mm, 28 * mm, 30 * mm])


def _program_table(rows: list[indicators.IndicatorRow]) -> Table:
    names = ("placement_rate", "retention90", "completion_rate", "credential_rate")
    data = [["Program", "Placement", "Retention 90", "Completion", "Credential"]]
    for row in rows:
        data.append([row.key] + [_value(row.cells[n], "rate") for n in names])
    return _table(data, [60 * mm, 27 * mm, 27 * mm, 27 * mm, 27 * mm])


def _table(data: list[list[str]], widths: list[float]) -> Table:
    table = Table(data, colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, 0), "Helvetica-Bold", 8.5),
                ("FONT", (0, 1), (-1, -1), "Helvetica", 8.5),
                ("LINEBELOW", (0, 0), (-1, 0), 0.6, ACCENT),
                ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
                ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#f6f8f8")]),
            ]
        )
    )
    return table


def placements_per_month(facts: sources.Facts, period: d.Period) -> list[tuple[str, int]]:
    counts = dict.fromkeys(period.months, 0)
    for rows in facts.placements.values():
        for p in rows:
            if p.start_date in period:
                counts[month_of(p.start_date)] += 1
    return list(counts.items())


def income_against_target(facts: sources.Facts, period: d.Period):
    """Per month: median verified income of those with any, and the median target."""
    series = []
    for month in period.months:
        amounts = [m[month] for m in facts.income.values() if month in m]
        targets = [facts.targets[pid] for pid, m in facts.income.items() if month in m]
        series.append((month, d.median(amounts).value, d.median(targets).value))
    return series


def _title(drawing: Drawing, text: str) -> None:
    drawing.add(String(0, drawing.height - 10, text, fontName="Helvetica-Bold", fontSize=10))


def _bar_chart(data: list[tuple[str, int]]) -> Drawing:
    drawing = Drawing(170 * mm, 62 * mm)
    _title(drawing, "Placements per month")
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 30, 20, 160 * mm - 30, 45 * mm
    chart.data = [[n for _, n in data] or [0]]
    chart.categoryAxis.categoryNames = [m for m, _ in data] or ["-"]
    chart.categoryAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueStep = max(1, max((n for _, n in data), default=1) // 5 or 1)
    chart.bars[0].fillColor = ACCENT
    drawing.add(chart)
    return drawing


def _line_chart(title: str, categories: list[str], series: list[list], names: list[str]) -> Drawing:
    drawing = Drawing(170 * mm, 62 * mm)
    _title(drawing, title)
    chart = HorizontalLineChart()
    chart.x, chart.y, chart.width, chart.height = 40, 20, 120 * mm, 45 * mm
    chart.data = [[float(v) if v is not None else None for v in s] for s in series]
    chart.categoryAxis.categoryNames = categories
    chart.categoryAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    for index, color in enumerate((ACCENT, SOFT)[: len(series)]):
        chart.lines[index].strokeColor = color
        chart.lines[index].strokeWidth = 1.5
    drawing.add(chart)
    legend = Legend()
    legend.x, legend.y = 130 * mm, 50 * mm
    legend.fontSize = 7
    legend.colorNamePairs = list(zip((ACCENT, SOFT), names, strict=False))
    drawing.add(legend)
    return drawing


def _retention_curve(overall: indicators.IndicatorRow) -> Drawing:
    points = [Decimal(1)] + [
        overall.cells[n].value for n in ("retention30", "retention90", "retention180")
    ]
    percent = [None if p is None else Decimal(p) * 100 for p in points]
    return _line_chart(
        "Retention curve (% still employed, same employer)",
        ["start", "30 days", "90 days", "180 days"],
        [percent],
        ["retained"],
    )


def _render(period, overall, programs, facts) -> bytes:
    sheet = getSampleStyleSheet()
    name = setting("program_display_name")
    story = [
        Paragraph(f"{name}: programme indicators", sheet["Title"]),
        Paragraph(
            f"Period {period.start.isoformat()} to {period.end.isoformat()}, "
            f"data as of {period.as_of.isoformat()}. Definitions: docs/indicators.md.",
            sheet["Normal"],
        ),
        Spacer(1, 4 * mm),
        _indicator_table(overall),
        Spacer(1, 5 * mm),
        Paragraph("By training program", sheet["Heading3"]),
        _program_table(programs),
        Spacer(1, 5 * mm),
        _bar_chart(placements_per_month(facts, period)),
        _retention_curve(overall),
    ]
    income = income_against_target(facts, period)
    story.append(
        _line_chart(
            "Verified monthly income against target (medians)",
            [m for m, _, _ in income],
            [[i for _, i, _ in income], [t for _, _, t in income]],
            ["income", "target"],
        )
    )
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title="Programme indicators",
        author=name,
        invariant=1,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
    )
    doc.build(story)
    return buffer.getvalue()
