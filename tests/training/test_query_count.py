"""A cohort with its enrolments and their participants: SQL statements do not grow with rows."""

from __future__ import annotations

from econ.training import services as training
from tests.support.people import PASSWORD
from tests.support.queries import count_queries
from tests.training.conftest import Kit, past_weekdays

QUERY = """query C($id: ID!) { cohort(id: $id) {
  program { title skills { key } } seatsTaken seatsLeft waitlistLength
  enrollments(first: 40) { totalCount edges { node {
    id status statusReason attendanceRate attendance { present }
    credential { name } skillGains { edges { node { type } } }
    participant { code preferredName skills { key } enrollments { edges { node { id } } }
      credentials { edges { node { name } } } enrollmentRequests { edges { node { id } } } }
  } } }
  waitlist { totalCount edges { node { position enrollment { participant { code } } } } }
} }"""


def _statements_for(api, people, n: int) -> int:
    from tests.conftest import truncate_all

    truncate_all()
    kit = Kit(people)
    cohort = kit.cohort(capacity=n)
    enrollments = [kit.enroll(cohort, kit.participant(f"P{i}")) for i in range(n)]
    kit.enroll(cohort, kit.participant("Waiting"))
    day = past_weekdays(1)[0]
    training.record_attendance(
        kit.counselor,
        cohort.id,
        day,
        [{"enrollment_id": e.id, "status": "PRESENT"} for e in enrollments],
    )
    kit.complete(enrollments[0])
    token = api.login(kit.counselor_user.email, PASSWORD)
    with count_queries() as counter:
        data = api.query(QUERY, {"id": cohort.id}, token)
    assert data["cohort"]["enrollments"]["totalCount"] == n
    assert data["cohort"]["waitlist"]["totalCount"] == 1
    return counter.count


def test_cohort_listing_statement_count_does_not_grow_with_enrolments(api, people):
    assert _statements_for(api, people, 3) == _statements_for(api, people, 30)
