"""The attendance sheet (a whole session day of a cohort in one form) and the enrolment code
slip (issue 17 items 6 and 9), over HTTP."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest

from econ import logins
from econ.errors import DomainError
from econ.participants import enrolment
from econ.security import approvals
from econ.training.models import Attendance, Cohort, Enrollment
from tests.outcomes import build as b
from tests.web.counselor_client import PageClient

WEEKDAYS = ("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN")


@pytest.fixture
def cohort_of_eight(app, http, people):
    """A cohort meeting every day, 8 of her caseload attending, one on the waiting list and
    one of another counselor's caseload."""
    user, counselor = people.counselor()
    today = dt.date.today()
    coh = Cohort.create(
        program=b.program("Cooking"), start_date=today - dt.timedelta(days=20),
        end_date=today + dt.timedelta(days=20), capacity=10, session_days=list(WEEKDAYS),
    )  # fmt: skip
    seated = [
        b.enrollment(coh, people.participant(counselor, preferred_name=f"Cook{i}"), "ACTIVE")
        for i in range(8)
    ]
    waiting = people.participant(counselor, preferred_name="Waiting")
    b.enrollment(coh, waiting, "WAITLISTED", live_marker=None)
    _, other = people.counselor()
    b.enrollment(coh, people.participant(other, preferred_name="Elsewhere"), "ACTIVE")
    return PageClient(app).sign_in(user.email), coh, seated


def _form(page: str) -> dict:
    return {
        "csrf": re.search(r'name="csrf" value="([^"]+)"', page).group(1),
        "date": re.search(r'type="hidden" name="date" value="([^"]+)"', page).group(1),
    }


def test_a_whole_day_for_eight_in_one_form(cohort_of_eight):
    client, coh, seated = cohort_of_eight
    path = f"/staff/cohorts/{coh.id}/attendance"
    page = client.get(path)
    assert page.status_code == 200
    text = html.unescape(page.text)
    assert all(f"Cook{i}" in text for i in range(8))
    assert "Waiting" not in text and "Elsewhere" not in text
    form = _form(page.text)
    assert form["date"] == dt.date.today().isoformat()
    statuses = ["PRESENT"] * 6 + ["ABSENT", "EXCUSED"]
    for enrolment_row, status in zip(seated, statuses, strict=True):
        form[f"status-{enrolment_row.id}"] = status
    saved = client.http.post(path, data=form, headers={"Accept": "text/html"},
                             follow_redirects=False)  # fmt: skip
    assert saved.status_code == 303 and "saved=1" in saved.headers["location"]
    rows = {a.enrollment_id: a.status for a in Attendance.select()}
    assert rows == {e.id: s for e, s in zip(seated, statuses, strict=True)}
    again = client.get(saved.headers["location"])
    assert "Attendance saved" in html.unescape(again.text)
    assert again.text.count("checked") == 8  # the day shows what was recorded


def test_a_missing_choice_saves_nothing_and_says_where(cohort_of_eight):
    client, coh, seated = cohort_of_eight
    path = f"/staff/cohorts/{coh.id}/attendance"
    form = _form(client.get(path).text)
    for e in seated[1:]:
        form[f"status-{e.id}"] = "PRESENT"
    answer = client.http.post(path, data=form, headers={"Accept": "text/html"})
    assert answer.status_code == 200
    assert f'id="{seated[0].id}-error"' in answer.text
    assert Attendance.select().count() == 0
    assert answer.text.count("checked") == 7  # her other choices are kept


def test_an_earlier_day_and_no_future_or_made_up_day(cohort_of_eight):
    client, coh, seated = cohort_of_eight
    path = f"/staff/cohorts/{coh.id}/attendance"
    earlier = (dt.date.today() - dt.timedelta(days=3)).isoformat()
    page = client.get(f"{path}?date={earlier}")
    assert _form(page.text)["date"] == earlier
    future = (dt.date.today() + dt.timedelta(days=3)).isoformat()
    form = {**_form(client.get(path).text), "date": future}
    form.update({f"status-{e.id}": "PRESENT" for e in seated})
    answer = client.http.post(path, data=form, headers={"Accept": "text/html"})
    assert answer.status_code == 200 and 'id="date-error"' in answer.text
    assert Attendance.select().count() == 0
    assert _form(client.get(f"{path}?date=not-a-day").text)["date"] == dt.date.today().isoformat()


def test_a_forged_enrolment_in_the_form_changes_nothing(cohort_of_eight):
    """Only rows of her sheet are sent: a field for another enrolment is ignored."""
    client, coh, seated = cohort_of_eight
    path = f"/staff/cohorts/{coh.id}/attendance"
    elsewhere = Enrollment.select().where(Enrollment.id.not_in([e.id for e in seated])).get()
    form = _form(client.get(path).text)
    form.update({f"status-{e.id}": "PRESENT" for e in seated})
    form[f"status-{elsewhere.id}"] = "ABSENT"
    client.http.post(path, data=form, headers={"Accept": "text/html"})
    assert not Attendance.select().where(Attendance.enrollment == elsewhere.id).exists()


def test_training_list_links_each_cohort_sheet(cohort_of_eight):
    client, coh, _ = cohort_of_eight
    page = client.get("/staff/training")
    assert page.status_code == 200 and f"/staff/cohorts/{coh.id}/attendance" in page.text
    assert client.get("/staff/cohorts/987654/attendance").status_code == 404


def test_enrolment_code_is_shown_once_on_a_slip_in_her_language(app, http, people):
    user, counselor = people.counselor()
    her = people.participant(counselor, preferred_name="Nuria", preferred_language="es")
    client = PageClient(app).sign_in(user.email)
    path = f"/staff/participants/{her.id}/code"
    first = client.get(path).text
    assert "data-code" not in first and 'data-sign-in="NONE"' in first
    issued = client.post(path, {})
    assert issued.status_code == 200 and issued.headers["cache-control"] == "no-store"
    code = re.search(r"data-code>([^<]+)<", issued.text).group(1)
    assert 'lang="es"' in issued.text and 'data-sign-in="PENDING"' in issued.text
    # Her counselor follows the request; the code works only once an ADMIN approved it.
    assert 'data-sign-in="PENDING"' in client.get(path).text
    with pytest.raises(DomainError) as waiting:
        enrolment.redeem_code(code, "quiet-river", "orange kettle under moonlight")
    assert waiting.value.code == "NEEDS_APPROVAL"
    (request,) = approvals.list_requests(counselor, participant_id=her.id)
    logins.approve(people.admin()[1], request.id)
    assert 'data-sign-in="APPROVED"' in client.get(path).text
    token, _ = enrolment.redeem_code(code, "quiet-river", "orange kettle under moonlight")
    assert token
    again = client.post(path, {})
    second = re.search(r"data-code>([^<]+)<", again.text).group(1)
    assert second != code
    assert code not in client.get(path).text


def test_no_code_for_another_caseload(app, http, people):
    user, _ = people.counselor()
    _, other = people.counselor()
    theirs = people.participant(other, preferred_name="Theirs")
    client = PageClient(app).sign_in(user.email)
    answer = client.post(f"/staff/participants/{theirs.id}/code", {}, token_from="/staff/today")
    assert answer.status_code == 404 and "data-code" not in answer.text


def _class_of(people, counselor, size: int, left: int = 0) -> tuple[Cohort, list]:
    """A cohort meeting every day with `size` of her caseload attending, after `left`
    who withdrew (enrolled first, so they come first in the API's order)."""
    today = dt.date.today()
    coh = Cohort.create(
        program=b.program("Big class"), start_date=today - dt.timedelta(days=5),
        end_date=today + dt.timedelta(days=5), capacity=size + left, session_days=list(WEEKDAYS),
    )  # fmt: skip
    for i in range(left):
        b.enrollment(coh, people.participant(counselor, preferred_name=f"Left{i:02d}"), "WITHDRAWN")
    seated = [
        b.enrollment(coh, people.participant(counselor, preferred_name=f"Big{i:03d}"), "ACTIVE")
        for i in range(size)
    ]
    return coh, seated


def _save_all_present(client, coh, seated, page=None):
    path = f"/staff/cohorts/{coh.id}/attendance"
    form = _form((page or client.get(path)).text)
    form.update({f"status-{e.id}": "PRESENT" for e in seated})
    return client.http.post(path, data=form, headers={"Accept": "text/html"},
                            follow_redirects=False)  # fmt: skip


def test_a_class_list_of_thirty_fits_in_one_form(app, http, people):
    """More rows than a participant's form may have fields: the sheet allows one a row."""
    user, counselor = people.counselor()
    coh, seated = _class_of(people, counselor, 30)
    client = PageClient(app).sign_in(user.email)
    assert _save_all_present(client, coh, seated).status_code == 303
    assert Attendance.select().where(Attendance.cohort == coh.id).count() == 30


def test_a_class_list_longer_than_a_page_of_the_api_is_one_form(app, http, people):
    """110 of her caseload attend and 15 left first: the sheet reads page after page of
    enrolments (100 each), so nobody is left off the day's list."""
    user, counselor = people.counselor()
    coh, seated = _class_of(people, counselor, 110, left=15)
    client = PageClient(app).sign_in(user.email)
    page = client.get(f"/staff/cohorts/{coh.id}/attendance")
    assert len(set(re.findall(r"Big\d{3}", page.text))) == 110 and "Left" not in page.text
    assert _save_all_present(client, coh, seated, page).status_code == 303
    assert Attendance.select().where(Attendance.cohort == coh.id).count() == 110
