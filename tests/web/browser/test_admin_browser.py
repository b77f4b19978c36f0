"""The administrator's pages in a real browser (issue 19, administration; issue 14 item 1):
an ADMIN requests a counselor login, a second ADMIN approves it, the new counselor sets her
password with the code and signs in; an ADMIN cannot approve her own request nor reach a
participant's data from any admin page; every admin page passes axe, stays on its origin
and fits 320 px."""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe

from econ.outcomes import services as outcomes
from econ.participants.models import Participant
from econ.security.models import User
from econ.security.services import actor_for
from econ.web.indicators_views import INDICATORS, count_text, default_range

ADMINS = (("admin@demo.econ", "demo-admin-pass"), ("admin2@demo.econ", "demo-admin2-pass"))
PAGES = (
    "/staff/people",
    "/staff/indicators",
    "/staff/indicators?group=PROGRAM",
    "/staff/partners",
    "/staff/settings",
    "/staff/audit",
    "/staff/enrol",
)
SHOTS = os.environ.get("ECON_WEB_SCREENSHOTS")
NEW_PASSWORD = "copper lantern beside river"


def sign_in_admin(page, which: int = 0, language: str = "en") -> None:
    email, password = ADMINS[which]
    page.goto(f"/language/{language}?next=/sign-in")
    page.fill("#name", email)
    page.fill("#passphrase", password)
    page.click("form[action='/sign-in'] button[type=submit]")
    page.wait_for_url("**/staff/people")


def _shot(page, name: str) -> None:
    if not SHOTS:
        return
    Path(SHOTS).mkdir(parents=True, exist_ok=True)
    for width in (360, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=f"{SHOTS}/admin-{name}-{width}.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_a_counselor_login_through_two_admins_and_her_own_code(context_for):
    maker = context_for().new_page()
    sign_in_admin(maker, 0)
    maker.fill("#email", "new.counselor@demo.econ")
    maker.fill("#displayName", "Ines Duarte")
    maker.select_option("#role", "COUNSELOR")
    maker.click("text=Request this login")
    code = maker.locator("[data-code]").inner_text().strip()
    _shot(maker, "people-code")
    # Her own request: listed as waiting for another ADMIN, with no approve button.
    maker.goto("/staff/people")
    mine = maker.locator("#yours + p + .table-wrap tr", has_text="Ines Duarte")
    assert mine.count() == 1 and mine.locator("button[value=approve]").count() == 0
    assert maker.locator("#to-decide ~ .table-wrap tr", has_text="Ines Duarte").count() == 0
    # The second ADMIN approves it from her queue.
    checker = context_for().new_page()
    sign_in_admin(checker, 1)
    row = checker.locator("tr", has_text="Ines Duarte").first
    _shot(checker, "people")
    row.locator("button[value=approve]").click()
    checker.wait_for_url("**/staff/people?done=approve")
    assert "Approved" in checker.inner_text("[role=status]")
    # The new counselor sets her password with the code, then signs in to her workspace.
    hers = context_for(javascript=False).new_page()
    hers.goto("/staff/enrol")
    hers.fill("#code", code)
    hers.fill("#password", NEW_PASSWORD)
    _shot(hers, "enrol")
    hers.click("text=Save my password")
    hers.wait_for_url("**/sign-in**")
    hers.fill("#name", "new.counselor@demo.econ")
    hers.fill("#passphrase", NEW_PASSWORD)
    hers.click("form[action='/sign-in'] button[type=submit]")
    hers.wait_for_url("**/staff/today")


def test_an_admin_reaches_no_participant_from_any_admin_page(context_for):
    page = context_for().new_page()
    sign_in_admin(page, 0)
    names = [p.preferred_name for p in Participant.select()]
    assert names
    for path in PAGES:
        page.goto(path)
        if path in ("/staff/partners", "/staff/settings", "/staff/audit"):
            _shot(page, path.rsplit("/", 1)[1])
        text = page.content()
        assert [n for n in names if n in text] == [], path
        links = page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
        assert not [href for href in links if "/participants" in href or href.startswith("/my")]
    someone = Participant.select().first()
    page.goto(f"/staff/participants/{someone.id}")
    assert someone.preferred_name not in page.content()
    assert urlsplit(page.url).path == "/staff/people"


@pytest.mark.parametrize("language", ["en", "es", "fr"])
def test_every_admin_page_passes_axe_stays_on_its_origin_and_fits(context_for, server, language):
    context = context_for()
    page = context.new_page()
    elsewhere: list[str] = []
    origin = urlsplit(server).netloc
    page.on("request", lambda r: urlsplit(r.url).netloc != origin and elsewhere.append(r.url))
    sign_in_admin(page, 1, language)
    axe = Axe()
    found = {}
    for path in PAGES:
        page.goto(path)
        violations = axe.run(page).response["violations"]
        found[path] = [
            (v["id"], [n["target"] for n in v["nodes"]][:3])
            for v in violations
            if v["impact"] in ("serious", "critical")
        ]
    assert {path: v for path, v in found.items() if v} == {}
    assert elsewhere == []
    narrow = context_for(width=320).new_page()
    sign_in_admin(narrow, 1, language)
    for path in PAGES:
        narrow.goto(path)
        width = narrow.evaluate("document.documentElement.scrollWidth")
        assert width <= 320, (path, width)


def _shown(page) -> dict[str, str]:
    """{indicator: what its row says} of the first group on the page."""
    rows = page.locator("section[data-group] >> nth=0").locator("tr[data-indicator]")
    return {
        rows.nth(i).get_attribute("data-indicator"): rows.nth(i).locator("td").all_inner_texts()
        for i in range(rows.count())
    }


def test_indicators_show_the_apis_figures_and_no_number_of_a_small_cell(context_for):
    start, end = default_range(dt.date.today())
    # as a counselor: her caseload, small cells suppressed
    page = context_for().new_page()
    page.goto("/sign-in")
    page.fill("#name", "counselor@demo.econ")
    page.fill("#passphrase", "demo-counselor-pass")
    page.click("form[action='/sign-in'] button[type=submit]")
    page.wait_for_url("**/staff/today")
    page.goto("/staff/caseload")
    page.click("text=Indicators of your caseload")
    page.wait_for_url("**/staff/indicators")
    counselor = actor_for(User.get(User.email == "counselor@demo.econ"))
    (row,) = outcomes.outcomes(counselor, start, end, "OVERALL")
    shown = _shown(page)
    hidden = [name for name, cell in row.cells.items() if cell.suppressed]
    for name, cell in row.cells.items():
        texts = shown[name]
        if cell.suppressed:
            assert texts == ["not shown: a small group"], name
        else:
            assert texts[0] == _written(name, cell.numerator), name
    assert hidden, "the demo caseload should have a cell under the threshold"
    chart = page.locator("svg.chart").first.inner_html()
    for name in hidden:
        label, _definition, kind = INDICATORS[name]
        if kind == "rate":  # charted: its label, then the words, no bar and no number
            beside = re.search(re.escape(label) + r"</text>(<[^>]+>)<", chart)
            assert beside is None or not beside.group(1).startswith("<rect"), name
            said = re.search(re.escape(label) + r"</text><text[^>]*>([^<]*)</text>", chart)
            assert said and said.group(1) == "not shown: a small group", name
    _shot(page, "indicators-counselor")
    assert page.locator("a[href*='report.pdf']").count() == 0
    # as ADMIN: the whole program, the same figures as the API, and the PDF one click away
    admin_page = context_for().new_page()
    sign_in_admin(admin_page, 0)
    admin_page.click("nav >> text=Indicators")
    admin = actor_for(User.get(User.email == "admin@demo.econ"))
    (whole,) = outcomes.outcomes(admin, start, end, "OVERALL")
    shown = _shown(admin_page)
    for name, cell in whole.cells.items():
        numerator = _written(name, cell.numerator)
        assert shown[name][:2] == [numerator, _written(name, cell.denominator)], name
    _shot(admin_page, "indicators")
    with admin_page.expect_download() as download:
        admin_page.click("text=Download the PDF report for this period")
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF")


def _written(name: str, count) -> str:
    """An API count as the English page writes it (PAR30's cents as an amount)."""
    return count_text({"name": name, "value": count}, "value", "en")
