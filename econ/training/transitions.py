"""Moving an enrolment between states, and promoting the waitlist when a seat frees.

Callers hold the cohort row lock (`write_transaction()` + `for_update`) around anything that
changes who holds a seat, so seat counts read here cannot go stale before the write.
"""

from __future__ import annotations

import peewee as pw

from econ.db import utcnow
from econ.errors import CommonCode, Conflict
from econ.security import audit
from econ.security.roles import Actor
from econ.training.models import Cohort, Enrollment, EnrollmentStatusChange
from econ.training.rules import BLOCKING, SEATED

PROMOTION_REASON = "a seat became free: promoted from the waitlist in order"


def move(
    enrollment: Enrollment,
    to_status: str,
    reason: str,
    actor: Actor | None,
    *,
    automatic: bool = False,
    **fields,
) -> Enrollment:
    """Write one transition (conditional on the status it was read in), its history row
    and its audit entry. The caller has checked the transition is allowed."""
    now = utcnow()
    values = {
        "status": to_status,
        "live_marker": 1 if to_status in BLOCKING else None,
        "updated_at": now,
        **fields,
    }
    if to_status in SEATED and enrollment.seated_at is None:
        values["seated_at"] = now
    updated = (
        Enrollment.update(**values)
        .where((Enrollment.id == enrollment.id) & (Enrollment.status == enrollment.status))
        .execute()
    )
    if updated != 1:
        raise Conflict(
            CommonCode.CONFLICT, "the enrolment changed meanwhile; reload and retry", "status"
        )
    EnrollmentStatusChange.create(
        enrollment=enrollment.id,
        from_status=enrollment.status,
        to_status=to_status,
        reason=reason[:500],
        at=now,
        by_user=None if automatic or actor is None else actor.user_id,
    )
    audit.record(
        actor,
        "promote_enrollment" if automatic else "set_enrollment_status",
        "Enrollment",
        enrollment.id,
        participant_id=enrollment.participant_id,
        fields=("status",),
    )
    for key, value in values.items():
        setattr(enrollment, key, value)
    return enrollment


def seat_counts(cohort_ids: list[int]) -> dict[int, tuple[int, int]]:
    """cohort id -> (seats taken, waitlist length), one grouped query."""
    if not cohort_ids:
        return {}
    counts = {cid: [0, 0] for cid in cohort_ids}
    rows = (
        Enrollment.select(Enrollment.cohort, Enrollment.status, pw.fn.COUNT(Enrollment.id))
        .where(Enrollment.cohort.in_(list(cohort_ids)))
        .group_by(Enrollment.cohort, Enrollment.status)
        .tuples()
    )
    for cohort_id, status, n in rows:
        if status in SEATED:
            counts[cohort_id][0] += n
        elif status == "WAITLISTED":
            counts[cohort_id][1] += n
    return {cid: (seated, waiting) for cid, (seated, waiting) in counts.items()}


def seats_taken(cohort: Cohort) -> int:
    return seat_counts([cohort.id])[cohort.id][0]


def waitlist_query(cohort_id: int) -> pw.ModelSelect:
    """The queue, first come first served (ids grow in commit order under the cohort lock)."""
    return (
        Enrollment.select()
        .where((Enrollment.cohort == cohort_id) & (Enrollment.status == "WAITLISTED"))
        .order_by(Enrollment.id)
    )


def promote_waitlist(cohort: Cohort, actor: Actor | None) -> list[Enrollment]:
    """Fill free seats from the head of the waitlist; every promotion is audited."""
    if cohort.status != "SCHEDULED":
        return []
    free = cohort.capacity - seats_taken(cohort)
    if free <= 0:
        return []
    promoted = []
    for enrollment in waitlist_query(cohort.id).limit(free):
        promoted.append(move(enrollment, "ENROLLED", PROMOTION_REASON, actor, automatic=True))
    return promoted
