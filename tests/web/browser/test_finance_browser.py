"""The finance month in a real browser (issue 18), on the demo, with two FINANCE users in two
browser contexts: create and calculate a run (progress visible), try to approve it as its
creator (refused, the reason on the page), approve it as the second user after reading the
control total, disburse, download the SEPA file, upload a bank file with one failure and
one unknown reference, read the summary, resolve the exception, fix her account (confirmed
by the other user), retry, run a follow-up for a held line, and approve an award from the
inbox; enter a group's collection sheet and print it. Between the second user's first look
and her approval the run is recalculated: her panel lists the line that changed, old and
new amount, and the stepper then shows her approval with its comment. Then on every finance page
the foundation's checks: axe, no request outside the server's origin, no sideways scroll
at 320 px, the three languages.

Screenshots: `ECON_WEB_SCREENSHOTS=docs/img/web pytest tests/web/browser/test_finance_browser.py`
writes finance-*.png at 360 and 1280 px (without it nothing is written).
"""

from __future__ import annotations

import datetime as dt
import os
import re
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe

from econ.microcredit.models import Loan, LoanGroup
from econ.months import add_months, month_of
from econ.participants import services as participants
from econ.participants.models import IncomeRecord
from econ.stipends import services as stipends
from econ.stipends.models import IncentiveAward, PaymentAttempt, PaymentLine, PaymentRun
from tests.support.people import unique_iban

FINANCE = ("finance@demo.econ", "demo-finance-pass")
FINANCE2 = ("finance2@demo.econ", "demo-finance2-pass")
COUNSELOR = "counselor@demo.econ"
SHOTS = os.environ.get("ECON_WEB_SCREENSHOTS")
PERIOD = month_of(dt.date.today())
WAIT = 30_000  # ms: a calculation or an export by the in-process worker


def sign_in_finance(page, who=FINANCE, language: str = "en") -> None:
    page.goto(f"/language/{language}?next=/sign-in")
    page.fill("#name", who[0])
    page.fill("#passphrase", who[1])
    page.click("form[action='/sign-in'] button[type=submit]")
    page.wait_for_url("**/staff/runs")


def _shot(page, name: str, focus: str | None = None) -> None:
    """One screen at 360 and at 1280 px (the run page is long: `focus` scrolls to the part
    the picture is about)."""
    if not SHOTS:
        return
    Path(SHOTS).mkdir(parents=True, exist_ok=True)
    for width, height in ((360, 780), (1280, 1000)):
        page.set_viewport_size({"width": width, "height": height})
        if focus:
            page.locator(focus).first.scroll_into_view_if_needed()
            page.evaluate("window.scrollBy(0, -16)")
        page.screenshot(path=f"{SHOTS}/finance-{name}-{width}.png")
    page.set_viewport_size({"width": 1280, "height": 900})


def _act(page, action: str):
    return page.locator(f"form:has(input[name=action][value={action}]) button[type=submit]")


def _unverified_month_for_one(demo):
    """One woman whose income of last month waits for verification: her line is held."""
    counselor = demo.actor(COUNSELOR)
    month = add_months(PERIOD, -1)
    her = next(
        p for p in demo.participants
        if p.counselor_id == counselor.user_id and p.status == "ACTIVE"
        and PaymentLine.select().where(PaymentLine.participant == p.id).exists()
        and not IncomeRecord.select().where(
            (IncomeRecord.participant == p.id) & (IncomeRecord.month == month)
        ).exists()
    )  # fmt: skip
    record = participants.record_income(
        counselor, her.id, month=month, source="EMPLOYMENT", amount="120.00"
    )
    return record


def test_the_finance_month_with_two_users(context_for, demo):
    unverified = _unverified_month_for_one(demo)
    first = context_for().new_page()
    second = context_for().new_page()
    sign_in_finance(first)
    sign_in_finance(second, FINANCE2)
    _shot(first, "runs")

    # 1. the first user creates and calculates the run; progress is on the page
    first.fill("#period", PERIOD)
    first.click("form[action='/staff/runs'] button[type=submit]")
    first.wait_for_url(re.compile(r".*/staff/runs/\d+\?done=created$"))
    run_id = int(re.search(r"/staff/runs/(\d+)", first.url).group(1))
    assert first.locator("#progress").count() == 1
    assert " of " in first.locator("#job-text").inner_text()
    first.wait_for_selector("#approval", timeout=WAIT)  # the script reloads when done
    assert first.locator("#progress").is_visible()
    # 2. as the creator she cannot approve, and the page says why
    assert "You created this run" in first.locator("#obstacle").inner_text()
    assert _act(first, "approve").count() == 0
    _shot(first, "run-creator", "section.approval")

    assert "Approval 0 of 1" in first.locator("#step-approved").inner_text()
    assert "You are the last approver" not in first.locator("section.approval").inner_text()

    # 3. the second user looks at it first: her first look, she is the last approver
    second.goto(f"/staff/runs/{run_id}")
    assert "this is your first look" in second.locator("#first-look").inner_text()
    assert "You are the last approver" in second.locator("#approvals-count").inner_text()
    seen = PaymentRun.get_by_id(run_id).version
    # meanwhile an award for one of the run's women is approved and the first user
    # recalculates: the second user's panel says what changed since the version she saw
    line = (
        PaymentLine.select()
        .where((PaymentLine.run == run_id) & (PaymentLine.status == "PENDING"))
        .order_by(PaymentLine.id)
        .first()
    )
    rewarded = stipends.create_manual_award(
        demo.actor(FINANCE[0]), line.participant_id, "40.00", "kept her job three months"
    )
    stipends.approve_award(demo.actor(FINANCE2[0]), rewarded.id)
    first.goto(f"/staff/runs/{run_id}")
    _act(first, "recalculate").click()
    first.wait_for_url("**done=recalculate")
    first.wait_for_selector("#approval", timeout=WAIT)
    second.goto(f"/staff/runs/{run_id}")
    changed = second.locator("#changed").inner_text()
    run = PaymentRun.get_by_id(run_id)
    assert f"version {seen} " in changed and f"version {run.version}" in changed
    assert "lines added: 0, removed: 0, amount or status changed: 1" in changed
    row = second.locator("#changed table.changes tbody tr")
    assert row.count() == 1
    assert line.participant.code in row.inner_text()
    assert f"{line.net + Decimal('40.00'):,.2f}" in row.inner_text()

    # 4. she reads the control total, then approves with a comment
    panel = second.locator("section.approval").inner_text()
    assert "control total" in panel and f"version {run.version}" in panel
    control = second.locator("input[name=controlTotal]").get_attribute("value")
    _shot(second, "approval", "section.approval")
    second.fill("#approve-note", "Award checked against the register")
    _act(second, "approve").click()
    second.wait_for_url("**done=approve")
    assert "You approved the run." in second.locator("[role=status]").inner_text()
    assert PaymentRun.get_by_id(run_id).control_total == Decimal(control)
    step = second.locator("#step-approved").inner_text()
    assert "Approval 1 of 1" in step and "Award checked against the register" in step
    assert "Greta Lund" in step  # who approved: the demo's second finance user
    _shot(second, "stepper", "nav[aria-label]")

    # 5. the first user writes the SEPA file and downloads it
    first.goto(f"/staff/runs/{run_id}")
    first.select_option("#format", "SEPA")
    _act(first, "disburse").click()
    first.wait_for_selector("#files", timeout=WAIT)
    with first.expect_download() as info:
        first.locator("#files + p + ul form button").first.click()
    download = info.value
    assert "pain.001.001.03" in Path(download.path()).read_text()
    assert download.suggested_filename.endswith(".xml")

    # 6. the bank's answer: one paid, one failed, one reference that is not ours
    attempts = list(
        PaymentAttempt.select().where(PaymentAttempt.run_id == run_id).order_by(PaymentAttempt.id)
    )
    ok, bad = attempts[0], attempts[1]
    bank = (
        "reference,status,amount,reason\n"
        f"{ok.reference},PAID,{ok.amount:.2f},\n"
        f"{bad.reference},FAILED,{bad.amount:.2f},AC04 account closed\n"
        "R999999-L1-A1,PAID,10.00,\n"
    )
    upload = [{"name": "bank.csv", "mimeType": "text/csv", "buffer": bank.encode()}]
    first.set_input_files("#result-file", files=upload)
    first.click("button[name=mode][value=check]")  # the summary before applying
    before = first.locator("[role=status]").inner_text()
    assert "nothing is applied yet" in before and "Failed: 1" in before
    assert PaymentLine.get_by_id(bad.line_id).status == "SENT"
    first.set_input_files("#result-file", files=upload)
    first.click("button[name=mode][value=apply]")
    summary = first.locator("[role=status]").inner_text()
    assert "Result file applied" in summary
    assert "Paid: 1" in summary and "Failed: 1" in summary
    assert "New exceptions (such as unknown references): 1" in summary
    _shot(first, "results", "#bank-answer")

    # 7. resolve the unknown reference
    unknown = first.locator("li.exception", has_text="Unknown reference in the bank file")
    unknown.locator("summary", has_text="Answer it").click()
    unknown.locator("input[value=RESOLVED]").check()
    unknown.locator("input[name=note]").fill("Another programme's payment; told the bank")
    unknown.locator("button[type=submit]", has_text="Save").click()
    first.wait_for_url("**done=resolve")
    resolved = first.locator("li.exception.resolved", has_text="Unknown reference")
    assert "told the bank" in resolved.inner_text()

    # 8. her counselor enters the new account; the retry waits for a second FINANCE user
    her = PaymentLine.get_by_id(bad.line_id).participant_id
    participants.update_participant(demo.actor(COUNSELOR), her, bank_account=unique_iban())
    failed = first.locator("li.exception", has_text="AC04 account closed")
    failed.locator("button", has_text="Send this payment again").click()
    assert "She cannot be paid yet" in first.locator("[role=alert]").first.inner_text()
    second.goto(f"/staff/payees/{her}?run={run_id}")
    assert "Payment details not confirmed" in second.locator("#hold").inner_text()
    second.click("text=Show her name and account (recorded)")
    assert second.locator("[data-field=bankAccount]").inner_text().strip() not in ("", "—")
    _shot(second, "payee")
    second.fill("#note", "Saw the bank's letter with her counselor")
    second.click("text=Confirm her payment details")
    second.wait_for_url("**saved=1**")
    first.goto(f"/staff/runs/{run_id}")
    first.locator("li.exception", has_text="AC04 account closed").locator(
        "button", has_text="Send this payment again"
    ).click()
    first.wait_for_url("**done=retry")
    assert PaymentLine.get_by_id(bad.line_id).status in ("PENDING", "SENT")  # the worker is quick

    # 9. her income is verified: a follow-up run pays the held line, four eyes again
    participants.verify_income(demo.actor(COUNSELOR), unverified.id, unverified.version)
    first.goto(f"/staff/runs/{run_id}")
    _act(first, "followup").click()
    first.wait_for_url(re.compile(r".*/staff/runs/\d+\?done=followup$"))
    followup = int(re.search(r"/staff/runs/(\d+)", first.url).group(1))
    assert followup != run_id and "follow-up of run" in first.locator("h1").inner_text()
    second.goto(f"/staff/runs/{followup}")
    _act(second, "approve").click()
    second.wait_for_url("**done=approve")
    assert PaymentRun.get_by_id(followup).state == "APPROVED"
    _shot(first, "run")

    # 10. an award the first user entered waits in the second user's inbox, not in hers
    award = stipends.create_manual_award(
        demo.actor(FINANCE[0]), her, "25.00", "bus fare to the job interview"
    )
    # and a loan application her counselor entered: her code, her group, who applied
    applied = _loan_application(demo)
    first.goto("/staff/approvals")
    mine = first.locator("li", has_text="bus fare to the job interview")
    assert "You entered this" in mine.inner_text() and mine.locator("input").count() == 0
    second.click("nav.staff-menu >> text=Approvals")
    second.wait_for_url("**/staff/approvals")
    loan_row = second.locator("li", has_text="Loan of €150.00")
    words = loan_row.inner_text()
    assert applied.borrower.code in words and applied.group.name in words
    assert "asked by" in words
    second.locator("li", has_text="bus fare to the job interview").locator("input").check()
    loan_row.locator("input").check()
    second.fill("#comment", "Receipt seen; the group vouched for her")
    _shot(second, "approvals")
    second.click("text=Approve the ones ticked")
    second.wait_for_url("**approved=2")
    assert IncentiveAward.get_by_id(award.id).state == "APPROVED"
    assert Loan.get_by_id(applied.id).state == "APPROVED"


def _loan_application(demo) -> Loan:
    """A loan of €150 her counselor applies for, for a group member without an open loan."""
    from econ.microcredit import services as microcredit
    from econ.microcredit.models import GroupMember

    counselor = demo.actor(COUNSELOR)
    member = next(
        m for m in GroupMember.select().where(GroupMember.left_at.is_null())
        .order_by(GroupMember.id)
        if m.participant.counselor_id == counselor.user_id
        and not Loan.select().where(Loan.open_borrower == m.participant_id).exists()
    )  # fmt: skip
    return microcredit.apply_for_loan(
        counselor, member.participant_id, purpose="WORKING_CAPITAL", amount="150.00",
        number_of_installments=3, annual_interest_rate="0",
    )  # fmt: skip


def test_a_group_collection_sheet_in_one_form_then_printed(context_for):
    page = context_for().new_page()
    sign_in_finance(page)
    page.click("nav.staff-menu >> text=Loan book")
    page.wait_for_url("**/staff/loans")
    assert "PAR30" in page.locator("main").inner_text()
    page.locator("summary", has_text="What this means").first.click()
    assert "CGAP" in page.locator("details[open]").first.inner_text()
    _shot(page, "loans")
    # the group's own link (the story's approved loan names the group too)
    page.click("a[href^='/staff/groups/']:has-text('Sunflower savings circle')")
    page.click("text=Collection sheet for today")
    rows = page.locator("form table.sheet-form tbody tr")
    count = rows.count()
    assert count >= 3
    page.click("text=Save the sheet for the whole group")  # nobody's attendance: nothing saved
    assert page.locator("form .error").count() == count
    for i in range(count):
        rows.nth(i).locator("input[value=PRESENT]").check()
    rows.nth(count - 1).locator("input[value=EXCUSED]").check()
    _shot(page, "sheet", "form table.sheet-form")
    page.click("text=Save the sheet for the whole group")
    page.wait_for_url("**saved=1")
    assert "Excused" in page.locator("table.sheet-form").inner_text()
    with page.expect_download() as info:
        page.click("text=Print (PDF)")
    assert Path(info.value.path()).read_bytes().startswith(b"%PDF")


def _finance_pages() -> list[str]:
    run = PaymentRun.select().order_by(PaymentRun.id).first()
    line = PaymentLine.select().where(PaymentLine.run == run.id).first()
    group = LoanGroup.select().order_by(LoanGroup.id).first()
    loan = Loan.select().where(Loan.state == "DISBURSED").order_by(Loan.id).first()
    return [
        "/staff/runs",
        "/staff/approvals",
        f"/staff/runs/{run.id}",
        f"/staff/runs/{run.id}?status=PAID",
        f"/staff/payees/{line.participant_id}?run={run.id}",
        "/staff/loans",
        f"/staff/groups/{group.id}",
        f"/staff/groups/{group.id}/sheet",
        f"/staff/loans/{loan.id}",
        "/staff/ledger",
        f"/staff/ledger/bank?period={month_of(dt.date.today())}",
    ]


@pytest.mark.parametrize("language", ["en", "es", "fr"])
def test_every_finance_page_passes_axe_and_stays_on_its_origin(context_for, server, language):
    page = context_for().new_page()
    sign_in_finance(page, language=language)
    elsewhere: list[str] = []
    origin = urlsplit(server).netloc
    page.on("request", lambda r: urlsplit(r.url).netloc != origin and elsewhere.append(r.url))
    axe = Axe()
    for path in _finance_pages():
        page.goto(path)
        assert page.locator("html").get_attribute("lang") == language, path
        results = axe.run(page)
        serious = [
            (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
            for v in results.response["violations"]
            if v["impact"] in ("serious", "critical")
        ]
        assert serious == [], (path, serious)
        page.set_viewport_size({"width": 320, "height": 900})  # tables scroll in their box
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), path
        page.set_viewport_size({"width": 1280, "height": 900})
    assert elsewhere == []


def test_the_run_page_works_without_javascript(context_for):
    page = context_for(javascript=False).new_page()
    sign_in_finance(page)
    run = PaymentRun.select().order_by(PaymentRun.id).first()
    page.goto(f"/staff/runs/{run.id}")
    page.fill("#code", "nobody")
    page.click("form.line-filters button[type=submit]")
    assert "Lines found: 0" in page.locator("main").inner_text()
