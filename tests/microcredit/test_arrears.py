"""PAR30 and the arrears rate on a hand-made portfolio, buckets, the nightly run and its CLI."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from econ.microcredit import services as mc
from econ.microcredit.arrears import parse_buckets
from econ.microcredit.models import Loan, PortfolioSnapshot
from econ.microcredit.tasks import recompute_arrears
from tests.microcredit.factory import disbursed_loan, world

D = Decimal
AS_OF = date(2025, 3, 1)


def hand_made_portfolio(people):
    """Three weekly 0 % loans, as of Saturday 1 March 2025.

    A: 1000 / 10, disbursed 6 Jan, nothing paid. Due before 1 Mar: 13 Jan .. 24 Feb = 7
       installments -> overdue principal 700, 47 days late (since 13 Jan), outstanding 1000.
    B: 1000 / 10, disbursed 6 Jan, 700 paid on time -> outstanding 300, not late.
    C: 500 / 5, disbursed 3 Feb, 100 paid -> due 10, 17, 24 Feb; #2 and #3 unpaid: overdue
       200, 12 days late (since 17 Feb), outstanding 400.
    """
    w = world(people)
    a = disbursed_loan(w, w.members[0], amount="1000.00", installments=10)
    b = disbursed_loan(w, w.members[1], amount="1000.00", installments=10)
    for week in range(7):  # 13 Jan .. 24 Feb, each on its due date
        mc.record_repayment(w.finance, b.id, "100.00", date(2025, 1, 13) + timedelta(weeks=week))
    c = disbursed_loan(w, w.members[2], amount="500.00", installments=5, on=date(2025, 2, 3))
    mc.record_repayment(w.finance, c.id, "100.00", date(2025, 2, 10))
    return w, a, b, c


def test_par30_and_arrears_rate_are_different_figures(people):
    w, a, b, c = hand_made_portfolio(people)
    p = mc.portfolio(w.finance, AS_OF)
    assert p.outstanding_principal == D("1700.00")  # 1000 + 300 + 400
    # CGAP PAR30: the whole 1000 of A (47 days) over 1700 = 0.58823... -> 0.5882.
    assert (p.par30_principal, p.par30) == (D("1000.00"), D("0.5882"))
    # Arrears rate: overdue principal 700 (A) + 200 (C) = 900 over 1700 = 0.52941... -> 0.5294.
    assert (p.overdue_principal, p.arrears_rate) == (D("900.00"), D("0.5294"))
    buckets = {b.label: (b.count, b.outstanding) for b in p.buckets}
    assert buckets == {
        "1-30": (1, D("400.00")),  # C, 12 days
        "31-60": (1, D("1000.00")),  # A, 47 days
        "61-90": (0, D("0.00")),
        "91+": (0, D("0.00")),
    }
    assert mc.days_past_due(a, AS_OF) == 47
    assert mc.days_past_due(b, AS_OF) == 0
    assert mc.days_past_due(c, AS_OF) == 12


def test_as_of_replays_only_repayments_made_by_then(people):
    w, _a, _b, _c = hand_made_portfolio(people)
    # 11 Feb: C's 100 (10 Feb) counts; B had paid 500 by 10 Feb (due 13 Jan .. 10 Feb: 5).
    # A: due 13 Jan .. 10 Feb = 5 installments, 29 days late (since 13 Jan): not yet PAR30.
    p = mc.portfolio(w.finance, date(2025, 2, 11))
    assert p.outstanding_principal == D("1000.00") + D("500.00") + D("400.00")
    assert p.par30 == D("0.0000")
    assert p.overdue_principal == D("500.00")
    # The next day A is 30 days late, and on the 13th 31: only then is it at risk.
    assert mc.portfolio(w.finance, date(2025, 2, 12)).par30 == D("0.0000")
    assert mc.portfolio(w.finance, date(2025, 2, 13)).par30_principal == D("1000.00")


def test_counselor_sees_her_caseload_only(people):
    w, *_ = hand_made_portfolio(people)
    _, other = people.counselor()
    assert mc.portfolio(other, AS_OF).outstanding_principal == 0
    assert mc.portfolio(w.counselor, AS_OF).outstanding_principal == D("1700.00")


def test_written_off_and_repaid_loans_leave_the_portfolio(people):
    w, a, _b, _c = hand_made_portfolio(people)
    mc.write_off_loan(w.finance, a.id, "gone")
    mc.approve_write_off(w.finance2, a.id)
    today = date.today()
    assert mc.portfolio(w.finance, today).outstanding_principal == D("700.00")  # 300 + 400
    # Before the write-off date A was still on the book.
    assert mc.portfolio(w.finance, AS_OF).outstanding_principal == D("1700.00")


def test_nightly_task_stores_the_figures_and_each_loans_days_past_due(people):
    _w, a, b, c = hand_made_portfolio(people)
    assert recompute_arrears("2025-03-01") == {"par30": "0.5882", "arrears_rate": "0.5294"}
    # Recomputing the same date replaces, never duplicates.
    recompute_arrears("2025-03-01")
    snapshot = PortfolioSnapshot.get()
    assert PortfolioSnapshot.select().count() == 1
    assert (snapshot.outstanding_principal, snapshot.par30_principal) == (
        D("1700.00"),
        D("1000.00"),
    )
    assert {loan.id: loan.days_past_due for loan in Loan.select()} == {a.id: 47, b.id: 0, c.id: 12}


def test_cli_prints_the_portfolio(people, capsys):
    from econ.microcredit.cli import print_portfolio

    hand_made_portfolio(people)
    print_portfolio(mc.recompute(AS_OF))
    out = capsys.readouterr().out
    assert "PAR30 (CGAP)          58.82 %" in out
    assert "Arrears rate          52.94 %" in out
    assert "31-60" in out and "1000.00" in out


def test_bucket_setting_parses_inclusive_ranges():
    buckets = parse_buckets("1-7,8-30,31+")
    assert [(b.label, b.low, b.high) for b in buckets] == [
        ("1-7", 1, 7),
        ("8-30", 8, 30),
        ("31+", 31, None),
    ]


def test_the_worker_runs_the_nightly_task(api, people):
    import time

    hand_made_portfolio(people)
    recompute_arrears.delay("2025-03-01")
    for _ in range(200):  # bounded wait for the in-process worker, no timing assertion
        if PortfolioSnapshot.select().exists():
            break
        time.sleep(0.05)
    assert PortfolioSnapshot.get().par30_principal == D("1000.00")
