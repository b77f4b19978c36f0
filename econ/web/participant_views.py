"""What her pages show, worked out from the documents' data (pure functions, no I/O).

The words for states live here as gettext marks, so every page says the same thing for
the same state, in plain words, and only the stages that mean something to her.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from econ.months import add_months
from econ.statements.i18n import N_
from econ.web.environment import nodes

WEEKDAYS = ("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN")
OPEN_ENROLMENT = ("ENROLLED", "ACTIVE")

PAYMENT_STATUS = {
    "PENDING": N_("Being prepared"),
    "HELD": N_("On hold: your counselor will explain"),
    "SENT": N_("Sent to you"),
    "PAID": N_("Paid"),
    "FAILED": N_("Did not arrive: we will send it again"),
}
PAYMENT_METHOD = {
    "BANK_TRANSFER": N_("To your bank account"),
    "PREPAID_CARD": N_("On your card"),
    "CASH": N_("In cash, at the office"),
}
MILESTONE_STATUS = {
    "OPEN": N_("To do"),
    "IN_PROGRESS": N_("Started"),
    "DONE": N_("Done"),
    "DROPPED": N_("Not needed any more"),
}
PATHWAY = {
    "EMPLOYMENT": N_("Finding a job"),
    "ENTREPRENEURSHIP": N_("Starting your own business"),
    "EDUCATION": N_("Studying"),
}
ENROLMENT_STATUS = {
    "WAITLISTED": N_("Waiting for a place"),
    "ENROLLED": N_("You have a place"),
    "ACTIVE": N_("Taking part"),
    "PAUSED": N_("Paused"),
    "COMPLETED": N_("Finished"),
    "WITHDRAWN": N_("Stopped"),
}
# Early stages are one step for her (TC #451: candidates worry over pipeline stages).
REFERRAL_STAGE = {
    "PROPOSED": N_("Your counselor put you forward"),
    "SHARED": N_("Your counselor put you forward"),
    "INTERVIEW": N_("Interview"),
    "OFFERED": N_("Job offer"),
    "HIRED": N_("You got the job"),
    "DECLINED": N_("Closed"),
    "WITHDRAWN": N_("Closed"),
}
PAY_PERIOD = {"HOURLY": N_("%(amount)s an hour"), "MONTHLY": N_("%(amount)s a month")}
LOAN_STATE = {
    "APPLIED": N_("Asked for"),
    "APPROVED": N_("Approved"),
    "REJECTED": N_("Not approved"),
    "DISBURSED": N_("You are paying it back"),
    "REPAID": N_("Paid back"),
    "WRITTEN_OFF": N_("Closed"),
}
CONSENT_SCOPE = {
    "PROFILE": N_("Your skills, training and work wishes, without your name or how to reach you."),
    "IDENTITY": N_("Your first name and the way to contact you that you chose."),
}
# How an employer she allows may contact her (IDENTITY consent always names one).
CHANNELS = (
    ("PHONE", N_("Phone")),
    ("EMAIL", N_("E-mail")),
    ("MESSAGING", N_("Messaging app")),
    ("OTHER", N_("Other")),
)


def channel_choice(value: str | None) -> str | None:
    return value if value in dict(CHANNELS) else None  # the API answers CHANNEL_REQUIRED


READER_ROLE = {
    "COUNSELOR": N_("Your counselor"),
    "FINANCE": N_("The payments team"),
    "ADMIN": N_("The programme office"),
    "EMPLOYER": N_("An employer"),
    "PARTICIPANT": N_("You"),
}
FIELD = {
    "legal_name": N_("your full name"),
    "date_of_birth": N_("your date of birth"),
    "phone": N_("your phone number"),
    "email": N_("your e-mail address"),
    "address": N_("your address"),
    "bank_account": N_("your bank account"),
    "bank_bic": N_("your bank's code"),
    "safety_notes": N_("your safety notes"),
    "preferred_name": N_("your first name"),
    "contact_channel": N_("how to contact you"),
}


def next_milestone(milestones: Iterable[dict]) -> dict | None:
    """The open milestone due first (those without a date last)."""
    open_ = [m for m in milestones if m["status"] in ("OPEN", "IN_PROGRESS")]
    return min(open_, key=lambda m: (m["dueDate"] is None, m["dueDate"] or ""), default=None)


def next_class(enrollments: Iterable[dict], today: dt.date) -> dict | None:
    """The next session day of her open enrolments: {"date", "title", "location"}."""
    best = None
    for enrollment in enrollments:
        if enrollment["status"] not in OPEN_ENROLMENT:
            continue
        cohort = enrollment["cohort"]
        day = next_session(cohort, today)
        if day is not None and (best is None or day < best["date"]):
            best = {
                "date": day,
                "title": cohort["program"]["title"],
                "location": cohort["location"],
            }
    return best


def next_session(cohort: dict, today: dt.date) -> dt.date | None:
    start = max(dt.date.fromisoformat(cohort["startDate"]), today)
    end = dt.date.fromisoformat(cohort["endDate"])
    weekdays = {WEEKDAYS.index(d) for d in cohort["sessionDays"] if d in WEEKDAYS}
    day = start
    while day <= end and weekdays:
        if day.weekday() in weekdays:
            return day
        day += dt.timedelta(days=1)
    return None


def next_payment(participant: dict) -> dict | None:
    """The payment on its way (a line not yet paid), else the next month of her running
    schedule at its monthly amount (the run may still lower it: `estimate`)."""
    lines = nodes(participant.get("payments"))  # newest first
    for line in lines:
        if line["status"] in ("PENDING", "HELD", "SENT"):
            return {"period": line["period"], "amount": line["net"], "method": line["method"]}
    running = [s for s in nodes(participant.get("stipendSchedules")) if s["state"] == "ACTIVE"]
    if not running:
        return None
    schedule = running[-1]
    months = [add_months(schedule["startMonth"], i) for i in range(schedule["durationMonths"])]
    paid = {line["period"] for line in lines}
    upcoming = [m for m in months if m not in paid]
    if not upcoming:
        return None
    return {
        "period": upcoming[0],
        "amount": schedule["monthlyAmount"],
        "method": lines[0]["method"] if lines else None,
        "estimate": True,
    }


def next_installment(loans: Iterable[dict]) -> dict | None:
    due = [
        {**loan["nextInstallment"], "currency": loan["currency"], "loanId": loan["id"]}
        for loan in loans
        if loan.get("nextInstallment")
    ]
    return min(due, key=lambda i: i["dueDate"], default=None)


def next_meeting(loans: Iterable[dict]) -> dict | None:
    meetings = [
        {"date": loan["group"]["nextMeetingDates"][0], **loan["group"]}
        for loan in loans
        if loan.get("group") and loan["group"].get("nextMeetingDates")
    ]
    return min(meetings, key=lambda m: m["date"], default=None)


def current_consents(consents: Iterable[dict]) -> list[dict]:
    """Per employer, her consents now in force (revoked ones are listed apart)."""
    return [c for c in consents if c["current"]]


def reader(entry: dict) -> dict:
    """An access-log entry in her words: who (an employer by name, staff by role)."""
    role = entry["actorRole"]
    return {
        "at": entry["at"],
        "role": READER_ROLE.get(role, READER_ROLE["ADMIN"]),
        "name": entry["actorName"] if role == "EMPLOYER" else "",
        "fields": [FIELD.get(f, f.replace("_", " ")) for f in entry["fields"]],
    }
