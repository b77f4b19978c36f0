"""Scale-out: payment-run calculations with 1, 2 and 4 Celery worker processes on
PostgreSQL + Redis.

A run is one task that calculates its chunks in order, each chunk holding the run's row
lock (so a recalculation can never interleave with it): a single run does not go faster
with more workers. What more workers parallelise is independent runs (several periods,
programmes or tenants) and the other background work. So: K runs of N schedules each
(different periods) are enqueued at once and timed until all are CALCULATED. Baseline,
same process and database: the same K runs with one worker. `ratio` is the best speed-up.

    python -m bench.scale_out [--size N] [--runs-per-step K] [--workers 1,2,4] [--runs R]

Redis database 11 and a queue of this process's own (never a colleague's workers).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import common

REDIS = os.environ.get("ECON_BENCH_REDIS_URL", "redis://127.0.0.1:6379/11")
QUEUE = f"econ-bench-{os.getpid()}"
PERIODS = ("2026-07", "2026-08", "2026-09", "2026-10", "2026-11", "2026-12")


class Workers:
    """`count` `celery worker --pool solo` processes on our queue."""

    def __init__(self, count: int):
        from celery import Celery

        self.producer = Celery("bench-producer", broker=REDIS)
        self.names = [f"bench{k}-{os.getpid()}@econ" for k in range(count)]
        self.processes: list[subprocess.Popen] = []

    def __enter__(self) -> Workers:
        log_dir = Path(tempfile.mkdtemp(prefix="econ-bench-workers-"))
        env = {**os.environ, "ECON_BROKER_URL": REDIS, "PYTHONPATH": os.getcwd()}
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
                )
            )
        for _ in range(120):
            replies = self.producer.control.ping(destination=self.names, timeout=0.5) or []
            if len(replies) >= len(self.names):
                return self
        raise RuntimeError(f"celery workers did not start (logs in {log_dir})")

    def send(self, task: str, *args) -> None:
        self.producer.send_task(task, args=list(args), queue=QUEUE)

    def __exit__(self, *exc) -> None:
        for process in self.processes:
            process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()


def calculate_runs(workers: Workers, pop: common.Population, periods: tuple[str, ...]) -> float:
    """Enqueue one calculation per period at once; seconds until all are CALCULATED."""
    from econ.stipends.models import PaymentRun
    from econ.stipends.runs import create_run

    maker = pop.finance[0][1]
    start = time.perf_counter()
    runs = [create_run(maker, period, run_tasks=False) for period in periods]
    for run in runs:
        workers.send("stipends.calculate_payment_run", run.id, run.generation)
    ids = [run.id for run in runs]
    deadline = time.monotonic() + 1800
    while time.monotonic() < deadline:
        states = [r.state for r in PaymentRun.select().where(PaymentRun.id.in_(ids))]
        if all(state == "CALCULATED" for state in states):
            seconds = time.perf_counter() - start
            _discard(ids, pop)
            return seconds
        if any(state == "DRAFT" for state in states):
            raise RuntimeError("a calculation failed (see the worker logs)")
        time.sleep(0.05)
    raise RuntimeError("calculations did not finish in 30 minutes")


def _discard(run_ids: list[int], pop: common.Population) -> None:
    from econ.stipends.runs import cancel_run

    for run_id in run_ids:
        cancel_run(pop.finance[0][1], run_id, "benchmark repetition")
    common.reset_schedules()


def main() -> None:
    args = common.parse_args(__doc__.splitlines()[0], 5_000, runs_per_step=4, workers="1,2,4")
    common.note("always on PostgreSQL: several worker processes write at once")
    common.setup_database("postgres")
    counts = [int(c) for c in args.workers.split(",")]
    periods = PERIODS[: args.runs_per_step]
    print(
        f"scale_out: {len(periods)} runs x {args.size:,} schedules, PostgreSQL + Redis, "
        f"workers {counts}, runs={args.runs}, {os.cpu_count()} CPU cores"
    )
    # Without unpaid one-off awards: runs of four periods at once would all try to pay the
    # same award, and all but one would (rightly) fail with CLAIMED_ELSEWHERE.
    pop = common.generate_population(args.size, one_offs=False)
    lines = len(periods) * args.size
    medians: dict[int, float] = {}
    for count in counts:
        with Workers(count) as workers:
            times = [calculate_runs(workers, pop, periods) for _ in range(args.runs)]
        medians[count] = statistics.median(times)
        common.figure(f"{count} worker(s): {lines:,} lines", medians[count], "s")
        common.figure(f"{count} worker(s): lines/s", lines / medians[count], "lines/s")
    base = medians[counts[0]]
    for count in counts[1:]:
        common.figure(f"speed-up {count} vs {counts[0]} worker(s)", base / medians[count], "x")
    common.note("ratio = best speed-up over one worker (2 cores: at most ~2, less the DB)")
    common.print_ratio(max(base / medians[c] for c in counts))


if __name__ == "__main__":
    main()
