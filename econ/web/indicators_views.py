"""What the indicators page shows of each figure: its name, its definition in plain words,
how its number is written, and the bars of its chart. The figures themselves come from the
API (`outcomes`), suppression included; nothing is computed here but their layout."""

# ruff: noqa: E501  (each definition is one translatable sentence, on one line)
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from babel.numbers import format_decimal

from econ.statements.i18n import N_
from econ.web.charts import Bar

GROUPS = (("OVERALL", N_("Overall")), ("PROGRAM", N_("By training program")),
          ("COHORT", N_("By cohort")))  # fmt: skip
# name -> (label, what it counts: numerator of denominator, kind)
INDICATORS: dict[str, tuple[str, str, str]] = {
    "placement_rate": (
        N_("Placement rate"),
        N_(
            "Of the participants referred to an employer by the period's end (or hired in it), those whose placement started in the period."
        ),
        "rate",
    ),
    "retention30": (
        N_("Retention at 30 days"),
        N_(
            "Of the placements whose 30-day mark fell in the period, those confirmed still employed then."
        ),
        "rate",
    ),
    "retention90": (
        N_("Retention at 90 days"),
        N_(
            "Of the placements whose 90-day mark fell in the period, those confirmed still employed then."
        ),
        "rate",
    ),
    "retention180": (
        N_("Retention at 180 days"),
        N_(
            "Of the placements whose 180-day mark fell in the period, those confirmed still employed then."
        ),
        "rate",
    ),
    "median_earnings_q2": (
        N_("Median monthly earnings, Q2 after placement"),
        N_(
            "Median of verified monthly income in the second quarter after a placement started; the number counted is how many placements."
        ),
        "money",
    ),
    "credential_rate": (
        N_("Credential attainment rate"),
        N_(
            "Of the enrolments with a seat that ended in the period, those that earned a credential."
        ),
        "rate",
    ),
    "completion_rate": (
        N_("Training completion rate"),
        N_("Of the enrolments with a seat that ended in the period, those completed."),
        "rate",
    ),
    "skill_gain_rate": (
        N_("Measurable skill gains rate"),
        N_(
            "Of the participants in training during the period, those with a measurable skill gain dated in it."
        ),
        "rate",
    ),
    "repayment_rate": (
        N_("Loan repayment rate"),
        N_("Of the loans repaid, written off or fully due in the period, those repaid."),
        "rate",
    ),
    "par30": (
        N_("PAR30"),
        N_("Outstanding principal more than 30 days past due, of all outstanding principal."),
        "rate",
    ),
    "median_stipend_months_to_independence": (
        N_("Median stipend months to independence"),
        N_("Median of the stipend months used by those who became independent in the period."),
        "months",
    ),
    "independent_count": (
        N_("Number independent"),
        N_(
            "Participants whose third month in a row at or above their income target fell in the period."
        ),
        "count",
    ),
    "reentries": (
        N_("Re-entries (a normal path)"),
        N_(
            "Returns to the program after leaving or graduating, in the period: a count, never a failure rate."
        ),
        "count",
    ),
    "employment_rate_q2": (
        N_("Employment rate, Q2 after leaving"),
        N_(
            "Of those who left in the period and whose second quarter after leaving has ended, those employed in it."
        ),
        "rate",
    ),
    "employment_rate_q4": (
        N_("Employment rate, Q4 after leaving"),
        N_(
            "Of those who left in the period and whose fourth quarter after leaving has ended, those employed in it."
        ),
        "rate",
    ),
    "wioa_median_earnings_q2": (
        N_("Median earnings, Q2 after leaving"),
        N_("Median verified income, in the second quarter after leaving, of those employed then."),
        "money",
    ),
}
DEFAULT_MONTHS = 12


def default_range(today: dt.date) -> tuple[dt.date, dt.date]:
    """The twelve months up to today: from the first day of the month eleven months ago."""
    month = today.month - (DEFAULT_MONTHS - 1)
    year = today.year + (month - 1) // 12
    return dt.date(year, (month - 1) % 12 + 1, 1), today


def percent(value: str | None) -> str:
    """A rate string as the page writes it: "0.7500" -> "75.0 %"."""
    if value is None:
        return ""
    return f"{(Decimal(value) * 100).quantize(Decimal('0.1'))} %"


# Indicators whose numerator and denominator are amounts of money (the API gives cents).
MONEY_COUNTS = frozenset({"par30"})


def count_text(cell: dict, which: str, locale: str) -> str:
    """A cell's numerator or denominator as the page writes it: amounts as money."""
    value = cell.get(which)
    if value is None:
        return ""
    if cell["name"] in MONEY_COUNTS:
        return format_decimal(Decimal(value) / 100, "#,##0.00", locale=locale)
    return str(value)


def cell_text(cell: dict, _, hidden: str) -> str:
    """What is written for a figure: nothing of a suppressed one but `hidden`."""
    if cell.get("suppressed"):
        return hidden
    if cell.get("value") is None:
        return "—"
    kind = INDICATORS.get(cell["name"], ("", "", "count"))[2]
    if kind == "rate":
        counted = ""
        if cell.get("numerator") is not None and cell["name"] != "par30":
            counted = f" ({cell['numerator']}/{cell['denominator']})"
        return percent(cell["value"]) + counted
    return str(cell["value"])


def bars(row: dict, _, hidden: str) -> list[Bar]:
    """The chart of a row: a bar for each of its rates, labelled in the page's language."""
    drawn = []
    for cell in row.get("cells") or []:
        label, _definition, kind = INDICATORS.get(cell["name"], (cell["name"], "", "count"))
        if kind != "rate":
            continue
        value = None if cell.get("suppressed") or cell.get("value") is None else cell["value"]
        drawn.append(Bar(_(label), Decimal(value) if value else None, cell_text(cell, _, hidden)))
    return drawn
