"""The enrolment state machine and the attendance rate, written once (docs/training.md).

Pure data and arithmetic: no database, so the rules can be read and tested on their own.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

STATUSES = ("WAITLISTED", "ENROLLED", "ACTIVE", "PAUSED", "COMPLETED", "WITHDRAWN")

# from -> {to: how}. "auto": only the system makes the move (promotion in queue order, or
# first attendance); "manual": setEnrollmentStatus; "complete": completeEnrollment.
TRANSITIONS: dict[str, dict[str, str]] = {
    "WAITLISTED": {"ENROLLED": "auto", "WITHDRAWN": "manual"},
    "ENROLLED": {"ACTIVE": "manual", "WITHDRAWN": "manual"},
    "ACTIVE": {"PAUSED": "manual", "COMPLETED": "complete", "WITHDRAWN": "manual"},
    "PAUSED": {"ACTIVE": "manual", "WITHDRAWN": "manual"},
    "COMPLETED": {},
    "WITHDRAWN": {},
}

# Statuses that occupy a seat. A completed participant keeps hers (the class size was
# planned with her); a paused one keeps hers too: pausing carries no penalty.
SEATED = frozenset({"ENROLLED", "ACTIVE", "PAUSED", "COMPLETED"})
# Statuses that block a second enrolment of the same participant in the same cohort.
BLOCKING = frozenset(STATUSES) - {"WITHDRAWN"}
# Statuses for which attendance may be recorded.
ATTENDING = frozenset({"ENROLLED", "ACTIVE"})
# Statuses in which measurable skill gains may be recorded.
GAIN_STATUSES = frozenset({"ACTIVE"})

RATE_PLACES = Decimal("0.0001")


def how(from_status: str, to_status: str) -> str | None:
    """How `from_status` may become `to_status` ("auto", "manual", "complete") or None."""
    return TRANSITIONS.get(from_status, {}).get(to_status)


def attendance_rate(present: int, recorded_days: int, excused: int) -> Decimal | None:
    """present ÷ (session days recorded so far − excused), 4 places; None with no countable day."""
    countable = recorded_days - excused
    if countable <= 0:
        return None
    return (Decimal(present) / Decimal(countable)).quantize(RATE_PLACES, ROUND_HALF_UP)
