"""Today's rows as actions (issue 17) over HTTP: each row links to the form where she acts;
a retention check recorded from her work tab, a training request answered from her
training tab (enrolled: a seat, or the waiting list when the cohort is full; declined with a
reason she reads), a held payment leading to her bank account; and the attacks: another
counselor's participant, a made-up item, a forged outcome, no CSRF token."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest

from econ.employers import services as employers
from econ.employers.models import RetentionCheckpoint
from econ.participants.models import Participant
from econ.security.roles import Actor, Role
from econ.training.models import Cohort, Enrollment, EnrollmentRequest
from tests.outcomes import build as b
from tests.web.counselor_client import PageClient

TODAY = dt.date.today()


@pytest.fixture
def desk(app, http, people):
    """Maria: a placement whose 30-day check is due and a request for a seat; Zoe, another
    counselor's, the same."""
    user, counselor = people.counselor()
    maria = people.participant(counselor, preferred_name="Maria")
    _, other = people.counselor()
    zoe = people.participant(other, preferred_name="Zoe")
    cohort = b.cohort(b.program(), TODAY + dt.timedelta(days=7), TODAY + dt.timedelta(days=60))
    made = {}
    for person in (maria, zoe):
        placement = b.placement(person, b.employer(), TODAY - dt.timedelta(days=40))
        check = RetentionCheckpoint.get(
            (RetentionCheckpoint.placement == placement) & (RetentionCheckpoint.days == 30)
        )
        asked = EnrollmentRequest.create(cohort=cohort, participant=person.id, note="mornings")
        made[person.id] = (check, asked)
    return PageClient(app).sign_in(user.email), maria, zoe, cohort, made


def _text(response) -> str:
    return html.unescape(response.text)


def test_each_row_links_to_the_form_where_she_acts(desk):
    client, maria, _, _, made = desk
    check, asked = made[maria.id]
    today = client.get("/staff/today").text
    record = f"/staff/participants/{maria.id}"
    assert f'href="{record}/work#check-{check.id}"' in today
    assert f'href="{record}/training#request-{asked.id}"' in today
    work = client.get(f"{record}/work").text
    assert f'id="check-{check.id}"' in work and f'action="{record}/checks/{check.id}"' in work
    not_due = RetentionCheckpoint.get(
        (RetentionCheckpoint.placement == check.placement_id) & (RetentionCheckpoint.days == 90)
    )
    assert f'action="{record}/checks/{not_due.id}"' not in work  # not due: no form
    training = client.get(f"{record}/training").text
    assert f'id="request-{asked.id}"' in training and "mornings" in training


def test_a_retention_check_recorded_from_her_work_tab(desk):
    client, maria, _, _, made = desk
    check, _ = made[maria.id]
    work = f"/staff/participants/{maria.id}/work"
    answer = client.post(
        f"/staff/participants/{maria.id}/checks/{check.id}",
        {"outcome": "CONFIRMED_EMPLOYED", "evidence": "payslip seen"},
        token_from=work,
        follow_redirects=False,
    )
    assert answer.status_code == 303
    assert answer.headers["location"] == f"{work}?check={check.id}&result=checked#check-{check.id}"
    stored = RetentionCheckpoint.get_by_id(check.id)
    evidence = employers.evidence_for(None, stored)  # sealed at rest (issue 14)
    assert (stored.status, evidence, stored.confirmer_role) == (
        "CONFIRMED_EMPLOYED",
        "payslip seen",
        "COUNSELOR",
    )
    page = _text(client.get(answer.headers["location"]))
    assert "The check is recorded." in page and "still works there (payslip seen)" in page
    assert f"#check-{check.id}" not in client.get("/staff/today").text  # off Today
    again = client.post(f"/staff/participants/{maria.id}/checks/{check.id}",
                        {"outcome": "UNREACHABLE"}, token_from=work)  # fmt: skip
    assert "This check is already confirmed." in _text(again)


def test_a_forged_outcome_is_refused_and_writes_nothing(desk):
    client, maria, _, _, made = desk
    check, _ = made[maria.id]
    work = f"/staff/participants/{maria.id}/work"
    answer = client.post(f"/staff/participants/{maria.id}/checks/{check.id}",
                         {"outcome": "HIRED_FOREVER"}, token_from=work)  # fmt: skip
    assert "Choose one of the options." in _text(answer)
    assert RetentionCheckpoint.get_by_id(check.id).status == "DUE"


def test_a_training_request_enrolled_then_the_next_one_on_the_waiting_list(desk, people):
    client, maria, _, cohort, made = desk
    _, asked = made[maria.id]
    training = f"/staff/participants/{maria.id}/training"
    answer = client.post(f"/staff/participants/{maria.id}/requests/{asked.id}",
                         {"action": "enrol"}, token_from=training)  # fmt: skip
    assert "Enrolled: she has a seat." in _text(answer)
    assert EnrollmentRequest.get_by_id(asked.id).status == "ACCEPTED"
    assert Enrollment.get(Enrollment.participant == maria.id).status == "ENROLLED"
    assert f"#request-{asked.id}" not in client.get("/staff/today").text
    Cohort.update(capacity=1).where(Cohort.id == cohort.id).execute()
    ana = people.participant(_her_counselor(maria), preferred_name="Ana")
    second = EnrollmentRequest.create(cohort=cohort, participant=ana.id)
    answer = client.post(f"/staff/participants/{ana.id}/requests/{second.id}",
                         {"action": "enrol"}, token_from=training)  # fmt: skip
    assert "The cohort is full: she is on its waiting list." in _text(answer)
    again = client.post(f"/staff/participants/{ana.id}/requests/{second.id}",
                        {"action": "enrol"}, token_from=training)  # fmt: skip
    assert "This request was already answered." in _text(again)


def _her_counselor(person) -> Actor:
    counselor = Participant.get_by_id(person.id).counselor_id
    return Actor(user_id=counselor, role=Role.COUNSELOR)


def test_a_training_request_declined_with_a_reason_she_reads(desk):
    client, maria, _, _, made = desk
    _, asked = made[maria.id]
    training = f"/staff/participants/{maria.id}/training"
    path = f"/staff/participants/{maria.id}/requests/{asked.id}"
    empty = client.post(path, {"action": "decline", "reason": "  "}, token_from=training)
    assert "Please write why: she reads it." in _text(empty)
    assert EnrollmentRequest.get_by_id(asked.id).status == "PENDING"
    answer = client.post(path, {"action": "decline", "reason": "The next cohort fits her hours"},
                         token_from=training)  # fmt: skip
    text = _text(answer)
    assert "Declined: she reads your reason on her training page." in text
    assert "declined (The next cohort fits her hours)" in text
    assert EnrollmentRequest.get_by_id(asked.id).status == "DECLINED"


def test_a_held_payment_leads_to_her_bank_account(desk):
    client, maria, _, _, _ = desk
    line = b.line(b.schedule(maria, "2026-01", 12), "2026-05")
    line.status, line.exception = "HELD", "NO_BANK_ACCOUNT"
    line.save()
    today = client.get("/staff/today").text
    assert f'href="/staff/participants/{maria.id}/edit#bankAccount"' in today
    assert "Her bank account" in today
    line.exception = "PAYEE_UNCONFIRMED"  # finance's to confirm: she reads why, on money
    line.save()
    today = _text(client.get("/staff/today"))
    assert "her new bank details wait for a finance colleague to confirm them" in today
    assert f'href="/staff/participants/{maria.id}/money#line-{line.id}"' in today
    assert f'id="line-{line.id}"' in client.get(f"/staff/participants/{maria.id}/money").text
    assert 'id="bankAccount"' in client.get(f"/staff/participants/{maria.id}/edit").text


def test_another_caseload_made_up_items_and_no_csrf_change_nothing(desk):
    client, maria, zoe, _, made = desk
    zoe_check, zoe_asked = made[zoe.id]
    maria_check, maria_asked = made[maria.id]
    tab = "/staff/today"
    for path, data in (
        (f"/staff/participants/{zoe.id}/checks/{zoe_check.id}", {"outcome": "UNREACHABLE"}),
        (f"/staff/participants/{zoe.id}/requests/{zoe_asked.id}", {"action": "enrol"}),
        # her own record, another woman's item: not on her record, so not found
        (f"/staff/participants/{maria.id}/checks/{zoe_check.id}", {"outcome": "UNREACHABLE"}),
        (f"/staff/participants/{maria.id}/requests/{zoe_asked.id}", {"action": "enrol"}),
        (f"/staff/participants/{maria.id}/checks/987654", {"outcome": "UNREACHABLE"}),
        (f"/staff/participants/{maria.id}/checks/99999999999999999999", {"outcome": "UNREACHABLE"}),
    ):
        answer = client.post(path, data, token_from=tab)
        assert answer.status_code == 404, path
        assert "Zoe" not in answer.text
    assert RetentionCheckpoint.get_by_id(zoe_check.id).status == "DUE"
    assert EnrollmentRequest.get_by_id(zoe_asked.id).status == "PENDING"
    forged = client.http.post(
        f"/staff/participants/{maria.id}/checks/{maria_check.id}",
        data={"outcome": "UNREACHABLE"},
        headers={"Accept": "text/html"},
    )
    assert forged.status_code == 403
    assert RetentionCheckpoint.get_by_id(maria_check.id).status == "DUE"
    back = client.get(f"/staff/participants/{maria.id}/requests/{maria_asked.id}",
                      follow_redirects=False)  # fmt: skip
    assert back.status_code == 303 and re.search(r"/training$", back.headers["location"])
