"""Scale-out: ONE payment run's calculation shared by 1, 2 and 4 Celery worker
processes on PostgreSQL + Redis.

The run's planner task cuts the eligible schedules into chunk tasks (ECON_PAYMENT_CHUNK_SIZE
each, econ/stipends/chunks.py) that every worker takes from the queue; each chunk holds the
run's lock shared, so chunks of one run write side by side. Timed from the planner's
message until the run is CALCULATED; 3 runs per step, medians. Per step also: the
workers' CPU time and the database's (the CPU of the PostgreSQL backends serving the
bench database, read from /proc), per chunk, and the load average (the machine is
shared). `ratio` is the speed-up from the first to the second worker count (1 -> 2).

    python -m bench.scale_out [--size N] [--workers 1,2,4] [--runs R] [--chunk C]
                              [--export 1] [--calculate 0] [--same-session 1]

Each worker runs in a session of its own (`setsid`), as a deployed one does; with
`--same-session 1` they share the bench's, and so (autogroup scheduling) one slice of a
loaded machine's CPUs. `--export 1` also times the export: one run as a single task in
this process, step by step (the baseline), then one run fanned out on 1, 2 and 4
workers (export_chunks.py: step 1 in chunks, the files by the last chunk's task), with
the same per-chunk CPU figures and the export's speed-up 1 -> 2.

Redis database 11 and a queue of this process's own (never a colleague's workers).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from bench import common

REDIS = os.environ.get("ECON_BENCH_REDIS_URL", "redis://127.0.0.1:6379/11")
QUEUE = f"econ-bench-{os.getpid()}"
TICKS = os.sysconf("SC_CLK_TCK")


class Workers:
    """`count` `celery worker --pool solo` processes on our queue."""

    def __init__(self, count: int, same_session: bool = False):
        from celery import Celery

        self.same_session = same_session
        self.producer = Celery("bench-producer", broker=REDIS)
        self.names = [f"bench{k}-{os.getpid()}@econ" for k in range(count)]
        self.processes: list[subprocess.Popen] = []

    def __enter__(self) -> Workers:
        log_dir = Path(tempfile.mkdtemp(prefix="econ-bench-workers-"))
        env = {**os.environ, "ECON_BROKER_URL": REDIS, "PYTHONPATH": os.getcwd()}
        same_session = self.same_session
        for name in self.names:
            self.processes.append(
                subprocess.Popen(
                    [
                        sys.executable,  # this interpreter's celery, wherever its venv is
                        "-m",
                        "celery",
                        "-A",
                        "econ.worker",
                        "worker",
                        "--pool",
                        "solo",
                        "-n",
                        name,
                        "-Q",
                        QUEUE,
                        "--without-gossip",
                        "--without-mingle",
                        "--loglevel",
                        "WARNING",
                    ],
                    env=env,
                    stdout=(log_dir / f"{name}.log").open("wb"),
                    stderr=subprocess.STDOUT,
                    # A session of its own, as a deployed worker (a service, another host)
                    # has: with the kernel's autogroup scheduling every process of one
                    # session shares one slice of the CPUs, so on a machine others load,
                    # workers started in the bench's session could never get more than
                    # one worker's CPU between them (docs/performance.md §5).
                    start_new_session=not same_session,
                )
            )
        for _ in range(120):
            replies = self.producer.control.ping(destination=self.names, timeout=0.5) or []
            if len(replies) >= len(self.names):
                return self
        raise RuntimeError(f"celery workers did not start (logs in {log_dir})")

    def send(self, task: str, *args) -> None:
        self.producer.send_task(task, args=list(args), queue=QUEUE)

    def cpu_seconds(self) -> float:
        return sum(_cpu_of(p.pid) for p in self.processes)

    def __exit__(self, *exc) -> None:
        for process in self.processes:
            process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()


def _cpu_of(pid: int) -> float:
    """User + system CPU seconds of a process (0 when it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICKS


def _database_cpu() -> dict[int, float]:
    """CPU seconds of every PostgreSQL backend on the bench database but this one."""
    from econ.db import db

    rows = db.execute_sql(
        "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
        "AND pid <> pg_backend_pid()"
    ).fetchall()
    return {pid: _cpu_of(pid) for (pid,) in rows}


def _load() -> float:
    return float(Path("/proc/loadavg").read_text().split()[0])


@dataclass(frozen=True)
class Measured:
    seconds: float
    lines: int
    chunks: int
    worker_cpu: float
    database_cpu: float
    load: float


def calculate_once(workers: Workers, pop: common.Population) -> Measured:
    """One run of the population, fanned out; measured until CALCULATED."""
    from econ.stipends.models import PaymentLine, PaymentRun, PaymentRunChunk
    from econ.stipends.runs import create_run

    maker = pop.finance[0][1]
    run = create_run(maker, common.PERIOD, run_tasks=False)
    load = _load()
    cpu_before, db_before = workers.cpu_seconds(), _database_cpu()
    start = time.perf_counter()
    workers.send("stipends.calculate_payment_run", run.id, run.generation)
    deadline = time.monotonic() + 1800
    while time.monotonic() < deadline:
        state = PaymentRun.select(PaymentRun.state).where(PaymentRun.id == run.id).scalar()
        if state == "CALCULATED":
            break
        if state == "DRAFT":
            raise RuntimeError("the calculation failed (see the worker logs)")
        time.sleep(0.05)
    else:
        raise RuntimeError("the calculation did not finish in 30 minutes")
    seconds = time.perf_counter() - start
    worker_cpu = workers.cpu_seconds() - cpu_before
    db_after = _database_cpu()
    database_cpu = sum(cpu - db_before.get(pid, 0.0) for pid, cpu in db_after.items())
    lines = PaymentLine.select().where(PaymentLine.run == run.id).count()
    chunks = PaymentRunChunk.select().where(PaymentRunChunk.run == run.id).count()
    _discard(run.id, pop)
    return Measured(seconds, lines, chunks, worker_cpu, database_cpu, max(load, _load()))


def _discard(run_id: int, pop: common.Population) -> None:
    from econ.stipends.runs import cancel_run

    cancel_run(pop.finance[0][1], run_id, "benchmark repetition")
    common.reset_schedules()


def _approved(pop: common.Population, period: str, workers: Workers | None = None) -> int:
    """A run of `period` calculated (by `workers`, else in this process), approved and
    set disbursing."""
    from econ.stipends import engine
    from econ.stipends.approval import approve_run, payable_total
    from econ.stipends.models import PaymentRun
    from econ.stipends.runs import create_run, disburse_run

    maker, checker = pop.finance[0][1], pop.finance[1][1]
    run = create_run(maker, period, run_tasks=False)
    if workers is not None:
        workers.send("stipends.calculate_payment_run", run.id, run.generation)
        _wait(run.id, PaymentRun.state, "CALCULATED", "DRAFT", "the calculation")
    elif engine.calculate_run(run.id, run.generation) != "done":
        raise RuntimeError("the calculation failed")
    run = PaymentRun.get_by_id(run.id)
    approve_run(checker, run.id, run.version, payable_total(run).total)
    disburse_run(maker, run.id, "SEPA", run_tasks=False)
    return run.id


@dataclass(frozen=True)
class Exported:
    seconds: float
    prepare_seconds: float  # from the planner's message to the last chunk's commit
    lines: int
    chunks: int
    worker_cpu: float
    database_cpu: float
    load: float


def export_once(workers: Workers, pop: common.Population, period: str) -> Exported:
    """One run's export fanned out (econ/stipends/export_chunks.py): the planner's
    message, its chunks on every worker, the last chunk writing the files; measured
    until the job is DONE."""
    from econ.db import utcnow
    from econ.stipends.models import PaymentExportChunk, PaymentRun

    run_id = _approved(pop, period, workers)
    load = _load()
    cpu_before, db_before = workers.cpu_seconds(), _database_cpu()
    began_at, start = utcnow(), time.perf_counter()
    workers.send("stipends.disburse_payment_run", run_id)
    _wait(run_id, PaymentRun.job_status, "DONE", "FAILED", "the export")
    seconds = time.perf_counter() - start
    worker_cpu = workers.cpu_seconds() - cpu_before
    db_after = _database_cpu()
    database_cpu = sum(cpu - db_before.get(pid, 0.0) for pid, cpu in db_after.items())
    rows = PaymentExportChunk.select().where(PaymentExportChunk.run == run_id)
    last = max(c.done_at for c in rows)
    run = PaymentRun.get_by_id(run_id)
    prepare = (last - began_at).total_seconds()
    return Exported(
        seconds, prepare, run.job_total, len(rows), worker_cpu, database_cpu, max(load, _load())
    )


def _wait(run_id: int, field, done: str, failed: str, what: str) -> None:
    """Until the run's `field` is `done` (polled every 50 ms, 30 minutes at most)."""
    from econ.stipends.models import PaymentRun

    deadline = time.monotonic() + 1800
    while time.monotonic() < deadline:
        value = PaymentRun.select(field).where(PaymentRun.id == run_id).scalar()
        if value == done:
            return
        if value == failed:
            raise RuntimeError(f"{what} failed (see the worker logs)")
        time.sleep(0.05)
    raise RuntimeError(f"{what} did not finish in 30 minutes")


def report_exports(count: int, runs: list[Exported]) -> float:
    """The figures of one worker count; its median seconds per line (each export pays a
    month of its own, and the months' runs have different numbers of payable lines)."""
    median = statistics.median(m.seconds for m in runs)
    chunks = runs[0].chunks
    prepare = statistics.median(m.prepare_seconds for m in runs)
    loads = ", ".join(f"{m.load:.1f}" for m in runs)
    common.note(
        f"export, {count} worker(s): runs {[round(m.seconds, 2) for m in runs]} s, load {loads}"
    )
    common.figure(f"export {count} w: {runs[0].lines:,} lines (median)", median, "s")
    common.figure(f"export {count} w: 1. {chunks} chunks (holds, attempts)", prepare, "s")
    common.figure(f"export {count} w: 2.+3. files, one task", median - prepare, "s")
    worker_ms = statistics.median(m.worker_cpu for m in runs) * 1000 / chunks
    database_ms = statistics.median(m.database_cpu for m in runs) * 1000 / chunks
    common.figure(f"export {count} w: worker CPU per chunk", worker_ms, "ms")
    common.figure(f"export {count} w: database CPU per chunk", database_ms, "ms")
    per_line = statistics.median(m.seconds / m.lines for m in runs)
    common.figure(f"export {count} w: lines/s (median)", 1 / per_line, "lines/s")
    return per_line


def export_steps(pop: common.Population, period: str) -> dict[str, float]:
    """The export of one run as one task in this process (disbursement.export_run, what
    SQLite and the in-process worker do), timed step by step: the baseline."""
    from econ.stipends import adapters, disbursement

    spent: dict[str, float] = {}

    def timing(owner, name: str, label: str) -> None:
        real = getattr(owner, name)

        def timed(*args, **kwargs):
            began = time.perf_counter()
            try:
                return real(*args, **kwargs)
            finally:
                spent[label] = spent.get(label, 0.0) + time.perf_counter() - began

        setattr(owner, name, timed)
        return real

    run_id = _approved(pop, period)
    reals = [
        (
            disbursement,
            "_prepare",
            timing(disbursement, "_prepare", "1. lines, holds, attempts, screening"),
        ),
        (
            adapters.SepaAdapter,
            "write",
            timing(adapters.SepaAdapter, "write", "2. the SEPA file, sealed as written"),
        ),
        (
            disbursement,
            "_send",
            timing(disbursement, "_send", "3. attempts EXPORTED, lines SENT, send entries"),
        ),
    ]
    began = time.perf_counter()
    try:
        if disbursement.export_run(run_id) != "done":
            raise RuntimeError("the export failed")
    finally:
        for owner, name, real in reals:
            setattr(owner, name, real)
    spent["the whole export"] = time.perf_counter() - began
    return spent


def _month(first: str, k: int) -> str:
    year, month = divmod(int(first[:4]) * 12 + int(first[5:]) - 1 + k, 12)
    return f"{year:04d}-{month + 1:02d}"


def main() -> None:
    args = common.parse_args(
        __doc__.splitlines()[0],
        20_000,
        workers="1,2,4",
        chunk=500,
        export=0,
        calculate=1,
        same_session=0,
    )
    os.environ["ECON_PAYMENT_CHUNK_SIZE"] = str(args.chunk)  # the workers inherit it
    args.export = args.export or not args.calculate  # something is timed
    common.note("always on PostgreSQL: several worker processes write at once")
    common.setup_database("postgres")
    counts = [int(c) for c in args.workers.split(",")]
    print(
        f"scale_out: one run of {args.size:,} schedules in chunks of {args.chunk}, "
        f"PostgreSQL + Redis, workers {counts}, runs={args.runs}, {os.cpu_count()} CPU cores"
    )
    pop = common.generate_population(args.size)
    medians: dict[int, float] = {}
    for count in counts if args.calculate else ():
        with Workers(count, bool(args.same_session)) as workers:
            runs = [calculate_once(workers, pop) for _ in range(args.runs)]
        medians[count] = report_calculations(count, runs)
    if args.export:
        # Each export pays a month of its own (a run disbursed cannot be cancelled).
        wanted = [_month(common.PERIOD, k) for k in range(1, 1 + args.runs * len(counts) + 1)]
        if wanted[-1] > date.today().strftime("%Y-%m"):  # a run pays this month at the latest
            raise SystemExit(
                f"--export needs {len(wanted)} months after {common.PERIOD} up to this one: "
                "ask for fewer --runs or worker counts"
            )
        months = iter(wanted)
        common.note(f"the export of one run as ONE task, step by step (load {_load():.1f})")
        for label, seconds in export_steps(pop, next(months)).items():
            common.figure(label, seconds, "s")
        exports: dict[int, float] = {}
        for count in counts:
            with Workers(count, bool(args.same_session)) as workers:
                runs = [export_once(workers, pop, next(months)) for _ in range(args.runs)]
            exports[count] = report_exports(count, runs)
        for count in counts[1:]:
            speed_up = exports[counts[0]] / exports[count]
            common.figure(f"export speed-up {count} vs {counts[0]} worker(s)", speed_up, "x")
    if not args.calculate:
        medians, what = exports, "the export's"  # --calculate 0: the export alone
    else:
        what = "the calculation's"
    base = medians[counts[0]]
    for count in counts[1:]:
        common.figure(f"speed-up {count} vs {counts[0]} worker(s)", base / medians[count], "x")
    common.note(f"load average at the end: {_load():.1f}")
    second = counts[1] if len(counts) > 1 else counts[0]
    common.note(f"ratio = {what} speed-up from {counts[0]} to {second} worker(s)")
    common.print_ratio(base / medians[second])


def report_calculations(count: int, runs: list[Measured]) -> float:
    """The figures of one worker count; its median seconds."""
    median = statistics.median(m.seconds for m in runs)
    chunks = runs[0].chunks
    loads = ", ".join(f"{m.load:.1f}" for m in runs)
    common.note(f"{count} worker(s): runs {[round(m.seconds, 2) for m in runs]} s, load {loads}")
    common.figure(f"{count} worker(s): {runs[0].lines:,} lines (median)", median, "s")
    common.figure(f"{count} worker(s): lines/s", runs[0].lines / median, "lines/s")
    worker_ms = statistics.median(m.worker_cpu for m in runs) * 1000 / chunks
    database_ms = statistics.median(m.database_cpu for m in runs) * 1000 / chunks
    common.figure(
        f"{count} worker(s): {chunks} chunks, wall per chunk", median * 1000 / chunks, "ms"
    )
    common.figure(f"{count} worker(s): worker CPU per chunk", worker_ms, "ms")
    common.figure(f"{count} worker(s): database CPU per chunk", database_ms, "ms")
    return median


if __name__ == "__main__":
    main()
