"""`econ outcomes report --from --to --out FILE`: the indicator report PDF (ADMIN)."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from econ.bounds import parse_date
from econ.console import connect, login_from_cli
from econ.db import db
from econ.errors import DomainError
from econ.outcomes.report import outcomes_report_pdf


def _day(text: str) -> date:
    try:
        return parse_date(text)
    except DomainError as exc:
        raise argparse.ArgumentTypeError(exc.message) from None


def register(subparsers) -> None:
    outcomes = subparsers.add_parser("outcomes", help="programme indicators (ADMIN)")
    sub = outcomes.add_subparsers(dest="outcomes_command", required=True)
    report = sub.add_parser("report", help="write the indicator report PDF")
    report.add_argument("--from", dest="start", required=True, type=_day, help="YYYY-MM-DD")
    report.add_argument("--to", dest="end", required=True, type=_day, help="YYYY-MM-DD")
    report.add_argument("--as-of", dest="as_of", type=_day, help="read the data as of this day")
    report.add_argument("--out", required=True, type=Path, help="PDF file to write")
    report.add_argument("--as", dest="as_", metavar="EMAIL", help="who you are")
    report.set_defaults(func=cmd_report)


def cmd_report(args: argparse.Namespace) -> int:
    connect()
    actor = login_from_cli(args.as_)
    with db.connection_context():
        pdf = outcomes_report_pdf(actor, args.start, args.end, args.as_of)
    args.out.write_bytes(pdf)
    print(f"wrote {args.out} ({len(pdf)} bytes)")
    return 0
