"""What the employer's pages compute from their documents: the opening form read from and
into the API's shape, the words for stages and reasons, the feedback each stage allows.

Nothing here decides who sees what: the API does (a candidate's name and channel come only
with her IDENTITY consent; another company's opening is the same "not found").
"""

from __future__ import annotations

from babel import Locale

from econ.statements.i18n import N_
from econ.web.counselor_views import STAFF_FALLBACK, STAFF_MESSAGES

OPPORTUNITY_TYPES = (
    ("FULL_TIME", N_("Full time")),
    ("PART_TIME", N_("Part time")),
    ("INTERNSHIP", N_("Internship")),
    ("APPRENTICESHIP", N_("Apprenticeship")),
    ("SHORT_TERM", N_("Short term")),
)
PAY_PERIODS = (("HOURLY", N_("an hour")), ("MONTHLY", N_("a month")))
OPENING_STATUS = {
    "DRAFT": N_("Draft (not visible)"),
    "OPEN": N_("Open"),
    "FILLED": N_("Filled"),
    "CLOSED": N_("Closed"),
}
PARTNER_STATUS = {
    "PROSPECT": N_("Being set up"),
    "ACTIVE": N_("Active"),
    "SUSPENDED": N_("Suspended: your openings are hidden"),
}
STAGES = {
    "SHARED": N_("Referred to you"),
    "INTERVIEW": N_("Interview"),
    "OFFERED": N_("Offer made"),
    "HIRED": N_("Hired"),
    "DECLINED": N_("Not a fit"),
    "WITHDRAWN": N_("No longer available"),
}
# "Not a fit", by what did not fit; her counselor reads the code (econ/employers/models.py).
NOT_A_FIT = (
    ("NOT_A_FIT_SKILLS", N_("Skills do not match yet")),
    ("NOT_A_FIT_AVAILABILITY", N_("Hours or start date do not match")),
    ("NOT_A_FIT_LANGUAGES", N_("Languages do not match")),
    ("DECLINED_BY_EMPLOYER", N_("Another reason")),
)
REASONS = {
    **dict(NOT_A_FIT),
    "OPPORTUNITY_CLOSED": N_("The opening closed"),
    "NO_LONGER_AVAILABLE": N_("No longer available"),
    "OTHER": N_("No longer available"),
}
CHANNELS = {
    "PHONE": N_("Phone"),
    "EMAIL": N_("E-mail"),
    "MESSAGING": N_("Messaging app"),
    "OTHER": N_("Other"),
}
# The move forward each stage allows (feedback inline on the card); any open stage also
# allows "not a fit".
NEXT_STEP = {
    "SHARED": ("INTERVIEW", N_("Yes, invite to an interview")),
    "INTERVIEW": ("OFFERED", N_("Make an offer")),
    "OFFERED": ("HIRED", N_("She accepted: record the hire")),
}
OPEN_STAGES = tuple(NEXT_STEP)
MOVES = {"INTERVIEW", "OFFERED", "HIRED", "DECLINED"}
LANGUAGE_CODES = ("es", "en", "fr", "pt", "ro", "ar")
TEXT_FIELDS = ("title", "description", "location")
OPENING_FIELDS = (
    *TEXT_FIELDS,
    "type",
    "payAmount",
    "payPeriod",
    "hoursPerWeek",
    "openings",
    "closesOn",
    "requiredSkills",
    "optionalSkills",
    "languages",
)
EMPLOYER_MESSAGES = {
    **STAFF_MESSAGES,
    "BELOW_MINIMUM_WAGE": N_("This pay is below the minimum wage at these hours."),
    "UNKNOWN_SKILL": N_("Choose skills from the list."),
    "INVALID_HOURS": N_("Hours a week are 1 to 60."),
    "INVALID_NUMBER": N_("Write a whole number from 1 to 100."),
    "DATE_IN_PAST": N_("This date has passed."),
    "EMPLOYER_NOT_ACTIVE": N_("Your company's partnership is not active: ask the program."),
    "INVALID_TRANSITION": N_("This step is not possible any more. The page shows where it is."),
    "NOT_YET_DUE": N_("This check is not due yet."),
    "ALREADY_CONFIRMED": N_("This check is already confirmed."),
    "CONFLICT": N_("Someone changed this meanwhile. The page shows it as it is now."),
    "REASON_REQUIRED": N_("Choose why."),
    "INVALID_DATE": N_("Write the date as YYYY-MM-DD, on or after the day she was referred."),
    "NOT_FOUND": N_("Not found."),
    "INVALID_SKILL": N_("A key is letters, digits and : / . _ - # only, without spaces."),
    "FORBIDDEN": N_("Your role cannot do this."),
    "INVALID_STATE": N_("This opening is filled or closed: it can no longer be changed."),
}


def messages(codes: dict[str, str], _) -> dict[str, str]:
    return {key: _(EMPLOYER_MESSAGES.get(code, STAFF_FALLBACK)) for key, code in codes.items()}


def language_name(code: str, page_language: str) -> str:
    return Locale(code).get_display_name(page_language) or code


def skill_label(term: dict, language: str) -> str:
    return term.get(f"label{language.title()}") or term.get("labelEn") or term["key"]


def skill_labels(vocabulary: list[dict], language: str) -> dict[str, str]:
    """key -> label in the page's language; a key outside the vocabulary keeps its own."""
    return {t["key"]: skill_label(t, language) for t in vocabulary}


def opening_input(fields: dict[str, str], vocabulary: list[dict]) -> dict:
    """The form's fields as the API's create/update input (the API checks every value)."""
    keys = [t["key"] for t in vocabulary]
    required = [{"key": k} for k in keys if fields.get(f"req:{k}")]
    optional = [{"key": k} for k in keys if fields.get(f"opt:{k}") and not fields.get(f"req:{k}")]
    values: dict = {name: fields.get(name, "").strip() for name in TEXT_FIELDS}
    values.update(
        type=_choice(fields.get("type"), [c for c, _ in OPPORTUNITY_TYPES]),
        payAmount=fields.get("payAmount", "").strip().replace(",", "."),
        payPeriod=_choice(fields.get("payPeriod"), [c for c, _ in PAY_PERIODS]),
        hoursPerWeek=_number(fields.get("hoursPerWeek")),
        openings=_number(fields.get("openings")) or 1,
        closesOn=fields.get("closesOn", "").strip() or None,
        flexibleSchedule=bool(fields.get("flexibleSchedule")),
        childcareFriendly=bool(fields.get("childcareFriendly")),
        requiredSkills=required,
        optionalSkills=optional,
        languages=[c for c in LANGUAGE_CODES if fields.get(f"lang:{c}")],
    )
    return values


def form_of(opening: dict) -> dict[str, str]:
    """An opening as the form's fields (to edit it)."""
    fields = {name: opening.get(name) or "" for name in TEXT_FIELDS}
    fields.update(
        type=opening["type"],
        payAmount=opening["pay"]["amount"],
        payPeriod=opening["payPeriod"],
        hoursPerWeek=str(opening["hoursPerWeek"]),
        openings=str(opening["openings"]),
        closesOn=opening.get("closesOn") or "",
    )
    for flag in ("flexibleSchedule", "childcareFriendly"):
        if opening.get(flag):
            fields[flag] = "on"
    fields.update({f"req:{s['key']}": "on" for s in opening["requiredSkills"]})
    fields.update({f"opt:{s['key']}": "on" for s in opening["optionalSkills"]})
    fields.update({f"lang:{c}": "on" for c in opening["languages"]})
    return fields


def _choice(value: str | None, allowed: list[str]) -> str | None:
    return value if value in allowed else None  # the API answers REQUIRED for None


def _number(value: str | None) -> int | None:
    value = (value or "").strip()
    return int(value) if value.isdigit() and len(value) < 6 else None


def move_input(referral_id: str, fields: dict[str, str]) -> dict:
    """One feedback button: the next stage, "not a fit" with its reason, or the hire."""
    move = fields.get("move")
    data: dict = {"referralId": referral_id, "status": move if move in MOVES else "DECLINED"}
    if data["status"] == "DECLINED":
        reasons = [code for code, _ in NOT_A_FIT]
        data["reasonCode"] = fields.get("reason") if fields.get("reason") in reasons else None
    if data["status"] == "HIRED":
        data["placement"] = {"startDate": fields.get("startDate", "").strip() or None}
    return data


def due_checks(placements: list[dict]) -> list[tuple[dict, dict]]:
    """(placement, checkpoint) of every check due now or overdue, the oldest first."""
    found = [(p, c) for p in placements for c in p["retentionCheckpoints"] if c["due"]]
    return sorted(found, key=lambda pair: pair[1]["dueOn"])
