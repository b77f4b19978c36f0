"""What the counselor's pages compute from their documents' data: the record's tabs and
restricted fields, messages for the API's error codes, the new participant form.

The page modules' own views live beside this one (today_views, caseload_views,
attendance_views, money_views); their names are also read here, so that templates and
page modules reach every view as `views.NAME`. Everything a visitor can put into the
address is checked against a fixed list, so a page never passes a made-up value on to
the API.
"""

from __future__ import annotations

from econ.participants.services import TRANSITIONS
from econ.statements.i18n import N_
from econ.web.attendance_views import (  # noqa: F401
    ATTENDANCE,
    ATTENDANCE_VALUES,
    ATTENDING,
    SHEET_ROWS,
    chosen_day,
    entry_errors,
    iso_day,
    session_days,
    sheet_rows,
)
from econ.web.caseload_views import (  # noqa: F401
    CURSOR_MAX,
    FILTER_MESSAGES,
    FILTER_NAME_MAX,
    FILTER_NOTICES,
    PATHWAY_LABELS,
    PATHWAYS,
    SEARCH_MAX,
    SIGNALS,
    SORTS,
    STATUS_LABELS,
    STATUSES,
    CaseloadChoice,
    choice_words,
    cursor,
    page_cursors,
)
from econ.web.money_views import (  # noqa: F401
    AMOUNTS_SHOWN,
    AWARD_RULES,
    INCOME_SOURCE_LABELS,
    INCOME_SOURCES,
    adjustment_label,
    amount_state,
    correction_input,
    counted_correction,
    income_input,
    income_record,
    nodes,
)
from econ.web.today_views import (  # noqa: F401
    ACCOUNT_HOLDS,
    HOLD_REASONS,
    TODAY_ACTIONS,
    TODAY_ANCHORS,
    TODAY_KIND_TITLES,
    TODAY_KINDS,
    today_action,
    today_groups,
    today_line,
    today_link,
)

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
# Each tab's lists that go on past one page: the address names the page of each by its
# cursor (`?referralsAfter=…`), the same word as the document's variable.
TAB_PAGES: dict[str, tuple[str, ...]] = {
    "plan": ("revisionsAfter",),
    "training": ("enrollmentsAfter", "requestsAfter"),
    "work": ("referralsAfter", "placementsAfter"),
    "money": (
        "schedulesAfter",
        "paymentsAfter",
        "incomeAfter",
        "awardsAfter",
        "adjustmentsAfter",
        "loansAfter",
    ),
    "consents": ("consentsAfter",),
    "documents": ("statementsAfter",),
    "history": ("statusAfter",),
    "access": ("after",),
}
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

STATUS_MOVES = TRANSITIONS  # where each status may go (the service's own table)


def percent(share: str | None) -> int | None:
    try:
        return round(float(share) * 100) if share is not None else None
    except ValueError:
        return None


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


def beside_fields(codes: dict[str, str], shown: tuple[str, ...]) -> dict[str, str]:
    """Errors of fields the form shows stay beside them; any other goes on top."""
    kept = {field: code for field, code in codes.items() if field in shown}
    others = [code for field, code in codes.items() if field not in shown]
    return {**kept, "": others[0]} if others else kept
