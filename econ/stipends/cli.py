"""`econ payments run|approve|disburse|reconcile|retry|followup`: the finance desk's commands.

Each command signs the person in (`--as EMAIL` with a password prompt, or ECON_USER and
ECON_PASSWORD) and calls the same services as the API. The calculation and the export run
in this process (a worker thread for the calculation, so the progress bar can follow it).
Progress is a bar on a terminal and plain lines otherwise; every error is one line.
"""

from __future__ import annotations

import argparse
import sys
import threading
import time
from pathlib import Path

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from econ.console import connect, login_from_cli
from econ.db import db
from econ.security.roles import Actor
from econ.stipends import lifecycle, services
from econ.stipends.models import PaymentLine
from econ.stipends.scope import paying_run_id


def register(subparsers) -> None:
    payments = subparsers.add_parser("payments", help="stipend payment runs (FINANCE)")
    sub = payments.add_subparsers(dest="payments_command", required=True)

    run = sub.add_parser("run", help="create and calculate the run for a month")
    run.add_argument("period", help="YYYY-MM")
    run.set_defaults(func=cmd_run)

    approve = sub.add_parser("approve", help="approve a calculated run (not its creator)")
    approve.add_argument("run", help="run id or period")
    approve.add_argument(
        "--confirm",
        metavar="TOTAL",
        help="the control total you reviewed (otherwise you are asked for it)",
    )
    approve.set_defaults(func=cmd_approve)

    retry = sub.add_parser("retry", help="pay a failed or held line again (a new attempt)")
    retry.add_argument("line", type=int, help="line id")
    retry.add_argument("--out", required=True, type=Path, help="bank transfer file")
    retry.set_defaults(func=cmd_retry)

    followup = sub.add_parser(
        "followup", help="a follow-up run for a month's held and failed lines"
    )
    followup.add_argument("period", help="YYYY-MM")
    followup.set_defaults(func=cmd_followup)

    disburse = sub.add_parser("disburse", help="write the payment files of an approved run")
    disburse.add_argument("run", help="run id or period")
    disburse.add_argument("--format", choices=["sepa", "csv"], default="sepa")
    disburse.add_argument("--out", required=True, type=Path, help="bank transfer file")
    disburse.set_defaults(func=cmd_disburse)

    reconcile = sub.add_parser("reconcile", help="import the bank's result file")
    reconcile.add_argument("run", help="run id or period")
    reconcile.add_argument("file", type=Path)
    reconcile.set_defaults(func=cmd_reconcile)

    for command in (run, approve, disburse, reconcile, retry, followup):
        command.add_argument("--as", dest="as_", metavar="EMAIL", help="who you are")


def _session(args: argparse.Namespace) -> Actor:
    connect()
    return login_from_cli(args.as_)


def _find_run(actor: Actor, ref: str):
    if ref.isdigit():
        return services.get_run(actor, int(ref))
    return services.run_for_period(actor, ref)


def _follow(label: str, read, alive) -> None:
    """Show `read()` -> (done, total) while `alive()`: a rich bar on a terminal (empty, not
    full, until the total is known), plain lines when the output is a file or a pipe."""
    if not sys.stdout.isatty():
        last = None
        while True:
            running = alive()
            current = read()
            if current != last and (current[1] or not running):  # 0/0: not counted yet
                print(f"{label} {current[0]}/{current[1]}", flush=True)
                last = current
            if not running:
                return
            time.sleep(0.2)
    with Progress(TextColumn(label), BarColumn(), MofNCompleteColumn()) as bar:
        task = bar.add_task(label, total=None)
        while True:
            running = alive()
            done, total = read()
            bar.update(task, completed=done, total=total or None)
            if not running:
                return
            time.sleep(0.2)


def cmd_run(args: argparse.Namespace) -> int:
    actor = _session(args)
    run = services.create_run(actor, args.period, run_tasks=False)
    result: dict[str, str] = {}

    def calculate() -> None:
        with db.connection_context():
            result["outcome"] = services.calculate_run(run.id, run.generation)

    worker = threading.Thread(target=calculate, daemon=True)
    worker.start()

    def read() -> tuple[int, int]:
        current = services.get_run(actor, run.id)
        return current.job_done, current.job_total

    _follow("calculating", read, worker.is_alive)
    worker.join()
    run = services.get_run(actor, run.id)
    if result.get("outcome") != "done":
        print(f"econ: calculation failed: {run.job_error}", file=sys.stderr)
        return 1
    _print_run(actor, run)
    return 0


def _print_run(actor: Actor, run) -> None:
    totals = services.run_totals(run.id)
    print(f"run {run.id} for {run.period}: {run.state}")
    print(f"  lines       {totals.line_count}")
    for name in ("base", "taper", "incentives", "adjustments", "net"):
        print(f"  {name:<11} {getattr(totals, name):>12}")
    if run.control_hash:
        print(f"  payable     {run.control_count} lines, {run.control_total}")
        print(f"  control     {run.control_hash}")
    items = services.run_exceptions(actor, run.id)
    print(f"exceptions: {len(items)}")
    for item in items:
        who = f" participant {item.participant_id}" if item.participant_id else ""
        ref = f" {item.reference}" if item.reference else ""
        amount = f" {item.amount}" if item.amount is not None else ""
        print(f"  {item.source:<14} {item.kind:<20}{who}{ref}{amount} {item.detail}".rstrip())


def cmd_approve(args: argparse.Namespace) -> int:
    """Print what would be approved, then ask for the control total (or take --confirm);
    the version printed is the one approved, so a change meanwhile is a conflict."""
    actor = _session(args)
    run = _find_run(actor, args.run)
    _print_run(actor, run)
    payable = services.payable_total(run)
    print(
        f"to approve: run {run.id} version {run.version}, {payable.count} payable lines, "
        f"control total {payable.total}"
    )
    answer = args.confirm
    if answer is None:
        if not sys.stdin.isatty():
            print("econ: give --confirm TOTAL when not at a terminal", file=sys.stderr)
            return 1
        answer = input("type the control total to approve it (anything else stops): ").strip()
    if answer != str(payable.total):
        print("econ: not approved (the total you gave is not the control total)", file=sys.stderr)
        return 1
    run = services.approve_run(actor, run.id, run.version, answer)
    print(f"approved: run {run.id} ({run.control_count} lines, {run.control_total})")
    print(f"  control     {run.control_hash}")
    return 0


def cmd_disburse(args: argparse.Namespace) -> int:
    actor = _session(args)
    run = services.disburse_run(
        actor, _find_run(actor, args.run).id, args.format.upper(), run_tasks=False
    )
    return _export(actor, run, args.out)


def _export(actor: Actor, run, out: Path) -> int:
    """Run the export here and write the files it made: the first bank-transfer file to
    `out`, every other one beside it, named (a retry's new file is the one at `out`)."""
    before = {f.id for f in services.run_files(actor, run.id)}
    outcome = services.export_run(run.id)
    run = services.get_run(actor, run.id)
    if outcome != "done":
        print(f"econ: disbursement failed: {run.job_error} (run {run.state})", file=sys.stderr)
        return 1
    new = [f for f in services.run_files(actor, run.id) if f.id not in before]
    if not new:
        print("  no file written: nothing could be paid now (see the exceptions)")
    first_bank = next((f.id for f in new if f.method == "BANK_TRANSFER"), None)
    for file in new:
        target = out if file.id == first_bank else _beside(out, file)
        if target.exists():
            print(f"  {target} exists; not overwritten (batch {file.batch})")
            continue
        target.write_text(services.file_content(actor, file.id), encoding="utf-8", newline="")
        print(f"  {file.method:<14} {file.count:>4} payments {file.total:>12}  {target}")
        print(f"  {'':<14} sha256 {file.sha256}")
    print(f"run {run.id}: {run.state}")
    return 0


def _beside(out: Path, file) -> Path:
    extension = file.filename.rsplit(".", 1)[-1]
    return out.with_name(f"{out.stem}-{file.method.lower()}-{file.batch}.{extension}")


def cmd_reconcile(args: argparse.Namespace) -> int:
    actor = _session(args)
    run = _find_run(actor, args.run)
    try:
        data = args.file.read_bytes()
    except OSError as exc:
        print(f"econ: cannot read {args.file}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    summary = services.import_results(actor, run.id, data)
    lifecycle.settled(run.id, run.state, summary.run_state)
    if run.state == summary.run_state:
        lifecycle.lines_changed(summary.changed_lines)
    print(
        f"{summary.rows} rows: {summary.paid} paid, {summary.failed} failed, "
        f"{summary.returned} returned, {summary.unchanged} unchanged, "
        f"{summary.exceptions} new exceptions"
    )
    _print_run(actor, services.get_run(actor, run.id))
    return 0


def cmd_retry(args: argparse.Namespace) -> int:
    actor = _session(args)
    attempt = services.retry_line(actor, args.line, run_tasks=False)
    print(f"line {args.line}: attempt {attempt.number} ({attempt.reference})")
    line = PaymentLine.get_by_id(attempt.line_id)
    return _export(actor, services.get_run(actor, paying_run_id(line)), args.out)


def cmd_followup(args: argparse.Namespace) -> int:
    actor = _session(args)
    run = services.create_followup_run(actor, args.period)
    _print_run(actor, run)
    print(
        f"follow-up run {run.id}: another FINANCE user approves it with "
        f"`econ payments approve {run.id}`"
    )
    return 0
