"""The plan editor over HTTP: change one step without re-sending the others, the change
shown against the current revision before it is saved, her agreement state, errors beside
their fields; and the attacks (another caseload, no CSRF, a stale form, hostile text)."""

from __future__ import annotations

import html
import re

import pytest

from econ.participants import services
from econ.participants.models import Milestone, Plan
from tests.web.counselor_client import PageClient

STEPS = [
    {"title": "Open a bank account", "category": "BANKING", "due_date": "2027-01-15"},
    {"title": "Write a CV", "category": "EMPLOYMENT", "due_date": "2027-02-01"},
    {"title": "Find a childminder", "category": "OTHER"},
]


@pytest.fixture
def desk(app, people):
    user, counselor = people.counselor()
    maria = people.participant(counselor, preferred_name="Maria")
    services.revise_plan(
        counselor, maria.id, pathways=["EMPLOYMENT"], target_monthly_income="1200", milestones=STEPS
    )
    client = PageClient(app).sign_in(user.email)
    return client, counselor, maria


def _text(response) -> str:
    return html.unescape(response.text)


def _words(response) -> str:
    """The page's words without markup, one space between them."""
    return " ".join(re.sub(r"<[^>]+>", " ", _text(response)).split())


def _steps(maria) -> dict[str, Milestone]:
    plan = Plan.get(Plan.participant == maria.id)
    return {m.title: m for m in plan.milestones}


def _form(page: str) -> dict[str, str]:
    """The editor's fields as the browser would post them unchanged."""
    fields = dict(re.findall(r'<input id="([^"]+)" name="[^"]+"[^>]*? value="([^"]*)"', page))
    fields.update(
        (name, value)
        for name, value in re.findall(
            r'<select id="([^"]+)" name="[^"]+"[^>]*>'
            r'(?:(?!</select>).)*?<option value="([^"]+)" selected',
            page,
            re.S,
        )
    )
    fields.update(
        (n, "on") for n in re.findall(r'name="(pathway-[A-Z]+)" value="on" checked', page)
    )
    return {k: html.unescape(v) for k, v in fields.items()}


def test_one_step_changed_is_previewed_against_the_current_revision_then_saved(desk):
    client, _, maria = desk
    path = f"/staff/participants/{maria.id}/plan/edit"
    page = client.get(path)
    assert page.status_code == 200
    assert "Revision 1 waits for her agreement." in _text(page)
    cv = _steps(maria)["Write a CV"]
    fields = _form(page.text)
    assert fields[f"title-{cv.id}"] == "Write a CV" and fields[f"due-{cv.id}"] == "2027-02-01"
    fields[f"due-{cv.id}"] = "2027-03-15"
    preview = client.post(path, {**fields, "action": "preview"})
    text = _text(preview)
    assert "The change you are about to make" in text
    assert "Revision 2, compared with revision 1." in text
    assert "Feb 1, 2027" in text and "Mar 15, 2027" in text
    assert (
        "Open a bank account"
        not in text.split("The change you are about to make")[1].split("After you save")[0]
    )  # an untouched step is not part of the change
    assert Plan.get(Plan.participant == maria.id).revision == 1  # nothing saved yet
    kept = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', preview.text))
    kept.pop("csrf")
    saved = client.post(path, {**kept, "action": "save"}, follow_redirects=False)
    assert saved.status_code == 303
    assert saved.headers["location"] == f"/staff/participants/{maria.id}/plan?saved=1"
    after = _steps(maria)
    assert after["Write a CV"].due_date.isoformat() == "2027-03-15"
    assert after["Open a bank account"].due_date.isoformat() == "2027-01-15"
    assert {m.status for m in after.values()} == {"OPEN"}
    tab = _text(client.get(saved.headers["location"]))
    assert "Saved as revision 2. It waits for her agreement." in tab
    assert "Revision 2 waits for her agreement." in tab


def test_add_one_and_drop_one_in_one_revision(desk):
    client, _, maria = desk
    path = f"/staff/participants/{maria.id}/plan/edit"
    fields = _form(client.get(path).text)
    childminder = _steps(maria)["Find a childminder"]
    fields.update(
        {
            f"drop-{childminder.id}": "on",
            "title-new": "Driving licence",
            "category-new": "EDUCATION",
            "due-new": "2027-06-30",
        }
    )
    preview = _words(client.post(path, {**fields, "action": "preview"}))
    assert "Added Driving licence · Education · Jun 30, 2027" in preview
    assert "Dropped Find a childminder (kept in the history, marked as dropped)" in preview
    saved = client.post(path, {**fields, "base": "1", "action": "save"}, follow_redirects=False)
    assert saved.status_code == 303
    after = _steps(maria)
    assert after["Find a childminder"].status == "DROPPED"
    assert after["Driving licence"].due_date.isoformat() == "2027-06-30"
    assert len(after) == 4


def test_errors_are_shown_beside_their_fields_all_at_once(desk):
    client, _, maria = desk
    path = f"/staff/participants/{maria.id}/plan/edit"
    steps = _steps(maria)
    fields = _form(client.get(path).text)
    bank, cv = steps["Open a bank account"], steps["Write a CV"]
    fields.update({f"title-{cv.id}": "", f"due-{bank.id}": "2027-02-30", "target": "a lot"})
    page = client.post(path, {**fields, "base": "1", "action": "save"})
    assert page.status_code == 200
    assert f'id="title-{cv.id}-error"' in page.text
    assert f'id="due-{bank.id}-error"' in page.text
    assert 'id="target-error"' in page.text
    assert (
        f'id="due-{bank.id}" name="due-{bank.id}" type="date" value="2027-02-30" aria-invalid'
        in page.text
    )
    assert Plan.get(Plan.participant == maria.id).revision == 1


def test_a_form_of_an_older_revision_is_not_saved_over_the_new_one(desk):
    client, counselor, maria = desk
    path = f"/staff/participants/{maria.id}/plan/edit"
    fields = _form(client.get(path).text)
    cv = _steps(maria)["Write a CV"]
    services.change_plan(
        counselor,
        maria.id,
        services.PlanChange(base_revision=1, update=[services.MilestonePatch(cv.id, "My CV")]),
    )
    fields[f"due-{cv.id}"] = "2027-05-01"
    page = _text(client.post(path, {**fields, "base": "1", "action": "save"}))
    assert "The plan changed while you were editing it." in page
    assert Milestone.get_by_id(cv.id).title == "My CV"
    assert Milestone.get_by_id(cv.id).due_date.isoformat() == "2027-02-01"


def test_nothing_changed_says_so(desk):
    client, _, maria = desk
    path = f"/staff/participants/{maria.id}/plan/edit"
    fields = _form(client.get(path).text)
    page = _text(client.post(path, {**fields, "action": "preview"}))
    assert "You changed nothing yet" in page


def test_her_agreement_state_after_a_new_revision(desk, people):
    client, counselor, maria = desk
    _, her = people.participant_login(counselor, maria)
    services.agree_to_plan(her, maria.id, 1)
    assert "She agreed to revision 1 on" in _text(
        client.get(f"/staff/participants/{maria.id}/plan")
    )
    cv = _steps(maria)["Write a CV"]
    services.change_plan(
        counselor,
        maria.id,
        services.PlanChange(base_revision=1, drop=[cv.id]),
    )
    page = _words(client.get(f"/staff/participants/{maria.id}/plan/edit"))
    assert "Revision 2 waits for her agreement. She last agreed to revision 1." in page


def test_out_of_reach_forged_csrfless_and_hostile(desk, app, people):
    client, _, maria = desk
    _, other = people.counselor()
    zoe = people.participant(other, preferred_name="Zoe")
    assert client.get(f"/staff/participants/{zoe.id}/plan/edit").status_code == 404
    assert client.get("/staff/participants/99999999/plan/edit").status_code == 404
    assert client.get("/staff/participants/99999999999999999999/plan/edit").status_code == 404
    path = f"/staff/participants/{maria.id}/plan/edit"
    cv = _steps(maria)["Write a CV"]
    no_csrf = client.http.post(
        path,
        data={f"title-{cv.id}": "x", "action": "save", "base": "1"},
        headers={"Accept": "text/html"},
    )
    assert no_csrf.status_code == 403
    # another counselor's form posted at Zoe's editor: not found, nothing written
    posted = client.post(
        f"/staff/participants/{zoe.id}/plan/edit",
        {"title-new": "x", "action": "save", "base": "0"},
        token_from=path,
    )
    assert posted.status_code == 404
    hostile = '<script>alert(1)</script>"'
    fields = _form(client.get(path).text)
    fields[f"title-{cv.id}"] = hostile
    fields["category-new"] = "NOPE"
    preview = client.post(path, {**fields, "action": "preview"})
    assert "<script>alert(1)</script>" not in preview.text
    saved = client.post(path, {**fields, "base": "1", "action": "save"}, follow_redirects=False)
    assert saved.status_code == 303
    assert Milestone.get_by_id(cv.id).title == hostile.strip()
    shown = client.get(f"/staff/participants/{maria.id}/plan")
    assert "<script>alert(1)</script>" not in shown.text and "&lt;script&gt;" in shown.text
    signed_out = PageClient(app).get(path, follow_redirects=False)
    assert signed_out.status_code == 303 and "/sign-in" in signed_out.headers["location"]


def test_her_first_plan_is_written_as_a_change(desk, people):
    client, counselor, _ = desk
    amal = people.participant(counselor, preferred_name="Amal")
    path = f"/staff/participants/{amal.id}/plan/edit"
    page = client.get(path)
    assert page.status_code == 200 and "No plan yet." in _text(page)
    fields = {"title-new": "Open a bank account", "category-new": "BANKING", "due-new": ""}
    fields.update({"pathway-EMPLOYMENT": "on", "target": "1100"})
    preview = _words(client.post(path, {**fields, "action": "preview"}))
    assert "Revision 1, compared with revision 0." in preview
    saved = client.post(path, {**fields, "base": "0", "action": "save"}, follow_redirects=False)
    assert saved.status_code == 303
    plan = Plan.get(Plan.participant == amal.id)
    assert (plan.revision, plan.pathways, str(plan.target_monthly_income)) == (
        1,
        ["EMPLOYMENT"],
        "1100.00",
    )
