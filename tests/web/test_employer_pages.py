"""The partner employer's portal over HTTP (issue 19): openings from the skills vocabulary,
pseudonymous candidates, feedback at each stage, identity only with her consent, hires and
their retention checks; and the attacks: another company, a forged id, no CSRF token,
another role, a hostile string."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest

from econ.employers import services as employers
from econ.employers.models import Employer, Referral, ReferralStage
from econ.security.models import User
from tests.outcomes import build as b
from tests.support.clock import on_day
from tests.web.counselor_client import PageClient

START = dt.date.today()  # she registers today: a hire starts no earlier
OPENING = {
    "title": "Bakery assistant",
    "type": "PART_TIME",
    "payAmount": "13.50",
    "payPeriod": "HOURLY",
    "hoursPerWeek": "20",
    "openings": "1",
    "location": "Centro",
    "req:food-hygiene": "on",
    "opt:cash-handling": "on",
    "lang:es": "on",
}


def _text(response) -> str:
    return html.unescape(response.text)


@pytest.fixture
def company(app, http, people):
    """An employer login of an active company, her counselor-side world, and Maria."""
    _, _admin = people.admin()
    user, actor = people.employer()
    _counselor_user, counselor = people.counselor()
    maria = people.participant(
        counselor,
        preferred_name="Maria",
        skills=[{"key": "food-hygiene", "label": "Food hygiene"}],
        languages=["es"],
    )
    client = PageClient(app).sign_in(user.email)
    return client, actor, counselor, maria


def _post_opening(client, **changes) -> str:
    answer = client.post("/employer/openings/new", {**OPENING, **changes}, follow_redirects=False)
    assert answer.status_code == 303, _text(answer)
    return answer.headers["location"].rsplit("/", 1)[1]


def _refer(actor, counselor, her, opening_id: str) -> Referral:
    employers.give_consent(
        counselor, her.id, actor.employer_id, "PROFILE", participant_present=True
    )
    referral = employers.refer_participant(counselor, int(opening_id), her.id)
    return employers.advance_referral(counselor, referral.id, "SHARED")


def test_employer_lands_on_openings_and_posts_one_from_the_vocabulary(company):
    client, _actor, _, _ = company
    start = client.get("/staff", follow_redirects=False)
    assert start.headers["location"] == "/employer/openings"
    form = _text(client.get("/employer/openings/new"))
    assert "Food hygiene" in form and "Cash handling" in form
    assert "minimum wage" in form and "hours × 52 weeks ÷ 12 months" in form
    # Below the minimum wage: told beside the pay, her answers kept.
    low = client.post("/employer/openings/new", {**OPENING, "payAmount": "1.00"})
    assert "This pay is below the minimum wage at these hours." in _text(low)
    assert 'value="Bakery assistant"' in low.text
    oid = _post_opening(client)
    page = _text(client.get(f"/employer/openings/{oid}"))
    assert "Draft (not visible)" in page and "Food hygiene" in page and "Cash handling" in page
    client.post(f"/employer/openings/{oid}/status", {"action": "publish"})
    assert "Open" in _text(client.get(f"/employer/openings/{oid}"))
    listed = _text(client.get("/employer/openings"))
    assert "Bakery assistant" in listed
    # Spanish labels from the vocabulary on the Spanish page.
    client.http.cookies.set("econ_lang", "es")
    assert "Higiene alimentaria" in _text(client.get(f"/employer/openings/{oid}"))


def test_edit_keeps_what_is_not_changed_and_a_skill_off_the_list_is_refused(company):
    client, *_ = company
    oid = _post_opening(client)
    edit = _text(client.get(f"/employer/openings/{oid}/edit"))
    assert 'value="Bakery assistant"' in edit and 'name="req:food-hygiene" ' in edit
    client.post(f"/employer/openings/{oid}/edit", {**OPENING, "title": "Baker"})
    assert "Baker" in _text(client.get(f"/employer/openings/{oid}"))
    forged = client.post(f"/employer/openings/{oid}/edit", {**OPENING, "req:made-up": "on"})
    assert forged.status_code in (200, 303)  # a key off the list is never sent
    assert "made-up" not in _text(client.get(f"/employer/openings/{oid}"))


def test_candidate_story_feedback_identity_and_hire(company, people):
    client, actor, counselor, maria = company
    with on_day(START):
        oid = _post_opening(client)
        client.post(f"/employer/openings/{oid}/status", {"action": "publish"})
        referral = _refer(actor, counselor, maria, oid)
        page = _text(client.get(f"/employer/openings/{oid}"))
        assert referral.handle in page and "Maria" not in page and "Canary" not in page
        assert "Food hygiene" in page and "Referred to you" in page
        # Interview: yes. Her counselor sees the employer's step.
        path = f"/employer/openings/{oid}/referrals/{referral.id}"
        client.post(path, {"move": "INTERVIEW"}, token_from=f"/employer/openings/{oid}")
        stages = ReferralStage.select().where(ReferralStage.referral == referral.id)
        assert [(s.to_status, s.actor_role) for s in stages][-1] == ("INTERVIEW", "EMPLOYER")
        assert employers.get_referral(counselor, referral.id).status == "INTERVIEW"
        # Her name and channel only with her IDENTITY consent, and gone when she revokes it.
        identity = employers.give_consent(
            counselor, maria.id, actor.employer_id, "IDENTITY", participant_present=True,
            channel_type="PHONE", channel_value="+34 600 999 000",
        )  # fmt: skip
        shown = _text(client.get(f"/employer/openings/{oid}"))
        assert "Maria" in shown and "Phone: +34 600 999 000" in shown
        employers.revoke_consent(counselor, identity.id)
        hidden = _text(client.get(f"/employer/openings/{oid}"))
        assert "Maria" not in hidden and "+34 600 999 000" not in hidden
        client.post(path, {"move": "OFFERED"}, token_from=f"/employer/openings/{oid}")
        hired = client.post(
            path,
            {"move": "HIRED", "startDate": START.isoformat()},
            token_from=f"/employer/openings/{oid}",
            follow_redirects=False,
        )
        assert hired.status_code == 303, re.findall(r"class=\"error\"[^<]*<", hired.text)
        hires = _text(client.get("/employer/hires"))
        assert referral.handle in hires and "No check is due." in hires, hires[
            hires.find("<main") :
        ]
        check = employers.checkpoints_for([employers.placement_of_referral(referral.id).id])
        thirty = next(iter(check.values()))[0]
        early = client.post(
            f"/employer/checks/{thirty.id}", {"evidence": ""}, token_from="/employer/hires"
        )
        assert "This check is not due yet." in _text(early)
    with on_day(START + dt.timedelta(days=30)):
        client = PageClient(client.http.app).sign_in(_email(actor))  # a month later
        due = _text(client.get("/employer/hires"))
        assert "30-day check" in due
        client.post(f"/employer/checks/{thirty.id}", {"evidence": "payroll"},
                    token_from="/employer/hires")  # fmt: skip
        after = _text(client.get("/employer/hires"))
        assert "No check is due." in after and "30: confirmed" in after


def _email(actor) -> str:
    from econ.security.models import User

    return User.get_by_id(actor.user_id).email


def test_not_a_fit_needs_a_reason_and_her_counselor_reads_it(company, app):
    client, actor, counselor, maria = company
    oid = _post_opening(client)
    client.post(f"/employer/openings/{oid}/status", {"action": "publish"})
    referral = _refer(actor, counselor, maria, oid)
    path = f"/employer/openings/{oid}/referrals/{referral.id}"
    client.post(
        path, {"move": "DECLINED", "reason": "NOT_A_FIT_LANGUAGES"},
        token_from=f"/employer/openings/{oid}",
    )  # fmt: skip
    seen = employers.get_referral(counselor, referral.id)
    assert (seen.status, seen.reason_code) == ("DECLINED", "NOT_A_FIT_LANGUAGES")
    assert "Languages do not match" in _text(client.get(f"/employer/openings/{oid}"))
    # Her counselor reads it in words on the work tab, not as the code.
    desk = PageClient(app).sign_in(User.get_by_id(counselor.user_id).email)
    work = _text(desk.get(f"/staff/participants/{maria.id}/work"))
    assert "Declined (Languages do not match)" in work and "NOT_A_FIT" not in work


def test_another_company_a_forged_id_another_role_and_no_csrf(company, app, people):
    client, actor, counselor, maria = company
    oid = _post_opening(client, title="<script>alert(1)</script>")
    client.post(f"/employer/openings/{oid}/status", {"action": "publish"})
    referral = _refer(actor, counselor, maria, oid)
    page = client.get(f"/employer/openings/{oid}")
    assert "<script>alert(1)</script>" not in page.text and "&lt;script&gt;" in page.text
    other_user, _ = people.employer()
    other = PageClient(app).sign_in(other_user.email)
    for path in (f"/employer/openings/{oid}", f"/employer/openings/{oid}/edit",
                 "/employer/openings/99999999", "/employer/openings/abc",
                 "/employer/openings/99999999999999999999999"):  # fmt: skip
        assert other.get(path).status_code == 404, path
    assert referral.handle not in _text(other.get("/employer/openings"))
    assert "Bakery" not in _text(other.get("/employer/hires"))
    # Her feedback form, posted by the other company: nothing moves.
    other.post(
        f"/employer/openings/{oid}/referrals/{referral.id}", {"move": "INTERVIEW"},
        token_from="/employer/openings",
    )  # fmt: skip
    other.post(f"/employer/openings/{oid}/status", {"action": "close"},
               token_from="/employer/openings")  # fmt: skip
    assert employers.get_referral(counselor, referral.id).status == "SHARED"
    # No CSRF token: refused, nothing done.
    bare = client.http.post(
        f"/employer/openings/{oid}/status", data={"action": "close"},
        headers={"Accept": "text/html"},
    )  # fmt: skip
    assert bare.status_code == 403
    assert "Open" in _text(client.get(f"/employer/openings/{oid}"))
    # A counselor is sent to her own pages.
    counselor_client = PageClient(app).sign_in(_email(counselor))
    sent = counselor_client.get("/employer/openings", follow_redirects=False)
    assert sent.status_code == 303 and not sent.headers["location"].startswith("/employer")


def test_company_page_shows_the_agreement_read_only(company):
    client, actor, *_ = company
    page = _text(client.get("/employer/company"))
    assert "Inclusion agreement" in page and "Signed on" in page
    assert _email(actor) in page  # her company's logins, hers among them
    assert "<form" not in re.sub(r'<form method="post" action="/sign-out".*?</form>', "",
                                 page, flags=re.S)  # fmt: skip


def test_she_lets_the_employer_contact_her_on_her_consents_page(company, app, people):
    client, actor, counselor, maria = company
    oid = _post_opening(client)
    client.post(f"/employer/openings/{oid}/status", {"action": "publish"})
    _refer(actor, counselor, maria, oid)
    her_user, _ = people.participant_login(counselor, maria)
    her = PageClient(app).sign_in(her_user.email)
    her.http.cookies.set("econ_lang", "en")  # her own language is Spanish
    page = _text(her.get("/my/consents"))
    assert "Let an employer contact me" in page
    # No channel: refused in her words, nothing given.
    empty = her.post("/my/consents", {"contact": str(actor.employer_id), "channelType": "PHONE"})
    assert "Please fill this in." in _text(empty)
    assert "Maria" not in _text(client.get(f"/employer/openings/{oid}"))
    her.post(
        "/my/consents",
        {"contact": str(actor.employer_id), "channelType": "EMAIL", "channelValue": "m@x.test"},
    )
    shown = _text(client.get(f"/employer/openings/{oid}"))
    assert "Maria" in shown and "E-mail: m@x.test" in shown
    assert "Let an employer contact me" not in _text(her.get("/my/consents"))


def test_a_closed_opening_can_no_longer_be_changed_and_its_candidates_are_told(company):
    client, actor, counselor, maria = company
    oid = _post_opening(client)
    client.post(f"/employer/openings/{oid}/status", {"action": "publish"})
    referral = _refer(actor, counselor, maria, oid)
    client.post(f"/employer/openings/{oid}/status", {"action": "close"})
    page = _text(client.get(f"/employer/openings/{oid}"))
    assert "Closed" in page and "The opening closed" in page and "Edit the opening" not in page
    assert employers.get_referral(counselor, referral.id).reason_code == "OPPORTUNITY_CLOSED"
    refused = client.post(f"/employer/openings/{oid}/edit", {**OPENING, "title": "Other"})
    assert "it can no longer be changed" in _text(refused)
    again = client.post(f"/employer/openings/{oid}/status", {"action": "publish"})
    assert "This step is not possible any more." in _text(again)


@pytest.mark.parametrize("language,word", [("en", "Your openings"), ("es", "Sus ofertas"),
                                           ("fr", "Vos offres")])  # fmt: skip
def test_headers_and_languages_on_every_employer_page(company, language, word):
    client, *_ = company
    oid = _post_opening(client)
    client.http.cookies.set("econ_lang", language)
    paths = ["/employer/openings", "/employer/openings/new", f"/employer/openings/{oid}"]
    paths += [f"/employer/openings/{oid}/edit", "/employer/hires", "/employer/company"]
    for path in paths:
        page = client.get(path)
        assert page.status_code == 200 and f'lang="{language}"' in page.text, path
        csp = page.headers["content-security-policy"]
        assert "default-src 'self'" in csp and "unsafe-inline" not in csp, path
        assert page.headers["cache-control"] == "no-store", path
        assert 'style="' not in page.text, path
    assert word in _text(client.get("/employer/openings"))


def test_an_old_hires_due_check_shows_whichever_page_she_is_on(company, people):
    """55 hires, 50 a page, newest first: the oldest one's check is due and is listed
    among the checks due, while she herself is on the second page of hires."""
    client, actor, counselor, _ = company
    emp = Employer.get_by_id(actor.employer_id)
    oldest = b.placement(
        people.participant(counselor, preferred_name="Oldest"), emp, START - dt.timedelta(days=200)
    )
    for i in range(54):
        b.placement(people.participant(counselor, preferred_name=f"New{i}"), emp, START)
    first = client.get("/employer/hires")
    assert first.status_code == 200
    due = _text(first).split("Still working here? Checks due")[1].split("All hires")[0]
    handle = oldest.referral.handle
    assert handle in due
    all_hires = _text(first).split("All hires")[1]
    assert handle not in all_hires and '<span class="count">55</span>' in first.text
    href = html.unescape(re.search(r'<a href="([^"]+)" rel="next">', first.text).group(1))
    second = client.get("/employer/hires" + href)
    assert handle in _text(second).split("All hires")[1]
    assert client.get("/employer/hires?after=Zm9vYmFy").status_code == 404  # made up
