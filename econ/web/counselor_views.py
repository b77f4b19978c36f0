"""What the counselor's pages compute from their documents' data: the words and the link of
each kind of "today" item, the caseload's choices read from the address, the record's tabs.

Everything a visitor can put into the address is checked against a fixed list here, so a
page never passes a made-up value on to the API.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlencode

from econ.participants.services import TRANSITIONS
from econ.statements.i18n import N_
from econ.training.validation import is_session_day
from econ.web.environment import nodes

# kind -> (what to do, in her words; the tab of the record where she does it; icon)
TODAY_KINDS: dict[str, tuple[str, str, str]] = {
    "ENROLMENT_REQUEST": (
        N_("Asked for a training seat: enrol her or answer"),
        "training",
        "learn",
    ),
    "CONSENT_NEEDED": (
        N_("Ask her for consent before the referral to %(detail)s"),
        "work",
        "check",
    ),
    "REFERRAL_TO_SHARE": (N_("Share the referral with %(detail)s (she consented)"), "work", "work"),
    "REFERRAL_NO_REPLY": (
        N_("No reply from %(detail)s to the referral: follow up"),
        "work",
        "work",
    ),
    "CHECKPOINT_DUE": (N_("Retention check at %(detail)s days is due"), "work", "work"),
    "PAYMENT_HELD": (N_("Stipend held (%(detail)s)"), "money", "money"),
    "PAYMENT_FAILED": (N_("Stipend payment failed: %(detail)s"), "money", "money"),
    "LOAN_IN_ARREARS": (N_("Loan instalment late by %(days)s days"), "money", "group"),
    "MILESTONE_OVERDUE": (N_("Plan step overdue: %(detail)s"), "plan", "plan"),
    "PLAN_NOT_AGREED": (N_("Plan revision %(detail)s waits for her agreement"), "plan", "plan"),
}

TODAY_KIND_TITLES: dict[str, str] = {
    "ENROLMENT_REQUEST": N_("Training requests"),
    "CONSENT_NEEDED": N_("Consents to ask for"),
    "REFERRAL_TO_SHARE": N_("Referrals to share"),
    "REFERRAL_NO_REPLY": N_("Referrals without a reply"),
    "CHECKPOINT_DUE": N_("Retention checks due"),
    "PAYMENT_HELD": N_("Stipends held"),
    "PAYMENT_FAILED": N_("Stipend payments failed"),
    "LOAN_IN_ARREARS": N_("Loans in arrears"),
    "MILESTONE_OVERDUE": N_("Plan steps overdue"),
    "PLAN_NOT_AGREED": N_("Plans waiting for her agreement"),
}

TABS: tuple[tuple[str, str], ...] = (
    ("overview", N_("Overview")),
    ("plan", N_("Plan")),
    ("training", N_("Training")),
    ("work", N_("Work")),
    ("money", N_("Money")),
    ("consents", N_("Consents")),
    ("documents", N_("Documents")),
    ("history", N_("History")),
    ("access", N_("Access log")),
)
TAB_OPERATIONS = {name: name.capitalize() for name, _ in TABS}
TAB_TITLES = {**dict(TABS), "code": N_("Enrolment code"), "details": N_("Her details")}
RESTRICTED = (
    ("legalName", N_("Legal name")),
    ("dateOfBirth", N_("Date of birth")),
    ("phone", N_("Phone")),
    ("email", N_("E-mail")),
    ("address", N_("Postal address")),
    ("bankAccount", N_("Bank account")),
    ("bankBic", N_("Bank's BIC (needed outside the euro area)")),
    ("safetyNotes", N_("Safety notes")),
)
ENROLMENT_LABELS = {
    "WAITLISTED": N_("On the waiting list"),
    "ENROLLED": N_("Enrolled"),
    "ACTIVE": N_("Attending"),
    "PAUSED": N_("Paused"),
    "COMPLETED": N_("Completed"),
    "WITHDRAWN": N_("Withdrawn"),
}

STATUSES = (
    ("ACTIVE", N_("Active")),
    ("PAUSED", N_("Paused")),
    ("EXITED", N_("Left the program")),
    ("GRADUATED", N_("Graduated")),
)
STATUS_LABELS = dict(STATUSES)
STATUS_MOVES = TRANSITIONS  # where each status may go (the service's own table)
PATHWAYS = (
    ("EMPLOYMENT", N_("Employment")),
    ("ENTREPRENEURSHIP", N_("Own business")),
    ("EDUCATION", N_("Education")),
)
# signal -> the caseload filter it sets
PATHWAY_LABELS = dict(PATHWAYS)
SIGNALS: dict[str, tuple[str, dict]] = {
    "overdue": (N_("Plan steps overdue"), {"hasOverdueMilestones": True}),
    "arrears": (N_("Loan in arrears"), {"inArrears": True}),
    "stipend-ending": (N_("Stipend ends within 2 months"), {"stipendMonthsLeftAtMost": 2}),
}
SORTS = (
    ("NAME", N_("Name")),
    ("STATUS", N_("Status")),
    ("INDEPENDENCE", N_("Progress to independence")),
    ("NEXT_MILESTONE", N_("Next plan step")),
    ("OVERDUE_MILESTONES", N_("Overdue plan steps")),
    ("STIPEND_MONTHS_LEFT", N_("Stipend months left")),
    ("DAYS_PAST_DUE", N_("Days past due")),
)
SEARCH_MAX = 60
CURSOR_MAX = 40


@dataclass(frozen=True)
class CaseloadChoice:
    """The caseload page's choices, each one of the fixed options (or empty)."""

    search: str = ""
    status: str = ""
    pathway: str = ""
    signal: str = ""
    sort: str = "NAME"
    descending: bool = False
    after: str = ""

    @classmethod
    def from_query(cls, params) -> CaseloadChoice:
        def pick(name: str, allowed) -> str:
            value = params.get(name, "")
            return value if value in allowed else ""

        return cls(
            search=" ".join(params.get("q", "").split())[:SEARCH_MAX],
            status=pick("status", {s for s, _ in STATUSES}),
            pathway=pick("pathway", {p for p, _ in PATHWAYS}),
            signal=pick("signal", SIGNALS),
            sort=pick("sort", {s for s, _ in SORTS}) or "NAME",
            descending=params.get("order") == "desc",
            after=cursor(params.get("after")),
        )

    def variables(self) -> dict:
        filters: dict = {}
        if self.search:
            filters["search"] = self.search
        if self.status:
            filters["status"] = self.status
        if self.pathway:
            filters["pathway"] = self.pathway
        if self.signal:
            filters.update(SIGNALS[self.signal][1])
        return {
            "filter": filters or None,
            "sort": {"field": self.sort, "descending": self.descending},
            "after": self.after or None,
        }

    def query(self, **changes) -> str:
        """The address of this choice with some parts changed (links keep the others)."""
        values = {
            "q": self.search,
            "status": self.status,
            "pathway": self.pathway,
            "signal": self.signal,
            "sort": "" if self.sort == "NAME" else self.sort,
            "order": "desc" if self.descending else "",
            "after": "",
        }
        values.update(changes)
        kept = {k: v for k, v in values.items() if v}
        return "/staff/caseload" + ("?" + urlencode(kept) if kept else "")

    @property
    def filtered(self) -> bool:
        return bool(self.search or self.status or self.pathway or self.signal)


def cursor(value: str | None) -> str:
    """A page cursor as the API writes them (base64), else none."""
    value = (value or "")[:CURSOR_MAX]
    return (
        value if value and all(c.isalnum() or c in "+/=" for c in value) and value.isascii() else ""
    )


# Why a stipend line is held (econ/stipends/engine.py), in words; a bank's own reason for a
# failed payment is shown as the bank wrote it.
HOLD_REASONS = {
    "NO_BANK_ACCOUNT": N_("no bank account on file"),
    "INVALID_ACCOUNT": N_("the bank account is not valid"),
    "NO_CARD_REFERENCE": N_("no prepaid card on file"),
    "NEGATIVE_REMAINDER": N_("deductions are larger than the stipend"),
    "ZERO_NET": N_("nothing to pay this month"),
    "PAYEE_UNCONFIRMED": N_("her new bank details wait for a finance colleague to confirm them"),
    "SHARED_ACCOUNT": N_("another participant has the same account: finance records why"),
}
# Held for her bank account, or failed at the bank: she acts on her details' form (the
# account field); the other holds are finance's or the stipend's, shown on the money tab.
ACCOUNT_HOLDS = ("NO_BANK_ACCOUNT", "INVALID_ACCOUNT")


def today_line(item: dict, _) -> str:
    """The item's sentence in her language."""
    detail = item.get("detail") or ""
    if item["kind"] == "PAYMENT_HELD" and detail in HOLD_REASONS:
        detail = _(HOLD_REASONS[detail])
    return _(TODAY_KINDS[item["kind"]][0]) % {"detail": detail, "days": item.get("days") or 0}


# kind -> the element of the tab where she acts on that one item (its form or card)
TODAY_ANCHORS = {
    "ENROLMENT_REQUEST": "request",
    "CONSENT_NEEDED": "referral",
    "REFERRAL_TO_SHARE": "referral",
    "REFERRAL_NO_REPLY": "referral",
    "CHECKPOINT_DUE": "check",
}


# kind -> what its link does, where it leads to a form of its own rather than a tab
TODAY_ACTIONS = {
    "ENROLMENT_REQUEST": N_("Enrol her or decline"),
    "CHECKPOINT_DUE": N_("Record the check"),
}


def today_action(item: dict) -> str:
    """What the item's link does, in words to translate ("" for a link to a tab)."""
    if today_link(item).endswith("/edit#bankAccount"):
        return N_("Her bank account")
    return TODAY_ACTIONS.get(item["kind"], "")


def today_link(item: dict) -> str:
    """Where she acts on the item: its form on her record (an anchor on the tab), her
    details' bank account for a payment her account stops, else the tab that shows it."""
    record = f"/staff/participants/{item['participant']['id']}"
    kind = item["kind"]
    if kind == "PAYMENT_FAILED" or (kind == "PAYMENT_HELD" and item.get("detail") in ACCOUNT_HOLDS):
        return f"{record}/edit#bankAccount"
    link = f"{record}/{TODAY_KINDS[kind][1]}"
    if kind in TODAY_ANCHORS and item.get("recordId"):
        link += f"#{TODAY_ANCHORS[kind]}-{item['recordId']}"
    return link


def today_groups(items: list[dict]) -> list[tuple[str, list[dict]]]:
    """Items by kind in the order of TODAY_KINDS (only kinds that have items)."""
    return [(kind, [i for i in items if i["kind"] == kind]) for kind in TODAY_KINDS
            if any(i["kind"] == kind for i in items)]  # fmt: skip


def percent(share: str | None) -> int | None:
    try:
        return round(float(share) * 100) if share is not None else None
    except ValueError:
        return None


ATTENDANCE = (
    ("PRESENT", N_("Present")),
    ("ABSENT", N_("Absent")),
    ("EXCUSED", N_("Excused")),
)
ATTENDANCE_VALUES = {value for value, _ in ATTENDANCE}
ATTENDING = ("ENROLLED", "ACTIVE")
SHEET_ROWS = 50  # the sheet's document reads 50 enrolments (attendance.graphql)


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


STAFF_MESSAGES = {
    "REQUIRED": N_("Please fill this in."),
    "INVALID_MONTH": N_("Write the month as YYYY-MM."),
    "INVALID_AMOUNT": N_("Write the amount as a number, like 950.00."),
    "ALREADY_VERIFIED": N_("This record is already verified."),
    "INVALID_DATE": N_("Write the date as YYYY-MM-DD."),
    "INVALID_IBAN": N_("This is not a valid IBAN: check the letters and digits."),
    "INVALID_EMAIL": N_("This is not an e-mail address."),
    "INVALID_PHONE": N_("This is not a phone number."),
    "INVALID_BIC": N_("This is not a valid BIC."),
    "TOO_LONG": N_("This is too long."),
    "NOT_FOUND": N_("Not found, or not in your caseload."),
    "NOT_ENROLLED": N_("She is not attending this cohort (waiting list, paused, done or left)."),
    "DATE_OUTSIDE_COHORT": N_("This day is outside the cohort's dates."),
    "FUTURE_DATE": N_("Attendance is taken on the day or after it."),
    "NOT_A_SESSION_DAY": N_("This is not a session day of the cohort."),
    "COHORT_CANCELLED": N_("This cohort was cancelled."),
    "DUPLICATE_ENTRY": N_("She is listed twice."),
    "INVALID_VALUE": N_("Choose one of the options."),
    "RATE_LIMITED": N_("Too many tries. Wait a few minutes, then try again."),
    "NOTHING_CHANGED": N_("You changed nothing yet: edit a step, add one or drop one."),
    "NO_CHANGE": N_("This changes nothing."),
    "REVISION_CHANGED": N_(
        "The plan changed while you were editing it. "
        "This is the current one: make your change again."
    ),
    "INVALID_CHOICE": N_("Choose one of the options."),
    "NOTHING_TO_SAVE": N_("You changed nothing yet."),
    "CONFLICT": N_("It changed meanwhile. Look again, then try again."),
    "INVALID_TRANSITION": N_("This move is not possible from her current status."),
    "INVALID_BIRTH_DATE": N_("Write her date of birth as YYYY-MM-DD, within the last 120 years."),
    "INVALID_LANGUAGE": N_("Write each language as its code, like es or fr."),
}
STAFF_FALLBACK = N_("This did not work. Check the form and try again.")


def staff_messages(codes: dict, _) -> dict:
    return {key: _(STAFF_MESSAGES.get(code, STAFF_FALLBACK)) for key, code in codes.items()}


# The new participant form: (API input name, label, input type, restricted?)
NEW_FIELDS = (
    ("preferredName", N_("Preferred name (what she wants to be called)"), "text", False),
    ("legalName", N_("Legal name"), "text", True),
    ("dateOfBirth", N_("Date of birth"), "date", True),
    ("phone", N_("Phone"), "tel", True),
    ("email", N_("E-mail"), "email", True),
    ("address", N_("Postal address"), "text", True),
    ("bankAccount", N_("Bank account (IBAN)"), "text", True),
    ("safetyNotes", N_("Safety notes"), "textarea", True),
)
NEW_FIELD_MAX = 2000


def new_participant_input(fields: dict[str, str], languages) -> dict:
    """The form's values as the API's input: empty fields left out, lengths bounded."""
    values = {name: fields.get(name, "").strip()[:NEW_FIELD_MAX] for name, *_ in NEW_FIELDS}
    given = {name: value for name, value in values.items() if value}
    language = fields.get("preferredLanguage", "")
    if language in languages:
        given["preferredLanguage"] = language
        given["languages"] = [language]
    return given


INCOME_SOURCES = (
    ("EMPLOYMENT", N_("Employment")),
    ("BUSINESS", N_("Own business")),
    ("OTHER", N_("Other")),
)


def income_input(fields: dict[str, str]) -> dict[str, str]:
    """The income form as the API's input (the API checks the month and the amount)."""
    source = fields.get("source", "")
    return {
        "month": fields.get("month", "").strip()[:7],
        "source": source if source in {s for s, _ in INCOME_SOURCES} else "OTHER",
        "amount": fields.get("amount", "").strip().replace(",", ".")[:20],
    }


INCOME_SOURCE_LABELS = dict(INCOME_SOURCES)


def income_record(her: dict, record_id: int) -> dict | None:
    """One of her income records as the money tab read it (None: not hers, or none)."""
    return next((r for r in nodes(her.get("incomeRecords")) if r["id"] == str(record_id)), None)


def counted_correction(record: dict) -> dict | None:
    """The verified correction that supersedes the record's amount: the latest verified."""
    verified = [c for c in nodes(record.get("corrections")) if c["verified"]]
    return max(verified, key=lambda c: c["verifiedAt"]) if verified else None


def correction_input(fields: dict[str, str]) -> dict[str, str]:
    """The correction form as the API's input (the API checks the amount and the reason)."""
    return {
        "amount": fields.get("amount", "").strip().replace(",", ".")[:20],
        "reason": " ".join(fields.get("reason", "").split())[:500],
    }


def beside_fields(codes: dict[str, str], shown: tuple[str, ...]) -> dict[str, str]:
    """Errors of fields the form shows stay beside them; any other goes on top."""
    kept = {field: code for field, code in codes.items() if field in shown}
    others = [code for field, code in codes.items() if field not in shown]
    return {**kept, "": others[0]} if others else kept
