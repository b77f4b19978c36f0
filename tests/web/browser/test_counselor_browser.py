"""The counselor's workspace in a real browser (issue 17), on the demo: her day from Today
to the record, the caseload's search and filters, revealing restricted details (and seeing
the reading in the access log), a cohort's attendance in one form, an enrolment code that
the participant then redeems; and on every counselor page the foundation's checks: axe,
no request outside the server's origin, the three languages.

Screenshots: `ECON_WEB_SCREENSHOTS=docs/img/web pytest tests/web/browser/test_counselor_browser.py`
writes counselor-*.png at 360 and 1280 px (without it nothing is written).
"""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe

from econ import logins
from econ.employers.candidates import candidates
from econ.employers.models import Opportunity
from econ.employers.referrals import refer_participant
from econ.participants.models import IncomeCorrection, Participant
from econ.participants.services import verify_correction
from econ.security.models import LoginRequest, User
from econ.security.roles import Actor, Role
from econ.security.services import actor_for
from econ.training import services as training
from econ.training.models import Cohort, EnrollmentRequest
from tests.outcomes import build
from tests.support.people import unique_iban

COUNSELOR = ("counselor@demo.econ", "demo-counselor-pass")
SHOTS = os.environ.get("ECON_WEB_SCREENSHOTS")


def sign_in_counselor(page, language: str = "en") -> None:
    page.goto(f"/language/{language}?next=/sign-in")
    page.fill("#name", COUNSELOR[0])
    page.fill("#passphrase", COUNSELOR[1])
    page.click("form[action='/sign-in'] button[type=submit]")
    page.wait_for_url("**/staff/today")


def _her_ids() -> list[int]:
    counselor = User.get(User.email == COUNSELOR[0])
    return [p.id for p in Participant.select().where(Participant.counselor == counselor.id)]


def _shot(page, name: str) -> None:
    if not SHOTS:
        return
    Path(SHOTS).mkdir(parents=True, exist_ok=True)
    for width in (360, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=f"{SHOTS}/counselor-{name}-{width}.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_from_today_to_the_place_where_she_acts(context_for):
    page = context_for().new_page()
    sign_in_counselor(page)
    assert page.locator("h1").inner_text() == "Today"
    held = page.locator("li[data-kind=PAYMENT_HELD] a").first
    name = held.locator("strong").inner_text()
    held.click()  # held for want of a bank account: her details' form, at the account
    page.wait_for_url(re.compile(r".*/staff/participants/\d+/edit#bankAccount$"))
    assert name in page.locator("h1").inner_text()
    page.click("nav.tabs >> text=Money")
    assert "HELD" in page.locator("table").first.inner_text()
    _shot(page, "record-money")


def test_caseload_search_filter_and_record_with_reveal(context_for):
    page = context_for().new_page()
    sign_in_counselor(page)
    page.click("nav.staff-menu >> text=Caseload")
    page.wait_for_url("**/staff/caseload")
    everyone = page.locator("table.caseload tbody tr").count()
    assert everyone == len(_her_ids())
    _shot(page, "caseload")
    page.select_option("#status", "PAUSED")
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**status=PAUSED**")
    paused = page.locator("table.caseload tbody tr")
    assert 0 < paused.count() < everyone
    page.fill("#q", "zzzz-nobody")
    page.click("form.filters button[type=submit]")
    assert page.locator("table.caseload").count() == 0
    page.click("text=Clear")
    page.locator("table.caseload tbody tr a").first.click()
    page.wait_for_url(re.compile(r".*/staff/participants/\d+$"))
    assert page.locator("[data-field=legalName]").count() == 0
    _shot(page, "record")
    page.click("text=Show restricted details (recorded)")
    assert page.locator("[data-field=legalName]").inner_text() not in ("", "—")
    record = page.url.removesuffix("/reveal")
    page.click("nav.tabs >> text=Access log")
    assert "Readings of her restricted data: 0" not in page.locator("main").inner_text()
    page.goto(record)  # the reveal is not kept
    assert page.locator("[data-field=legalName]").count() == 0


def test_save_apply_and_delete_a_caseload_filter(context_for):
    """A saved filter is hers on the caseload page: saved under a name, applied by one
    click (the same rows as the choice itself), deleted; a bad name is said beside it."""
    page = context_for().new_page()
    sign_in_counselor(page)
    page.goto("/staff/caseload")
    page.select_option("#status", "PAUSED")
    page.select_option("#sort", "DAYS_PAST_DUE")
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**status=PAUSED**")
    paused = page.locator("table.caseload tbody tr").count()
    page.fill("#filter-name", "   ")
    page.click("form.save-filter button[type=submit]")
    assert "Give the filter a name." in page.locator("#name-error").inner_text()
    page.fill("#filter-name", "Paused, latest loans first")
    page.click("form.save-filter button[type=submit]")
    page.wait_for_url("**done=saved**")
    assert "Filter saved." in page.locator("[role=status]").inner_text()
    saved = page.locator(".saved-filters li", has_text="Paused, latest loans first")
    assert "Paused" in saved.inner_text()
    _shot(page, "caseload-saved-filter")
    page.goto("/staff/caseload")  # everyone again, then the saved choice in one click
    page.locator(".saved-filters li a", has_text="Paused, latest loans first").click()
    page.wait_for_url("**status=PAUSED**sort=DAYS_PAST_DUE**")
    assert page.locator("#status").input_value() == "PAUSED"
    assert page.locator("table.caseload tbody tr").count() == paused
    page.locator(".saved-filters li", has_text="Paused, latest loans first").locator(
        "button[type=submit]"
    ).click()
    page.wait_for_url("**done=deleted")
    assert page.locator(".saved-filters li").count() == 0


def test_a_cohort_day_in_one_form(context_for):
    page = context_for().new_page()
    sign_in_counselor(page)
    page.click("nav.staff-menu >> text=Training")
    sheets = [a.get_attribute("href") for a in page.locator("a", has_text="Attendance sheet").all()]
    rows = page.locator("form.sheet tbody tr")
    for href in sheets:  # a session day that nobody has marked yet, whatever weekday today is
        page.goto(href)
        days = [o.get_attribute("value") for o in page.locator("select option").all()]
        for day in days:  # the demo marks the latest six days; earlier ones are still blank
            page.goto(f"{href}?date={day}")
            if rows.count() and page.locator("form.sheet input:checked").count() == 0:
                break
        else:
            continue
        break
    count = rows.count()
    assert count > 0
    page.click("form.sheet button[type=submit]")  # nothing chosen: every row says so
    assert page.locator("form.sheet .error").count() == count
    for i in range(count):
        rows.nth(i).locator("input[value=PRESENT]").check()
    rows.nth(0).locator("input[value=ABSENT]").check()
    page.click("form.sheet button[type=submit]")
    page.wait_for_url("**saved=1")
    _shot(page, "attendance")
    assert page.locator("[role=status]").count() == 1
    assert page.locator("form.sheet input:checked").count() == count


def test_enrolment_code_slip_then_she_starts_with_it(context_for):
    page = context_for().new_page()
    sign_in_counselor(page)
    target = next(
        p for p in Participant.select().where(Participant.id.in_(_her_ids()))
        if not User.select().where(User.participant_id == p.id).exists()
    )  # fmt: skip
    page.goto(f"/staff/participants/{target.id}/code")
    page.click("text=Issue a code now (she is here)")
    code = page.locator("[data-code]").inner_text().strip()
    assert re.fullmatch(r"[A-Z0-9-]{8,}", code)
    _shot(page, "code")
    assert page.locator("[data-sign-in=PENDING]").count() == 1
    hers = context_for(javascript=False).new_page()

    def start() -> None:
        hers.goto("/start")
        hers.fill("#code", code)
        hers.fill("#signInName", "quiet-harbour")
        hers.fill("#passphrase", "orange kettle under moonlight")
        hers.click("form[action='/start'] button[type=submit]")

    start()  # before a second person approved: said plainly, and she stays out
    assert "not approved yet" in hers.inner_text("main")
    (request,) = LoginRequest.select().where(LoginRequest.participant_id == target.id)
    logins.approve(actor_for(User.get(User.email == "admin2@demo.econ")), request.id)
    page.goto(f"/staff/participants/{target.id}/code")  # not a reload: that would POST again
    assert page.locator("[data-sign-in=APPROVED]").count() == 1
    start()
    hers.wait_for_url("**/my")


def _no_serious_violation(page) -> None:
    results = Axe().run(page)
    serious = [
        (v["id"], v["impact"]) for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]  # fmt: skip
    assert serious == [], (page.url, serious)


def test_her_month_register_write_a_plan_and_revise_one_step(context_for):
    """Register (the duplicate search shows who is already there first), write her plan,
    then change one step and add one: the change is shown against the current revision."""
    page = context_for().new_page()
    sign_in_counselor(page)
    known = Participant.get_by_id(sorted(_her_ids())[0]).preferred_name
    page.goto("/staff/participants/new")
    page.fill("#search", known)
    page.click("form[role=search] button[type=submit]")
    assert known in page.locator("ul.rows").inner_text()  # she is here already: shown first
    page.fill("#preferredName", "Samira")
    page.fill("#dateOfBirth", "1994-05-17")
    page.click("text=Add her to my caseload")
    page.wait_for_url(re.compile(r".*/staff/participants/\d+$"))
    record = page.url
    page.click("nav.tabs >> text=Plan")
    assert "No plan yet." in page.locator("main").inner_text()
    page.click("text=Write her plan")
    page.fill("#title-new", "Open a bank account")
    page.select_option("#category-new", "BANKING")
    page.fill("#due-new", "2027-01-15")
    page.check("input[name=pathway-EMPLOYMENT]")
    page.fill("#target", "1200")
    page.click("text=Show the change")
    assert "Added" in page.locator("ul.changes").inner_text()
    page.click("text=Save as revision 1")
    page.wait_for_url("**/plan?saved=1")
    assert "Revision 1 waits for her agreement." in page.locator("main").inner_text()
    page.click("text=Change her plan")
    page.locator("input[type=date]").first.fill("2027-02-28")
    page.fill("#title-new", "Write a CV")
    page.select_option("#category-new", "EMPLOYMENT")
    page.click("text=Show the change")
    change = page.locator("ul.changes").inner_text()
    assert "Changed" in change and "Open a bank account" in change and "Write a CV" in change
    assert "compared with revision 1" in page.locator("main").inner_text()
    _no_serious_violation(page)
    _shot(page, "plan-change")
    page.click("text=Save as revision 2")
    page.wait_for_url("**/plan?saved=1")
    steps = page.locator("table tbody").first.inner_text()
    assert "Open a bank account" in steps and "Write a CV" in steps
    assert "Feb 28, 2027" in steps
    assert "Revision 2 waits for her agreement." in page.locator("main").inner_text()
    assert record in page.url


def test_match_and_refer_blocked_without_consent_then_allowed(context_for):
    page = context_for().new_page()
    sign_in_counselor(page)
    page.click("nav.staff-menu >> text=Jobs")
    page.wait_for_url("**/staff/opportunities")
    jobs = [a.get_attribute("href") for a in page.locator("ul.rows a").all()]
    for href in jobs:  # the first opening with a candidate who has not consented yet
        page.goto(href)
        if page.locator("form.consent-form").count():
            break
    row = page.locator("ol.candidates > li", has=page.locator("form.consent-form")).first
    row_id = row.get_attribute("id")
    name = row.locator("strong").first.inner_text()
    assert row.locator("text=No consent yet:").count() == 1
    assert row.locator("button[value=refer]").count() == 0  # no "refer anyway"
    assert "Required skills" in row.inner_text() and "%" in row.inner_text()
    _shot(page, "match")
    row.locator("button[value=consent]").click()  # the box left unticked
    row = page.locator(f"#{row_id}")
    assert "Tick the box only when she is here" in row.inner_text()
    row.locator("input[name=present]").check()
    row.locator("button[value=consent]").click()
    page.wait_for_url("**done=consent")
    page.locator(f"#{row_id} button[value=refer]").click()
    page.wait_for_url("**done=referred")
    assert "Referred: the employer sees her anonymous profile." in page.locator("main").inner_text()
    referred = page.locator("h2:has-text('Already referred') + ul").inner_text()
    assert name in referred and "Shared with the employer" in referred
    _no_serious_violation(page)


def _counselor() -> Actor:
    user = User.get(User.email == COUNSELOR[0])
    return Actor(user_id=user.id, role=Role.COUNSELOR, email=user.email)


def test_enrol_into_a_full_cohort_then_complete_with_the_credential(context_for):
    """One seat, taken: the next one she enrols is number 1 on the waiting list; the one
    attending completes with the programme's credential."""
    counselor = _counselor()
    program = training.create_program(
        counselor, title="Barista basics", provider="Café School", description="Coffee.",
        format="IN_PERSON", languages=["es"], total_hours="20", hours_per_week="10",
        cost="0", capacity=1, credential_name="Barista certificate",
    )  # fmt: skip
    today = dt.date.today()
    cohort = training.create_cohort(
        counselor, program.id, start_date=today, end_date=today + dt.timedelta(days=14),
        session_days=["MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN"], location="Centro",
        capacity=1,
    )  # fmt: skip
    active = [
        p for p in Participant.select().where(Participant.id.in_(_her_ids()))
        if p.status == "ACTIVE"
    ]  # fmt: skip
    seated = training.enroll_participant(counselor, cohort.id, active[0].id)
    training.set_enrollment_status(counselor, seated.id, "ACTIVE", "started")
    page = context_for().new_page()
    sign_in_counselor(page)
    page.click("nav.staff-menu >> text=Training")
    page.click(f"a[href='/staff/cohorts/{cohort.id}']")
    page.wait_for_url(f"**/staff/cohorts/{cohort.id}")
    page.select_option("#participant", str(active[1].id))
    page.click("text=Enrol her")
    page.wait_for_url("**enrolled=**")
    status = page.locator("[role=status]").inner_text()
    assert "The cohort is full: she is number 1 on the waiting list." in status
    assert active[1].preferred_name in page.locator("ol.rows").inner_text()
    _shot(page, "cohort")
    row = page.locator(f"#enrollment-{seated.id}")
    row.locator("summary").click()
    assert row.locator("input[name=credentialName]").input_value() == "Barista certificate"
    row.locator("button[value=complete]").click()
    page.wait_for_url("**completed=1")
    done = page.locator(f"#enrollment-{seated.id}").inner_text()
    assert "Completed on" in done and "Barista certificate (Café School)" in done
    _no_serious_violation(page)


def test_record_verify_and_correct_income_and_see_the_overview_change(context_for):
    """A month recorded and verified shows on the overview; corrected with a reason, it waits
    for a second person; once FINANCE verifies it, the overview shows the corrected amount."""
    pid = sorted(_her_ids())[1]
    last_month = (dt.date.today().replace(day=1) - dt.timedelta(days=1)).strftime("%Y-%m")
    page = context_for().new_page()
    sign_in_counselor(page)
    page.goto(f"/staff/participants/{pid}/money")
    page.fill("#month", last_month)
    page.select_option("#source", "EMPLOYMENT")
    page.fill("#amount", "905.00")
    page.click("button:text-is('Record')")
    page.wait_for_url("**/money?saved=1")
    row = page.locator("tbody tr", has_text="€905.00").first
    with page.expect_navigation():
        row.locator("text=Verify (I saw the proof)").click()
    page.click("nav.tabs >> text=Overview")
    assert "€905.00" in page.locator("[data-latest-income]").inner_text()
    page.click("nav.tabs >> text=Money")
    page.locator("tbody tr", has_text="€905.00").first.locator("text=Correct").click()
    page.fill("#amount", "1105.00")
    page.fill("#reason", "The payslip was misread: overtime left out")
    _shot(page, "income-correction")
    page.click("text=Save the correction")
    page.wait_for_url("**/money?corrected=1")
    assert "waits for a second person" in page.locator("main").inner_text()
    correction = IncomeCorrection.select().order_by(IncomeCorrection.id.desc()).get()
    finance = User.get(User.role == "FINANCE")
    verify_correction(Actor(user_id=finance.id, role=Role.FINANCE), correction.id)
    page.click("nav.tabs >> text=Overview")
    assert "€1,105.00" in page.locator("[data-latest-income]").inner_text()


# Where each kind of item on Today lands (the item's own form or card on her record, her
# details' bank account for a payment her account stops, the plan editor on the overdue
# step, her agreement state), and what she finds there to act with.
ACTS_ON = {
    "ENROLMENT_REQUEST": ("training", "form[action*='/requests/'] button[value=enrol]"),
    "CONSENT_NEEDED": ("work", ".card:target form.consent-form"),
    "REFERRAL_TO_SHARE": ("work", ".card:target button[value=share]"),
    "REFERRAL_NO_REPLY": ("work", ".card:target"),
    "CHECKPOINT_DUE": ("work", "form.check-form"),
    "PAYMENT_HELD": ("money|edit", "tr:target, #bankAccount"),
    "PAYMENT_FAILED": ("edit", "#bankAccount"),
    "LOAN_IN_ARREARS": ("money", ".card:target >> text=meets next on"),
    "MILESTONE_OVERDUE": ("plan/edit", "fieldset.step:target input[name^=title-]"),
    "PLAN_NOT_AGREED": ("plan", "p.agreement:target"),
}


def _a_referral_waiting_for_consent() -> None:
    """One of her candidates proposed to an opening without PROFILE consent yet."""
    counselor = _counselor()
    for opportunity in Opportunity.select().where(Opportunity.status == "OPEN"):
        _, ranked = candidates(counselor, opportunity.id)
        waiting = [c for c in ranked if not c.profile_consent]
        if waiting:
            refer_participant(counselor, opportunity.id, waiting[0].participant_id)
            return


def test_each_kind_of_item_on_today_leads_to_where_she_acts(context_for):
    _a_referral_waiting_for_consent()
    page = context_for().new_page()
    sign_in_counselor(page)
    kinds = {k: None for k in page.locator("li[data-kind]").evaluate_all(
        "rows => rows.map(r => r.dataset.kind)")}  # fmt: skip
    assert kinds, "the demo has items on Today"
    for kind in kinds:
        page.goto("/staff/today")
        link = page.locator(f"li[data-kind={kind}] a").first
        assert link.locator(".act").inner_text(), kind  # every row says what its link does
        link.click()
        tab, action = ACTS_ON[kind]
        page.wait_for_url(re.compile(rf".*/staff/participants/\d+/({tab})(#[A-Za-z]+(-\d+)?)?$"))
        assert page.locator(action).count() > 0, kind
    assert "CONSENT_NEEDED" in kinds
    # act on it: consent with her present, then share
    page.goto("/staff/today")
    page.locator("li[data-kind=CONSENT_NEEDED] a").first.click()
    card = page.locator(".card", has=page.locator("form.consent-form")).first
    card_id = card.get_attribute("id")
    card.locator("input[name=present]").check()
    card.locator("button[value=consent]").click()
    page.locator(f"#{card_id} button[value=share]").click()
    assert "Shared with the employer" in page.locator(f"#{card_id}").inner_text()


def _today_rows_to_act_on() -> tuple[Participant, Participant]:
    """A placement of hers whose 30-day check is due, and her request for a seat."""
    active = [
        p for p in Participant.select().where(Participant.id.in_(_her_ids()))
        if p.status == "ACTIVE"
    ]  # fmt: skip
    today = dt.date.today()
    working, asking = active[-1], active[-2]
    build.placement(working, build.employer("Harbour Foods"), today - dt.timedelta(days=40))
    cohort = build.cohort(
        build.program("Care assistant"), today + dt.timedelta(days=7), today + dt.timedelta(days=70)
    )
    EnrollmentRequest.create(cohort=cohort, participant=asking.id, note="mornings only")
    return working, asking


def test_today_rows_are_actions_a_check_a_seat_and_her_bank_account(context_for, server):
    """From Today, each row to the one form where she acts: record a retention check, enrol
    her in the seat she asked for, and give the bank account her held stipend needs (a bad
    IBAN, date and phone said at once beside their fields, what she typed kept); another
    counselor's participant is not found and her page names nobody."""
    working, asking = _today_rows_to_act_on()
    page = context_for().new_page()
    sign_in_counselor(page)
    _shot(page, "today")
    check = page.locator("li[data-kind=CHECKPOINT_DUE] a", has_text=working.preferred_name)
    assert "Record the check" in check.inner_text()
    check.click()
    page.wait_for_url(re.compile(r".*/work#check-\d+$"))
    form = page.locator("form.check-form").first
    form.locator("input[value=CONFIRMED_EMPLOYED]").check()
    form.locator("input[name=evidence]").fill("call with her, payslip seen")
    _shot(page, "record-check")
    form.locator("button[type=submit]").click()
    page.wait_for_url("**result=checked**")
    assert "The check is recorded." in page.locator("[role=status]").inner_text()
    assert "still works there (call with her, payslip seen)" in page.locator("main").inner_text()

    page.goto("/staff/today")
    page.locator("li[data-kind=ENROLMENT_REQUEST] a", has_text=asking.preferred_name).click()
    page.wait_for_url(re.compile(r".*/training#request-\d+$"))
    assert "mornings only" in page.locator("main").inner_text()
    _shot(page, "record-request")
    page.click("button[value=enrol]")
    page.wait_for_url("**result=seat**")
    assert "Enrolled: she has a seat." in page.locator("[role=status]").inner_text()

    page.goto("/staff/today")
    kinds = page.locator("li[data-kind]").evaluate_all("rows => rows.map(r => r.dataset.kind)")
    assert "CHECKPOINT_DUE" not in kinds and "ENROLMENT_REQUEST" not in kinds
    held = page.locator("li[data-kind=PAYMENT_HELD] a", has_text="Her bank account").first
    name = held.locator("strong").inner_text()
    held.click()
    page.wait_for_url("**/edit#bankAccount")
    assert page.evaluate("location.hash") == "#bankAccount"
    assert name in page.locator("h1").inner_text()
    page.fill("#bankAccount", "ES00 1234 5678")
    page.fill("#dateOfBirth", "1890-01-01")
    page.fill("#phone", "call me")
    page.click("text=Save her details")
    errors = page.locator("p.error")
    assert errors.count() == 3
    assert "3 fields need a change" in page.locator("[role=alert]").inner_text()
    for field in ("bankAccount", "dateOfBirth", "phone"):
        assert page.locator(f"#{field}").get_attribute("aria-invalid") == "true"
    assert page.locator("#bankAccount").input_value() == "ES00 1234 5678"  # nothing lost
    _no_serious_violation(page)
    _shot(page, "details-errors")
    page.fill("#bankAccount", unique_iban())
    page.fill("#dateOfBirth", "1991-03-09")
    page.fill("#phone", "")
    page.click("text=Save her details")
    page.wait_for_url("**/edit?saved=1&bank=1")
    said = page.locator("[role=status]").inner_text()
    assert "Her details are saved." in said and "a finance colleague confirms them" in said
    assert page.locator("#bankAccount").input_value() == ""  # never read back into the form
    _shot(page, "details")

    page.click("nav.tabs >> text=History")  # she is away for a while: paused, with why
    page.select_option("#status", "PAUSED")
    page.fill("#reason", "caring for her mother this month")
    page.click("form.status-form button[type=submit]")
    page.wait_for_url("**/history?saved=1")
    assert "caring for her mother this month" in page.locator("ol.log").inner_text()
    assert "Paused" in page.locator(".record-head").inner_text()
    _shot(page, "record-history")

    other = User.get(User.email == "counselor2@demo.econ")
    theirs = Participant.select().where(Participant.counselor == other.id).first()
    for tail in ("/edit", "/work", "/documents", "/history"):
        path = f"/staff/participants/{theirs.id}{tail}"
        answer = page.goto(path)
        assert answer.status == 404
        assert theirs.preferred_name not in page.locator("body").inner_text()


def _counselor_pages() -> list[str]:
    first = sorted(_her_ids())[0]
    pages = [
        "/staff/today",
        "/staff/caseload",
        "/staff/training",
        "/staff/opportunities",
        "/staff/participants/new?search=a",
    ]
    tabs = ("", "/plan", "/training", "/work", "/money", "/consents", "/documents")
    tabs += ("/history", "/access")
    pages += [f"/staff/participants/{first}{tab}" for tab in tabs]
    pages.append(f"/staff/participants/{first}/plan/edit")
    pages.append(f"/staff/participants/{first}/edit")
    pages.append(f"/staff/cohorts/{Cohort.select().order_by(Cohort.id).first().id}")
    opening = Opportunity.select().where(Opportunity.status == "OPEN").order_by(Opportunity.id)
    pages.append(f"/staff/opportunities/{opening.first().id}")
    return pages


@pytest.mark.parametrize("language", ["en", "es", "fr"])
def test_every_counselor_page_passes_axe_and_stays_on_its_origin(context_for, server, language):
    context = context_for()
    page = context.new_page()
    sign_in_counselor(page, language)
    elsewhere: list[str] = []
    origin = urlsplit(server).netloc
    page.on("request", lambda r: urlsplit(r.url).netloc != origin and elsewhere.append(r.url))
    axe = Axe()
    for path in _counselor_pages():
        page.goto(path)
        assert page.locator("html").get_attribute("lang") == language, path
        results = axe.run(page)
        serious = [
            (v["id"], v["impact"]) for v in results.response["violations"]
            if v["impact"] in ("serious", "critical")
        ]  # fmt: skip
        assert serious == [], (path, serious)
        page.set_viewport_size({"width": 320, "height": 900})  # tables scroll in their box
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), path
        page.set_viewport_size({"width": 1280, "height": 900})
    assert elsewhere == []
