"""What the approvals inbox computes from its document: a row per request in her words
(what changes, for whom, who asked), the rows she ticked, and each decision's mutation.

A ticked key the page did not show is ignored, so a forged form decides nothing more than
the page offered; the services still refuse what is not hers to decide (her own request).
"""

from __future__ import annotations

from dataclasses import dataclass

from econ.statements.i18n import N_
from econ.web.environment import nodes

# The inbox and payee templates name a line's exceptions on `views`, beside the rows.
from econ.web.finance_views import EXCEPTION_LABELS  # noqa: F401

# kind -> (approve operation, its mutation, reject operation, its mutation, id input,
# the comment's input name when approving (None: the mutation takes none), when rejecting)
DECISIONS: dict[str, tuple[str, str, str, str, str, str | None, str]] = {
    "AWARD": (
        "ApproveAward", "approveIncentiveAward", "RejectAward", "rejectIncentiveAward",
        "awardId", "comment", "comment",
    ),
    "ADJUSTMENT": (
        "ApproveAdjustment", "approveAdjustment", "RejectAdjustment", "rejectAdjustment",
        "adjustmentId", "comment", "comment",
    ),
    "SCHEDULE": (
        "ApproveSchedule", "approveStipendSchedule", "RejectSchedule", "rejectStipendSchedule",
        "scheduleId", "comment", "comment",
    ),
    "LOAN": ("ApproveLoan", "approveLoan", "RejectLoan", "rejectLoan", "loanId", None, "reason"),
    "WRITE_OFF": (
        "ApproveWriteOff", "approveWriteOff", "RejectWriteOff", "rejectWriteOff",
        "loanId", None, "reason",
    ),
}  # fmt: skip
INBOX_TITLES = {
    "AWARD": N_("Awards"),
    "ADJUSTMENT": N_("Adjustments and support grants"),
    "SCHEDULE": N_("Stipend schedules and extensions"),
    "LOAN": N_("Loan applications"),
    "WRITE_OFF": N_("Loan write-offs"),
}
AWARD_RULES = {
    "TRAINING_COMPLETED": N_("completed a training"),
    "RETAINED_90_DAYS": N_("kept a job 90 days"),
    "LOAN_REPAID": N_("repaid a loan"),
    "MANUAL": N_("entered by hand"),
}
LOAN_PURPOSES = {
    "EQUIPMENT": N_("equipment"),
    "WORKING_CAPITAL": N_("working capital"),
    "EDUCATION": N_("education"),
    "OTHER": N_("other"),
}
PICK = "pick:"
PICK_MAX = 100  # items decided in one go


@dataclass(frozen=True)
class InboxRow:
    key: str  # KIND:id, the checkbox's name after PICK
    kind: str
    record_id: str
    code: str
    what: str  # in her words
    by: str
    mine: bool
    group: dict | None = None  # a loan's group: {"id", "name"}


def _name(user: dict | None) -> str:
    return (user or {}).get("displayName") or ""


def _mine(user: dict | None, me: str) -> bool:
    return bool(user) and str(user.get("id")) == me


def inbox_totals(data: dict) -> dict[str, int]:
    """{kind: how many wait in all}: the inbox shows the first page of each kind, and the
    rest come up as those are decided."""
    pending = data.get("pendingAmounts") or {}
    found = {
        "AWARD": pending.get("awards"),
        "ADJUSTMENT": pending.get("adjustments"),
        "SCHEDULE": pending.get("schedules"),
        "LOAN": data.get("applied"),
        "WRITE_OFF": data.get("writeOffs"),
    }
    return {kind: (page or {}).get("totalCount", 0) for kind, page in found.items()}


def inbox_rows(data: dict, me: str, fmt, _) -> dict[str, list[InboxRow]]:
    """{kind: its rows}, each saying what changes, for whom, and who asked."""

    def say(text: str, values: dict) -> str:
        return _(text) % values

    pending = data.get("pendingAmounts") or {}
    rows: dict[str, list[InboxRow]] = {kind: [] for kind in DECISIONS}
    for a in nodes(pending.get("awards")):
        rows["AWARD"].append(InboxRow(
            f"AWARD:{a['id']}", "AWARD", a["id"], a["participantCode"] or "",
            say(N_("Award of %(amount)s: %(rule)s. %(note)s"),
                {"amount": fmt.money(a["amount"]), "note": a["note"],
                 "rule": _(AWARD_RULES[a["rule"]]) if a["rule"] in AWARD_RULES else a["rule"]}),
            _name(a["createdBy"]), _mine(a["createdBy"], me),
        ))  # fmt: skip
    for a in nodes(pending.get("adjustments")):
        rows["ADJUSTMENT"].append(InboxRow(
            f"ADJUSTMENT:{a['id']}", "ADJUSTMENT", a["id"], a["participantCode"] or "",
            say(N_("%(amount)s in the payment of %(month)s: %(reason)s"),
                {"amount": fmt.money(a["amount"]), "month": fmt.month(a["period"]),
                 "reason": a["reason"]}),
            _name(a["createdBy"]), _mine(a["createdBy"], me),
        ))  # fmt: skip
    for s in nodes(pending.get("schedules")):
        draft = s["state"] == "DRAFT"
        who = s["createdBy"] if draft else s["requestedBy"]
        rows["SCHEDULE"].append(InboxRow(
            f"SCHEDULE:{s['id']}", "SCHEDULE", s["id"], s["participantCode"] or "",
            say(N_("New stipend: %(amount)s a month for %(months)s months from %(month)s")
                if draft else N_("Extend her stipend from %(months)s to %(longer)s months"),
                {"amount": fmt.money(s["monthlyAmount"]), "months": s["durationMonths"],
                 "month": fmt.month(s["startMonth"]), "longer": s["requestedDurationMonths"]}),
            _name(who), _mine(who, me),
        ))  # fmt: skip
    for edge in (data.get("applied") or {}).get("edges", []):
        loan = edge["node"]
        who = loan.get("appliedBy")
        rows["LOAN"].append(InboxRow(
            f"LOAN:{loan['id']}", "LOAN", loan["id"], (loan.get("borrower") or {}).get("code", ""),
            say(N_("Loan of %(amount)s in %(n)s instalments: %(purpose)s"),
                {"amount": fmt.money(loan["principal"]), "n": loan["numberOfInstallments"],
                 "purpose": loan["purposeNote"]
                 or _(LOAN_PURPOSES.get(loan["purpose"], loan["purpose"]))}),
            _name(who), _mine(who, me), loan.get("group"),
        ))  # fmt: skip
    for edge in (data.get("writeOffs") or {}).get("edges", []):
        loan = edge["node"]
        who = loan["writeOffRequestedBy"]
        rows["WRITE_OFF"].append(InboxRow(
            f"WRITE_OFF:{loan['id']}", "WRITE_OFF", loan["id"],
            (loan.get("borrower") or {}).get("code", ""),
            say(N_("Write off %(amount)s still owed: %(reason)s"),
                {"amount": fmt.money(loan["outstandingPrincipal"]),
                 "reason": loan["writeOffReason"]}),
            _name(who), _mine(who, me), loan.get("group"),
        ))  # fmt: skip
    return rows


def picked(fields: dict[str, str], rows: dict[str, list[InboxRow]]) -> list[InboxRow]:
    """The rows she ticked that are on the page (a made-up key is ignored)."""
    shown = {row.key: row for kind in rows.values() for row in kind}
    keys = [name.removeprefix(PICK) for name in fields if name.startswith(PICK)]
    return [shown[key] for key in keys[:PICK_MAX] if key in shown]


def decision_input(row: InboxRow, approve: bool, comment: str) -> tuple[str, str, dict]:
    """(operation, mutation, variables) deciding one row."""
    approve_op, approve_name, reject_op, reject_name, id_field, approve_note, reject_note = (
        DECISIONS[row.kind]
    )
    values: dict = {id_field: row.record_id}
    if approve and approve_note and comment:
        values[approve_note] = comment
    if not approve:
        values[reject_note] = comment
    if approve:
        return approve_op, approve_name, {"input": values}
    return reject_op, reject_name, {"input": values}
