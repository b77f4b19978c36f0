"""The finance pages over HTTP (issue 18): runs, a run's detail, its approval by a second
FINANCE user, files, the bank's answer, exceptions; and the attacks: the creator approving,
another role, a forged id, no CSRF token, hostile strings in the address."""

from __future__ import annotations

import datetime as dt
import html
import re
import time

import pytest

from econ.months import month_of
from econ.security.models import AuditEntry
from econ.stipends.models import PaymentAttempt, PaymentLine, PaymentRun
from tests.stipends.conftest import World
from tests.web.counselor_client import HTML, PageClient, csrf_of

PERIOD = month_of(dt.date.today())


def _text(response) -> str:
    return html.unescape(response.text)


def _wait(run_id: int, done) -> PaymentRun:
    """Until the in-process worker finished the run's job (bounded: a stuck job fails)."""
    for _ in range(400):
        run = PaymentRun.get_by_id(run_id)
        if done(run):
            return run
        assert run.job_status != "FAILED", run.job_error
        time.sleep(0.05)
    raise AssertionError(f"run {run_id} stuck in {run.state} {run.job_status}")


@pytest.fixture
def month(app, http, people):
    """Two FINANCE users signed in, three participants with schedules (one without an
    account: held) and a manual award the first user entered."""
    world = World(people)
    start = PERIOD
    paid = [world.participant(legal_name=f"Person Number{i}") for i in range(2)]
    held = world.participant(legal_name="Person Held", bank_account=None)
    for her in (*paid, held):
        world.schedule(her, start=start)
    first = PageClient(app).sign_in(world.finance_user.email)
    second = PageClient(app).sign_in(world.finance2_user.email)
    return world, first, second, paid, held


def _create(client: PageClient) -> int:
    answer = client.post("/staff/runs", {"period": PERIOD}, follow_redirects=False)
    assert answer.status_code == 303, answer.text
    run_id = int(re.search(r"/staff/runs/(\d+)", answer.headers["location"]).group(1))
    _wait(run_id, lambda r: r.state == "CALCULATED" and r.job_status == "DONE")
    return run_id


def _act(client: PageClient, run_id: int, action: str, **fields):
    page = client.get(f"/staff/runs/{run_id}")
    version = re.search(r'name="version" value="(\d+)"', page.text)
    data = {"action": action, "version": version.group(1) if version else "", **fields}
    return client.http.post(
        f"/staff/runs/{run_id}/act",
        data={"csrf": csrf_of(page.text), **data},
        headers=HTML,
        follow_redirects=False,
    )


def _control_total(client: PageClient, run_id: int) -> str:
    page = client.get(f"/staff/runs/{run_id}")
    return re.search(r'name="controlTotal" value="([^"]+)"', page.text).group(1)


def test_finance_lands_on_runs_and_creates_a_run(month):
    _world, first, _, paid, held = month
    start = first.get("/staff", follow_redirects=False)
    assert start.status_code == 303 and start.headers["location"] == "/staff/runs"
    assert "No payment run yet." in _text(first.get("/staff/runs"))
    run_id = _create(first)
    listing = _text(first.get("/staff/runs"))
    assert f"/staff/runs/{run_id}" in listing and "Calculated, waiting for approval" in listing
    page = _text(first.get(f"/staff/runs/{run_id}"))
    assert "3 of 3 done" in page
    assert "Bank transfer" in page and "2,700.00" in page  # 3 x 900 over one method
    assert "2 lines to pay, control total €1,800.00" in page
    assert "1 lines held (not sent)" in page
    assert "No bank account" in page and "She has no bank account on file." in page
    assert held.code in page and paid[0].code in page


def test_a_second_run_for_the_month_and_a_future_month_are_refused_with_the_reason(month):
    _, first, _, _, _ = month
    _create(first)
    again = first.post("/staff/runs", {"period": PERIOD})
    assert again.status_code == 200
    assert "This month already has a run" in _text(again)
    future = first.post("/staff/runs", {"period": "9999-12"})
    assert "cannot pay a month that has not begun" in _text(future)
    nonsense = first.post("/staff/runs", {"period": "<script>"})
    assert "<script>" not in nonsense.text and "Choose a month." in _text(nonsense)


def test_the_creator_cannot_approve_the_second_user_can_and_sees_the_history(month):
    world, first, second, _, _ = month
    run_id = _create(first)
    mine = _text(first.get(f"/staff/runs/{run_id}"))
    assert "You created this run: another finance colleague must approve it." in mine
    assert 'name="controlTotal"' not in mine
    # forcing the form anyway: the service refuses, the page says why
    forced = first.http.post(
        f"/staff/runs/{run_id}/act",
        data={"csrf": csrf_of(first.get("/staff/runs").text), "action": "approve",
              "version": str(PaymentRun.get_by_id(run_id).version), "controlTotal": "1800.00"},
        headers=HTML,
    )  # fmt: skip
    assert forced.status_code == 409 and "another finance colleague must" in _text(forced)
    assert PaymentRun.get_by_id(run_id).state == "CALCULATED"
    assert _control_total(second, run_id) == "1800.00"
    approved = _act(second, run_id, "approve", controlTotal="1800.00")
    assert approved.status_code == 303 and approved.headers["location"].endswith("done=approve")
    page = _text(second.get(approved.headers["location"]))
    assert "You approved the run." in page and "Frozen at approval" in page
    assert world.finance2_user.display_name in page.split("History and approvals")[1]


def test_a_stale_version_or_total_is_refused(month):
    _, first, second, _, _ = month
    run_id = _create(first)
    run = PaymentRun.get_by_id(run_id)
    stale = second.http.post(
        f"/staff/runs/{run_id}/act",
        data={"csrf": csrf_of(second.get("/staff/runs").text), "action": "approve",
              "version": str(run.version - 1), "controlTotal": "1800.00"},
        headers=HTML,
    )  # fmt: skip
    assert "The run changed while you were reading it" in _text(stale)
    wrong = _act(second, run_id, "approve", controlTotal="1700.00")
    assert "The control total changed since you read it" in _text(wrong)
    assert PaymentRun.get_by_id(run_id).state == "CALCULATED"


def test_reject_with_a_comment_then_recalculate(month):
    _, first, second, _, _ = month
    run_id = _create(first)
    assert _act(second, run_id, "reject", note="Check the held line").status_code == 303
    page = _text(first.get(f"/staff/runs/{run_id}"))
    assert "Rejected" in page and "“Check the held line”" in page
    assert "This run was rejected: recalculate it" in _text(second.get(f"/staff/runs/{run_id}"))
    world = month[0]
    late = world.participant(legal_name="Person Late")
    world.schedule(late, start=PERIOD)
    assert _act(first, run_id, "recalculate").status_code == 303
    _wait(run_id, lambda r: r.state == "CALCULATED" and r.job_status == "DONE")
    again = _text(second.get(f"/staff/runs/{run_id}"))
    assert 'name="controlTotal"' in again
    seen = re.search(r"Changed since the version you saw: version (\d+) .*?→ version (\d+)", again)
    assert seen and int(seen.group(2)) == PaymentRun.get_by_id(run_id).version > int(seen.group(1))
    assert "lines to pay: 2, now 3" in again and "control total: €1,800.00, now €2,700.00" in again
    assert "lines added: 1, removed: 0, amount or status changed: 0" in again
    changed = again.split("Lines that changed (1)</h3>")[1].split("</table>")[0]
    assert late.code in changed and "Added" in changed and "€900.00" in changed
    assert changed.count("<tr>") == 2  # the header and her line: nobody else changed
    # a second look at the same version still says what changed since the one before
    assert "lines added: 1" in _text(second.get(f"/staff/runs/{run_id}"))


def test_lines_search_by_code_filters_and_breakdown(month):
    _, first, _, paid, held = month
    run_id = _create(first)
    found = _text(first.get(f"/staff/runs/{run_id}?code={paid[1].code.lower()}"))
    listed = found.split('id="lines"')[1]
    assert "Lines found: 1" in listed and paid[1].code in listed and held.code not in listed
    only_held = _text(first.get(f"/staff/runs/{run_id}?status=HELD"))
    assert "Lines found: 1" in only_held and held.code in only_held
    by_kind = _text(first.get(f"/staff/runs/{run_id}?exception=NO_BANK_ACCOUNT"))
    assert "Lines found: 1" in by_kind and held.code in by_kind
    # made-up choices are dropped, never passed on
    hostile = first.get(f"/staff/runs/{run_id}?status=<b>&exception=x'&code=%22%3E")
    assert hostile.status_code == 200 and "Lines found: 3" in _text(hostile)
    assert "How it was calculated" in found and "€900.00" in found


def test_disburse_download_upload_resolve_retry(month):
    _world, first, second, _paid, _ = month
    run_id = _create(first)
    _act(second, run_id, "approve", controlTotal=_control_total(second, run_id))
    assert _act(first, run_id, "disburse", format="SEPA").status_code == 303
    _wait(run_id, lambda r: r.state == "DISBURSING" and r.job_status == "DONE")
    page = first.get(f"/staff/runs/{run_id}")
    file_id = re.search(r'action="/staff/files/(\d+)"', page.text).group(1)
    assert first.get(f"/staff/files/{file_id}").status_code == 404  # never a GET
    before = AuditEntry.select().where(AuditEntry.action == "download_payment_file").count()
    download = first.http.post(
        f"/staff/files/{file_id}", data={"csrf": csrf_of(page.text)}, headers=HTML
    )
    assert download.status_code == 200 and "pain.001.001.03" in download.text
    assert "attachment" in download.headers["content-disposition"]
    assert AuditEntry.select().where(AuditEntry.action == "download_payment_file").count() == (
        before + 1
    )
    attempts = list(PaymentAttempt.select().where(PaymentAttempt.run_id == run_id))
    if not attempts:
        attempts = list(PaymentAttempt.select().join(PaymentLine).where(PaymentLine.run == run_id))
    ok, bad = attempts[0], attempts[1]
    bank = (
        "reference,status,amount,reason\n"
        f"{ok.reference},PAID,{ok.amount:.2f},\n"
        f"{bad.reference},FAILED,{bad.amount:.2f},AC04 account closed\n"
        "R999-L1-A1,PAID,10.00,\n"
    )
    checked = first.http.post(
        f"/staff/runs/{run_id}/results",
        data={"csrf": csrf_of(page.text), "mode": "check"},
        files={"file": ("result.csv", bank.encode(), "text/csv")},
        headers=HTML,
    )
    before = _text(checked)
    assert "Result file checked: nothing is applied yet" in before
    assert "Paid: 1" in before and "Failed: 1" in before
    assert "Rows to look at (such as unknown references): 1" in before
    assert PaymentLine.get_by_id(bad.line_id).status == "SENT"  # the check changed nothing
    assert "Unknown reference in the bank file" not in before
    uploaded = first.http.post(
        f"/staff/runs/{run_id}/results",
        data={"csrf": csrf_of(page.text), "mode": "apply"},
        files={"file": ("result.csv", bank.encode(), "text/csv")},
        headers=HTML,
    )
    text = _text(uploaded)
    assert "Result file applied" in text
    assert uploaded.status_code == 200, text[:500]
    assert "Paid: 1" in text and "Failed: 1" in text and "New exceptions (such as unknown" in text
    assert "Unknown reference in the bank file" in text and "AC04 account closed" in text
    again = first.http.post(
        f"/staff/runs/{run_id}/results",
        data={"csrf": csrf_of(page.text)},
        files={"file": ("result.csv", bank.encode(), "text/csv")},
        headers=HTML,
    )
    assert "Already imported, unchanged: 3" in _text(again) or "Rows read: 3" in _text(again)
    key = re.search(r'name="key" value="(RECONCILIATION:\d+)"', uploaded.text).group(1)
    resolved = _act(first, run_id, "resolve", key=key, status="RESOLVED", note="Not ours")
    assert resolved.status_code == 303
    assert "Resolved: Not ours" in _text(first.get(f"/staff/runs/{run_id}"))
    retried = _act(first, run_id, "retry", lineId=str(bad.line_id))
    assert retried.status_code == 303
    # The retry queues an export job at once (the in-process worker may already have sent
    # it): a second attempt exists, and once the job is done the line is sent again.
    second_attempt = PaymentAttempt.get(
        (PaymentAttempt.line == bad.line_id) & (PaymentAttempt.number == 2)
    )
    assert second_attempt.amount == bad.amount
    _wait(run_id, lambda r: r.job_status == "DONE")
    assert PaymentLine.get_by_id(bad.line_id).status == "SENT"


def test_no_csrf_another_role_and_forged_ids(month, people, app):
    _, first, _, _, _ = month
    run_id = _create(first)
    no_token = first.http.post(
        f"/staff/runs/{run_id}/act", data={"action": "cancel", "note": "x"}, headers=HTML
    )
    assert no_token.status_code == 403 and PaymentRun.get_by_id(run_id).state == "CALCULATED"
    assert first.get("/staff/runs/999999999").status_code == 404
    assert first.get("/staff/runs/99999999999999999999999").status_code == 404
    counselor_user, _ = people.counselor()
    counselor = PageClient(app).sign_in(counselor_user.email)
    denied = counselor.get(f"/staff/runs/{run_id}", follow_redirects=False)
    assert denied.status_code == 303 and "/staff/runs" not in denied.headers["location"]
    upload_without_token = first.http.post(
        f"/staff/runs/{run_id}/results",
        files={"file": ("r.csv", b"reference,status\n", "text/csv")},
        headers=HTML,
    )
    assert upload_without_token.status_code == 403


def test_the_page_in_three_languages(month):
    _, first, _, _, _ = month
    run_id = _create(first)
    for lang, word in (("es", "Líneas"), ("fr", "Lignes")):
        first.http.cookies.set("econ_lang", lang)
        page = _text(first.get(f"/staff/runs/{run_id}"))
        assert f'lang="{lang}"' in page and word in page
    first.http.cookies.delete("econ_lang")


def _failed_payment(world, first, second) -> tuple[int, PaymentAttempt, str]:
    """A run approved, disbursed, and the bank's answer: one paid, one failed (AC04)."""
    run_id = _create(first)
    _act(second, run_id, "approve", controlTotal=_control_total(second, run_id))
    _act(first, run_id, "disburse", format="SEPA")
    _wait(run_id, lambda r: r.state == "DISBURSING" and r.job_status == "DONE")
    ok, bad = (
        PaymentAttempt.select()
        .where(PaymentAttempt.run_id == run_id)
        .order_by(PaymentAttempt.id)[:2]
    )
    bank = (
        "reference,status,amount,reason\n"
        f"{ok.reference},PAID,{ok.amount:.2f},\n"
        f"{bad.reference},FAILED,{bad.amount:.2f},AC04 account closed\n"
    )
    page = first.get(f"/staff/runs/{run_id}")
    first.http.post(
        f"/staff/runs/{run_id}/results",
        data={"csrf": csrf_of(page.text)},
        files={"file": ("result.csv", bank.encode(), "text/csv")},
        headers=HTML,
    )
    return run_id, bad, page.text


def test_a_new_account_is_confirmed_by_a_second_finance_user_before_the_retry(month):
    from econ.participants import services as participants
    from econ.stipends import services as stipends
    from tests.support.people import unique_iban

    world, first, second, _, _ = month
    run_id, bad, _ = _failed_payment(world, first, second)
    her = PaymentLine.get_by_id(bad.line_id).participant_id
    participants.update_participant(world.counselor, her, bank_account=unique_iban())
    refused = _act(first, run_id, "retry", lineId=str(bad.line_id))
    assert "She cannot be paid yet" in _text(refused)
    assert f"/staff/payees/{her}?run={run_id}" in refused.text
    stipends.set_payment_method(world.finance, her, "BANK_TRANSFER")  # she changed it too
    mine = _text(first.get(f"/staff/payees/{her}?run={run_id}"))
    assert "Payment details not confirmed" in mine
    assert "You changed her payment details: another finance colleague must" in mine
    assert 'name="note"' not in mine
    forced = first.post(f"/staff/payees/{her}", {"note": "I checked"})
    assert "another finance colleague must" in _text(forced)
    reads = AuditEntry.select().where(AuditEntry.participant_id == her).count()
    shown = second.post(f"/staff/payees/{her}/reveal", {}, token_from=f"/staff/payees/{her}")
    assert 'data-field="bankAccount"' in shown.text and "Person Number" in _text(shown)
    assert AuditEntry.select().where(AuditEntry.participant_id == her).count() > reads
    done = second.post(
        f"/staff/payees/{her}?run={run_id}", {"note": "Saw the bank letter"},
        follow_redirects=False,
    )  # fmt: skip
    assert done.status_code == 303
    confirmed = _text(second.get(done.headers["location"]))
    assert "You confirmed her payment details" in confirmed and "Saw the bank letter" in confirmed
    assert _act(first, run_id, "retry", lineId=str(bad.line_id)).status_code == 303


def test_payee_page_out_of_reach_is_not_found(month, people, app):
    _, first, _, paid, _ = month
    assert first.get("/staff/payees/999999999").status_code == 404
    counselor_user, _ = people.counselor()
    counselor = PageClient(app).sign_in(counselor_user.email)
    assert "/staff/payees" not in counselor.get(
        f"/staff/payees/{paid[0].id}", follow_redirects=False
    ).headers.get("location", "/staff/payees")


def test_headers_on_every_finance_page_and_the_download(month):
    _, first, _, paid, _ = month
    run_id = _create(first)
    pages = ("/staff/runs", f"/staff/runs/{run_id}", "/staff/approvals",
             f"/staff/payees/{paid[0].id}", f"/staff/runs/{run_id}/progress")  # fmt: skip
    for path in pages:
        headers = first.get(path).headers
        csp = headers["content-security-policy"]
        assert "default-src 'self'" in csp and "unsafe-inline" not in csp, path
        assert "frame-ancestors 'none'" in csp and headers["referrer-policy"] == "no-referrer"
        assert headers["cache-control"] == "no-store", path
    progress = first.get(f"/staff/runs/{run_id}/progress").json()
    assert progress == {"state": "CALCULATED", "running": False, "kind": "CALCULATE",
                        "status": "DONE", "done": 3, "total": 3}  # fmt: skip


def test_hostile_strings_are_shown_as_text(month):
    _, first, second, _, _ = month
    run_id = _create(first)
    hostile = '<script>alert(1)</script>"><img src=x>'
    assert _act(second, run_id, "reject", note=hostile).status_code == 303
    page = first.get(f"/staff/runs/{run_id}")
    assert "<script>alert(1)</script>" not in page.text and "&lt;script&gt;" in page.text
    key = re.search(r'name="key" value="([^"]+)"', page.text).group(1)
    _act(first, run_id, "resolve", key=key, status="ACKNOWLEDGED", note=hostile)
    assert "<img src=x>" not in first.get(f"/staff/runs/{run_id}").text
    assert first.get(f"/staff/runs/{run_id}?after=%3Cscript%3E").status_code == 200
    forged = _act(first, run_id, "resolve", key="LINE:1:<x>", status="RESOLVED", note="n")
    assert forged.status_code == 409 and "Not found" in _text(forged)


def test_the_lines_go_on_to_a_second_page(month):
    """51 lines: the page shows 50 and links the rest (a keyset cursor); its counts come
    from the run's summary, the same on both pages."""
    world, first, _, _, _ = month
    for _ in range(48):
        world.schedule(world.participant(), start=PERIOD)
    run_id = _create(first)
    page = first.get(f"/staff/runs/{run_id}")
    shown = set(re.findall(r'<tr id="line-(\d+)"', page.text))
    assert len(shown) == 50
    link = re.search(r'href="(/staff/runs/\d+\?after=[^"]+)" rel="next"', page.text)
    second = first.get(html.unescape(link.group(1)))
    rest = set(re.findall(r'<tr id="line-(\d+)"', second.text))
    every = {str(x.id) for x in PaymentLine.select().where(PaymentLine.run == run_id)}
    assert len(rest) == 1 and shown | rest == every
    assert 'rel="next"' not in second.text


def _step(page: str, name: str) -> str:
    """The text of one step of the run's stepper."""
    return re.sub(r"\s+", " ", page.split(f'id="step-{name}"')[1].split("</li>")[0])


def test_the_stepper_says_who_did_each_step_and_how_many_approvals(month):
    world, first, second, _, _ = month
    run_id = _create(first)
    mine = _text(first.get(f"/staff/runs/{run_id}"))
    assert world.finance_user.display_name in _step(mine, "created")
    assert "the system" in _step(mine, "calculated")
    assert "Approval 0 of 1" in _step(mine, "approved") and 'aria-current="step"' in mine
    assert "You are the last approver" not in mine  # she created it: she cannot approve
    assert "You created this run" in mine
    theirs = _text(second.get(f"/staff/runs/{run_id}"))
    assert "Approval 0 of 1" in theirs and "You are the last approver" in theirs
    assert "You have not seen an earlier version of this run" in theirs
    assert "Nobody approved or rejected it yet." in theirs
    done = _act(second, run_id, "approve", controlTotal="1800.00", note="matches the register")
    assert done.status_code == 303
    page = _text(first.get(f"/staff/runs/{run_id}"))
    approved = _step(page, "approved")
    assert "Approval 1 of 1" in approved and world.finance2_user.display_name in approved
    assert "“matches the register”" in approved
    decisions = page.split('id="decisions"')[1].split("</ol>")[0]
    assert "Approved" in decisions and "matches the register" in decisions
    assert 'class="now"' in page.split('id="step-disbursed"')[0].rsplit("<li", 1)[1] or (
        'aria-current="step"' in page.split('id="step-disbursed"')[0].rsplit("<li", 1)[1]
    )
    assert "You are the last approver" not in page  # no approval panel any more


def test_a_rejection_and_its_comment_are_in_the_history_of_decisions(month):
    world, first, second, _, _ = month
    run_id = _create(first)
    assert _act(second, run_id, "reject", note="the held line needs an account").status_code == 303
    assert _act(first, run_id, "recalculate").status_code == 303
    _wait(run_id, lambda r: r.state == "CALCULATED" and r.job_status == "DONE")
    assert _act(second, run_id, "approve", controlTotal="1800.00").status_code == 303
    page = _text(first.get(f"/staff/runs/{run_id}"))
    decisions = re.sub(r"\s+", " ", page.split('id="decisions"')[1].split("</ol>")[0])
    assert decisions.index("Rejected") < decisions.index("Approved")
    assert "“the held line needs an account”" in decisions and "no comment" in decisions
    # the approval after the recalculation is the one the stepper shows
    assert world.finance2_user.display_name in _step(page, "approved")


def test_a_forged_comment_too_long_is_refused_and_nothing_is_approved(month):
    _, first, second, _, _ = month
    run_id = _create(first)
    long = _act(second, run_id, "approve", controlTotal="1800.00", note="x" * 501)
    assert long.status_code == 409 and "This is too long." in _text(long)
    assert PaymentRun.get_by_id(run_id).state == "CALCULATED"


def _changed_run(month, extra: int = 0):
    """A run the second user looked at, recalculated with `extra` new women and one award:
    her panel now compares two versions."""
    world, first, second, paid, _ = month
    run_id = _create(first)
    assert second.get(f"/staff/runs/{run_id}").status_code == 200  # her first look
    for _ in range(extra):
        world.schedule(world.participant(), start=PERIOD)
    world.award(paid[0], amount="15.00")
    assert _act(first, run_id, "recalculate").status_code == 303
    _wait(run_id, lambda r: r.state == "CALCULATED" and r.job_status == "DONE")
    return run_id


def test_the_changed_lines_go_on_to_a_second_page(month):
    _, _, second, paid, _ = month
    run_id = _changed_run(month, extra=25)
    page = _text(second.get(f"/staff/runs/{run_id}"))
    assert "lines added: 25, removed: 0, amount or status changed: 1" in page
    assert "Lines that changed (26)" in page
    more = re.search(r'href="(/staff/runs/\d+\?changes=[^"#]+)#changed" rel="next"', page)
    assert more, "a link to the next page of changes"
    rest = _text(second.get(html.unescape(more.group(1))))
    table = rest.split("Lines that changed (26)</h3>")[1].split("</table>")[0]
    assert table.count("<tr>") == 2  # the header and the 26th line
    assert "First changes" in rest and 'rel="next"' not in rest.split('id="changed"')[1][:4000]
    whole = page + rest
    assert paid[0].code in whole and "Amount changed" in whole and "€915.00" in whole


def test_attacks_on_the_comparison(month, people, app):
    _, _, second, _, _ = month
    run_id = _changed_run(month)
    # a made-up or foreign cursor: the page without it, never an error page
    for forged in ("azox", "bzo5OTk5OTk5OTk5OTk5", "%3Cscript%3E", "o:1"):
        answer = second.get(f"/staff/runs/{run_id}?changes={forged}", follow_redirects=False)
        assert answer.status_code in (200, 303), forged
        if answer.status_code == 303:
            assert answer.headers["location"].rstrip("?") == f"/staff/runs/{run_id}"
    # another role on the run and its comparison: not a finance page for them
    counselor_user, _ = people.counselor()
    employer_user, _ = people.employer()
    for user in (counselor_user, employer_user):
        other = PageClient(app).sign_in(user.email)
        denied = other.get(f"/staff/runs/{run_id}?changes=bzox", follow_redirects=False)
        assert denied.status_code in (303, 403, 404)
        assert "/staff/runs" not in denied.headers.get("location", "")
    # another run's id: not found; a third colleague's first look is her own, not theirs
    assert second.get("/staff/runs/424242?changes=bzox").status_code == 404
    third_user, _ = people.finance()
    third = PageClient(app).sign_in(third_user.email)
    assert "this is your first look at it" in _text(third.get(f"/staff/runs/{run_id}"))
    # a forged version: refused, nothing approved, the comparison still shown
    stale = second.http.post(
        f"/staff/runs/{run_id}/act",
        data={"csrf": csrf_of(second.get("/staff/runs").text), "action": "approve",
              "version": str(PaymentRun.get_by_id(run_id).version - 1),
              "controlTotal": _control_total(second, run_id)},
        headers=HTML,
    )  # fmt: skip
    assert stale.status_code == 409 and "The run changed while you were reading it" in _text(stale)
    assert "Lines that changed (1)" in _text(stale)
    assert PaymentRun.get_by_id(run_id).state == "CALCULATED"


def test_the_comparison_is_finance_only_in_the_api(month, api, people):
    from tests.support.people import PASSWORD

    run_id = _changed_run(month)
    counselor_user, _ = people.counselor()
    admin_user, _ = people.admin()
    employer_user, _ = people.employer()
    query = (
        f'query {{ paymentRun(id: "{run_id}") {{ '
        "sinceLastLook { version changes { totalCount } } approvals { required given } } }"
    )
    for user in (counselor_user, admin_user, employer_user):
        answer = api.post(query, {}, api.login(user.email, PASSWORD))
        found = (answer.get("data") or {}).get("paymentRun")
        assert found is None or found.get("sinceLastLook") is None, (user.email, answer)
