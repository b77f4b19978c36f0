"""What the finance pages compute from their documents: the words of each run state, the
actions a state allows, the line filters read from the address, why she cannot approve.
The approvals inbox's rows are in finance_inbox_views.py.

Everything a visitor can put into the address or a form is checked against a fixed list
here, so a page never passes a made-up value on to the API. The rules themselves (who may
approve, what a state allows) are the service's: a button shown here that the service
refuses shows the service's reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlencode

from econ.statements.i18n import N_
from econ.web.counselor_views import cursor
from econ.web.environment import nodes

STATE_LABELS = {
    "DRAFT": N_("Draft"),
    "CALCULATING": N_("Calculating"),
    "CALCULATED": N_("Calculated, waiting for approval"),
    "APPROVED": N_("Approved"),
    "DISBURSING": N_("Sent to the bank"),
    "COMPLETED": N_("Completed"),
    "COMPLETED_WITH_FAILURES": N_("Completed with failures"),
    "CANCELLED": N_("Cancelled"),
    "REJECTED": N_("Rejected"),
}
# The status bar: the steps of a run in order (cancelled runs show their own word).
LINE_STATUSES = (
    ("PENDING", N_("To be paid")),
    ("HELD", N_("Held")),
    ("SENT", N_("Sent")),
    ("PAID", N_("Paid")),
    ("FAILED", N_("Failed")),
)
LINE_STATUS_LABELS = dict(LINE_STATUSES)
EXCEPTION_KINDS = (
    ("NO_BANK_ACCOUNT", N_("No bank account")),
    ("INVALID_ACCOUNT", N_("Bank account not valid")),
    ("NO_CARD_REFERENCE", N_("No prepaid card")),
    ("PAYEE_UNCONFIRMED", N_("Payment details not confirmed")),
    ("SHARED_ACCOUNT", N_("Account shared with another participant")),
    ("NOT_WRITABLE", N_("Cannot be written to the bank file")),
    ("INCOME_NOT_VERIFIED", N_("Income not verified")),
    ("ZERO_NET", N_("Nothing to pay")),
    ("NEGATIVE_REMAINDER", N_("Deductions exceed the stipend")),
    ("PAYMENT_FAILED", N_("Payment failed")),
    ("LOAN_NOT_AWAITING", N_("Loan already paid out another way")),
)
EXCEPTION_LABELS = {
    **dict(EXCEPTION_KINDS),
    "PARTICIPANT_EXITED": N_("She left the programme"),
    "ENDED_DURATION_USED": N_("Schedule used all its months"),
    "ENDED_INDEPENDENCE": N_("Independence reached"),
    "UNKNOWN_REFERENCE": N_("Unknown reference in the bank file"),
    "DUPLICATE_ROW": N_("Reported twice"),
    "AMOUNT_MISMATCH": N_("Other amount than sent"),
    "RETURN_OF_UNSENT": N_("Return of a payment never paid"),
    "PAID_AFTER_FAILED": N_("Paid after a refusal"),
    "UNKNOWN_BATCH": N_("File that is not ours"),
}
# Exceptions her payment details can cause (the link to them is offered there only).
PAYEE_KINDS = (
    "NO_BANK_ACCOUNT",
    "INVALID_ACCOUNT",
    "NO_CARD_REFERENCE",
    "PAYEE_UNCONFIRMED",
    "SHARED_ACCOUNT",
    "NOT_WRITABLE",
    "PAYMENT_FAILED",
)
# Exceptions of lines a second person already approved: a retry pays them (a line held
# before approval goes to a follow-up run instead; the service says so if asked).
RETRY_KINDS = ("PAYMENT_FAILED", "NOT_WRITABLE", "PAYEE_UNCONFIRMED", "SHARED_ACCOUNT")
METHOD_LABELS = {
    "BANK_TRANSFER": N_("Bank transfer"),
    "PREPAID_CARD": N_("Prepaid card"),
    "CASH": N_("Cash"),
}
OBSTACLES = {
    "CREATOR": N_("You created this run: another finance colleague must approve it."),
    "AMOUNT_AUTHOR": N_(
        "You entered an award or adjustment this run pays: another finance colleague "
        "must approve it."
    ),
    "REJECTED": N_("This run was rejected: recalculate it (or cancel it) first."),
    "NOT_READY": N_("The calculation has not finished."),
}
RESOLUTIONS = (("ACKNOWLEDGED", N_("Seen, someone is on it")), ("RESOLVED", N_("Resolved")))
RESOLUTION_LABELS = dict(RESOLUTIONS)
FORMATS = (("SEPA", N_("SEPA XML (pain.001)")), ("CSV", N_("CSV")))

# state -> the actions its status bar offers (the service decides whether they work)
ACTIONS: dict[str, tuple[str, ...]] = {
    "DRAFT": ("recalculate", "cancel"),
    "CALCULATING": ("recalculate", "cancel"),
    "CALCULATED": ("approve", "reject", "recalculate", "cancel"),
    "APPROVED": ("disburse", "cancel"),
    "DISBURSING": ("results", "followup"),
    "COMPLETED_WITH_FAILURES": ("results", "followup"),
    "COMPLETED": ("results", "followup"),
}
# action -> (operation of finance/run.graphql, mutation field)
OPERATIONS = {
    "recalculate": ("Recalculate", "recalculatePaymentRun"),
    "approve": ("Approve", "approvePaymentRun"),
    "reject": ("Reject", "rejectPaymentRun"),
    "cancel": ("Cancel", "cancelPaymentRun"),
    "disburse": ("Disburse", "disbursePaymentRun"),
    "resolve": ("Resolve", "resolvePaymentException"),
    "retry": ("Retry", "retryPaymentLine"),
    "followup": ("FollowUp", "createFollowUpRun"),
}
DONE = {
    "created": N_("The run was created; its calculation has started."),
    "recalculate": N_("The recalculation has started."),
    "approve": N_("You approved the run."),
    "reject": N_("You rejected the run; its creator sees your comment."),
    "cancel": N_("The run was cancelled."),
    "disburse": N_("The payment files are being written."),
    "resolve": N_("The exception was updated."),
    "retry": N_("The payment will be sent again in a new file."),
    "followup": N_("The follow-up run was created: it needs approval like any run."),
}

FINANCE_MESSAGES = {
    "REQUIRED": N_("Please fill this in."),
    "TOO_LONG": N_("This is too long."),
    "INVALID_MONTH": N_("Choose a month."),
    "PERIOD_IN_FUTURE": N_(
        "A run cannot pay a month that has not begun: its income does not exist yet."
    ),
    "PERIOD_TOO_OLD": N_("This month is too long ago for a run."),
    "RUN_EXISTS": N_("This month already has a run. Cancel it first to start again."),
    "FORBIDDEN": N_("You cannot do this here: another finance colleague must."),
    "CONFLICT": N_("The run changed while you were reading it. Read it again, then decide."),
    "CONTROL_TOTAL_MISMATCH": N_(
        "The control total changed since you read it. Read it again, then decide."
    ),
    "RUN_REJECTED": N_("This run was rejected: recalculate it (or cancel it) first."),
    "INVALID_TRANSITION": N_("The run's state does not allow this now."),
    "ALREADY_DISBURSED": N_("The files of this run are already written."),
    "FORMAT_FIXED": N_("This run's files use another format: restart with that one."),
    "NOTHING_TO_PAY": N_("There is nothing to pay in a follow-up run now."),
    "FOLLOW_UP_REQUIRED": N_("This line was held before approval: a follow-up run pays it."),
    "OUTCOME_UNKNOWN": N_("The bank has not answered for this payment yet."),
    "OVERRIDE_REQUIRED": N_("She has left the programme: paying her needs an override."),
    "PAYEE_UNCONFIRMED": N_("Her new payment details must first be confirmed by a colleague."),
    "NOT_PAYABLE": N_(
        "She cannot be paid yet: her payment details hold her payments (see her details)."
    ),
    "NOT_SHARED": N_("No other participant has this account: leave the reason empty."),
    "NO_BANK_ACCOUNT": N_("She has no bank account on file."),
    "INVALID_ACCOUNT": N_("Her bank account is not valid."),
    "INVALID_RESULT_FILE": N_(
        "This file cannot be read as a bank result (CSV, pain.002 or camt.054)."
    ),
    "DUPLICATE_REFERENCE": N_("The file names the same payment twice."),
    "NOT_FOUND": N_("Not found: it may have changed. Read the page again."),
    "INVALID_STATUS": N_("Choose one of the answers."),
    "FILE_TOO_LARGE": N_("This file is too large."),
    "UNSUPPORTED_CURRENCY": N_("SEPA files are for euro payments only: choose CSV."),
    "INVALID_AMOUNT": N_("Write the amount as a number, like 12.50."),
    "NO_OPEN_LOAN": N_("She has no loan being repaid: leave the amount at 0."),
    "OVERPAYMENT": N_("This is more than she still owes."),
    "MEETING_EXISTS": N_("This meeting's sheet is already saved."),
    "DISBURSEMENT_REQUESTED": N_("Paying out this loan is already asked for."),
    "LOAN_NOT_AWAITING": N_("This loan was already paid out: this payment is not needed."),
    "PAID_THROUGH_RUN": N_("This loan is being paid out through a payment run."),
    "GROUP_NOT_ACTIVE": N_("The group is not active."),
    "FUTURE_DATE": N_("A meeting is recorded on its day or after it."),
    "NOT_A_MEMBER": N_("She is not a member of this group."),
    "NO_WRITE_OFF_PENDING": N_("No write-off waits for a decision."),
}
FINANCE_FALLBACK = N_("This did not work. Please try again.")


def finance_messages(codes: dict[str, str], _) -> dict[str, str]:
    return {key: _(FINANCE_MESSAGES.get(code, FINANCE_FALLBACK)) for key, code in codes.items()}


_CODE = re.compile(r"^[A-Za-z0-9-]{1,12}$")
_MONTH = re.compile(r"^\d{4}-\d{2}$")
NOTE_MAX = 500
EXCEPTIONS_ALL = 100  # a run page shows 25 exceptions, or this many on request (the API's cap)


@dataclass(frozen=True)
class LineChoice:
    """The run page's line filters, each one of the fixed options (or empty)."""

    status: str = ""
    exception: str = ""
    code: str = ""
    after: str = ""

    @classmethod
    def from_query(cls, params) -> LineChoice:
        status = params.get("status", "")
        exception = params.get("exception", "")
        code = params.get("code", "").strip()
        return cls(
            status=status if status in LINE_STATUS_LABELS else "",
            exception=exception if exception in dict(EXCEPTION_KINDS) else "",
            code=code.upper() if _CODE.match(code) else "",
            after=cursor(params.get("after")),
        )

    def variables(self) -> dict:
        return {
            "status": self.status or None,
            "exception": self.exception or None,
            "code": self.code or None,
            "after": self.after or None,
        }

    def query(self, after: str = "") -> str:
        pairs = [("status", self.status), ("exception", self.exception), ("code", self.code)]
        kept = [(k, v) for k, v in [*pairs, ("after", after)] if v]
        return "?" + urlencode(kept) if kept else "?"

    @property
    def filtered(self) -> bool:
        return bool(self.status or self.exception or self.code)


def period_of(value: str | None) -> str:
    """The month an <input type=month> sent (YYYY-MM), else "" (the service says why)."""
    value = (value or "").strip()
    return value if _MONTH.match(value) else ""


def note_of(value: str | None) -> str:
    return (value or "").strip()[: NOTE_MAX + 1]  # one more: the service says "too long"


def form_shown(form: str, run: dict) -> str:
    """The form whose refusal is shown beside it, or "top" when that form is not on the
    page (an exception that is gone, a forged key): the refusal is shown above all."""
    kind, _, key = form.partition(":")
    if kind == "resolve" and key not in {item["key"] for item in nodes(run["exceptions"])}:
        return "top"
    if kind == "retry" and key not in {str(item["lineId"]) for item in nodes(run["exceptions"])}:
        return "top"
    return form


# The approval stepper: each step of a run, the event that completes it (the latest
# one since the latest recalculation), and its words.
STEPPER = (
    ("created", ("DRAFT",), N_("Created")),
    ("calculated", ("CALCULATED",), N_("Calculated")),
    ("approved", ("APPROVED",), N_("Approved")),
    ("disbursed", ("DISBURSING",), N_("Sent to the bank")),
    ("reconciled", ("COMPLETED", "COMPLETED_WITH_FAILURES"), N_("Reconciled")),
)
# The step a state is at: every step before it is done, this one is under way.
STEP_NOW = {
    "DRAFT": 1,
    "CALCULATING": 1,
    "CALCULATED": 2,
    "APPROVED": 3,
    "DISBURSING": 4,
    "COMPLETED_WITH_FAILURES": 4,
    "COMPLETED": 5,
}
# What the step under way waits for (it has no event yet).
STEP_WAITING = {
    "calculated": N_("Calculating"),
    "approved": N_("Waiting for a second finance colleague"),
    "disbursed": N_("Ready: write the payment files"),
    "reconciled": N_("Waiting for the bank's answer"),
}
CHANGE_LABELS = {
    "ADDED": N_("Added"),
    "REMOVED": N_("Removed"),
    "AMOUNT": N_("Amount changed"),
    "NOW_HELD": N_("Now held"),
    "NOW_PAYABLE": N_("Now to be paid"),
}


def change_words(item: dict) -> str:
    """A changed line in her words: added, removed, its amount, or held ↔ to be paid."""
    if item["change"] in ("ADDED", "REMOVED"):
        return CHANGE_LABELS[item["change"]]
    if item.get("statusBefore") != item.get("statusAfter"):
        return CHANGE_LABELS["NOW_HELD" if item.get("statusAfter") == "HELD" else "NOW_PAYABLE"]
    return CHANGE_LABELS["AMOUNT"]


@dataclass(frozen=True)
class Step:
    name: str
    label: str
    place: str  # past, now or next
    event: dict | None  # who did it, when, with what comment (None: not done)


def stepper(run: dict) -> list[Step]:
    """The run's steps with the event that did each: created is the first event; the
    others count from the latest recalculation on (an older approval no longer holds)."""
    events = nodes(run.get("events"))
    restart = max((i for i, e in enumerate(events) if e["toState"] == "CALCULATING"), default=-1)
    now = STEP_NOW.get(run["state"], -1)
    steps = []
    for number, (name, states, label) in enumerate(STEPPER):
        since = events[:1] if name == "created" else events[restart + 1 :]
        done = [e for e in since if e["toState"] in states]
        if now < 0:  # cancelled: what was done before, nothing under way
            place = "past" if done else "next"
        else:
            place = "past" if number < now else "now" if number == now else "next"
        steps.append(Step(name, label, place, done[-1] if done else None))
    return steps


def decisions(run: dict) -> list[dict]:
    """Every approval and rejection of the run, oldest first (each with its comment)."""
    return [e for e in nodes(run.get("events")) if e["toState"] in ("APPROVED", "REJECTED")]


def last_approver(run: dict) -> bool:
    """Her approval would be the one still needed (she is allowed to give it)."""
    approvals = run.get("approvals") or {}
    left = approvals.get("required", 0) - approvals.get("given", 0)
    return left == 1 and not run.get("approvalObstacle")


def running(run: dict) -> bool:
    """A background job is at work: the page refreshes itself (or offers a refresh)."""
    return (run.get("job") or {}).get("status") in ("QUEUED", "RUNNING")


def percent(job: dict) -> int:
    total = job.get("total") or 0
    return min(100, int(100 * (job.get("done") or 0) / total)) if total else 0
