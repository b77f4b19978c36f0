"""`econ statements generate 2026-12 [--participant CODE]` and `econ statements show ID`.

Both sign the person in (`--as EMAIL`, or ECON_USER / ECON_PASSWORD) and call the same
services as the API, so the same people may do the same things, audited the same way.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from econ.console import connect, login_from_cli
from econ.errors import DomainError
from econ.statements import services


def register(subparsers) -> None:
    statements = subparsers.add_parser("statements", help="monthly statements (PDF)")
    sub = statements.add_subparsers(dest="statements_command", required=True)

    generate = sub.add_parser("generate", help="(re)generate the statements of a month")
    generate.add_argument("period", help="YYYY-MM")
    generate.add_argument("--participant", metavar="CODE", help="only hers (e.g. P-7K3M9Q)")
    generate.set_defaults(func=cmd_generate)

    show = sub.add_parser("show", help="write a stored statement to a file")
    show.add_argument("id", type=int)
    show.add_argument("--out", required=True, type=Path, help="where to write the PDF")
    show.set_defaults(func=cmd_show)

    for command in (generate, show):
        command.add_argument("--as", dest="as_", metavar="EMAIL", help="who you are")


def _session(args: argparse.Namespace):
    connect()
    return login_from_cli(args.as_)


def cmd_generate(args: argparse.Namespace) -> int:
    actor = _session(args)
    with Progress(
        TextColumn("statements {task.description}"), BarColumn(), MofNCompleteColumn()
    ) as bar:
        task = bar.add_task(args.period, total=None)

        def progress(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        try:
            written = services.generate_month(
                actor, args.period, participant_code=args.participant, progress=progress
            )
        except DomainError as exc:
            print(f"econ: {exc.message}", file=sys.stderr)
            return 1
    print(f"{written} statement(s) written for {args.period}")
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    actor = _session(args)
    try:
        statement, content = services.open_statement(actor, args.id)
    except DomainError as exc:
        print(f"econ: {exc.message}", file=sys.stderr)
        return 1
    args.out.write_bytes(content)
    print(
        f"{args.out}: statement {statement.period}, {statement.size} bytes, "
        f"sha256 {statement.sha256}"
    )
    return 0
