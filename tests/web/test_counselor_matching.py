"""Matching and referral over HTTP: her participants ranked with the score's parts; referring
is blocked without PROFILE consent (the page says so and offers to record it with her
present), then allowed; and the attacks (another caseload, an employer's login, a forged
participant, no CSRF, a consent box left unticked)."""

from __future__ import annotations

import html
import re

import pytest

from econ.employers import services as employers
from econ.employers.models import Consent, Referral
from econ.security.roles import Actor, Role
from tests.employers.conftest import make_employer, open_opportunity
from tests.web.counselor_client import PageClient

SKILLS = [
    {"key": "food-hygiene", "label": "Food hygiene"},
    {"key": "customer-service", "label": "Customer service"},
]


@pytest.fixture
def desk(app, people):
    _, admin = people.admin()
    user, counselor = people.counselor()
    employer = make_employer(admin, "Bright Bakery Co-op")
    _, employer_actor = people.employer(employer.id)
    opportunity = open_opportunity(employer_actor)
    ana = people.participant(counselor, preferred_name="Ana", languages=["es"], skills=SKILLS)
    bea = people.participant(counselor, preferred_name="Bea", languages=["es"], skills=SKILLS[:1])
    client = PageClient(app).sign_in(user.email)
    return client, opportunity, ana, bea, employer


def _words(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html.unescape(response.text)).split())


def test_ranked_with_the_parts_then_consent_recorded_then_referred(desk):
    client, opportunity, _, bea, _ = desk
    listing = _words(client.get("/staff/opportunities"))
    assert "Bakery assistant Bright Bakery Co-op" in listing
    path = f"/staff/opportunities/{opportunity.id}"
    page = client.get(path)
    words = _words(page)
    assert words.index("Ana") < words.index("Bea")  # both required skills rank first
    assert "Required skills 100% (weight 50%)" in words and "Required skills 50%" in words
    assert "Missing: Customer service" in words
    assert words.count("No consent yet:") == 2
    assert "Refer her to" not in words  # no "refer anyway"
    refused = client.post(path, {"participant": str(bea.id), "action": "refer"})
    assert "She has not given consent for this employer to see her profile." in _words(refused)
    assert Referral.select().count() == 0
    unticked = client.post(path, {"participant": str(bea.id), "action": "consent"})
    assert "Tick the box only when she is here with you and agrees." in _words(unticked)
    assert Consent.select().count() == 0
    consented = client.post(
        path,
        {"participant": str(bea.id), "action": "consent", "present": "yes"},
        follow_redirects=False,
    )
    assert consented.status_code == 303
    recorded = Consent.get()
    assert (recorded.participant_id, recorded.scope, recorded.recorded_as) == (
        bea.id,
        "PROFILE",
        "COUNSELOR_WITH_PARTICIPANT_PRESENT",
    )
    after = _words(client.get(consented.headers["location"]))
    assert "Her consent is recorded: you can refer her now." in after
    assert "Refer her to Bright Bakery Co-op" in after
    referred = client.post(
        path, {"participant": str(bea.id), "action": "refer"}, follow_redirects=False
    )
    assert referred.status_code == 303
    referral = Referral.get()
    assert (referral.participant_id, referral.status) == (bea.id, "SHARED")
    shown = _words(client.get(referred.headers["location"]))
    assert "Referred: the employer sees her anonymous profile." in shown
    assert "Already referred Bea" in shown and "Shared with the employer" in shown


def test_out_of_reach_and_forged(desk, app, people):
    client, opportunity, ana, _, employer = desk
    _, other = people.counselor()
    zoe = people.participant(other, preferred_name="Zoe", languages=["es"], skills=SKILLS)
    path = f"/staff/opportunities/{opportunity.id}"
    assert "Zoe" not in _words(client.get(path))
    for target in ("/staff/opportunities/99999999", "/staff/opportunities/99999999999999999999"):
        assert client.get(target).status_code == 404
    forged = client.post(path, {"participant": str(zoe.id), "action": "consent", "present": "yes"})
    assert "Not found, or not in your caseload." in _words(forged)
    forged = client.post(path, {"participant": "<b>1</b>", "action": "refer"})
    assert forged.status_code == 200 and "<b>1</b>" not in forged.text
    assert Consent.select().count() == 0 and Referral.select().count() == 0
    no_csrf = client.http.post(
        path, data={"participant": str(ana.id), "action": "refer"}, headers={"Accept": "text/html"}
    )
    assert no_csrf.status_code == 403
    employer_user, _ = people.employer(employer.id)
    theirs = PageClient(app).sign_in(employer_user.email)
    assert theirs.get(path, follow_redirects=False).status_code in (303, 403, 404)
    assert "Ana" not in theirs.get(path).text


def test_a_proposed_referral_on_the_work_tab_consent_then_share(desk, people):
    client, opportunity, ana, _, _ = desk
    _, counselor = people.counselor()  # another counselor: her referral is out of reach
    referral = employers.refer_participant(desk_counselor(ana), opportunity.id, ana.id)
    today = client.get("/staff/today")
    assert f'href="/staff/participants/{ana.id}/work#referral-{referral.id}"' in today.text
    work = f"/staff/participants/{ana.id}/work"
    page = _words(client.get(work))
    assert "No consent yet:" in page and "Share with" not in page
    action = f"/staff/participants/{ana.id}/referrals/{referral.id}"
    unticked = client.post(action, {"action": "consent"}, token_from=work)
    assert "Tick the box only when she is here with you and agrees." in _words(unticked)
    assert not Consent.select().exists()
    client.post(action, {"action": "consent", "present": "yes"}, token_from=work)
    assert Consent.get().recorded_as == "COUNSELOR_WITH_PARTICIPANT_PRESENT"
    shared = client.post(action, {"action": "share"}, token_from=work)
    assert "the referral is shared" in _words(shared)
    assert Referral.get_by_id(referral.id).status == "SHARED"
    again = client.post(action, {"action": "share"}, token_from=work, follow_redirects=False)
    assert again.status_code == 404  # no longer proposed: nothing to do here
    zoe = people.participant(counselor, preferred_name="Zoe", languages=["es"], skills=SKILLS)
    theirs = employers.refer_participant(counselor, opportunity.id, zoe.id)
    forged = client.post(
        f"/staff/participants/{ana.id}/referrals/{theirs.id}", {"action": "share"}, token_from=work
    )
    assert forged.status_code == 404
    forged = client.post(
        f"/staff/participants/{zoe.id}/referrals/{theirs.id}", {"action": "share"}, token_from=work
    )
    assert forged.status_code == 404
    assert Referral.get_by_id(theirs.id).status == "PROPOSED"


def desk_counselor(participant):
    """The Actor of her counselor (the desk's)."""
    return Actor(user_id=participant.counselor_id, role=Role.COUNSELOR)
