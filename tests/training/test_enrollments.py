"""Enrolment rules at the service layer: transitions, capacity, waitlist, requests."""

from __future__ import annotations

import pytest

from econ.errors import DomainError
from econ.training import services as training
from econ.training.models import Enrollment, EnrollmentRequest, EnrollmentStatusChange
from econ.training.rules import STATUSES, TRANSITIONS
from tests.training.conftest import past_weekdays


def _in_status(kit, status: str):
    """An enrolment brought to `status` through the real services."""
    if status == "WAITLISTED":
        cohort = kit.cohort(capacity=1)
        kit.enroll(cohort, kit.participant("Seat holder"))
        return kit.enroll(cohort)
    enrollment = kit.enroll(kit.cohort())
    if status == "ENROLLED":
        return enrollment
    if status == "WITHDRAWN":
        return kit.set(enrollment, "WITHDRAWN")
    kit.set(enrollment, "ACTIVE")
    if status == "PAUSED":
        return kit.set(enrollment, "PAUSED")
    if status == "COMPLETED":
        return kit.complete(enrollment)
    return enrollment


MANUAL = [(a, b) for a, moves in TRANSITIONS.items() for b, how in moves.items() if how == "manual"]
NOT_MANUAL = [
    (a, b) for a in STATUSES for b in STATUSES if a != b and TRANSITIONS[a].get(b) != "manual"
]


@pytest.mark.parametrize(("start", "target"), MANUAL)
def test_every_manual_transition_is_allowed_and_kept_in_history(kit, start, target):
    enrollment = _in_status(kit, start)
    moved = kit.set(enrollment, target, reason=f"{start} to {target}")
    assert moved.status == target
    assert Enrollment.get_by_id(enrollment.id).status == target
    last = EnrollmentStatusChange.select().order_by(EnrollmentStatusChange.id.desc()).first()
    assert (last.from_status, last.to_status, last.reason) == (
        start,
        target,
        f"{start} to {target}",
    )
    assert last.by_user == kit.counselor.user_id


@pytest.mark.parametrize(("start", "target"), NOT_MANUAL)
def test_every_other_move_is_refused_and_changes_nothing(kit, start, target):
    enrollment = _in_status(kit, start)
    before = EnrollmentStatusChange.select().count()
    with pytest.raises(DomainError) as err:
        kit.set(enrollment, target)
    assert err.value.code == "INVALID_TRANSITION"
    assert Enrollment.get_by_id(enrollment.id).status == start
    assert EnrollmentStatusChange.select().count() == before


def test_same_status_and_unknown_status_are_refused(kit):
    enrollment = kit.enroll(kit.cohort())
    with pytest.raises(DomainError) as err:
        kit.set(enrollment, "ENROLLED")
    assert err.value.code == "NO_CHANGE"
    with pytest.raises(DomainError) as err:
        kit.set(enrollment, "GRADUATED")
    assert err.value.code == "INVALID_STATUS"


def test_activating_before_the_cohort_starts_is_refused(kit):
    import datetime as dt

    cohort = kit.cohort(start_date=dt.date.today() + dt.timedelta(days=5))
    enrollment = kit.enroll(cohort)
    with pytest.raises(DomainError) as err:
        kit.set(enrollment, "ACTIVE")
    assert err.value.code == "NOT_STARTED"


def test_capacity_then_waitlist_then_promotion_in_arrival_order(kit):
    cohort = kit.cohort(capacity=2)
    names = ["Ana", "Bea", "Cleo", "Dina", "Eva"]
    enrolled = [kit.enroll(cohort, kit.participant(n)) for n in names]
    # capacity 2: the first two get seats, the other three queue in arrival order
    assert [e.status for e in enrolled] == [
        "ENROLLED",
        "ENROLLED",
        "WAITLISTED",
        "WAITLISTED",
        "WAITLISTED",
    ]
    assert [pos for pos, _ in training.waitlist(kit.counselor, cohort)] == [1, 2, 3]
    kit.set(enrolled[0], "WITHDRAWN", "moved to another city")
    status = {e.id: Enrollment.get_by_id(e.id).status for e in enrolled}
    # Ana's seat goes to Cleo, the head of the queue; Dina and Eva keep waiting
    assert [status[e.id] for e in enrolled] == [
        "WITHDRAWN",
        "ENROLLED",
        "ENROLLED",
        "WAITLISTED",
        "WAITLISTED",
    ]
    promotion = (
        EnrollmentStatusChange.select()
        .where(EnrollmentStatusChange.enrollment == enrolled[2].id)
        .order_by(EnrollmentStatusChange.id.desc())
        .first()
    )
    assert promotion.to_status == "ENROLLED" and promotion.by_user is None
    from econ.security.models import AuditEntry

    assert AuditEntry.get(AuditEntry.action == "promote_enrollment").record_id == str(
        enrolled[2].id
    )
    # withdrawing from the waitlist frees no seat: Eva stays waiting
    kit.set(enrolled[3], "WITHDRAWN", "found a job")
    assert Enrollment.get_by_id(enrolled[4].id).status == "WAITLISTED"
    # raising capacity by one promotes Eva at once
    training.update_cohort(kit.counselor, cohort.id, capacity=3)
    assert Enrollment.get_by_id(enrolled[4].id).status == "ENROLLED"


def test_paused_and_completed_keep_their_seats(kit):
    cohort = kit.cohort(capacity=2)
    first, second = kit.enroll(cohort), kit.enroll(cohort, kit.participant("Joy"))
    kit.set(first, "ACTIVE")
    kit.set(first, "PAUSED", "health leave")
    kit.set(second, "ACTIVE")
    kit.complete(second)
    waiting = kit.enroll(cohort, kit.participant("Lina"))
    assert waiting.status == "WAITLISTED"


def test_capacity_cannot_drop_below_seats_taken(kit):
    cohort = kit.cohort(capacity=3)
    kit.enroll(cohort)
    kit.enroll(cohort, kit.participant("Joy"))
    with pytest.raises(DomainError) as err:
        training.update_cohort(kit.counselor, cohort.id, capacity=1)
    assert err.value.code == "CAPACITY_BELOW_SEATS"
    assert training.get_cohort(kit.counselor, cohort.id).capacity == 3


def test_one_live_enrolment_per_cohort_but_re_entry_after_withdrawal(kit):
    cohort = kit.cohort()
    maria = kit.participant()
    first = kit.enroll(cohort, maria)
    with pytest.raises(DomainError) as err:
        kit.enroll(cohort, maria)
    assert err.value.code == "ALREADY_ENROLLED"
    kit.set(first, "WITHDRAWN", "family emergency")
    again = kit.enroll(cohort, maria)
    assert again.status == "ENROLLED" and again.id != first.id
    # the withdrawn one keeps its record and history
    assert Enrollment.get_by_id(first.id).status == "WITHDRAWN"


def test_counselor_cannot_enrol_outside_her_caseload_nor_an_inactive_participant(kit, people):
    from econ.participants import services as participants

    _, other = people.counselor()
    stranger = kit.participant("Stranger", counselor=other)
    cohort = kit.cohort()
    with pytest.raises(DomainError) as err:
        kit.enroll(cohort, stranger)
    assert err.value.code == "NOT_FOUND"
    paused = kit.participant("Paused")
    participants.set_status(kit.counselor, paused.id, "PAUSED", "health leave")
    with pytest.raises(DomainError) as err:
        kit.enroll(cohort, paused)
    assert err.value.code == "PARTICIPANT_NOT_ACTIVE"
    assert Enrollment.select().count() == 0


def test_participant_may_withdraw_herself_but_not_make_other_moves(kit, people):
    maria = kit.participant()
    enrollment = kit.enroll(kit.cohort(), maria)
    _, her = people.participant_login(kit.counselor, maria)
    with pytest.raises(DomainError) as err:
        training.set_enrollment_status(her, enrollment.id, "ACTIVE", "starting")
    assert err.value.code == "FORBIDDEN"
    moved = training.set_enrollment_status(her, enrollment.id, "WITHDRAWN", "I changed my mind")
    assert moved.status == "WITHDRAWN"


def test_request_then_enrol_accepts_it_and_decline_keeps_the_reason(kit, people):
    maria, joy = kit.participant(), kit.participant("Joy")
    cohort = kit.cohort()
    _, her = people.participant_login(kit.counselor, maria)
    _, joy_actor = people.participant_login(kit.counselor, joy)
    request = training.request_enrollment(her, cohort.id, "I would love to cook")
    with pytest.raises(DomainError) as err:
        training.request_enrollment(her, cohort.id)
    assert err.value.code == "ALREADY_REQUESTED"
    assert [r.id for r in training.enrollment_requests(kit.counselor, "PENDING")] == [request.id]
    enrollment = kit.enroll(cohort, maria)
    accepted = EnrollmentRequest.get_by_id(request.id)
    assert (accepted.status, accepted.enrollment_id) == ("ACCEPTED", enrollment.id)
    second = training.request_enrollment(joy_actor, cohort.id)
    declined = training.decline_request(kit.counselor, second.id, "the schedule clashes with work")
    assert (declined.status, declined.decision_reason) == (
        "DECLINED",
        "the schedule clashes with work",
    )
    # she sees only her own requests
    assert [r.id for r in training.enrollment_requests(joy_actor)] == [second.id]


def test_cancelling_a_cohort_withdraws_with_reason_and_keeps_completions(kit):
    cohort = kit.cohort(capacity=2)
    done = kit.enroll(cohort, kit.participant("Done"))
    kit.set(done, "ACTIVE")
    kit.complete(done)
    seated = kit.enroll(cohort, kit.participant("Seated"))
    waiting = kit.enroll(cohort, kit.participant("Waiting"))
    cancelled = training.cancel_cohort(kit.counselor, cohort.id, "the trainer fell ill")
    assert (cancelled.status, cancelled.cancelled_reason) == ("CANCELLED", "the trainer fell ill")
    for enrollment in (seated, waiting):
        assert Enrollment.get_by_id(enrollment.id).status == "WITHDRAWN"
        history = training.histories_by_enrollment([enrollment.id])[enrollment.id]
        assert history[-1].reason == "cohort cancelled: the trainer fell ill"
    assert Enrollment.get_by_id(done.id).status == "COMPLETED"
    with pytest.raises(DomainError) as err:
        kit.enroll(cohort, kit.participant("Late"))
    assert err.value.code == "COHORT_CANCELLED"


def test_a_started_cohort_cannot_be_deleted_an_unstarted_empty_one_can(kit):
    import datetime as dt

    started = kit.cohort()
    with pytest.raises(DomainError) as err:
        training.delete_cohort(kit.counselor, started.id)
    assert err.value.code == "COHORT_STARTED"
    future = kit.cohort(start_date=dt.date.today() + dt.timedelta(days=10))
    kit.enroll(future)
    with pytest.raises(DomainError) as err:
        training.delete_cohort(kit.counselor, future.id)
    assert err.value.code == "COHORT_HAS_ENROLLMENTS"
    empty = kit.cohort(start_date=dt.date.today() + dt.timedelta(days=10))
    training.delete_cohort(kit.counselor, empty.id)
    with pytest.raises(DomainError) as err:
        training.get_cohort(kit.counselor, empty.id)
    assert err.value.code == "NOT_FOUND"


def test_pausing_and_resuming_keep_attendance(kit):
    cohort = kit.cohort()
    enrollment = kit.enroll(cohort)
    first, second, third = past_weekdays(3)
    training.record_attendance(
        kit.counselor, cohort.id, first, [{"enrollment_id": enrollment.id, "status": "PRESENT"}]
    )
    training.record_attendance(
        kit.counselor, cohort.id, second, [{"enrollment_id": enrollment.id, "status": "ABSENT"}]
    )
    kit.set(enrollment, "PAUSED", "health leave")
    kit.set(enrollment, "ACTIVE", "back")
    training.record_attendance(
        kit.counselor, cohort.id, third, [{"enrollment_id": enrollment.id, "status": "PRESENT"}]
    )
    summary = training.summaries([enrollment.id])[enrollment.id]
    # 2 present of 3 recorded days, none excused: 2/3 = 0.6667
    assert (summary.present, summary.absent, summary.recorded_days) == (2, 1, 3)
    assert str(summary.rate) == "0.6667"
