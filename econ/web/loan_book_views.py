"""What the loan book's pages compute from their documents: the words of attendance and
states, each portfolio figure's definition, a collection sheet's rows read from its form.

A sheet's form is read against the rows the API gave for that group and day: a row the
form names that is not on the sheet is ignored, an amount is passed on as typed (the
service parses it and says which row is wrong), and nothing is saved unless every row is
right (the service saves all rows in one transaction or none).
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from babel.numbers import format_percent

from econ.statements.i18n import N_
from econ.web.environment import nodes
from econ.web.finance_views import EXCEPTION_LABELS, LINE_STATUS_LABELS

ATTENDANCE = (
    ("PRESENT", N_("Present")),
    ("LATE", N_("Late")),
    ("EXCUSED", N_("Excused")),
    ("ABSENT", N_("Absent")),
)
ATTENDANCE_LABELS = dict(ATTENDANCE)
LOAN_STATES = {
    "APPLIED": N_("Applied"),
    "APPROVED": N_("Approved"),
    "REJECTED": N_("Rejected"),
    "DISBURSED": N_("Being repaid"),
    "REPAID": N_("Repaid"),
    "WRITTEN_OFF": N_("Written off"),
}
# A loan's payment line, worded as the run page words it.
LINE_STATUSES, EXCEPTIONS = LINE_STATUS_LABELS, EXCEPTION_LABELS
GROUP_STATUSES = {
    "FORMING": N_("Forming"),
    "ACTIVE": N_("Active"),
    "CLOSED": N_("Closed"),
}
WEEKDAYS = {
    "MONDAY": N_("Mondays"),
    "TUESDAY": N_("Tuesdays"),
    "WEDNESDAY": N_("Wednesdays"),
    "THURSDAY": N_("Thursdays"),
    "FRIDAY": N_("Fridays"),
    "SATURDAY": N_("Saturdays"),
    "SUNDAY": N_("Sundays"),
}
# figure -> (its name, how it is computed), shown one click away beside the figure
DEFINITIONS = {
    "par30": (
        N_("Portfolio at risk (PAR30)"),
        N_(
            "The principal still owed on every loan with an instalment more than 30 days "
            "late, divided by all principal still owed (CGAP). The whole loan counts, not "
            "only the late instalment."
        ),
    ),
    "arrears": (
        N_("Arrears rate"),
        N_(
            "The principal of the instalments that are due and not paid, divided by all "
            "principal still owed. Lower than PAR30: only the late part counts."
        ),
    ),
    "buckets": (
        N_("Days late"),
        N_(
            "Loans by how many days their oldest unpaid instalment is late, with the "
            "principal they still owe."
        ),
    ),
}
ACCOUNT = re.compile(r"^[a-z0-9_]{1,60}$")  # a ledger account code (econ/ledger CHART)
AMOUNT_MAX = 20  # characters of an amount field (the service parses and bounds it)


GROUP_LOANS_MAX = 2000  # a group of 30 over many years of loan cycles stays well under


def loans_of(group: dict) -> dict[str, list[dict]]:
    """{participant id: her loans in the group}, to show each member with hers."""
    found: dict[str, list[dict]] = {}
    for loan in nodes(group.get("loans")):
        found.setdefault((loan.get("borrower") or {}).get("id"), []).append(loan)
    return found


def sheet_day(value: str | None, today: dt.date | None = None) -> dt.date:
    """The meeting day the address asks for (never a future one), else today."""
    today = today or dt.date.today()
    try:
        day = dt.date.fromisoformat((value or "")[:10])
    except ValueError:
        return today
    return min(day, today)


def sheet_input(rows: list[dict], fields: dict[str, str]) -> list[dict]:
    """The saveCollectionSheet rows of the sheet's form, in the sheet's order."""
    entries = []
    for row in rows:
        pid = row["participantId"]
        entries.append(
            {
                "participantId": pid,
                "attendance": fields.get(f"attendance-{pid}", ""),
                "amount": fields.get(f"amount-{pid}", "").strip()[:AMOUNT_MAX] or "0",
                "savings": fields.get(f"savings-{pid}", "").strip()[:AMOUNT_MAX] or "0",
            }
        )
    return entries


def missing_attendance(entries: list[dict]) -> dict[str, str]:
    """{participant id: REQUIRED} for each row without one of the attendance choices."""
    return {
        e["participantId"]: "REQUIRED" for e in entries if e["attendance"] not in ATTENDANCE_LABELS
    }


def row_errors(codes: dict[str, str], entries: list[dict]) -> dict[str, str]:
    """{"rows.3.amount": code} -> {participant id: code}; anything else on top ("")."""
    mapped: dict[str, str] = {}
    for field, code in codes.items():
        parts = field.split(".")
        if parts[0] == "rows" and len(parts) > 1 and parts[1].isdigit():
            index = int(parts[1])
            if index < len(entries):
                mapped[entries[index]["participantId"]] = code
                continue
        mapped[""] = code
    return mapped


def percent(ratio: str | None, language: str) -> str:
    """ "0.1234" -> "12.3 %" in the page's language (the API's ratios are decimal strings)."""
    try:
        value = Decimal(ratio or "0")
    except InvalidOperation:
        return "—"
    return format_percent(value, "#,##0.0 %", locale=language)
