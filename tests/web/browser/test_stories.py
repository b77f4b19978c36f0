"""Her stories in a real browser, with JavaScript and without it."""

from __future__ import annotations

import pytest

from econ import logins
from econ.participants import enrolment
from econ.participants.models import Participant
from econ.security.models import User
from econ.security.services import actor_for
from tests.web.browser.conftest import sign_in

PASSPHRASE = "copper lantern beside river"


def _issue_code(name: str) -> str:
    """Her counselor gives her a code (a demo participant without a login yet) and a demo
    ADMIN approves its request: until then the code does not work."""
    her = Participant.get(Participant.preferred_name == name)
    counselor = actor_for(User.get_by_id(her.counselor_id))
    code, request = enrolment.issue_code(counselor, her.id)
    admin = actor_for(User.get(User.email == "admin2@demo.econ"))
    logins.approve(admin, request.id)
    return code


@pytest.mark.parametrize(
    ("javascript", "name", "sign_in_name"),
    [(True, "Blessing", "quiet-lake"), (False, "Grace", "green-field")],
    ids=["with-js", "without-js"],
)
def test_her_story_from_code_to_quick_exit(
    context_for, neutral_site, javascript, name, sign_in_name
):
    code = _issue_code(name)
    page = context_for(javascript=javascript).new_page()
    # Sign in with the code her counselor gave her.
    page.goto("/")
    page.click("text=I have a code")
    page.fill("#code", code)
    page.fill("#signInName", sign_in_name)
    page.fill("#passphrase", PASSPHRASE)
    page.click("text=Save and sign in")
    page.wait_for_url("**/my")
    assert page.inner_text("h1") == f"Hello, {name}"
    # Her next payment, on her home page.
    payment_card = page.locator(".card", has_text="Next payment")
    assert payment_card.count() == 1
    # Agree to her plan, exactly the version shown.
    page.click("nav >> text=My plan")
    button = page.locator("button", has_text="I agree to version 1 of my plan")
    button.click()
    page.wait_for_url("**/my/plan?agreed=1")
    assert "You agreed to this version of your plan" in page.inner_text("main")
    # Who read her data, her documents.
    page.click("nav >> text=Who read my data")
    assert "Every time someone opened your private details" in page.inner_text("main")
    page.click("nav >> text=My documents")
    assert page.locator("main h1").inner_text() == "My documents"
    # Quick exit: the neutral site, and nothing of hers on Back or reload.
    page.click("#leave")
    page.wait_for_url(neutral_site)
    assert "Weather today" in page.content()
    page.go_back()
    assert name not in page.content()
    page.goto("/my")
    assert "/sign-in" in page.url
    assert name not in page.content()


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_she_reads_her_payment_revokes_a_consent_and_downloads_a_statement(context_for, javascript):
    context = context_for(javascript=javascript, accept_downloads=True)
    page = context.new_page()
    sign_in(page)
    page.click("nav >> text=My payments")
    assert page.locator("main h1").inner_text() == "My payments"
    page.click("nav >> text=My consents")
    stop = page.locator("button", has_text="may no longer see this")
    given = stop.count()
    assert given >= 1  # the demo gave the bakery two consents; each run revokes one
    stop.first.click()
    page.wait_for_url("**/my/consents?saved=1")
    assert page.locator("button", has_text="may no longer see this").count() == given - 1
    page.click("nav >> text=My documents")
    with page.expect_download() as download:
        page.locator("main a[href$='.pdf']").first.click()
    path = download.value.path()
    with open(path, "rb") as fh:
        assert fh.read(4) == b"%PDF"


def test_shift_three_times_leaves_at_once(context_for, neutral_site):
    page = context_for(javascript=True).new_page()
    sign_in(page)
    page.click("nav >> text=My loan and group")
    page.wait_for_load_state("load")  # leave.js runs once the page has loaded
    assert "Sunflower savings circle" in page.content()
    for _ in range(3):
        page.keyboard.press("Shift")
    page.wait_for_url(neutral_site)
    page.go_back()  # location.replace: Back skips her page entirely
    assert "Sunflower savings circle" not in page.content()
    page.goto("/my/loan")
    assert page.url.endswith("/sign-in?next=/my/loan")


def test_language_is_hers_on_every_page(context_for):
    page = context_for(javascript=False).new_page()
    sign_in(page, language=None)  # Lina's preferred language is French
    assert page.locator("html").get_attribute("lang") == "fr"
    assert "Vos prochaines étapes" in page.inner_text("main")
    page.click("footer >> text=Español")
    assert page.locator("html").get_attribute("lang") == "es"
    assert "Tus próximos pasos" in page.inner_text("main")
    page.click("nav >> text=Mis pagos")
    assert page.locator("main h1").inner_text() == "Mis pagos"
