"""New participant (issue 17 item 3): search before create, then the form with restricted
fields marked; errors beside their field with her other answers kept."""

from __future__ import annotations

import html

from econ.participants.models import Participant
from tests.web.counselor_client import PageClient


def test_search_before_create_shows_who_is_already_here(app, http, people):
    user, counselor = people.counselor()
    maria = people.participant(counselor, preferred_name="Maria")
    _, other = people.counselor()
    people.participant(other, preferred_name="Mariana")
    client = PageClient(app).sign_in(user.email)
    page = html.unescape(client.get("/staff/participants/new?search=mari").text)
    assert "Is she already here?" in page and maria.code in page
    assert "Mariana" not in page  # another caseload stays out of reach
    assert "Canary" not in page  # code and preferred name only
    assert 'value="mari"' in page  # the form starts with what she searched for
    assert "restricted: encrypted" in page


def test_create_with_a_bad_iban_keeps_her_answers_then_creates(app, http, people):
    user, counselor = people.counselor()
    client = PageClient(app).sign_in(user.email)
    form = {
        "preferredName": "Lucia",
        "legalName": "Lucia Canary",
        "bankAccount": "ES00 1234",
        "preferredLanguage": "es",
    }
    bad = client.post(
        "/staff/participants/new", form, token_from="/staff/participants/new?search=x"
    )
    assert bad.status_code == 200
    assert 'id="bankAccount-error"' in bad.text and 'aria-invalid="true"' in bad.text
    assert 'value="Lucia Canary"' in bad.text
    assert not Participant.select().where(Participant.preferred_name == "Lucia").exists()
    form["bankAccount"] = "ES9121000418450200051332"
    good = client.post(
        "/staff/participants/new",
        form,
        token_from="/staff/participants/new?search=x",
        follow_redirects=False,
    )
    assert good.status_code == 303
    lucia = Participant.get(Participant.preferred_name == "Lucia")
    assert good.headers["location"] == f"/staff/participants/{lucia.id}"
    assert lucia.counselor_id == counselor.user_id and lucia.preferred_language == "es"
    assert "Lucia Canary" not in client.get(good.headers["location"]).text


def test_no_participant_without_the_csrf_token(app, http, people):
    user, _ = people.counselor()
    client = PageClient(app).sign_in(user.email)
    answer = client.http.post(
        "/staff/participants/new", data={"preferredName": "Forged"}, headers={"Accept": "text/html"}
    )
    assert answer.status_code == 403
    assert not Participant.select().where(Participant.preferred_name == "Forged").exists()


def test_a_bad_date_does_not_hide_a_bad_iban(app, http, people):
    """Every error at once, each beside its field (issue 17 item 3)."""
    user, _ = people.counselor()
    client = PageClient(app).sign_in(user.email)
    form = {
        "preferredName": "Nadia",
        "dateOfBirth": "1990-02-30",
        "bankAccount": "ES00 1234",
        "phone": "call me",
        "preferredLanguage": "fr",
    }
    bad = client.post(
        "/staff/participants/new", form, token_from="/staff/participants/new?search=x"
    )
    assert bad.status_code == 200
    for field in ("dateOfBirth", "bankAccount", "phone"):
        assert f'id="{field}-error"' in bad.text, field
        assert f'aria-describedby="{field}-error"' in bad.text, field
    assert not Participant.select().where(Participant.preferred_name == "Nadia").exists()
