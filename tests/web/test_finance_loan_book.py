"""The loan book over HTTP (issue 18): the portfolio with each figure's definition, a
group with its members' loans, a collection sheet for the whole group in one form (every
row needs its attendance; a bad row saves nothing; then it is read back and printed as
the PDF), a loan's schedule; and the attacks: another role, a forged id, no CSRF token."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from babel.dates import format_date

from econ.microcredit.models import LoanGroup, Meeting, Repayment, SavingsContribution
from tests.microcredit.factory import disbursed_loan, world
from tests.web.counselor_client import PageClient

MONDAY = dt.date(2025, 3, 3)  # a meeting day of the factory's group (weekly, Mondays)


@pytest.fixture
def book(app, http, people):
    w = world(people, size=3)
    loan = disbursed_loan(w, w.members[0], amount="300.00", installments=3)
    client = PageClient(app).sign_in(w.finance_user.email)
    return w, loan, client


def _text(response) -> str:
    return html.unescape(response.text)


def test_the_portfolio_with_definitions_and_the_groups(book):
    w, _, client = book
    page = _text(client.get("/staff/loans"))
    assert "Portfolio at risk (PAR30)" in page and "Arrears rate" in page
    assert "What this means" in page and "divided by all principal still owed (CGAP)" in page
    assert "Sunflower group" in page and f"/staff/groups/{w.group.id}" in page


def test_a_group_shows_each_member_with_her_loan(book):
    w, loan, client = book
    page = _text(client.get(f"/staff/groups/{w.group.id}"))
    assert w.members[0].code in page and f"/staff/loans/{loan.id}" in page
    schedule = _text(client.get(f"/staff/loans/{loan.id}"))
    assert "Schedule" in schedule and "€100.00" in schedule
    pdf = client.get(f"/staff/loans/{loan.id}/schedule.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def _sheet_fields(w, **override):
    fields = {"date": MONDAY.isoformat()}
    for member in w.members:
        fields[f"attendance-{member.id}"] = "PRESENT"
        fields[f"savings-{member.id}"] = "5.00"
        fields[f"amount-{member.id}"] = "0"
    fields[f"amount-{w.members[0].id}"] = "100.00"
    fields.update(override)
    return fields


def test_the_collection_sheet_all_or_nothing_then_printed(book):
    w, loan, client = book
    path = f"/staff/groups/{w.group.id}/sheet"
    form = _text(client.get(f"{path}?date={MONDAY.isoformat()}"))
    assert "saved for the whole group or not at all" in form
    assert all(m.preferred_name in form for m in w.members)
    # a row without attendance: nothing saved, the row says so, her other choices kept
    missing = _sheet_fields(w, **{f"attendance-{w.members[2].id}": ""})
    answer = client.post(path, missing)
    assert "Please fill this in." in _text(answer)
    assert 'value="100.00"' in answer.text
    assert Meeting.select().count() == 0
    # a repayment for a member without a loan: the whole sheet is refused
    bad = client.post(path, _sheet_fields(w, **{f"amount-{w.members[1].id}": "10.00"}))
    assert "She has no loan being repaid" in _text(bad)
    assert Meeting.select().count() == 0 and SavingsContribution.select().count() == 0
    saved = client.post(path, _sheet_fields(w), follow_redirects=False)
    assert saved.status_code == 303 and saved.headers["location"].endswith("saved=1")
    assert Repayment.select().where(Repayment.loan == loan.id).count() == 1
    assert SavingsContribution.select().count() == 3
    again = _text(client.get(saved.headers["location"]))
    assert "The sheet is saved for the whole group." in again and "Print (PDF)" in again
    pdf = client.get(f"{path}/{MONDAY.isoformat()}.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert "attachment" in pdf.headers["content-disposition"]


def test_attacks_on_the_loan_book(book, people, app):
    w, _loan, client = book
    path = f"/staff/groups/{w.group.id}/sheet"
    no_token = client.http.post(path, data=_sheet_fields(w), headers={"Accept": "text/html"})
    assert no_token.status_code == 403 and Meeting.select().count() == 0
    assert client.get("/staff/groups/999999999").status_code == 404
    assert client.get("/staff/loans/999999999").status_code == 404
    assert client.get(f"{path}/not-a-day.pdf").status_code == 404
    future = client.get(f"{path}?date=2999-01-01")
    assert (
        future.status_code == 200 and "2999" not in future.text.split("<h1>")[1].split("</h1>")[0]
    )
    counselor_user, _ = people.counselor()
    other = PageClient(app).sign_in(counselor_user.email)
    denied = other.get("/staff/loans", follow_redirects=False)
    assert denied.status_code == 303 and denied.headers["location"] != "/staff/loans"


def test_the_ledger_by_account_and_the_lines_behind_a_figure(book):
    w, loan, client = book
    page = _text(client.get("/staff/ledger"))
    assert "Loans receivable" in page and "€300.00" in page
    assert "/staff/ledger/loans_receivable?period=" in page
    month = dt.date.today().strftime("%Y-%m")
    lines = _text(client.get(f"/staff/ledger/loans_receivable?period={month}"))
    assert f"disbursement of loan {loan.id}" in lines and w.members[0].code in lines
    assert "Lines found: 1" in lines
    earlier = _text(client.get("/staff/ledger/loans_receivable?period=2001-01"))
    assert "Lines found: 0" in earlier
    assert client.get("/staff/ledger/no_such_account").status_code == 404
    assert client.get("/staff/ledger/..%2Fetc").status_code == 404
    assert "€300.00" in _text(client.get("/staff/ledger?period=<script>"))  # this month


def test_the_ledger_is_finance_only_in_the_api(book, api, people):
    from tests.support.people import PASSWORD

    admin_user, _ = people.admin()
    token = api.login(admin_user.email, PASSWORD)
    answer = api.post('query { ledgerPeriod(period: "2026-01") { account } }', {}, token)
    assert answer["data"] is None or not answer["data"].get("ledgerPeriod")


def test_more_groups_than_a_page_are_counted_and_paged(book):
    """105 groups: the book counts them all and pages the list 100 at a time."""
    w, _, client = book
    LoanGroup.insert_many(
        [
            {"name": f"Group {i:03d}", "counselor_id": w.group.counselor_id,
             "meeting_frequency": "WEEKLY", "meeting_weekday": "MONDAY"}
            for i in range(104)
        ]
    ).execute()  # fmt: skip
    first = client.get("/staff/loans")
    assert '<span class="count">105</span>' in first.text
    href = html.unescape(first.text.split('rel="next"')[0].rsplit('href="', 1)[1].split('"')[0])
    assert href.startswith("?groupsAfter=")
    second = client.get("/staff/loans" + href)
    names = [set(re.findall(r"Group \d{3}|Sunflower group", p.text)) for p in (first, second)]
    assert len(names[0]) == 100 and not names[0] & names[1]
    assert len(names[0] | names[1]) == 105
    assert client.get("/staff/loans?groupsAfter=Zm9vYmFy").status_code == 404


def test_a_group_page_shows_its_latest_meetings_first_and_pages_the_rest(book):
    """Two years of weekly meetings (105): the latest 100 first, the oldest 5 on the next
    page (in date order the newest were the ones cut off)."""
    w, _, client = book
    days = [dt.date(2023, 1, 2) + dt.timedelta(weeks=i) for i in range(105)]
    Meeting.insert_many([{"group": w.group.id, "date": d, "saved_by": 1} for d in days]).execute()
    first = client.get(f"/staff/groups/{w.group.id}")
    shown = re.findall(r"sheet\?date=(\d{4}-\d\d-\d\d)", first.text)
    assert shown[0] == days[-1].isoformat() and days[0].isoformat() not in shown
    assert len(set(shown)) == 100 and '<span class="count">105</span>' in first.text
    href = html.unescape(re.search(r'<a href="([^"]+)" rel="next">', first.text).group(1))
    rest = re.findall(
        r"sheet\?date=(\d{4}-\d\d-\d\d)", client.get(f"/staff/groups/{w.group.id}{href}").text
    )
    assert sorted(set(rest)) == [d.isoformat() for d in days[:5]]


def test_a_loan_with_more_repayments_than_a_page_counts_and_pages_them(book):
    """105 small repayments (a weekly loan over two years): counted, the first 100 in date
    order, then the last 5 on the next page (they were cut off before)."""
    _, loan, client = book
    days = [dt.date(2024, 1, 1) + dt.timedelta(weeks=i) for i in range(105)]
    Repayment.insert_many(
        [{"loan": loan.id, "amount": 1, "paid_on": d, "channel": "CASH", "recorded_by": 1}
         for d in days]
    ).execute()  # fmt: skip
    first = client.get(f"/staff/loans/{loan.id}")
    assert '<span class="count">105</span>' in first.text
    href = html.unescape(re.search(r'<a href="([^"]+)" rel="next">', first.text).group(1))
    second = _text(client.get(f"/staff/loans/{loan.id}{href}"))
    assert format_date(days[-1], "medium", locale="en") in second  # the 105th week
    assert format_date(days[0], "medium", locale="en") not in second
