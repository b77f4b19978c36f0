"""Property: whatever the order of enrolments, withdrawals and capacity raises, the cohort
never overbooks, never leaves a seat empty while someone waits, and seats go in arrival order.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from econ.training import services as training
from econ.training.models import Enrollment
from econ.training.rules import SEATED
from tests.training.conftest import Kit

# ("enrol",) adds the next woman; ("withdraw", k) withdraws the k-th live enrolment (mod);
# ("raise", n) raises capacity by n.
OPERATIONS = st.lists(
    st.one_of(
        st.just(("enrol", 0)),
        st.tuples(st.just("withdraw"), st.integers(0, 20)),
        st.tuples(st.just("raise"), st.integers(1, 2)),
    ),
    min_size=1,
    max_size=14,
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(capacity=st.integers(1, 4), operations=OPERATIONS)
def test_seats_never_overbook_nor_idle_and_follow_arrival_order(people, capacity, operations):
    from tests.conftest import truncate_all

    truncate_all()
    kit = Kit(people)
    cohort = kit.cohort(capacity=capacity)
    for index, (op, arg) in enumerate(operations):
        if op == "enrol":
            kit.enroll(cohort, kit.participant(f"P{index}"))
        elif op == "withdraw":
            live = list(
                Enrollment.select()
                .where(
                    (Enrollment.cohort == cohort.id)
                    & Enrollment.status.in_(["WAITLISTED", "ENROLLED"])
                )
                .order_by(Enrollment.id)
            )
            if live:
                kit.set(live[arg % len(live)], "WITHDRAWN", "left")
        else:
            cohort = training.update_cohort(
                kit.counselor, cohort.id, capacity=cohort.capacity + arg
            )
        rows = list(
            Enrollment.select().where(Enrollment.cohort == cohort.id).order_by(Enrollment.id)
        )
        seated = [e for e in rows if e.status in SEATED]
        waiting = [e for e in rows if e.status == "WAITLISTED"]
        assert len(seated) <= cohort.capacity
        assert not waiting or len(seated) == cohort.capacity
        # first come, first served: everyone holding a seat arrived before everyone waiting
        if waiting and seated:
            assert max(e.id for e in seated) < min(e.id for e in waiting)
