"""User stories over HTTP: a counselor runs a course; who sees what."""

from __future__ import annotations

from econ.stipends.models import IncentiveAward
from tests.support.pages import nodes
from tests.support.people import PASSWORD
from tests.training.conftest import TODAY, past_weekdays

ENROLLMENT = """id status attendanceRate attendance { present absent excused recordedDays }
  credential { name issuer issuedOn reference } cohort { id program { title } }"""
PARTICIPANT_TRAINING = (
    "query P($id: ID!) { participant(id: $id) { enrollments { edges { node { "
    + ENROLLMENT
    + " } } } credentials { edges { node { name issuedOn } } } } }"
)
COHORT = """query C($id: ID!) { cohort(id: $id) { id capacity seatsTaken waitlistLength
  enrollments(first: 50) { totalCount edges { node { id status participant { code } } } } } }"""


def _token(api, user) -> str:
    return api.login(user.email, PASSWORD)


def _build_course(api, token) -> tuple[str, str]:
    program = api.ok(
        "createTrainingProgram",
        {
            "title": "Bookkeeping for small businesses",
            "provider": "Centro de Formación Lavapiés",
            "description": "Invoices, VAT returns, a spreadsheet ledger.",
            "format": "HYBRID",
            "languages": ["es"],
            "totalHours": "80",
            "hoursPerWeek": "6",
            "cost": "640.00",
            "capacity": 10,
            "credentialName": "Certificate in basic bookkeeping",
            "skills": [{"key": "bookkeeping", "label": "Bookkeeping"}],
        },
        "trainingProgram { id cost { amount currency } skills { key } }",
        token,
    )["trainingProgram"]
    assert program["cost"] == {"amount": "640.00", "currency": "EUR"}
    cohort = api.ok(
        "createCohort",
        {
            "programId": program["id"],
            "startDate": past_weekdays(5)[0].isoformat(),
            "endDate": "2099-12-31",
            "sessionDays": ["MON", "TUE", "WED", "THU", "FRI"],
            "location": "Madrid - Lavapiés",
        },
        "cohort { id capacity }",
        token,
    )["cohort"]
    assert cohort["capacity"] == 10  # the program's default
    return program["id"], cohort["id"]


def test_counselor_runs_a_course_and_each_woman_sees_only_her_own(api, people):
    counselor_user, counselor = people.counselor()
    token = _token(api, counselor_user)
    _, cohort_id = _build_course(api, token)
    maria = people.participant(counselor, preferred_name="Maria")
    joy = people.participant(counselor, preferred_name="Joy")
    enrollment_ids = []
    for person in (maria, joy):
        payload = api.ok(
            "enrollParticipant",
            {"cohortId": cohort_id, "participantId": person.id},
            "enrollment { id status }",
            token,
        )
        assert payload["enrollment"]["status"] == "ENROLLED"
        enrollment_ids.append(payload["enrollment"]["id"])
    maria_enr, joy_enr = enrollment_ids
    day1, day2 = past_weekdays(2)
    for day, statuses in ((day1, ("PRESENT", "PRESENT")), (day2, ("PRESENT", "ABSENT"))):
        payload = api.ok(
            "recordAttendance",
            {
                "cohortId": cohort_id,
                "date": day.isoformat(),
                "entries": [
                    {"enrollmentId": maria_enr, "status": statuses[0]},
                    {"enrollmentId": joy_enr, "status": statuses[1]},
                ],
            },
            "recorded",
            token,
        )
        assert payload["recorded"] == 2
    done = api.ok(
        "completeEnrollment",
        {
            "enrollmentId": maria_enr,
            "completedOn": TODAY.isoformat(),
            "credential": {"name": "Certificate in basic bookkeeping", "reference": "CB-77"},
        },
        "enrollment { status completedOn }",
        token,
    )["enrollment"]
    assert done == {"status": "COMPLETED", "completedOn": TODAY.isoformat()}
    assert IncentiveAward.select().count() == 1

    maria_user, _ = people.participant_login(counselor, maria)
    mine = api.query(PARTICIPANT_TRAINING, {"id": maria.id}, _token(api, maria_user))
    [enrollment] = nodes(mine["participant"]["enrollments"])
    assert enrollment["id"] == maria_enr and enrollment["status"] == "COMPLETED"
    # present on both recorded days: 2 / (2 - 0) = 1.0
    assert enrollment["attendanceRate"] == 1.0
    assert enrollment["attendance"] == {"present": 2, "absent": 0, "excused": 0, "recordedDays": 2}
    assert enrollment["credential"] == {
        "name": "Certificate in basic bookkeeping",
        "issuer": "Centro de Formación Lavapiés",
        "issuedOn": TODAY.isoformat(),
        "reference": "CB-77",
    }
    assert nodes(mine["participant"]["credentials"]) == [
        {"name": "Certificate in basic bookkeeping", "issuedOn": TODAY.isoformat()}
    ]
    # nobody else's: Joy's record is out of reach, and the cohort lists only Maria's
    body = api.post(PARTICIPANT_TRAINING, {"id": joy.id}, _token(api, maria_user))
    assert body["data"] == {"participant": None}
    cohort = api.query(COHORT, {"id": cohort_id}, _token(api, maria_user))["cohort"]
    assert [e["node"]["id"] for e in cohort["enrollments"]["edges"]] == [maria_enr]
    assert api.query(
        "query E($id: ID!) { enrollment(id: $id) { id } }", {"id": joy_enr}, _token(api, maria_user)
    ) == {"enrollment": None}

    # Joy: present 1 of 2 recorded days -> 0.5, as her counselor sees it
    joy_view = api.query(PARTICIPANT_TRAINING, {"id": joy.id}, token)
    assert nodes(joy_view["participant"]["enrollments"])[0]["attendanceRate"] == 0.5
    assert nodes(joy_view["participant"]["credentials"]) == []


def test_employer_sees_no_enrolment_data(api, people):
    counselor_user, counselor = people.counselor()
    token = _token(api, counselor_user)
    _, cohort_id = _build_course(api, token)
    maria = people.participant(counselor)
    api.ok(
        "enrollParticipant",
        {"cohortId": cohort_id, "participantId": maria.id},
        "enrollment { id }",
        token,
    )
    from econ.employers import services as employers

    _, admin = people.admin()
    employer_user, _ = people.employer(employers.create_employer(admin, name="Hotel Sol").id)
    employer = _token(api, employer_user)
    # the catalogue is open to every signed-in user...
    programs = api.query("{ trainingPrograms { totalCount } }", None, employer)
    assert programs["trainingPrograms"]["totalCount"] == 1
    # ...enrolments, waitlist and seat counts are not
    fields = (
        "enrollments { totalCount }",
        "waitlist { totalCount }",
        "seatsTaken",
        "waitlistLength",
    )
    for field in fields:
        body = api.post(
            "query C($id: ID!) { cohort(id: $id) { " + field + " } }", {"id": cohort_id}, employer
        )
        [error] = body["errors"]
        assert (error["path"][-1], error["extensions"]["code"]) == (field.split()[0], "FORBIDDEN")
        assert body["data"] in ({"cohort": None}, {"cohort": {field: None}})
    body = api.post(
        "query P($id: ID!) { participant(id: $id) { enrollments { totalCount } "
        "credentials { totalCount } } }",
        {"id": maria.id},
        employer,
    )
    assert body["data"] == {"participant": None}
    body = api.post("{ enrollmentRequests { totalCount } }", None, employer)
    assert body["data"]["enrollmentRequests"]["totalCount"] == 0


def test_participant_requests_a_seat_and_counselor_sees_a_cancellation(api, people):
    counselor_user, counselor = people.counselor()
    token = _token(api, counselor_user)
    _, cohort_id = _build_course(api, token)
    maria = people.participant(counselor)
    maria_user, _ = people.participant_login(counselor, maria)
    her = _token(api, maria_user)
    request = api.ok(
        "requestEnrollment",
        {"cohortId": cohort_id, "note": "I keep the books for my sister's shop"},
        "request { id status }",
        her,
    )["request"]
    assert request["status"] == "PENDING"
    pending = api.query(
        "{ enrollmentRequests(status: PENDING) { edges { node { id } } } }", None, token
    )
    assert [e["node"]["id"] for e in pending["enrollmentRequests"]["edges"]] == [request["id"]]
    enrollment = api.ok(
        "enrollParticipant",
        {"cohortId": cohort_id, "participantId": maria.id},
        "enrollment { id }",
        token,
    )["enrollment"]
    # she cannot enrol herself nor activate; a counselor's mutation refuses her
    refused = api.mutate(
        "setEnrollmentStatus",
        {"enrollmentId": enrollment["id"], "status": "ACTIVE", "reason": "go"},
        "enrollment { id }",
        her,
    )
    assert [e["code"] for e in refused["errors"]] == ["FORBIDDEN"]
    api.ok(
        "cancelCohort",
        {"cohortId": cohort_id, "reason": "the venue closed"},
        "cohort { id }",
        token,
    )
    seen = api.query(
        """query E($id: ID!) { enrollment(id: $id) { status statusReason
             statusHistory { edges { node { toStatus reason automatic } } }
             cohort { status cancelledReason } } }""",
        {"id": enrollment["id"]},
        token,
    )["enrollment"]
    assert seen["status"] == "WITHDRAWN"
    assert seen["statusReason"] == "cohort cancelled: the venue closed"
    assert seen["cohort"] == {"status": "CANCELLED", "cancelledReason": "the venue closed"}
    moves = [e["node"]["toStatus"] for e in seen["statusHistory"]["edges"]]
    assert moves == ["ENROLLED", "WITHDRAWN"]


def test_validation_errors_come_back_as_payload_errors(api, people):
    counselor_user, _ = people.counselor()
    token = _token(api, counselor_user)
    payload = api.mutate(
        "createTrainingProgram",
        {
            "title": "X",
            "provider": "Y",
            "format": "ONLINE",
            "languages": ["es"],
            "totalHours": "0",
            "hoursPerWeek": "5",
            "capacity": 5,
        },
        "trainingProgram { id }",
        token,
    )
    assert payload["trainingProgram"] is None
    assert payload["errors"] == [
        {"field": "totalHours", "code": "INVALID_HOURS", "message": payload["errors"][0]["message"]}
    ]
