"""The ADMIN's catalogue page over HTTP (issue 19): the skills vocabulary kept in three
languages, retired and offered again; training programs offered or not; and the attacks:
another role, no CSRF token, a hostile key, no case data on the page."""

from __future__ import annotations

import html

import pytest

from econ.training import services as training
from econ.training.models import SkillTerm
from tests.web.counselor_client import PageClient

TERM = {"key": "esco:skill/welding", "labelEn": "Welding", "labelEs": "Soldadura",
        "labelFr": "Soudure", "active": "on"}  # fmt: skip


def _text(response) -> str:
    return html.unescape(response.text)


@pytest.fixture
def admin(app, http, people):
    user, actor = people.admin()
    return PageClient(app).sign_in(user.email), actor


def test_admin_adds_retires_and_offers_again_a_skill(admin):
    client, _ = admin
    page = _text(client.get("/admin/catalogue"))
    assert "Skills vocabulary" in page and "Training programs" in page
    saved = client.post("/admin/catalogue/skills", TERM, token_from="/admin/catalogue",
                        follow_redirects=False)  # fmt: skip
    assert saved.status_code == 303
    term = SkillTerm.get(SkillTerm.key == "esco:skill/welding")
    assert (term.label_es, term.label_fr, term.active) == ("Soldadura", "Soudure", True)
    page = _text(client.get("/admin/catalogue"))
    assert "Soldadura" in page and "Retire esco:skill/welding" in page
    client.post("/admin/catalogue/skills", {**TERM, "active": ""}, token_from="/admin/catalogue")
    assert SkillTerm.get_by_id(term.id).active is False
    assert "Offer esco:skill/welding again" in _text(client.get("/admin/catalogue"))


def test_a_missing_label_or_a_bad_key_is_told_beside_its_field(admin):
    client, _ = admin
    missing = _text(client.post("/admin/catalogue/skills", {**TERM, "labelFr": ""},
                                token_from="/admin/catalogue"))  # fmt: skip
    assert "Please fill this in." in missing and 'value="Soldadura"' in missing
    bad = _text(client.post("/admin/catalogue/skills", {**TERM, "key": "<b>x y</b>"},
                            token_from="/admin/catalogue"))  # fmt: skip
    assert "without spaces" in bad
    assert SkillTerm.select().count() == 0


def test_programs_are_listed_and_can_stop_being_offered(admin):
    client, actor = admin
    program = training.create_program(
        actor, title="Bookkeeping basics", provider="Academy", format="IN_PERSON",
        languages=["es"], total_hours="40", hours_per_week="4", capacity=10,
        skills=[{"key": "bookkeeping", "label": "Bookkeeping"}],
    )  # fmt: skip
    page = _text(client.get("/admin/catalogue"))
    assert "Bookkeeping basics" in page and "(not in the vocabulary)" in page
    client.post(f"/admin/catalogue/programs/{program.id}", {"active": ""},
                token_from="/admin/catalogue")  # fmt: skip
    assert "Not offered." in _text(client.get("/admin/catalogue"))


def test_other_roles_and_forms_without_csrf_change_nothing(admin, app, people):
    client, _ = admin
    bare = client.http.post("/admin/catalogue/skills", data=TERM, headers={"Accept": "text/html"})
    assert bare.status_code == 403 and SkillTerm.select().count() == 0
    for user, _ in (people.counselor(), people.employer()):
        other = PageClient(app).sign_in(user.email)
        sent = other.get("/admin/catalogue", follow_redirects=False)
        assert sent.status_code == 303 and "/admin" not in sent.headers["location"]
    before = SkillTerm.select().count()  # the employer login above seeds the demo vocabulary
    employer_user, _ = people.employer()
    other = PageClient(app).sign_in(employer_user.email)
    other.post("/admin/catalogue/skills", TERM, token_from="/employer/openings")
    assert SkillTerm.select().count() == before
