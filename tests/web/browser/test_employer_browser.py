"""The partner employer's portal in a real browser (issue 19), on the demo: she posts and
publishes an opening with skills from the vocabulary, sees a referred candidate without
identity, gives interview feedback, sees the name and channel only after the woman allows
it in her own browser, loses them the moment she stops it, hires, and confirms the 30-day
check when it is due (not before); a second company sees none of it. Then, on every
employer page and the ADMIN's catalogue, the foundation's checks in en, es and fr.

Screenshots: `ECON_WEB_SCREENSHOTS=docs/img/web pytest tests/web/browser/test_employer_browser.py`
writes employer-*.png and catalogue-*.png (without it nothing is written).
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe

from econ.employers import services as employers
from econ.employers.models import Opportunity
from econ.participants import services as participants
from econ.security import services as security
from econ.security.models import User
from tests.support.clock import on_day
from tests.support.grants import approved_participant_code
from tests.support.people import PASSWORD

EMPLOYER = ("employer@demo.econ", "demo-employer-pass")
ADMIN = ("admin@demo.econ", "demo-admin-pass")
COUNSELOR = "counselor@demo.econ"
TITLE = "Pastry assistant"
SHOTS = os.environ.get("ECON_WEB_SCREENSHOTS")


def _sign_in(page, account: tuple[str, str], landing: str | None, language: str = "en") -> None:
    page.goto(f"/language/{language}?next=/sign-in")
    page.fill("#name", account[0])
    page.fill("#passphrase", account[1])
    page.click("form[action='/sign-in'] button[type=submit]")
    page.wait_for_url(f"**{landing}" if landing else lambda url: "/sign-in" not in url)


def _shot(page, name: str, widths=(360, 1280)) -> None:
    if not SHOTS:
        return
    Path(SHOTS).mkdir(parents=True, exist_ok=True)
    for width in widths:
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=f"{SHOTS}/{name}-{width}.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def _refer_noor(people, opening_id: int) -> str:
    """Her counselor registers Noor, refers her with PROFILE consent (she is present) and
    shares the referral; returns the enrolment code Noor signs up with (its login request
    approved by an ADMIN, as every login is)."""
    counselor = security.actor_for(User.get(User.email == COUNSELOR))
    noor = participants.create_participant(
        counselor,
        preferred_name="Noor",
        legal_name="Noor Canary Legalname",
        skills=[{"key": "food-hygiene", "label": "Food hygiene"}],
        languages=["es", "en"],
    )
    company = Opportunity.get_by_id(opening_id).employer_id
    employers.give_consent(counselor, noor.id, company, "PROFILE", participant_present=True)
    referral = employers.refer_participant(counselor, opening_id, noor.id)
    employers.advance_referral(counselor, referral.id, "SHARED")
    return approved_participant_code(people, counselor, noor.id)


def _post_and_publish(page) -> int:
    page.click("text=Post a new opening")
    page.fill("#title", TITLE)
    page.select_option("#type", "PART_TIME")
    page.fill("#hoursPerWeek", "20")
    page.fill("#payAmount", "14.00")
    page.check("input[name='req:food-hygiene']")
    page.check("input[name='opt:cash-handling']")
    page.check("input[name='lang:es']")
    page.fill("#location", "Centro")
    _shot(page, "employer-opening-form")
    page.click("form.stack button[type=submit]")
    page.wait_for_url("**/employer/openings/*")
    page.click("button[value=publish]")
    page.wait_for_url("**saved=1")
    assert "Open" in page.locator("dl.parts").inner_text()
    assert "Food hygiene" in page.locator("dl.parts").inner_text()
    return int(urlsplit(page.url).path.rsplit("/", 1)[1])


def test_an_employer_from_opening_to_the_30_day_check(context_for, people):
    boss = context_for().new_page()
    _sign_in(boss, EMPLOYER, "/employer/openings")
    opening_id = _post_and_publish(boss)
    code = _refer_noor(people, opening_id)
    boss.reload()
    card = boss.locator("section.card").first
    handle = card.locator("h3").inner_text()
    assert handle.startswith("C-") and "Noor" not in boss.content()
    assert "Food hygiene" in card.inner_text()
    _shot(boss, "employer-candidates")
    card.locator("button[value=INTERVIEW]").click()
    boss.wait_for_url("**saved=1*")
    assert "Interview" in boss.locator("section.card").first.inner_text()

    # Noor, in her own browser: signs up with her code, lets the company contact her.
    noor = context_for(javascript=False).new_page()
    noor.goto("/language/en?next=/start")
    noor.fill("#code", code)
    noor.fill("#signInName", "calm-river-9")
    noor.fill("#passphrase", "yellow bicycle over hills")
    noor.click("form[action='/start'] button[type=submit]")
    noor.wait_for_url("**/my")
    noor.goto("/my/consents")
    noor.select_option("#channelType", "PHONE")
    noor.fill("#channelValue", "+34 611 222 333")
    noor.click("text=Allow contact")
    noor.wait_for_url("**saved=1")
    boss.reload()
    named = boss.locator("section.card").first.inner_text()
    assert "Noor" in named and "+34 611 222 333" in named and "Canary" not in named

    # She stops it: at once, the company sees her reference again, not her name.
    noor.locator("xpath=//p[contains(., 'first name')]/following-sibling::form[1]//button").click()
    noor.wait_for_url("**saved=1")
    boss.reload()
    assert "Noor" not in boss.content() and "+34 611 222 333" not in boss.content()

    boss.locator("section.card").first.locator("button[value=OFFERED]").click()
    boss.wait_for_url("**saved=1*")
    boss.fill("input[name=startDate]", dt.date.today().isoformat())
    boss.locator("button[value=HIRED]").click()
    boss.wait_for_url("**saved=1*")
    boss.goto("/employer/hires")
    assert handle in boss.locator("table").inner_text()
    assert boss.locator("form[action^='/employer/checks/']").count() == 0  # not due yet

    # A second company sees none of it.
    other_user, _ = people.employer()
    other = context_for().new_page()
    _sign_in(other, (other_user.email, PASSWORD), "/employer/openings")
    assert TITLE not in other.content()
    assert other.goto(f"/employer/openings/{opening_id}").status == 404
    other.goto("/employer/hires")
    assert handle not in other.content()

    # Thirty days on: the check is due and she confirms it from the list.
    with on_day(dt.date.today() + dt.timedelta(days=30), hour=12):
        later = context_for().new_page()
        _sign_in(later, EMPLOYER, "/employer/openings")
        later.goto("/employer/hires")
        assert "30-day check" in later.content()
        _shot(later, "employer-hires")
        later.fill("input[name=evidence]", "on this month's payroll")
        later.click("text=She still works here")
        later.wait_for_url("**saved=1")
        assert "No check is due." in later.content()
        assert "30: confirmed" in later.locator("table").inner_text()


def _employer_pages() -> list[str]:
    opening = Opportunity.select().where(Opportunity.title == "Bakery assistant").first()
    return [
        "/employer/openings",
        "/employer/openings/new",
        f"/employer/openings/{opening.id}",
        f"/employer/openings/{opening.id}/edit",
        "/employer/hires",
        "/employer/company",
    ]


@pytest.mark.parametrize("language", ["en", "es", "fr"])
def test_every_employer_page_and_the_catalogue_pass_axe_and_stay_on_origin(
    context_for, server, language
):
    origin = urlsplit(server).netloc
    elsewhere: list[str] = []
    axe = Axe()
    for account, landing, paths in (
        (EMPLOYER, "/employer/openings", _employer_pages()),
        (ADMIN, None, ["/admin/catalogue"]),
    ):
        page = context_for().new_page()
        page.on("request", lambda r: urlsplit(r.url).netloc != origin and elsewhere.append(r.url))
        _sign_in(page, account, landing, language)
        for path in paths:
            page.goto(path)
            assert page.locator("html").get_attribute("lang") == language, path
            serious = [
                (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
                for v in axe.run(page).response["violations"]
                if v["impact"] in ("serious", "critical")
            ]
            assert serious == [], (path, serious)
            page.set_viewport_size({"width": 320, "height": 900})  # tables scroll in their box
            assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), path
            page.set_viewport_size({"width": 1280, "height": 900})
            if language == "en":
                if path in ("/employer/openings", "/employer/company"):
                    _shot(page, path.strip("/").replace("/", "-"))
                if path == "/admin/catalogue":
                    _shot(page, "catalogue", widths=(1280,))
    assert elsewhere == []
