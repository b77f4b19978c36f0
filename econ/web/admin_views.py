"""What the administration pages compute from their documents' answers: the queue split
into what waits for this ADMIN and what waits for another, names for user ids, the forms'
fields as API input, and the pages' words for each error code.

No rule lives here: who may approve what is decided by econ/security/grants.py; this
only arranges what the API answered (a request of her own is shown as waiting for another
ADMIN, and its approve button is never drawn, but the API would refuse it anyway).
"""

from __future__ import annotations

from econ.statements.i18n import N_
from econ.web.counselor_views import STAFF_FALLBACK, STAFF_MESSAGES, cursor
from econ.web.environment import nodes

STAFF_ROLES = ("ADMIN", "COUNSELOR", "FINANCE")
LOGIN_ROLES = (*STAFF_ROLES, "EMPLOYER")
ROLE_LABELS = {
    "ADMIN": N_("Administrator"),
    "COUNSELOR": N_("Counselor"),
    "FINANCE": N_("Finance"),
    "EMPLOYER": N_("Employer staff"),
    "PARTICIPANT": N_("Participant"),
}
KIND_LABELS = {
    "CREATE": N_("New login"),
    "ROLE": N_("Role change"),
    "REACTIVATE": N_("Reactivation"),
    "NEW_CODE": N_("New enrolment code"),
}
STATUS_LABELS = {
    "PENDING": N_("Waiting"),
    "APPROVED": N_("Approved"),
    "REJECTED": N_("Not approved"),
    "CANCELLED": N_("Withdrawn"),
}
# The forms' POSTed `action` -> (document operation, mutation name)
ACTIONS = {
    "ask": ("Ask", "requestLogin"),
    "role": ("Role", "requestRoleChange"),
    "reactivate": ("Reactivate", "requestReactivation"),
    "newcode": ("NewCode", "requestEnrolmentCode"),
    "deactivate": ("Deactivate", "setUserActive"),
    "approve": ("Approve", "approveLoginRequest"),
    "reject": ("Reject", "rejectLoginRequest"),
}
ADMIN_MESSAGES = {
    **STAFF_MESSAGES,
    "FORBIDDEN": N_("A second ADMIN must decide this: nobody approves her own request."),
    "EMAIL_TAKEN": N_("A login with this e-mail exists or is already requested."),
    "LAST_ADMIN": N_("The last active ADMIN stays an active ADMIN."),
    "NO_CHANGE": N_("Nothing to change: it is already so."),
    "ALREADY_DECIDED": N_("Someone decided this request meanwhile."),
    "INVALID_ROLE": N_("Employer and participant logins keep their role: request a new login."),
    "INVALID_LINK": N_("An employer login needs its company; other logins none."),
    "INVALID_CODE": N_("This code does not work: ask for a new one."),
    "NEEDS_APPROVAL": N_("This is not approved yet: a second ADMIN must approve it first."),
    "WEAK_PASSWORD": N_("This password is too easy to guess. Use three or four words."),
    "INVALID_CREDENTIALS": N_("This does not work. Check the form and try again."),
    "AGREEMENT_REQUIRED": N_("Record the signed inclusion agreement first."),
    "INVALID_TRANSITION": N_("This company cannot move to that status from its current one."),
    "CONFLICT": N_("This changed meanwhile: reload the page and try again."),
    "INVALID_SETTING": N_("This value is not accepted: see the rule above the field."),
    "UNKNOWN_SETTING": N_("There is no such setting."),
}


def admin_messages(codes: dict, _) -> dict:
    return {key: _(ADMIN_MESSAGES.get(code, STAFF_FALLBACK)) for key, code in codes.items()}


# Each role's logins are a list of their own, 100 a page (`?COUNSELORAfter=`).
PEOPLE_PAGES = tuple(f"{role}After" for role in LOGIN_ROLES)
COMPANIES_MAX = 5000  # the chooser of the employer-login form holds every company
_LOGIN_KEYS = {
    "ADMIN": "admins",
    "COUNSELOR": "counselors",
    "FINANCE": "finance",
    "EMPLOYER": "employerLogins",
}


def logins_of(data: dict) -> dict[str, dict]:
    """{role: its page of logins} (count, page info, edges)."""
    return {role: data.get(key) or {} for role, key in _LOGIN_KEYS.items()}


def people_of(data: dict) -> dict[str, list[dict]]:
    """{role: its logins}, staff and employers only (participants' logins are case data)."""
    return {role: nodes(page) for role, page in logins_of(data).items()}


def names_by_id(people: dict[str, list[dict]]) -> dict[str, str]:
    """User id -> how the page names her (display name, else e-mail)."""
    return {p["id"]: p["displayName"] or p["email"] for logins in people.values() for p in logins}


def split_queue(pending: list[dict], me: str) -> tuple[list[dict], list[dict]]:
    """(requests another ADMIN made, which she may decide; her own and those about her
    login, which wait for someone else)."""
    mine = [r for r in pending if r["requestedBy"] == me or r["targetUserId"] == me]
    return [r for r in pending if r not in mine], mine


def request_input(action: str, fields: dict[str, str]) -> dict:
    """The form's fields as the mutation's input (trimmed, bounded)."""

    def text(key: str, limit: int = 254) -> str:
        return (fields.get(key) or "").strip()[:limit]

    if action == "ask":
        values = {
            "email": text("email"),
            "role": text("role", 16),
            "displayName": text("displayName", 120),
            "workPhone": text("workPhone", 40),
        }
        if values["role"] == "EMPLOYER" and text("employerId", 20):
            values["employerId"] = text("employerId", 20)
        return values
    if action == "role":
        return {"userId": text("userId", 20), "role": text("role", 16)}
    if action in ("reactivate", "newcode"):
        return {"userId": text("userId", 20)}
    if action == "deactivate":
        return {"userId": text("userId", 20), "active": False}
    return {"requestId": text("requestId", 20)}


# ---- Partners ---------------------------------------------------------------------------
EMPLOYER_STATUS_LABELS = {
    "PROSPECT": N_("Prospect"),
    "ACTIVE": N_("Active"),
    "SUSPENDED": N_("Suspended"),
}
# What the page offers from each status (the service decides: econ/employers/companies.py)
NEXT_STATUS = {"PROSPECT": ("ACTIVE",), "ACTIVE": ("SUSPENDED",), "SUSPENDED": ("ACTIVE",)}
SIZE_LABELS = {
    "MICRO": N_("Micro (under 10 people)"),
    "SMALL": N_("Small (10 to 49)"),
    "MEDIUM": N_("Medium (50 to 249)"),
    "LARGE": N_("Large (250 or more)"),
}
PARTNER_ACTIONS = {
    "create": ("Create", "createEmployer"),
    "agreement": ("Agreement", "updateEmployer"),
    "status": ("Status", "setEmployerStatus"),
}


def partner_input(action: str, fields: dict[str, str]) -> dict:
    def text(key: str, limit: int = 200) -> str:
        return (fields.get(key) or "").strip()[:limit]

    if action == "create":
        return {"name": text("name"), "sector": text("sector", 100), "size": text("size", 10)}
    if action == "agreement":
        values = {"employerId": text("employerId", 20)}
        for key, limit in (("agreementSignedOn", 10), ("agreementReviewOn", 10),
                           ("agreementCommitments", 2000)):  # fmt: skip
            values[key] = text(key, limit)
        return values
    return {
        "employerId": text("employerId", 20),
        "status": text("status", 10),
        "reason": text("reason", 500),
    }


# ---- Program settings -------------------------------------------------------------------
# Each setting's meaning in the page's language: the English is the definition's own
# (econ/settings/definitions.py; tests/web/test_admin_pages.py keeps the two the same).
SETTING_MEANINGS = {
    "currency": N_("ISO 4217 currency of stipends and loans"),
    "program_display_name": N_("Neutral name printed on documents and bank remittances"),
    "stipend_monthly_base": N_("Monthly stipend base"),
    "stipend_min_months": N_("Shortest stipend schedule"),
    "stipend_max_months": N_("Longest stipend schedule"),
    "income_disregard": N_("Earned income not tapered"),
    "taper_rate": N_("Share of income above the disregard"),
    "target_monthly_income": N_("Default target income for independence"),
    "incentive_training_completed": N_("Award on training completion"),
    "incentive_retained_90_days": N_("Award on 90-day retention"),
    "incentive_loan_repaid": N_("Award on a repaid loan"),
    "manual_award_max": N_("Largest manual incentive award"),
    "adjustment_max": N_("Largest adjustment or support grant (either sign)"),
    "payment_run_advance_months": N_(
        "Months ahead a payment run may be opened (0: the current month at most)"
    ),
    "minimum_wage_hourly": N_("Lowest hourly pay an opportunity may offer"),
    "loan_group_min_size": N_("Smallest solidarity group"),
    "loan_group_max_size": N_("Largest solidarity group"),
    "loan_max_principal": N_("Largest loan principal"),
    "loan_annual_interest_rate": N_("Default annual interest"),
    "outcomes_min_cell": N_("Smallest indicator cell shown outside ADMIN"),
    "statement_page_size": N_("A4 or LETTER"),
    "loan_delinquency_buckets": N_("Days past due bands"),
    "participant_idle_minutes": N_("Pages sign a participant out after"),
    "staff_idle_minutes": N_("Pages sign staff out after"),
    "quick_exit_url": N_("The neutral site the leave button opens"),
    "program_bank_iban": N_("IBAN stipends are paid from"),
}
KIND_HINTS = {
    "money": N_("an amount, like 900.00"),
    "percent": N_("a percentage, 0 to 100"),
    "int": N_("a whole number"),
    "text": N_("text"),
    "url": N_("an https address"),
    "iban": N_("an IBAN"),
    "currency": N_("an ISO 4217 currency code, like EUR"),
}


def changed_settings(fields: dict[str, str], current: dict[str, str]) -> dict[str, str]:
    """The form's values that differ from what is stored (the only ones sent)."""
    return {
        key: (fields.get(key) or "").strip()[:200]
        for key, value in current.items()
        if key in fields and (fields.get(key) or "").strip()[:200] != value
    }


# ---- Audit ------------------------------------------------------------------------------
# Records whose id would name a participant or her case: the page shows only their type.
CASE_RECORDS = frozenset(
    {"Participant", "ParticipantPII", "IncomeRecord", "Plan", "Referral", "Placement",
     "Consent", "Enrollment", "Loan", "LoanGroup", "Statement", "PaymentLine", "Payee"}
)  # fmt: skip
# Suggestions for the action filter (any action can be typed).
AUDIT_ACTIONS = (
    "login", "request_login", "approve_login_request", "reject_login_request",
    "request_login_change", "redeem_enrolment_code", "set_user_active", "bootstrap_user",
    "update_setting", "set_employer_status", "create_employer", "update_employer",
    "download_outcomes_report", "download_payment_file", "read_restricted",
)  # fmt: skip
ACTION_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz_")


def audit_filters(params) -> dict[str, str]:
    """The filters of the address, each only if it is well formed (else none)."""
    actor = (params.get("actor") or "")[:20]
    action = (params.get("action") or "").strip()[:60]
    return {
        "actor": actor if actor.isdigit() else "",
        "action": action if set(action) <= ACTION_CHARS else "",
        "after": cursor(params.get("after")),
    }


def audit_names(data: dict) -> dict[str, str]:
    """Staff and employer logins by id, for the "by" column and filter."""
    logins = []
    for key in ("admins", "counselors", "finance", "employerLogins"):
        logins += nodes(data.get(key))
    return {p["id"]: p["displayName"] or p["email"] for p in logins}
