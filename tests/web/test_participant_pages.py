"""Her pages over HTTP: what they show, what their forms do, and what they never say."""

from __future__ import annotations

import html
import re

import pytest

from econ.employers import services as employers
from econ.participants import enrolment
from econ.statements import services as statements
from tests.support.grants import approved_participant_code
from tests.support.people import PASSWORD
from tests.web.conftest import PASSPHRASE, csrf_of, make_her, sign_in, write_plan
from tests.web.test_foundation import HER_PAGES

TAG = re.compile(r"<[^>]+>")


def visible_text(page: str) -> str:
    return html.unescape(TAG.sub(" ", page))


@pytest.mark.parametrize("language", ("en", "es", "fr"))
def test_no_page_of_hers_says_what_the_programme_is_for(browser, her, language):
    from econ.statements.i18n import find_forbidden_words

    client = browser()
    sign_in(client)
    client.get(f"/language/{language}?next=/my")
    for path in (*HER_PAGES, "/sign-in", "/start", "/nothing"):
        page = client.get(path, headers={"accept": "text/html"})
        assert f'<html lang="{language}"' in page.text, path
        assert find_forbidden_words(page.text) == [], (path, find_forbidden_words(page.text))
        assert "Pathways Programme" in page.text  # the neutral name, on every page


def test_home_shows_her_next_steps_in_her_language(browser, her):
    client = browser()
    sign_in(client)
    home = visible_text(client.get("/my").text)
    assert "Open a bank account" in home and "Your plan is waiting" in home
    client.get("/language/es?next=/my")
    assert "Tus próximos pasos" in client.get("/my").text


def test_she_agrees_to_exactly_the_revision_she_read(browser, api, her):
    client = browser()
    sign_in(client)
    page = client.get("/my/plan")
    assert 'name="revision" value="1"' in page.text
    write_plan(her.counselor, her.participant.id, "Open a savings account")  # revision 2
    stale = client.post("/my/plan", data={"csrf": csrf_of(page.text), "revision": "1"})
    assert stale.status_code == 200 and "Your plan changed while you were reading" in stale.text
    assert "Open a savings account" in stale.text and 'value="2"' in stale.text
    token = api.login(her.name, PASSPHRASE)
    plan = "{ me { participant { plan { revision agreedAt } } } }"
    assert api.query(plan, token=token)["me"]["participant"]["plan"]["agreedAt"] is None
    done = client.post(
        "/my/plan", data={"csrf": csrf_of(stale.text), "revision": "2"}, follow_redirects=False
    )
    assert done.status_code == 303 and done.headers["location"] == "/my/plan?agreed=1"
    agreed = api.query(plan, token=token)["me"]["participant"]["plan"]
    assert agreed["revision"] == 2 and agreed["agreedAt"] is not None
    assert "You agreed to this version" in client.get(done.headers["location"]).text


def test_revoking_a_consent_takes_the_employer_off_her_at_once(browser, api, her):
    opportunity = employers.publish_opportunity(
        her.counselor,
        employers.create_opportunity(
            her.counselor,
            her.employer.id,
            title="Bakery assistant",
            type="PART_TIME",
            pay_amount="13.50",
            pay_period="HOURLY",
            hours_per_week=20,
            location="Centro",
            openings=1,
        ).id,
    )
    referral = employers.refer_participant(her.counselor, opportunity.id, her.participant.id, "")
    employers.advance_referral(her.counselor, referral.id, "SHARED")
    employer_token = api.login(her.employer_user.email, PASSWORD)
    seen = "query($id: ID!) { referral(id: $id) { status candidate { handle } } }"
    before = api.query(seen, {"id": str(referral.id)}, employer_token)["referral"]
    assert before["candidate"] is not None
    client = browser()
    sign_in(client)
    page = client.get("/my/consents")
    assert "Bakery Co-op" in page.text and "without your name" in page.text
    answer = client.post(
        "/my/consents",
        data={"csrf": csrf_of(page.text), "revoke": str(her.consent.id)},
        follow_redirects=False,
    )
    assert answer.status_code == 303
    after = api.query(seen, {"id": str(referral.id)}, employer_token)["referral"]
    assert after is None or after["candidate"] is None
    shown = client.get("/my/consents").text
    assert "No employer can see anything about you" in shown and "Stopped" in shown
    # She can allow it again from the same page.
    again = client.post(
        "/my/consents", data={"csrf": csrf_of(shown), "give": str(her.employer.id)},
        follow_redirects=False,
    )  # fmt: skip
    assert again.status_code == 303
    assert "Employers who can see me now" in client.get("/my/consents").text


def test_another_womans_consent_cannot_be_revoked_from_her_page(browser, api, people, her):
    other = make_her(people, "red-kite")
    client = browser()
    sign_in(client)
    page = client.get("/my/consents")
    answer = client.post(
        "/my/consents", data={"csrf": csrf_of(page.text), "revoke": str(other.consent.id)}
    )
    assert answer.status_code == 200 and "We cannot find this" in answer.text
    token = api.login("red-kite", PASSPHRASE)
    consents = "{ me { participant { consents { edges { node { current } } } } } }"
    found = api.query(consents, token=token)["me"]["participant"]["consents"]
    assert found == {"edges": [{"node": {"current": True}}]}


def test_who_read_my_data_lists_each_read_in_plain_words(browser, api, her):
    counselor_token = api.login(her.counselor_user.email, PASSWORD)
    api.query(
        "query($id: ID!) { participant(id: $id) { legalName phone } }",
        {"id": str(her.participant.id)},
        counselor_token,
    )
    client = browser()
    sign_in(client)
    text = visible_text(client.get("/my/reads").text)
    assert "Your counselor" in text and "your full name" in text and "your phone number" in text


def test_her_statement_downloads_and_no_one_elses(browser, people, her):
    mine = statements.generate(her.participant.id, "2026-11")
    other = make_her(people, "red-kite")
    theirs = statements.generate(other.participant.id, "2026-11")
    client = browser()
    sign_in(client)
    listing = client.get("/my/documents").text
    assert f"/my/documents/{mine.id}.pdf" in listing and "November 2026" in listing
    pdf = client.get(f"/my/documents/{mine.id}.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert pdf.headers["cache-control"] == "no-store"
    assert 'filename="document-' in pdf.headers["content-disposition"]
    refused = client.get(f"/my/documents/{theirs.id}.pdf", headers={"accept": "text/html"})
    assert refused.status_code == 404 and "We cannot find this page" in refused.text


def test_a_loan_not_hers_reads_as_not_found(browser, her):
    client = browser()
    sign_in(client)
    for loan_id in ("1", "999999", "99999999999999999999"):
        answer = client.get(f"/my/loan/{loan_id}", headers={"accept": "text/html"})
        assert answer.status_code == 404


def test_she_starts_with_her_code_on_the_page(browser, api, people):
    _, counselor = people.counselor()
    participant = people.participant(counselor, legal_name="Ioana Marin")
    code = approved_participant_code(people, counselor, participant.id)
    passphrase = "violet tram beyond harbour"
    client = browser()
    page = client.get("/start")
    refused = client.post(
        "/start",
        data={"csrf": csrf_of(page.text), "code": code, "signInName": "ioana.m",
              "passphrase": passphrase},
    )  # fmt: skip
    assert "not your own name" in refused.text and 'value="ioana.m"' in refused.text
    assert passphrase not in refused.text  # never echoed back
    done = client.post(
        "/start",
        data={"csrf": csrf_of(refused.text), "code": code.lower(), "signInName": "night-owl",
              "passphrase": passphrase},
        follow_redirects=False,
    )  # fmt: skip
    assert done.status_code == 303 and done.headers["location"] == "/my"
    assert client.get("/my").status_code == 200
    assert api.login("night-owl", passphrase)
    used = browser()
    page = used.get("/start")
    again = used.post(
        "/start",
        data={"csrf": csrf_of(page.text), "code": code, "signInName": "night-owl-2",
              "passphrase": PASSPHRASE},
    )  # fmt: skip
    assert "This code does not work" in again.text


def test_a_code_not_yet_approved_says_so_and_nothing_more(browser, people):
    _, counselor = people.counselor()
    participant = people.participant(counselor, preferred_name="Ioana", legal_name="Ioana Marin")
    code, _ = enrolment.issue_code(counselor, participant.id)
    client = browser()
    page = client.get("/start")
    waiting = client.post(
        "/start",
        data={"csrf": csrf_of(page.text), "code": code, "signInName": "night-owl",
              "passphrase": "violet tram beyond harbour"},
    )  # fmt: skip
    assert "not approved yet" in waiting.text
    assert "Ioana" not in waiting.text and "Marin" not in waiting.text
    assert client.get("/my", follow_redirects=False).status_code in (302, 303)


def test_settings_text_size_passphrase_and_every_device(browser, api, her):
    client = browser()
    sign_in(client)
    other_device = api.login(her.name, PASSPHRASE)
    page = client.get("/my/settings")
    assert her.name in page.text
    client.post("/my/settings", data={"csrf": csrf_of(page.text), "action": "size",
                                      "size": "larger"})  # fmt: skip
    page = client.get("/my/settings")
    assert 'class="size-larger"' in page.text
    weak = client.post(
        "/my/settings",
        data={"csrf": csrf_of(page.text), "action": "passphrase", "current": PASSPHRASE,
              "new": "password1234"},
    )  # fmt: skip
    assert "too easy to guess" in weak.text
    client.post("/my/settings", data={"csrf": csrf_of(weak.text), "action": "everywhere"})
    assert api.query("{ me { id } }", token=other_device)["me"] is None
    assert client.get("/my", follow_redirects=False).status_code == 303


def test_hostile_text_from_the_record_is_shown_as_text(browser, her):
    write_plan(her.counselor, her.participant.id, '<script>alert("x")</script><b onclick=x>')
    client = browser()
    sign_in(client)
    for path in ("/my", "/my/plan"):
        page = client.get(path).text
        assert "<script>alert" not in page and "<b onclick" not in page
        assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page


def test_an_earlier_version_of_her_statement_stays_on_her_documents_page(browser, people, her):
    first = statements.generate(her.participant.id, "2026-11", "en")
    read_first = statements.open_statement(her.counselor, first.id)[1]
    statements.generate(her.participant.id, "2026-11", "es")  # made again after a change
    other = make_her(people, "red-kite")
    theirs = statements.generate(other.participant.id, "2026-11")
    statements.generate(other.participant.id, "2026-11")
    client = browser()
    sign_in(client)
    listing = client.get("/my/documents").text
    assert f"/my/documents/{first.id}.pdf?version=1" in listing
    assert f"/my/documents/{first.id}.pdf?version=2" not in listing  # the current one
    earlier = client.get(f"/my/documents/{first.id}.pdf?version=1")
    assert earlier.status_code == 200 and earlier.content == read_first
    assert 'filename="document-' in earlier.headers["content-disposition"]
    refused = (f"{theirs.id}.pdf?version=1", f"{first.id}.pdf?version=9")
    refused += (f"{first.id}.pdf?version=x",)
    for path in (f"/my/documents/{tail}" for tail in refused):
        assert client.get(path, headers={"accept": "text/html"}).status_code == 404, path
