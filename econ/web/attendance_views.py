"""The attendance sheet's rows and days: a cohort's session days so far, the day asked for,
her caseload's attending enrolments, and the batch's errors put back beside their rows."""

from __future__ import annotations

import datetime as dt

from econ.statements.i18n import N_
from econ.training.validation import is_session_day

ATTENDANCE = (
    ("PRESENT", N_("Present")),
    ("ABSENT", N_("Absent")),
    ("EXCUSED", N_("Excused")),
)
ATTENDANCE_VALUES = {value for value, _ in ATTENDANCE}
ATTENDING = ("ENROLLED", "ACTIVE")
# The most rows one sheet holds: recordAttendance takes at most 500 entries in one batch
# (econ/training/attendance.py), and a cohort's capacity may be up to 1,000.
SHEET_ROWS = 500


def session_days(cohort: dict, today: dt.date) -> list[dt.date]:
    """The cohort's session days from its start up to today (or its end), latest first."""
    start = dt.date.fromisoformat(cohort["startDate"])
    end = min(dt.date.fromisoformat(cohort["endDate"]), today)
    days = []
    day = end
    while day >= start and len(days) < 400:
        if is_session_day(day, cohort["sessionDays"]):
            days.append(day)
        day -= dt.timedelta(days=1)
    return days


def iso_day(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value and len(value) == 10 else None
    except ValueError:
        return None


def chosen_day(value: str | None, days: list[dt.date]) -> dt.date | None:
    """The day asked for when it is one of the session days, else the latest one."""
    for day in days:
        if day.isoformat() == (value or ""):
            return day
    return days[0] if days else None


def sheet_rows(cohort: dict) -> list[dict]:
    """Her caseload's attending enrolments, by name, with what was recorded for the day."""
    rows = [
        {**e, "recorded": e.get("attendanceOn")}
        for e in (edge["node"] for edge in cohort["enrollments"]["edges"])
        if e["status"] in ATTENDING
    ]
    return sorted(rows, key=lambda r: (r["participant"]["preferredName"].casefold(), r["id"]))


def entry_errors(codes: dict[str, str], rows: list[dict]) -> dict[str, str]:
    """{"entries.3.enrollmentId": code} -> {enrolment id: code}; other fields unchanged."""
    sent = [r["id"] for r in rows]
    mapped = {}
    for field, code in codes.items():
        parts = field.split(".")
        index = int(parts[1]) if parts[0] == "entries" and parts[1:2] and parts[1].isdigit() else -1
        if 0 <= index < len(sent):
            mapped[sent[index]] = code
        else:
            mapped[field] = code
    return mapped
