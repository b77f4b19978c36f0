"""The money tab's forms and words: her income (recorded, verified, corrected), her awards
and adjustments with their approval state."""

from __future__ import annotations

from econ.statements.i18n import N_
from econ.web.environment import nodes

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


# Her awards and adjustments (econ/stipends): what each is and where its approval stands.
# Every amount but a schedule's base waits for a FINANCE user other than its author.
AWARD_RULES = {
    "TRAINING_COMPLETED": N_("Training completed"),
    "RETAINED_90_DAYS": N_("Kept her job for 90 days"),
    "LOAN_REPAID": N_("Loan repaid"),
    "MANUAL": N_("Award entered by finance"),
}
GRANT_LABELS = {
    "TRANSPORT": N_("Support grant: transport"),
    "CHILDCARE": N_("Support grant: childcare"),
    "EQUIPMENT": N_("Support grant: equipment"),
    "EDUCATION_FEES": N_("Support grant: education fees"),
    "EMERGENCY": N_("Support grant: emergency"),
    "OTHER": N_("Support grant"),
}
ADJUSTMENT_LABEL = N_("Adjustment")
AMOUNT_STATES = {
    "PENDING": N_("waits for a second finance colleague to approve it"),
    "APPROVED": N_("approved"),
    "REJECTED": N_("rejected: it is never paid"),
}
PAID = N_("approved and paid")
AMOUNTS_SHOWN = 50  # the money document reads the newest 50 of each (record.graphql)


def amount_state(node: dict) -> str:
    """Where an award's or adjustment's approval stands, in words to translate."""
    if node.get("paid"):
        return PAID
    return AMOUNT_STATES.get(node.get("state", ""), AMOUNT_STATES["PENDING"])


def adjustment_label(node: dict) -> str:
    return GRANT_LABELS.get(node.get("category") or "", ADJUSTMENT_LABEL)
