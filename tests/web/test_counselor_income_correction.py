"""Correcting a verified income record over HTTP (issue 17 item 8): the superseding
IncomeCorrection with a reason, errors beside their fields, the money tab showing it
waiting for a second person and then counted (the overview's income changes); another
caseload's record, an unverified one, a forged id, no CSRF."""

from __future__ import annotations

import html
import re

import pytest

from econ.participants import services as participants
from econ.participants.models import IncomeCorrection
from tests.web.counselor_client import PageClient


@pytest.fixture
def desk(app, people):
    user, counselor = people.counselor()
    rosa = people.participant(counselor, preferred_name="Rosa")
    record = participants.record_income(
        counselor, rosa.id, month="2026-10", source="EMPLOYMENT", amount="950.00"
    )
    record = participants.verify_income(counselor, record.id, record.version)
    client = PageClient(app).sign_in(user.email)
    return client, counselor, rosa, record


def _words(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html.unescape(response.text)).split())


def test_correct_then_a_second_person_verifies_and_it_counts(desk, people):
    client, _, rosa, record = desk
    money = f"/staff/participants/{rosa.id}/money"
    assert f"/staff/participants/{rosa.id}/income/{record.id}/correct" in client.get(money).text
    path = f"/staff/participants/{rosa.id}/income/{record.id}/correct"
    page = _words(client.get(path))
    assert "The record itself is never changed." in page and "€950.00" in page
    done = client.post(
        path, {"amount": "1010,00", "reason": "The payslip was misread"}, follow_redirects=False
    )
    assert done.status_code == 303 and done.headers["location"] == money + "?corrected=1"
    correction = IncomeCorrection.get()
    assert (str(correction.amount), correction.reason) == ("1010.00", "The payslip was misread")
    tab = _words(client.get(done.headers["location"]))
    assert "Correction saved." in tab
    assert "Correction to €1,010.00 waits for a second person to verify it" in tab
    _, finance = people.finance()
    participants.verify_correction(finance, correction.id)
    tab = _words(client.get(money))
    assert "€950.00 €1,010.00" in tab  # the record's amount crossed out, the counted one
    assert "waits for a second person" not in tab
    assert participants.verified_income_by_month([rosa.id])[rosa.id]["2026-10"] == 1010


def test_every_error_beside_its_field(desk):
    client, _, rosa, record = desk
    path = f"/staff/participants/{rosa.id}/income/{record.id}/correct"
    page = client.post(path, {"amount": "lots", "reason": ""})
    assert page.status_code == 200
    assert 'id="amount-error"' in page.text
    assert 'value="lots"' in page.text
    assert not IncomeCorrection.select().exists()
    page = client.post(path, {"amount": "1000", "reason": " "})
    assert 'id="reason-error"' in page.text and not IncomeCorrection.select().exists()


def test_out_of_reach_unverified_forged_and_no_csrf(desk, people, app):
    client, counselor, rosa, record = desk
    unverified = participants.record_income(
        counselor, rosa.id, month="2026-11", source="EMPLOYMENT", amount="900"
    )
    assert (
        client.get(f"/staff/participants/{rosa.id}/income/{unverified.id}/correct").status_code
        == 404
    )
    _, other = people.counselor()
    zoe = people.participant(other, preferred_name="Zoe")
    theirs = participants.record_income(
        other, zoe.id, month="2026-10", source="EMPLOYMENT", amount="700"
    )
    participants.verify_income(other, theirs.id, theirs.version)
    for path in (
        f"/staff/participants/{zoe.id}/income/{theirs.id}/correct",
        f"/staff/participants/{rosa.id}/income/{theirs.id}/correct",  # her id, their record
        f"/staff/participants/{rosa.id}/income/99999999/correct",
    ):
        assert client.get(path).status_code == 404, path
    forged = client.post(
        f"/staff/participants/{rosa.id}/income/{theirs.id}/correct",
        {"amount": "1", "reason": "x"},
        token_from=f"/staff/participants/{rosa.id}/money",
    )
    assert forged.status_code == 404
    no_csrf = client.http.post(
        f"/staff/participants/{rosa.id}/income/{record.id}/correct",
        data={"amount": "1", "reason": "x"},
        headers={"Accept": "text/html"},
    )
    assert no_csrf.status_code == 403
    assert not IncomeCorrection.select().exists()
