"""`econ loans portfolio --as-of DATE`: recompute and print PAR30, arrears rate, buckets.
`econ loans pay-out LOAN`: ask for an approved loan to be paid through the next run."""

from __future__ import annotations

import argparse
from datetime import date

from econ.console import connect, login_from_cli
from econ.microcredit.arrears import Portfolio, portfolio, recompute
from econ.microcredit.disbursements import request_disbursement
from econ.security.permissions import require_role
from econ.security.roles import Role


def register(subparsers) -> None:
    loans = subparsers.add_parser("loans", help="microcredit loans")
    sub = loans.add_subparsers(dest="loans_command", required=True)
    portfolio = sub.add_parser(
        "portfolio", help="recompute arrears as of a date (what the nightly task does) and print"
    )
    portfolio.add_argument("--as-of", type=date.fromisoformat, default=None, help="YYYY-MM-DD")
    portfolio.add_argument("--as", dest="as_", metavar="EMAIL", help="FINANCE login")
    portfolio.set_defaults(func=cmd_portfolio)
    pay_out = sub.add_parser(
        "pay-out", help="ask for an approved loan to be paid out through the next payment run"
    )
    pay_out.add_argument("loan", type=int, help="the loan's id")
    pay_out.add_argument("--as", dest="as_", metavar="EMAIL", help="FINANCE login")
    pay_out.set_defaults(func=cmd_pay_out)


def cmd_portfolio(args: argparse.Namespace) -> int:
    connect()
    actor = login_from_cli(args.as_)
    require_role(actor, Role.FINANCE)
    as_of = args.as_of or date.today()
    recompute(as_of)
    print_portfolio(portfolio(actor, as_of))
    return 0


def cmd_pay_out(args: argparse.Namespace) -> int:
    connect()
    actor = login_from_cli(args.as_)
    loan = request_disbursement(actor, args.loan)
    print(
        f"loan {loan.id}: {loan.principal:.2f} asked to be paid out through the next main "
        "payment run; it is disbursed when the bank reports the payment paid. That run's "
        "approver may be neither the loan's approver nor you."
    )
    return 0


def _percent(ratio) -> str:
    return f"{ratio * 100:.2f} %"


def print_portfolio(p: Portfolio) -> None:
    print(f"Portfolio as of {p.as_of.isoformat()}: {p.loans} loans outstanding")
    print(f"Outstanding principal {p.outstanding_principal:>12.2f}")
    print(f"PAR30 (CGAP)          {_percent(p.par30)}  ({p.par30_principal:.2f} at risk)")
    print(f"Arrears rate          {_percent(p.arrears_rate)}  ({p.overdue_principal:.2f} overdue)")
    print("Days past due   loans   outstanding")
    for b in p.buckets:
        print(f"{b.label:<15} {b.count:>5}   {b.outstanding:>11.2f}")
