"""A cohort's class list over HTTP: the top-level cohort list, enrolling (a seat, or her
place on the waiting list said in words), completing with a credential; and the attacks
(another caseload, a forged enrolment, no CSRF)."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest

from econ.training import services as training
from econ.training.models import Cohort, Credential, Enrollment
from tests.outcomes import build as b
from tests.web.counselor_client import PageClient

TODAY = dt.date.today()
EVERY_DAY = ["MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN"]


@pytest.fixture
def desk(app, people):
    user, counselor = people.counselor()
    program = training.create_program(
        counselor,
        title="Cooking basics",
        provider="City School",
        description="Kitchen basics.",
        format="IN_PERSON",
        languages=["es"],
        total_hours="40",
        hours_per_week="10",
        cost="0",
        capacity=1,
        credential_name="Food handler certificate",
    )
    cohort = training.create_cohort(
        counselor,
        program.id,
        start_date=TODAY,
        end_date=TODAY + dt.timedelta(days=30),
        session_days=EVERY_DAY,
        location="Centro",
        capacity=1,
    )
    ana = people.participant(counselor, preferred_name="Ana")
    bea = people.participant(counselor, preferred_name="Bea")
    client = PageClient(app).sign_in(user.email)
    return client, counselor, cohort, ana, bea


def _words(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html.unescape(response.text)).split())


def _enrol(client, cohort, person):
    return client.post(
        f"/staff/cohorts/{cohort.id}",
        {"action": "enrol", "participant": str(person.id)},
        follow_redirects=False,
    )


def test_the_cohort_list_links_the_class_list(desk):
    client, _, cohort, _, _ = desk
    page = client.get("/staff/training")
    assert f'href="/staff/cohorts/{cohort.id}"' in page.text
    assert "Cooking basics" in _words(page) and "0/1" in _words(page)


def test_a_seat_then_the_waiting_list_with_her_place(desk):
    client, _, cohort, ana, bea = desk
    first = _enrol(client, cohort, ana)
    assert first.status_code == 303
    assert "Enrolled: she has a seat." in _words(client.get(first.headers["location"]))
    second = _enrol(client, cohort, bea)
    shown = _words(client.get(second.headers["location"]))
    assert "The cohort is full: she is number 1 on the waiting list." in shown
    assert "Number 1 Bea" in shown
    again = _words(
        client.post(f"/staff/cohorts/{cohort.id}", {"action": "enrol", "participant": str(bea.id)})
    )
    assert "not in your caseload" in again or "already in this cohort" in again


def test_complete_with_the_credential(desk, people):
    client, counselor, cohort, ana, _ = desk
    enrollment = training.enroll_participant(counselor, cohort.id, ana.id)
    training.set_enrollment_status(counselor, enrollment.id, "ACTIVE", "started")
    path = f"/staff/cohorts/{cohort.id}"
    page = client.get(path)
    assert "She completed the training" in _words(page)
    assert 'value="Food handler certificate"' in page.text
    done = client.post(
        path,
        {
            "action": "complete",
            "enrollment": str(enrollment.id),
            "completedOn": TODAY.isoformat(),
            "credentialName": "Food handler certificate",
            "credentialIssuer": "City School",
        },
        follow_redirects=False,
    )
    assert done.status_code == 303
    assert Enrollment.get_by_id(enrollment.id).status == "COMPLETED"
    credential = Credential.get(Credential.enrollment == enrollment.id)
    assert (credential.name, credential.issuer) == ("Food handler certificate", "City School")
    shown = _words(client.get(done.headers["location"]))
    assert "Completion saved." in shown and "Food handler certificate (City School)" in shown


def test_a_future_completion_date_is_refused_beside_her_row(desk):
    client, counselor, cohort, ana, _ = desk
    enrollment = training.enroll_participant(counselor, cohort.id, ana.id)
    training.set_enrollment_status(counselor, enrollment.id, "ACTIVE", "started")
    page = client.post(
        f"/staff/cohorts/{cohort.id}",
        {
            "action": "complete",
            "enrollment": str(enrollment.id),
            "completedOn": (TODAY + dt.timedelta(days=3)).isoformat(),
            "credentialName": "",
        },
    )
    assert f'id="error-{enrollment.id}"' in page.text
    assert Enrollment.get_by_id(enrollment.id).status == "ACTIVE"


def test_out_of_reach_and_forged(desk, people):
    client, _, cohort, ana, _ = desk
    _, other = people.counselor()
    zoe = people.participant(other, preferred_name="Zoe")
    theirs = training.enroll_participant(other, cohort.id, zoe.id)
    path = f"/staff/cohorts/{cohort.id}"
    assert "Zoe" not in _words(client.get(path))
    forged = client.post(path, {"action": "enrol", "participant": str(zoe.id)})
    assert "Not found, or not in your caseload." in _words(forged)
    forged = client.post(
        path,
        {"action": "complete", "enrollment": str(theirs.id), "completedOn": TODAY.isoformat()},
    )
    assert "Not found, or not in your caseload." in _words(forged)
    assert Enrollment.get_by_id(theirs.id).status != "COMPLETED"
    assert client.get("/staff/cohorts/99999999").status_code == 404
    no_csrf = client.http.post(
        path, data={"action": "enrol", "participant": str(ana.id)}, headers={"Accept": "text/html"}
    )
    assert no_csrf.status_code == 403
    assert not Enrollment.select().where(Enrollment.participant == ana.id).exists()


def test_a_class_of_more_than_a_page_is_listed_whole(app, people):
    """120 of her caseload hold a seat: the class list reads enrolments 100 a page until the
    list ends, and offers to enrol only those not yet in it."""
    user, counselor = people.counselor()
    coh = Cohort.create(
        program=b.program("Large"), start_date=TODAY, end_date=TODAY + dt.timedelta(days=9),
        capacity=200, session_days=EVERY_DAY,
    )  # fmt: skip
    for i in range(120):
        b.enrollment(coh, people.participant(counselor, preferred_name=f"Seat{i:03d}"), "ACTIVE")
    people.participant(counselor, preferred_name="Outside")
    page = PageClient(app).sign_in(user.email).get(f"/staff/cohorts/{coh.id}")
    assert page.status_code == 200
    listed = set(re.findall(r'id="enrollment-\d+"', page.text))
    assert len(listed) == 120
    chooser = page.text[page.text.index('name="participant"') :]
    assert "Outside" in chooser and "Seat000" not in chooser and "Seat119" not in chooser
