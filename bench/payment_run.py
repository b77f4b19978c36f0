"""Payment run: calculate a run for N eligible schedules through the service and the task.

Measured: `create_run` + the Celery task `stipends.calculate_payment_run` executed in this
process (chunked, progress written per chunk), then approval and disbursement (one SEPA
file for the bank-transfer lines), each in a child process of its own (bench/streaming.py).
Baseline, same process and database: a bare peewee `insert_many` of N payment-line rows
(batches of 500). Target: run time <= 4 x baseline
and peak RSS < 300 MB at N = 100,000.

    python -m bench.payment_run [--size N] [--db sqlite|postgres] [--runs R] [--json FILE]
"""

from __future__ import annotations

import json
import statistics
from decimal import Decimal

from bench import common, streaming

BASELINE_PERIOD = "1999-01"


def baseline_rows(run_id: int, schedule_ids: range, template: dict):
    for sid in schedule_ids:
        yield {**template, "run": run_id, "schedule": sid, "participant": sid}


def line_template(maker_id: int) -> dict:
    """A realistic line: the same columns and sizes the calculation writes."""
    from econ.security.crypto import encrypt, keyed_hash

    account = common.iban(1)
    return {
        "period": BASELINE_PERIOD,
        "base": Decimal("900.00"),
        "earned": Decimal("500.00"),
        "taper": Decimal("100.00"),
        "incentives": Decimal("0.00"),
        "adjustments": Decimal("0.00"),
        "net": Decimal("800.00"),
        "remainder": Decimal("0.00"),
        "uses_duration": True,
        "method": "BANK_TRANSFER",
        "payee_name": encrypt("Maria Legalname 1", "bench.name"),
        "account": encrypt(account, "bench.account"),
        "account_hash": keyed_hash(account),
        "inputs": {
            "incomeMonth": "2026-06",
            "earned": "500.00",
            "disregard": "300.00",
            "taperRate": "50",
            "awardIds": [],
            "adjustmentIds": [],
        },
        "status": "PENDING",
    }


def measure_baseline(pop: common.Population) -> float:
    """Seconds for a bare insert_many of N line rows (the rows are then deleted)."""
    from econ.stipends.models import PaymentLine, PaymentRun

    maker = pop.finance[0][0]
    run = PaymentRun.create(period=BASELINE_PERIOD, state="CANCELLED", created_by=maker.id)
    template = line_template(maker.id)
    ids = range(pop.first_participant, pop.first_participant + pop.size)
    seconds, _ = common.timed(
        lambda: common.insert_batches(PaymentLine, baseline_rows(run.id, ids, template))
    )
    PaymentLine.delete().where(PaymentLine.run == run.id).execute()
    run.delete_instance()
    return seconds


def calculate(pop: common.Population):
    """create_run + the calculation task, as a worker runs it; returns the run."""
    from econ.stipends import tasks
    from econ.stipends.runs import create_run

    run = create_run(pop.finance[0][1], pop.period, run_tasks=False)
    result = tasks.calculate_payment_run.apply(args=(run.id, run.generation)).get()
    if result != "done":
        raise RuntimeError(f"calculation ended with {result!r}")
    return run


def check_run(run_id: int, pop: common.Population) -> dict:
    from econ.stipends.models import PaymentLine, PaymentRun

    run = PaymentRun.get_by_id(run_id)
    lines = PaymentLine.select().where(PaymentLine.run == run_id).count()
    if run.state != "CALCULATED" or run.job_done != run.job_total or run.job_total != pop.size:
        raise RuntimeError(f"unexpected run {run.state} {run.job_done}/{run.job_total}")
    return {"lines": lines, "notes": len(run.exceptions or [])}


def discard(run_id: int, pop: common.Population) -> None:
    from econ.stipends.runs import cancel_run

    cancel_run(pop.finance[0][1], run_id, "benchmark repetition")
    common.reset_schedules()


def main() -> None:
    args = common.parse_args(__doc__.splitlines()[0], 20_000, json="", disburse=1, profile="")
    where = common.setup_database(args.db)
    from econ.worker import ensure_configured

    ensure_configured()
    print(f"payment_run: N={args.size:,} schedules, db={args.db} ({where}), runs={args.runs}")
    gen_seconds, pop = common.timed(lambda: common.generate_population(args.size))
    common.note(f"data generated in {gen_seconds:.1f} s (not timed below)")
    base_times, run_times, peaks, run = [], [], [], None
    for rep in range(args.runs):
        base_times.append(measure_baseline(pop))
        common.reset_peak_rss()
        seconds, run = common.timed(lambda: common.profiled(lambda: calculate(pop), args.profile))
        run_times.append(seconds)
        peaks.append(common.peak_rss_mb())
        counts = check_run(run.id, pop)
        if rep < args.runs - 1:
            discard(run.id, pop)
    base, calc = statistics.median(base_times), statistics.median(run_times)
    common.figure("baseline insert_many of N line rows", base, "s")
    common.figure("baseline rows/s", pop.size / base, "rows/s")
    common.figure("payment run (create + calculate task)", calc, "s")
    common.figure("lines/s", pop.size / calc, "lines/s")
    common.figure("lines written (others noted/held)", counts["lines"], "")
    common.figure("peak RSS during the run (max of runs)", max(peaks), "MB")
    result = {
        "db": args.db,
        "size": args.size,
        "baseline_s": base,
        "run_s": calc,
        "runs": args.runs,
        "peak_rss_mb": max(peaks),
        "all_run_s": run_times,
        "all_baseline_s": base_times,
    }
    if args.disburse:
        from econ.db import db

        db.close()  # approval and export run in child processes (bench/streaming.py)
        approval, disbursed = streaming.measure(run.id, pop)
        streaming.report(approval, disbursed)
        common.figure("disbursement lines/s", counts["lines"] / disbursed["seconds"], "lines/s")
        result.update(
            approve_s=approval["seconds"],
            export_s=disbursed["seconds"],
            approve_mb=approval["peak_mb"],
            export_mb=disbursed["peak_mb"],
            sepa_write_s=disbursed["sepa_write_s"],
            bare_lxml_s=disbursed["bare_lxml_s"],
        )
    if args.json:
        with open(args.json, "a") as handle:
            handle.write(json.dumps(result) + "\n")
    common.note("ratio = payment run time / insert_many time (target <= 4)")
    common.print_ratio(calc / base)


if __name__ == "__main__":
    main()
