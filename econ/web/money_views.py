"""The money tab's forms and words: her income (recorded, verified, corrected)."""

from __future__ import annotations

from econ.statements.i18n import N_

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
    return next((r for r in her.get("incomeRecords") or [] if r["id"] == str(record_id)), None)


def counted_correction(record: dict) -> dict | None:
    """The verified correction that supersedes the record's amount: the latest verified."""
    verified = [c for c in record.get("corrections") or [] if c["verified"]]
    return max(verified, key=lambda c: c["verifiedAt"]) if verified else None


def correction_input(fields: dict[str, str]) -> dict[str, str]:
    """The correction form as the API's input (the API checks the amount and the reason)."""
    return {
        "amount": fields.get("amount", "").strip().replace(",", ".")[:20],
        "reason": " ".join(fields.get("reason", "").split())[:500],
    }
