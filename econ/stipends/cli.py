"""`econ payments run|approve|disburse|reconcile`: the finance desk's commands.

Each command signs the person in (`--as EMAIL` with a password prompt, or ECON_USER and
ECON_PASSWORD) and calls the same services as the API. The calculation and the export run
in this process (a worker thread for the calculation, so the progress bar can follow it).
"""

from __future__ import annotations

import argparse
import sys
import threading
from pathlib import Path

from econ.errors import NotFound
from econ.security.roles import Actor


def register(subparsers) -> None:
    payments = subparsers.add_parser("payments", help="stipend payment runs (FINANCE)")
    sub = payments.add_subparsers(dest="payments_command", required=True)

    run = sub.add_parser("run", help="create and calculate the run for a month")
    run.add_argument("period", help="YYYY-MM")
    run.set_defaults(func=cmd_run)

    approve = sub.add_parser("approve", help="approve a calculated run (not its creator)")
    approve.add_argument("run", help="run id or period")
    approve.set_defaults(func=cmd_approve)

    disburse = sub.add_parser("disburse", help="write the payment files of an approved run")
    disburse.add_argument("run", help="run id or period")
    disburse.add_argument("--format", choices=["sepa", "csv"], default="sepa")
    disburse.add_argument("--out", required=True, type=Path, help="bank transfer file")
    disburse.set_defaults(func=cmd_disburse)

    reconcile = sub.add_parser("reconcile", help="import the bank's result file")
    reconcile.add_argument("run", help="run id or period")
    reconcile.add_argument("file", type=Path)
    reconcile.set_defaults(func=cmd_reconcile)

    for command in (run, approve, disburse, reconcile):
        command.add_argument("--as", dest="as_", metavar="EMAIL", help="who you are")


def _session(args: argparse.Namespace) -> Actor:
    from econ.cli import connect, login_from_cli

    connect()
    return login_from_cli(args.as_)


def _find_run(actor: Actor, ref: str):
    from econ.stipends import services
    from econ.stipends.models import PaymentRun

    if ref.isdigit():
        return services.get_run(actor, int(ref))
    services.list_runs(actor)  # permission check
    run = (
        PaymentRun.select()
        .where((PaymentRun.period == ref) & (PaymentRun.state != "CANCELLED"))
        .first()
    )
    if run is None:
        raise NotFound("payment run", "run")
    return run


def _bar(done: int, total: int, width: int = 30) -> str:
    filled = width if total == 0 else width * done // total
    return f"[{'#' * filled}{'.' * (width - filled)}] {done}/{total}"


def cmd_run(args: argparse.Namespace) -> int:
    from econ.db import db
    from econ.stipends import services
    from econ.stipends.models import PaymentRun

    actor = _session(args)
    run = services.create_run(actor, args.period, run_tasks=False)
    result: dict[str, str] = {}

    def calculate() -> None:
        with db.connection_context():
            result["outcome"] = services.calculate_run(run.id, run.generation)

    worker = threading.Thread(target=calculate, daemon=True)
    worker.start()
    while worker.is_alive():
        current = PaymentRun.get_by_id(run.id)
        print(f"\rcalculating {_bar(current.job_done, current.job_total)}", end="", flush=True)
        worker.join(0.2)
    run = PaymentRun.get_by_id(run.id)
    print(f"\rcalculating {_bar(run.job_done, run.job_total)}")
    if result.get("outcome") != "done":
        print(f"econ: calculation failed: {run.job_error}", file=sys.stderr)
        return 1
    _print_run(actor, run)
    return 0


def _print_run(actor: Actor, run) -> None:
    from econ.stipends import services

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
    from econ.stipends import services

    actor = _session(args)
    run = services.approve_run(actor, _find_run(actor, args.run).id)
    _print_run(actor, run)
    return 0


def cmd_disburse(args: argparse.Namespace) -> int:
    from econ.stipends import services

    actor = _session(args)
    run = services.disburse_run(
        actor, _find_run(actor, args.run).id, args.format.upper(), run_tasks=False
    )
    outcome = services.export_run(run.id)
    run = services.get_run(actor, run.id)
    if outcome != "done":
        print(f"econ: disbursement failed: {run.job_error}", file=sys.stderr)
        return 1
    for file in services.run_files(actor, run.id):
        target = _target(args.out, file)
        if target.exists():
            print(f"  {target} exists; not overwritten (batch {file.batch})")
            continue
        target.write_text(services.file_content(actor, file.id), encoding="utf-8", newline="")
        print(f"  {file.method:<14} {file.count:>4} payments {file.total:>12}  {target}")
        print(f"  {'':<14} sha256 {file.sha256}")
    print(f"run {run.id}: {run.state}")
    return 0


def _target(out: Path, file) -> Path:
    """The first bank-transfer file goes to --out; the others beside it, named."""
    if file.method == "BANK_TRANSFER" and file.batch == 1:
        return out
    extension = file.filename.rsplit(".", 1)[-1]
    return out.with_name(f"{out.stem}-{file.method.lower()}-{file.batch}.{extension}")


def cmd_reconcile(args: argparse.Namespace) -> int:
    from econ.stipends import jobs, services

    actor = _session(args)
    run = _find_run(actor, args.run)
    summary = services.import_results(actor, run.id, args.file.read_bytes())
    jobs.run_settled(run.id, run.state, summary.run_state)
    print(
        f"{summary.rows} rows: {summary.paid} paid, {summary.failed} failed, "
        f"{summary.returned} returned, {summary.unchanged} unchanged, "
        f"{summary.exceptions} new exceptions"
    )
    _print_run(actor, services.get_run(actor, run.id))
    return 0
