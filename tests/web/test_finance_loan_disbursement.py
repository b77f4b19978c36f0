"""A loan paid out through a payment run, on the finance pages (issue 15): the loan page
asks for it, the run page shows the loan line apart from the stipends, and the loan page
then names its line and where it stands."""

from __future__ import annotations

import datetime as dt
import html

from econ.microcredit import services as mc
from econ.stipends import services as stipends
from tests.microcredit.factory import world
from tests.web.counselor_client import PageClient


def _approved_loan(people):
    """A group of three and a loan of 300.00 to its first member, approved by finance."""
    w = world(people, size=3)
    loan = mc.apply_for_loan(
        w.counselor,
        w.members[0].id,
        purpose="EQUIPMENT",
        amount="300.00",
        number_of_installments=3,
        annual_interest_rate="0",
    )
    mc.approve_loan(w.finance, loan.id)
    return w, loan


def test_pay_a_loan_out_through_the_run_from_the_pages(app, http, people):
    w, loan = _approved_loan(people)
    client = PageClient(app).sign_in(w.finance2_user.email)
    path = f"/staff/loans/{loan.id}"
    book = html.unescape(client.get("/staff/loans").text)
    assert "Approved loans to pay out" in book and "not asked for yet" in book
    page = html.unescape(client.get(path).text)
    assert "Pay it out through the next payment run" in page
    asked = client.post(path, {}, follow_redirects=False)
    assert asked.status_code == 303 and asked.headers["location"].endswith("requested=1")
    page = html.unescape(client.get(asked.headers["location"]).text)
    assert "Asked: the next payment run pays it out." in page
    again = html.unescape(client.post(path, {}).text)  # asked twice: the form is gone
    assert "Paying out this loan is already asked for." in again

    run = stipends.create_run(w.finance, dt.date.today().strftime("%Y-%m"), run_tasks=False)
    assert stipends.calculate_run(run.id, run.generation) == "done"
    run_page = html.unescape(client.get(f"/staff/runs/{run.id}").text)
    assert f"Payout of loan {loan.id}" in run_page and 'class="loan-line"' in run_page
    assert "Of which loan payouts (1): €300.00" in run_page
    assert f'href="/staff/loans/{loan.id}"' in run_page
    page = html.unescape(client.get(path).text)
    assert "Loan disbursement line of the run for" in page
    assert f'href="/staff/runs/{run.id}"' in page
    book = html.unescape(client.get("/staff/loans").text)
    assert f'href="/staff/runs/{run.id}"' in book and "run for " in book


def test_she_reads_that_her_approved_loan_comes_with_the_next_payments(app, http, people):
    w, loan = _approved_loan(people)
    her_user, _ = people.participant_login(w.counselor, w.members[0])
    her = PageClient(app).sign_in(her_user.email)
    her.http.cookies.set("econ_lang", "en")
    promise = "The money will come with the next payments, into your bank account."
    assert promise not in html.unescape(her.get("/my/loan").text)  # approved, not asked yet
    mc.request_disbursement(w.finance2, loan.id)
    assert promise in html.unescape(her.get("/my/loan").text)
    her.http.cookies.set("econ_lang", "es")
    assert "El dinero llegará con los próximos pagos" in html.unescape(her.get("/my/loan").text)
