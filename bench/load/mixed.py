"""Mixed load on loopback: 2 uvicorn workers, a program's real day at once, bounded in time.

Clients, each a logged-in user, send back to back for `--seconds`:
  counselors   caseload(first: 50) with its signals, or one participant's plan and overview
  employers    their opening with its referrals and anonymous candidates
  participants their statements, and one PDF download in four
  finance      the payment run in progress (a recalculation restarts it whenever it is done)
Reports throughput, p50/p95/p99/max latency and errors, overall and per kind; exits 1 on
any error or a p99 above 2 s. Figures depend on the (shared) machine: compare runs only.

    python -m bench.load.mixed [--db sqlite|postgres] [--size N] [--seconds S] [--clients C]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import subprocess
import sys
import time
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field

# Our own benchmark database, apart from the other benchmarks' econ_bench.
os.environ.setdefault("ECON_BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/econ_load")

import httpx

from bench import common
from bench.graphql import CASELOAD, OPPORTUNITY, free_port

WORKERS = 2
MIX = (("counselor", 45), ("employer", 20), ("participant", 30), ("finance", 5))
PLAN = """query Plan($id: ID!) { participant(id: $id) { id code preferredName status
  plan { revision pathways targetMonthlyIncome { amount }
    milestones { title category dueDate status } overview { asOf
      stipend { state monthsLeft currentNet { amount } }
      income { monthsAtTargetInARow independent }
      milestones { overdue { title } dueSoon { title } } } } } }"""
STATEMENTS = "{ me { participant { statements { edges { node { id period url version } } } } } }"
RUN = """query Run($id: ID!) { paymentRun(id: $id) { id state version
  job { kind status done total } totals { lineCount net { amount } } } }"""
CREATE_RUN = """mutation C($input: CreatePaymentRunInput!) {
  createPaymentRun(input: $input) { run { id } errors { code message } } }"""
RECALCULATE = """mutation R($input: RecalculatePaymentRunInput!) {
  recalculatePaymentRun(input: $input) { run { id state } errors { code message } } }"""


@dataclass
class World:
    counselors: list[tuple[str, list[int]]] = field(default_factory=list)  # token, caseload
    employers: list[tuple[str, int]] = field(default_factory=list)  # token, opportunity
    participants: list[str] = field(default_factory=list)
    finance: str = ""
    run_id: int = 0


def build_world(size: int) -> World:
    """The demo (every domain) plus `size` participants in caseloads of 50, logins for a
    dozen participants with a stored statement each, (the payment run is started on the server)."""
    from econ import demo
    from econ.employers.models import Opportunity, Referral
    from econ.logins import create_login
    from econ.security.roles import SYSTEM
    from econ.statements import services as statements

    pop = common.generate_population(size)
    demo.load()
    world = World()
    for user, _actor in pop.counselors:
        caseload = [p for p in pop.caseloads(pop.participant_ids).get(len(world.counselors), [])]
        world.counselors.append((_token(user.email), caseload[:50]))
    opening = Referral.select(Referral.opportunity).scalar() or Opportunity.select().first().id
    world.employers.append((_login("employer@demo.econ", "demo-employer-pass"), opening))
    for index, pid in enumerate(list(pop.participant_ids)[:12]):
        email = f"reader{index}@load.econ"
        create_login(  # set-up, as the console would (not the approval path)
            SYSTEM, email=email, password=common.BENCH_PASSWORD, role="PARTICIPANT",
            participant_id=pid,
        )  # fmt: skip
        statements.generate(pid, common.PERIOD)
        world.participants.append(_token(email))
    world.finance = _token(pop.finance[0][0].email)
    return world


def _token(email: str) -> str:
    return _login(email, common.BENCH_PASSWORD)


def _login(email: str, password: str) -> str:
    from econ.security.services import login

    return login(email, password)[0]


# --- the server -----------------------------------------------------------------------


@contextmanager
def uvicorn_workers(port: int):
    child = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "server:app", "--host", "127.0.0.1", "--port",
         str(port), "--workers", str(WORKERS), "--log-level", "warning", "--no-access-log"],
        env={**os.environ, "PYTHONPATH": os.getcwd()},
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.3)
        else:
            raise RuntimeError("uvicorn did not start")
        yield f"http://127.0.0.1:{port}"
    finally:
        child.terminate()
        child.wait(timeout=30)


# --- the clients ----------------------------------------------------------------------


@dataclass
class Tally:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: list[str] = field(default_factory=list)


async def _graphql(client, token, query, variables=None) -> dict:
    response = await client.post(
        "/graphql",
        json={"query": query, "variables": variables or {}},
        headers={"Authorization": f"Bearer {token}"},
    )
    body = response.json()
    if response.status_code != 200 or body.get("errors"):
        raise RuntimeError(f"{response.status_code}: {str(body)[:200]}")
    return body["data"]


async def _one(kind: str, client, world: World, rng: random.Random) -> str:
    """One user action of `kind`; returns the label it is counted under."""
    if kind == "counselor":
        token, caseload = rng.choice(world.counselors)
        if rng.random() < 0.6 or not caseload:
            await _graphql(client, token, CASELOAD, {"first": 50})
            return "counselor caseload"
        await _graphql(client, token, PLAN, {"id": str(rng.choice(caseload))})
        return "counselor plan"
    if kind == "employer":
        token, opening = rng.choice(world.employers)
        await _graphql(client, token, OPPORTUNITY, {"id": str(opening)})
        return "employer referrals"
    if kind == "participant":
        token = rng.choice(world.participants)
        data = await _graphql(client, token, STATEMENTS)
        found = [e["node"] for e in data["me"]["participant"]["statements"]["edges"]]
        if found and rng.random() < 0.25:
            pdf = await client.get(found[0]["url"], headers={"Authorization": f"Bearer {token}"})
            if pdf.status_code != 200 or not pdf.content.startswith(b"%PDF"):
                raise RuntimeError(f"statement download {pdf.status_code}")
            return "participant statement pdf"
        return "participant statements"
    data = await _graphql(client, world.finance, RUN, {"id": str(world.run_id)})
    if data["paymentRun"]["state"] == "CALCULATED":  # keep a run in progress all along
        result = await _graphql(
            client, world.finance, RECALCULATE,
            {"input": {"runId": str(world.run_id)}},
        )  # fmt: skip
        if result["recalculatePaymentRun"]["errors"]:
            raise RuntimeError(str(result["recalculatePaymentRun"]["errors"]))
        return "finance recalculate"
    return "finance run progress"


async def _user(base: str, world: World, until: float, tally: Tally, seed: int) -> None:
    rng = random.Random(seed)
    kinds, weights = zip(*MIX, strict=True)
    async with httpx.AsyncClient(base_url=base, timeout=30) as client:
        while time.perf_counter() < until:
            kind = rng.choices(kinds, weights)[0]
            start = time.perf_counter()
            try:
                label = await _one(kind, client, world, rng)
            except Exception as exc:  # every failure is counted and shown, none hidden
                tally.errors.append(f"{kind}: {exc}")
                label = f"{kind} (error)"
            tally.latencies[label].append(time.perf_counter() - start)


def start_run(base: str, world: World) -> int:
    """FINANCE creates this period's run over HTTP: a server's worker calculates it."""
    response = httpx.post(
        f"{base}/graphql",
        json={"query": CREATE_RUN, "variables": {"input": {"period": common.PERIOD}}},
        headers={"Authorization": f"Bearer {world.finance}"},
        timeout=30,
    )
    payload = response.json()["data"]["createPaymentRun"]
    if payload["errors"]:
        raise RuntimeError(f"createPaymentRun: {payload['errors']}")
    return int(payload["run"]["id"])


def drive(base: str, world: World, seconds: float, clients: int) -> tuple[Tally, float]:
    async def main() -> Tally:
        tally = Tally()
        until = time.perf_counter() + seconds
        await asyncio.gather(*(_user(base, world, until, tally, i) for i in range(clients)))
        return tally

    start = time.perf_counter()
    tally = asyncio.run(main())
    return tally, time.perf_counter() - start


def report(tally: Tally, elapsed: float, args: argparse.Namespace) -> bool:
    every = [x for values in tally.latencies.values() for x in values]
    print(
        f"load: db={args.db}, {args.size} participants + demo, {WORKERS} uvicorn workers, "
        f"{args.clients} clients, {elapsed:.1f} s (shared machine: compare runs only)"
    )
    print(f"  {'kind':<28} {'requests':>9} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8}")
    for label, values in [*sorted(tally.latencies.items()), ("ALL", every)]:
        p = [common.percentile(values, q) * 1000 for q in (50, 95, 99)]
        print(f"  {label:<28} {len(values):>9} {p[0]:>8.1f} {p[1]:>8.1f} {p[2]:>8.1f} "
              f"{max(values) * 1000:>8.1f}")  # fmt: skip
    p99 = common.percentile(every, 99)
    print(f"  throughput {len(every) / elapsed:,.1f} requests/s; errors {len(tally.errors)}")
    for error in tally.errors[:10]:
        print(f"    {error}")
    ok = not tally.errors and p99 <= 2.0
    print(f"result: {'PASS' if ok else 'FAIL'} (no errors, p99 <= 2 s)")
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--size", type=int, default=400)
    parser.add_argument("--seconds", type=float, default=25.0)
    parser.add_argument("--clients", type=int, default=16)
    args = parser.parse_args()
    common.setup_database(args.db)
    from econ.db import db
    from econ.worker import ensure_configured

    ensure_configured()
    world = build_world(args.size)
    db.close()  # the server processes own the database now
    with uvicorn_workers(free_port()) as base:
        world.run_id = start_run(base, world)
        drive(base, world, 2.0, 4)  # warm-up: caches, connections, first run
        tally, elapsed = drive(base, world, args.seconds, args.clients)
    return 0 if report(tally, elapsed, args) else 1


if __name__ == "__main__":
    sys.exit(main())
