"""Growth: time against size for statements, the caseload page and the run-detail page.

Each point runs in a child process of its own on a fresh database (a new SQLite file, or
the PostgreSQL schema emptied), so one size's caches, memory and file do not reach the
next. Appends one JSON line per point to `--json` (default: a new temporary file, named
on the first line); `python -m bench.plot --growth FILE OUT.png` draws them (the median
of every line per point, so several passes into one file give medians).

- statements: `generate` for N participants (the `bench.statements` world), total seconds.
- caseload: `/staff/caseload` for one counselor with N participants (the
  `bench.web_counselor` case: plan, verified income, open referral), one request at a
  time in-process, median of 9 after a first request.
- run_detail: `/staff/runs/{id}` of a calculated run of N lines (the `bench.payment_run`
  population), median of 9 with the run's figures kept per version (as a frozen run is
  served), and median of 9 with them dropped before each request (the grouped summary
  read every time, as for a run that is not frozen).

Payment runs themselves: `python -m bench.payment_run --size N --runs 1 --json FILE`
(plotted by `python -m bench.plot FILE OUT.png`).

    python -m bench.growth [--kinds statements,caseload,run_detail] [--db sqlite,postgres]
                           [--statements 100,300,1000] [--caseload 10,50,250]
                           [--run-detail 1000,10000,100000] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

from bench import common

DEFAULT_SIZES = {
    "statements": "100,300,1000",
    "caseload": "10,50,250",
    "run_detail": "1000,10000,100000",
}
REPEATS = 9


def _page_times(path: str, token: str, before=None) -> tuple[float, float]:
    """(median wall s, median CPU s) of REPEATS requests one at a time, in-process, after
    a first request (templates compiled, connection open); `before` runs before each."""
    from starlette.testclient import TestClient

    from econ.app import app

    with TestClient(app) as client:
        client.cookies.set("econ_session", token)
        answer = client.get(path, headers={"Accept": "text/html"})
        assert answer.status_code == 200, (path, answer.status_code)
        walls, cpus = [], []
        for _ in range(REPEATS):
            if before:
                before()
            wall, cpu = time.perf_counter(), time.process_time()
            client.get(path, headers={"Accept": "text/html"})
            walls.append(time.perf_counter() - wall)
            cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus)


def statements_point(size: int) -> dict:
    from bench.statements import build_world, generate_all

    pop, ids = build_world(size)
    cpu = time.process_time()
    seconds, _ = common.timed(lambda: generate_all(ids, pop.period))
    cpu = time.process_time() - cpu
    return {"seconds": seconds, "per_item_ms": seconds / size * 1000, "cpu_s": cpu}


def caseload_point(size: int) -> dict:
    from bench.web_counselor import PASSWORD, _case, _opening
    from econ.employers import services as employers
    from econ.participants import services as participants
    from econ.security import services as security
    from econ.security.roles import SYSTEM

    company = employers.create_employer(SYSTEM, name="Bench Ltd", agreement_signed_on="2026-01-15")
    employers.set_employer_status(SYSTEM, company.id, "ACTIVE")
    opening = _opening(company.id)
    user = security.create_user(
        SYSTEM,
        email="growth@bench.econ",
        password=PASSWORD,
        role="COUNSELOR",
        display_name="Counselor",
    )
    actor = security.actor_for(user)
    for n in range(size):
        person = participants.create_participant(
            actor, preferred_name=f"P{n:04d}", legal_name=f"Legal {n}"
        )
        _case(actor, person.id, opening)
    token = security.login("growth@bench.econ", PASSWORD)[0]
    seconds, cpu = _page_times("/staff/caseload", token)
    return {"seconds": seconds, "cpu_s": cpu}


def run_detail_point(size: int) -> dict:
    from bench.payment_run import calculate
    from econ.security.services import login

    pop = common.generate_population(size)
    run = calculate(pop)
    token = login("checker@bench.econ", common.BENCH_PASSWORD)[0]
    path = f"/staff/runs/{run.id}"
    seconds, cpu = _page_times(path, token)
    # The same page with the per-version figures dropped before each request: what the
    # page costs while a run is not frozen (or the first time after it froze).
    uncached_s, uncached_cpu = _page_times(path, token, _forget_frozen_figures)
    return {
        "seconds": seconds,
        "cpu_s": cpu,
        "uncached_s": uncached_s,
        "uncached_cpu_s": uncached_cpu,
    }


def _forget_frozen_figures() -> None:
    from econ.stipends import summary

    kept = getattr(summary, "_kept", None)
    if kept is not None:
        kept.clear()


POINTS = {
    "statements": statements_point,
    "caseload": caseload_point,
    "run_detail": run_detail_point,
}


def one(kind: str, db: str, size: int, out: str) -> None:
    """One point, in this (child) process."""
    common.setup_database(db)
    from econ.worker import ensure_configured

    ensure_configured()
    result = POINTS[kind](size)
    row = {"bench": kind, "db": db, "size": size, **result}
    with open(out, "a") as handle:
        handle.write(json.dumps(row) + "\n")
    print(json.dumps(row), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kinds", default=",".join(POINTS))
    parser.add_argument("--db", default="sqlite,postgres")
    for kind, sizes in DEFAULT_SIZES.items():
        parser.add_argument(f"--{kind.replace('_', '-')}", default=sizes)
    parser.add_argument("--json", default="", help="append here (default: a new temp file)")
    parser.add_argument("--one", nargs=3, metavar=("KIND", "DB", "SIZE"))
    args = parser.parse_args()
    if args.one:
        kind, db, size = args.one
        return one(kind, db, int(size), args.json)
    if not args.json:
        handle, args.json = tempfile.mkstemp(prefix="econ-growth-", suffix=".jsonl")
        os.close(handle)
    with open(args.json) as handle:
        before = len(handle.readlines())
    print(f"growth: {args.kinds} on {args.db}, points appended to {args.json}")
    for kind in args.kinds.split(","):
        for db in args.db.split(","):
            for size in getattr(args, kind).split(","):
                command = [sys.executable, "-m", "bench.growth", "--json", args.json]
                subprocess.run([*command, "--one", kind, db, size], check=True)
    with open(args.json) as handle:
        last = [json.loads(line) for line in handle.readlines()[before:]]
    common.note("ratio = time per item at the largest size / at the smallest (1 = linear),")
    common.note("for the first kind on the first database of this invocation")
    rows = [r for r in last if r["bench"] == args.kinds.split(",")[0]]
    small, big = min(rows, key=lambda r: r["size"]), max(rows, key=lambda r: r["size"])
    common.print_ratio((big["seconds"] / big["size"]) / (small["seconds"] / small["size"]))


if __name__ == "__main__":
    sys.exit(main())
