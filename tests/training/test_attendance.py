"""Attendance recorded for a class list per session day, and the attendance rate."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from econ.errors import DomainError
from econ.training import services as training
from econ.training.models import Attendance, Enrollment
from tests.training.conftest import TODAY, past_weekdays


def _record(kit, cohort, day, entries):
    return training.record_attendance(
        kit.counselor,
        cohort.id,
        day,
        [{"enrollment_id": e.id, "status": status} for e, status in entries],
    )


def test_bulk_day_for_the_class_and_the_rate(kit):
    cohort = kit.cohort()
    ana, bea = (
        kit.enroll(cohort, kit.participant("Ana")),
        kit.enroll(cohort, kit.participant("Bea")),
    )
    days = past_weekdays(5)
    plan = [
        ("PRESENT", "PRESENT"),
        ("PRESENT", "ABSENT"),
        ("EXCUSED", "ABSENT"),
        ("PRESENT", "EXCUSED"),
        ("ABSENT", "PRESENT"),
    ]
    for day, (a, b) in zip(days, plan, strict=True):
        _record(kit, cohort, day, [(ana, a), (bea, b)])
    rates = training.summaries([ana.id, bea.id])
    # Ana: 3 present, 1 excused, 5 days -> 3 / (5 - 1) = 0.75
    assert rates[ana.id].rate == Decimal("0.7500")
    # Bea: 2 present, 1 excused, 5 days -> 2 / (5 - 1) = 0.5
    assert rates[bea.id].rate == Decimal("0.5000")
    # the first recorded day made both ACTIVE
    assert {Enrollment.get_by_id(e.id).status for e in (ana, bea)} == {"ACTIVE"}


def test_recording_a_day_again_corrects_it(kit):
    cohort = kit.cohort()
    ana = kit.enroll(cohort)
    day = past_weekdays(1)[0]
    _record(kit, cohort, day, [(ana, "ABSENT")])
    _record(kit, cohort, day, [(ana, "EXCUSED")])
    rows = list(Attendance.select().where(Attendance.enrollment == ana.id))
    assert [(r.date, r.status) for r in rows] == [(day, "EXCUSED")]
    assert training.summaries([ana.id])[ana.id].rate is None  # 0 / (1 - 1): nothing to count


@pytest.mark.parametrize(
    ("day", "code"),
    [
        (TODAY - dt.timedelta(days=40), "DATE_OUTSIDE_COHORT"),  # before the start
        (TODAY + dt.timedelta(days=90), "DATE_OUTSIDE_COHORT"),  # after the end
        (
            next(
                TODAY + dt.timedelta(days=i)
                for i in range(1, 8)
                if (TODAY + dt.timedelta(days=i)).weekday() < 5
            ),
            "FUTURE_DATE",
        ),
    ],
)
def test_days_outside_the_cohort_or_in_the_future_are_refused(kit, day, code):
    cohort = kit.cohort()
    ana = kit.enroll(cohort)
    with pytest.raises(DomainError) as err:
        _record(kit, cohort, day, [(ana, "PRESENT")])
    assert (err.value.code, err.value.field) == (code, "date")
    assert Attendance.select().count() == 0


def test_a_weekday_without_session_is_refused(kit):
    cohort = kit.cohort(session_days=["MON", "WED"])
    ana = kit.enroll(cohort)
    tuesday = next(d for d in past_weekdays(7) if d.weekday() == 1)
    with pytest.raises(DomainError) as err:
        _record(kit, cohort, tuesday, [(ana, "PRESENT")])
    assert err.value.code == "NOT_A_SESSION_DAY"


def test_someone_not_enrolled_rejects_the_whole_list(kit):
    cohort = kit.cohort(capacity=1)
    ana = kit.enroll(cohort, kit.participant("Ana"))
    waiting = kit.enroll(cohort, kit.participant("Bea"))
    other_cohort_enrollment = kit.enroll(kit.cohort(), kit.participant("Cleo"))
    day = past_weekdays(1)[0]
    for stranger in (waiting, other_cohort_enrollment):
        with pytest.raises(DomainError) as err:
            _record(kit, cohort, day, [(ana, "PRESENT"), (stranger, "PRESENT")])
        assert (err.value.code, err.value.field) == ("NOT_ENROLLED", "entries.1.enrollmentId")
    assert Attendance.select().count() == 0
    assert Enrollment.get_by_id(ana.id).status == "ENROLLED"  # nothing written, not even this


def test_paused_enrolment_and_other_caseload_are_refused(kit, people):
    cohort = kit.cohort()
    ana = kit.enroll(cohort)
    kit.set(ana, "ACTIVE")
    kit.set(ana, "PAUSED", "health leave")
    day = past_weekdays(1)[0]
    with pytest.raises(DomainError) as err:
        _record(kit, cohort, day, [(ana, "PRESENT")])
    assert err.value.code == "NOT_ENROLLED"
    _, other = people.counselor()
    with pytest.raises(DomainError) as err:
        training.record_attendance(
            other, cohort.id, day, [{"enrollment_id": ana.id, "status": "PRESENT"}]
        )
    assert (err.value.code, err.value.field) == ("NOT_FOUND", "entries.0.enrollmentId")


def test_duplicate_and_bad_status_entries(kit):
    cohort = kit.cohort()
    ana = kit.enroll(cohort)
    day = past_weekdays(1)[0]
    with pytest.raises(DomainError) as err:
        _record(kit, cohort, day, [(ana, "PRESENT"), (ana, "ABSENT")])
    assert err.value.code == "DUPLICATE_ENTRY"
    with pytest.raises(DomainError) as err:
        _record(kit, cohort, day, [(ana, "LATE")])
    assert (err.value.code, err.value.field) == ("INVALID_CHOICE", "entries.0.status")
    with pytest.raises(DomainError) as err:
        _record(kit, cohort, day, [])
    assert err.value.code == "REQUIRED"
