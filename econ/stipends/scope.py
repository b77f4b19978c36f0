"""Which lines a run pays: a main run its own lines, except those a follow-up run took
over; a follow-up run the lines it took over. One place, so that no query forgets it."""

from __future__ import annotations

from econ.stipends.models import PaymentLine, PaymentRun


def lines_paid_by(run: PaymentRun):
    """A peewee expression over PaymentLine."""
    if run.kind == "FOLLOW_UP":
        return PaymentLine.followup_run_id == run.id
    return (PaymentLine.run == run.id) & PaymentLine.followup_run_id.is_null()


def paying_run_id(line: PaymentLine) -> int:
    return line.followup_run_id or line.run_id
