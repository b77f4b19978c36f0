"""The counselor's pages: server time of Today, Caseload and a participant's record at 10
concurrent counselors over 500 participants, and each page's SQL statements as her
caseload grows.

1. The world: 10 counselors with 50 participants each (500 in all), each participant with
   a plan of two milestones (one overdue), a verified income month and an open referral;
   plus one counselor with 5 participants, for the statement counts.
2. Statements per page (in-process, every statement peewee sends), for the counselor with
   5 and one with 50: the same count means the page does not grow with her caseload.
3. Server time (uvicorn in a child process): each of 10 keep-alive clients signed in as a
   different counselor, back to back, p50/p99 per page and the server's CPU time per
   request (all threads, /proc); baseline in the same run: the Caseload page's own
   document sent as JSON to POST /graphql.
4. "CPU alone": one request at a time in-process (TestClient), the process's CPU time
   per request, median of 30: the figure that moves least with the machine's load.

    python -m bench.web_counselor [--size per counselor, 50] [--runs R] [--seconds S]
                                  [--db sqlite|postgres]
"""

from __future__ import annotations

import asyncio
import logging
import statistics
import sys
import time
from datetime import date, timedelta
from decimal import Decimal

from bench import common
from bench.graphql import _client, cpu_seconds, request_bytes, server_process

COUNSELORS = 10
PER_COUNSELOR = 50
PASSWORD = "bench counselor passphrase"
PAGES = ("/staff/today", "/staff/caseload", "/staff/participants/{pid}")


def build_world(per_counselor: int = PER_COUNSELOR) -> list[tuple[str, int]]:
    """[(counselor e-mail, one of her participants' id)] for the 10, then the small one."""
    from econ.employers import services as employers
    from econ.participants import services as participants
    from econ.security import services as security
    from econ.security.roles import SYSTEM

    company = employers.create_employer(SYSTEM, name="Bench Ltd", agreement_signed_on="2026-01-15")
    employers.set_employer_status(SYSTEM, company.id, "ACTIVE")
    opening = _opening(company.id)
    world = []
    for index, size in enumerate([per_counselor] * COUNSELORS + [5]):
        email = f"counselor{index}@bench.econ"
        user = security.create_user(
            SYSTEM,
            email=email,
            password=PASSWORD,
            role="COUNSELOR",
            display_name=f"Counselor {index}",
        )
        actor = security.actor_for(user)
        first = None
        for n in range(size):
            person = participants.create_participant(
                actor, preferred_name=f"P{index:02d}{n:02d}", legal_name=f"Legal {index} {n}"
            )
            _case(actor, person.id, opening)
            first = first or person.id
        world.append((email, first))
    return world


def _opening(employer_id: int) -> int:
    from econ.employers.models import Opportunity

    return Opportunity.create(
        employer=employer_id,
        title="Kitchen help",
        type="PART_TIME",
        pay_amount=Decimal("1200.00"),
        pay_period="MONTHLY",
        hours_per_week=20,
        status="OPEN",
    ).id


def _case(actor, participant_id: int, opening: int) -> None:
    from econ.employers import services as employers
    from econ.participants import services as participants

    today = date.today()
    participants.revise_plan(
        actor,
        participant_id,
        pathways=["EMPLOYMENT"],
        target_monthly_income="1400.00",
        milestones=[
            {"title": "Bank account", "category": "BANKING", "due_date": today - timedelta(10)},
            {"title": "First job", "category": "EMPLOYMENT", "due_date": today + timedelta(60)},
        ],
    )
    month = f"{today.year - (today.month == 1)}-{(today.month - 2) % 12 + 1:02d}"
    record = participants.record_income(
        actor, participant_id, month=month, source="EMPLOYMENT", amount="900.00"
    )
    participants.verify_income(actor, record.id, record.version)
    employers.refer_participant(actor, opening, participant_id)


def page_request(path: str, token: str) -> bytes:
    return (
        f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/html\r\n"
        f"Cookie: econ_session={token}\r\n\r\n"
    ).encode()


def statements(world: list[tuple[str, int]], tokens: dict[str, str]) -> dict[str, tuple]:
    """{page: (statements for 5 participants, for 50, median CPU ms of one request alone
    for 50)} through the real app in-process."""
    from starlette.testclient import TestClient

    from econ.app import app

    class Count(logging.Handler):
        n = 0

        def emit(self, record):
            Count.n += 1

    small, big = world[-1], world[0]
    found = {}
    with TestClient(app) as client:
        for page in PAGES:
            counts = []
            for email, pid in (small, big):
                client.cookies.set("econ_session", tokens[email])
                path = page.format(pid=pid)
                client.get(path, headers={"Accept": "text/html"})  # session's first touch
                logger = logging.getLogger("peewee")
                handler, level = Count(), logger.level
                Count.n = 0
                logger.addHandler(handler)
                logger.setLevel(logging.DEBUG)
                logger.propagate = False  # counted, not printed
                try:
                    answer = client.get(path, headers={"Accept": "text/html"})
                finally:
                    logger.removeHandler(handler)
                    logger.setLevel(level)
                    logger.propagate = True
                assert answer.status_code == 200, (path, answer.status_code)
                counts.append(Count.n)
            alone = []
            for _ in range(30):  # the 50-participant counselor, one request at a time
                began = time.process_time()  # every thread: the app runs in the portal's
                client.get(path, headers={"Accept": "text/html"})
                alone.append((time.process_time() - began) * 1000)
            found[page] = (*counts, statistics.median(alone))
    return found


def load_many(port: int, requests: list[bytes], seconds: float, pid: int = 0) -> dict:
    """One keep-alive client per request (a counselor each), back to back for `seconds`;
    with the server's `pid`, its CPU time per request too."""

    async def main() -> list[float]:
        latencies: list[float] = []
        until = time.perf_counter() + seconds
        await asyncio.gather(
            *(_client(port, raw, until, latencies, n) for n, raw in enumerate(requests))
        )
        return latencies

    cpu_before = cpu_seconds(pid) if pid else 0.0
    start = time.perf_counter()
    latencies = asyncio.run(main())
    elapsed = time.perf_counter() - start
    cpu = cpu_seconds(pid) - cpu_before if pid else 0.0
    return {
        "cpu_ms": cpu * 1000 / max(1, len(latencies)),
        "rps": len(latencies) / elapsed,
        "p50": common.percentile(latencies, 50) * 1000,
        "p99": common.percentile(latencies, 99) * 1000,
    }


def main() -> None:
    args = common.parse_args(__doc__.splitlines()[0], PER_COUNSELOR, seconds=3.0, workers=1)
    common.setup_database(args.db)
    from econ.security.services import login
    from econ.web.documents import load_documents
    from econ.worker import ensure_configured

    ensure_configured()
    started = time.perf_counter()
    world = build_world(args.size)
    built = time.perf_counter() - started
    tokens = {email: login(email, PASSWORD)[0] for email, _ in world}
    counts = statements(world, tokens)
    caseload_document = load_documents()["counselor/caseload"]
    from econ.db import db

    db.close()  # the server process has the database now
    ten = world[:COUNSELORS]
    print(
        f"web_counselor: {COUNSELORS} counselors x {args.size} participants (built in "
        f"{built:.0f} s), db={args.db}, {args.workers} uvicorn worker(s), "
        f"{args.seconds:g} s x {args.runs} runs"
    )
    with server_process(args.workers) as (port, server_pid):
        runs: dict[str, list[dict]] = {}
        api = [request_bytes("/graphql", {"query": caseload_document}, tokens[e]) for e, _ in ten]
        load_many(port, api, 1.0)  # warm-up
        for _ in range(args.runs):
            runs.setdefault("api", []).append(load_many(port, api, args.seconds, server_pid))
            for page in PAGES:
                raws = [page_request(page.format(pid=pid), tokens[e]) for e, pid in ten]
                runs.setdefault(page, []).append(load_many(port, raws, args.seconds, server_pid))
        results = {
            key: {m: statistics.median(r[m] for r in rows) for m in rows[0]}
            for key, rows in runs.items()
        }
    _report(results, counts)


def _report(results: dict, counts: dict) -> None:
    print(
        f"  {'page, 10 counselors at once':<44}{'req/s':>8}{'p50 ms':>9}{'p99 ms':>9}"
        f"{'CPU ms':>8}{'SQL 5 / 50':>12}{'CPU alone':>10}"
    )
    base = results["api"]
    print(
        f"  {'baseline: caseload document (/graphql)':<44}{base['rps']:>8,.0f}"
        f"{base['p50']:>9.1f}{base['p99']:>9.1f}{base['cpu_ms']:>8.1f}"
    )
    for page in PAGES:
        r, (small, big, alone) = results[page], counts[page]
        print(
            f"  {page:<44}{r['rps']:>8,.0f}{r['p50']:>9.1f}{r['p99']:>9.1f}{r['cpu_ms']:>8.1f}"
            f"{f'{small} / {big}':>12}{alone:>10.1f}"
        )
    common.note("target: p99 under 100 ms; the same SQL count for 5 and 50 participants")
    common.note("CPU ms: the server process's CPU time (all threads) per request under load")
    common.note("CPU alone: one request at a time in-process, 50 participants, median of 30")
    common.note("ratio = Caseload page p50 / its document's p50 over /graphql")
    common.print_ratio(results["/staff/caseload"]["p50"] / base["p50"])


if __name__ == "__main__":
    sys.exit(main())
