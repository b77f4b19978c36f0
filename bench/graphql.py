"""GraphQL over loopback: requests/s, p50/p95/p99 latency and server CPU per request.

Scenarios: (a) `{ me { id } }`; (b) a counselor's `caseload(first: 50)` with its signals;
(c) a participant's plan overview; (d) an employer's opportunity with 30 referrals; plus
each one's SQL statement count at two sizes (it must not grow). Baseline, same server,
database file, client and run: the floor (bench/floor.py), a bare Starlette endpoint that
does what (a) must do (one indexed token lookup on a per-thread connection, a cached
graphql-core document against a one-type schema). The floor and (a) are measured in
alternating short slices. A plain Starlette JSON endpoint (`GET /bench/ping`) is printed
for reference. Targets: (a) >= 0.5 x the floor's requests/s; (b)-(d) constant SQL counts
and p99 < 100 ms at 10 clients. `--profile DIR` writes py-spy profiles of the server
under each scenario's load (all threads) to DIR, and pyinstrument profiles of each
scenario run in-process, one request at a time (`graphql-KEY-inprocess.txt`).

*CPU alone* is the primary figure on a shared machine: the CPU time of one request
through the endpoint's code in this process, one at a time (thread CPU time, median of
50); the load columns move with everything else the cores run.

The server is `server:app` plus the ping route and the floor, in a child process
(`--serve PORT`, one uvicorn worker); the load comes from a small asyncio HTTP/1.1
keep-alive client in this process.

    python -m bench.graphql [--size N] [--db sqlite|postgres] [--runs R] [--seconds S]
                            [--profile DIR]
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass, field

from bench import common, domains
from bench.floor import FLOOR_PATH

CLIENTS = 10
SLICES = 6  # of each baseline and (a) per run, taken in turn
STAGGER = 0.01  # s between two clients' first connections
AS_OF = "2026-07-20"

ME = "{ me { id } }"
CASELOAD = """query Caseload($first: Int!) { caseload(first: $first, asOf: "AS_OF") {
  totalCount edges { node { participant { id code preferredName status }
    status monthsAtTarget independenceProgress latestIncome { amount currency }
    target { amount } nextMilestone { title dueDate } overdueMilestones
    stipendMonthsLeft loanDaysPastDue } } } }""".replace("AS_OF", AS_OF)
OVERVIEW_FIELDS = """overview(asOf: "AS_OF") { asOf
  training { current { programTitle status attendanceRate }
             completed { programTitle attendanceRate credentialName } credentials { name } }
  employment { openReferrals { handle status } currentPlacement { startDate hoursPerWeek }
               checkpointsDue { dueOn } }
  income { target { amount } monthsAtTargetInARow independent projection }
  stipend { state monthsUsed monthsLeft currentPeriod currentNet { amount } }
  microcredit { state outstandingPrincipal { amount } nextInstallmentDue daysPastDue }
  milestones { overdue { title } dueSoon { title dueDate } done { title } } }""".replace(
    "AS_OF", AS_OF
)
# Issue 8 puts it at Participant.plan.overview; an earlier draft had Participant.overview.
OVERVIEW_VARIANTS = (
    "query { me { participant { id plan { " + OVERVIEW_FIELDS + " } } } }",
    "query { me { participant { id " + OVERVIEW_FIELDS + " } } }",
)
OPPORTUNITY = """query Opening($id: ID!) { opportunity(id: $id) { id title openings status
  referrals(first: 50) { edges { node { handle status createdAt
    history(first: 30) { edges { node { toStatus at } } }
    candidate { handle languages skills { label }
      credentials(first: 30) { edges { node { name } } } } } } } } }"""


@dataclass
class Scenario:
    key: str
    label: str
    query: str | tuple[str, ...]  # variants: the first the schema accepts is used
    variables: dict | None
    token: str
    small: dict | None = None  # variables/token for the SQL count at a smaller size
    counts: list[int] = field(default_factory=list)  # statements, smaller -> measured
    alone: float | None = None  # CPU ms of one request in-process


# --- server ---------------------------------------------------------------------------


def bench_app():
    """econ's app plus a plain JSON route and the bare floor endpoint (bench/floor.py): the
    factory each uvicorn worker process calls."""
    from starlette.responses import JSONResponse
    from starlette.routing import Route

    from server import app

    async def ping(request):
        return JSONResponse({"ok": True, "pid": os.getpid()})

    from bench.floor import floor_app, with_floor
    from econ.config import get_settings

    settings = get_settings()
    app.router.routes.insert(0, Route("/bench/ping", ping, methods=["GET"]))
    return with_floor(app, floor_app(settings.database_url, str(settings.sqlite_path)))


def serve(port: int, workers: int = 1) -> None:
    """Child process: `bench_app` on `workers` uvicorn worker processes (one by default)."""
    import uvicorn

    uvicorn.run(
        "bench.graphql:bench_app" if workers > 1 else bench_app(),
        factory=workers > 1,
        workers=workers,
        host="127.0.0.1",
        port=port,
        loop="uvloop",
        http="httptools",
        log_level="warning",
        access_log=False,
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def server_process(workers: int = 1):
    port = free_port()
    child = subprocess.Popen(
        [sys.executable, "-m", "bench.graphql", "--serve", str(port), str(workers)],
        env={**os.environ, "PYTHONPATH": os.getcwd()},
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                    break
            except OSError:
                time.sleep(0.2)
        else:
            raise RuntimeError("the server did not start")
        _wait_for_workers(port, workers, deadline)
        yield port, child.pid
    finally:
        child.terminate()
        child.wait(timeout=20)


def _wait_for_workers(port: int, workers: int, deadline: float) -> None:
    """The supervisor listens before its workers have imported the app: ask /bench/ping
    (a fresh connection each time) until `workers` different processes have answered."""
    seen: set[int] = set()
    while len(seen) < workers:
        if time.monotonic() > deadline:
            raise RuntimeError(f"{len(seen)} of {workers} server workers answered")
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/bench/ping", timeout=10) as answer:
            seen.add(json.load(answer)["pid"])


# --- load client ----------------------------------------------------------------------


def request_bytes(path: str, body: dict | None, token: str | None) -> bytes:
    head = [f"{'POST' if body else 'GET'} {path} HTTP/1.1", "Host: 127.0.0.1"]
    if token:
        head.append(f"Authorization: Bearer {token}")
    payload = json.dumps(body).encode() if body else b""
    if body:
        head += ["Content-Type: application/json", f"Content-Length: {len(payload)}"]
    return ("\r\n".join(head) + "\r\n\r\n").encode() + payload


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, bytes]:
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    length = 0
    for line in lines[1:]:
        name, _, value = line.partition(":")
        if name.lower() == "content-length":
            length = int(value)
    return status, await reader.readexactly(length)


async def _client(
    port: int, raw: bytes, until: float, latencies: list[float], index: int = 0
) -> None:
    # Clients connect STAGGER apart, as people do: ten connections in the same instant
    # would all be accepted by whichever uvicorn worker woke first (with `--workers`).
    await asyncio.sleep(index * STAGGER)
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        while time.perf_counter() < until:
            start = time.perf_counter()
            writer.write(raw)
            status, body = await _read_response(reader)
            latencies.append(time.perf_counter() - start)
            if status != 200 or b'"errors"' in body:
                raise RuntimeError(f"bad response {status}: {body[:300]!r}")
    finally:
        writer.close()


def cpu_seconds(pid: int) -> float:
    """User + system CPU time the process (all its threads) and the processes it started
    (uvicorn's worker processes, with `--workers`) have used so far."""
    total = 0.0
    for one in _process_tree(pid):
        try:
            with open(f"/proc/{one}/stat") as handle:
                fields = handle.read().rpartition(")")[2].split()
        except FileNotFoundError:  # ended between the listing and the read
            continue
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def _process_tree(pid: int) -> list[int]:
    tree, index = [pid], 0
    while index < len(tree):
        try:
            with open(f"/proc/{tree[index]}/task/{tree[index]}/children") as handle:
                tree += [int(child) for child in handle.read().split()]
        except FileNotFoundError:
            pass
        index += 1
    return tree


def load(port: int, raw: bytes, seconds: float, clients: int = CLIENTS, pid: int = 0) -> dict:
    """`clients` keep-alive connections sending back to back for `seconds`; with the
    server's `pid`, also its CPU time per request."""
    return summarise([_slice(port, raw, seconds, clients, pid)])


def _slice(port: int, raw: bytes, seconds: float, clients: int, pid: int) -> tuple:
    async def main() -> list[float]:
        latencies: list[float] = []
        until = time.perf_counter() + seconds
        await asyncio.gather(*(_client(port, raw, until, latencies, n) for n in range(clients)))
        return latencies

    cpu_before = cpu_seconds(pid) if pid else 0.0
    start = time.perf_counter()
    latencies = asyncio.run(main())
    elapsed = time.perf_counter() - start
    return latencies, elapsed, (cpu_seconds(pid) - cpu_before if pid else 0.0)


def summarise(slices: list[tuple]) -> dict:
    latencies = [x for lat, _, _ in slices for x in lat]
    elapsed = sum(e for _, e, _ in slices)
    cpu = sum(c for _, _, c in slices)
    return {
        "cpu_ms": cpu * 1000 / max(1, len(latencies)),
        "rps": len(latencies) / elapsed,
        "p50": common.percentile(latencies, 50) * 1000,
        "p95": common.percentile(latencies, 95) * 1000,
        "p99": common.percentile(latencies, 99) * 1000,
        "requests": len(latencies),
    }


def interleaved(port: int, requests: dict[str, bytes], seconds: float, pid: int) -> dict:
    """Each request type for `seconds` in all, in SLICES short slices taken in turn
    (A B B A ...), so that a change in the machine's load falls on all of them alike:
    the ratio between them is then the same-moment ratio the targets are about."""
    keys = list(requests)
    taken: dict[str, list[tuple]] = {k: [] for k in keys}
    for n in range(SLICES):
        for key in keys if n % 2 == 0 else reversed(keys):
            taken[key].append(_slice(port, requests[key], seconds / SLICES, CLIENTS, pid))
    return {k: summarise(v) for k, v in taken.items()}


# --- data and SQL counts --------------------------------------------------------------


def token_for(email: str) -> str:
    from econ.security.services import login

    return login(email, common.BENCH_PASSWORD)[0]


def build_world(size: int) -> list[Scenario]:
    """A population; the first counselor's caseload of 50 with loans, training and
    placements; an opening with 30 referrals and one with 5; logins for each role."""
    pop = common.generate_population(size)
    first = list(pop.participant_ids)[: pop.caseload]
    counselor_user, counselor = pop.counselors[0]
    finance = pop.finance[0][1]
    admin = common.staff("ADMIN", "admin@bench.econ")[1]
    active = [pid for pid in first if _active(pid)]
    domains.add_loans(counselor, finance, active[:10])
    domains.add_training(admin, counselor, active[:10], cohort_size=10)
    employer, hr, big = domains.employer_with_opportunity()
    small = _second_opening(hr[1])
    domains.refer(counselor, big, employer.id, active[:2], hire=True)
    # Both have a loan, a training and a placement; "rich" has more of each list the
    # overview shows (a second referral, plan milestones), so its SQL count must not grow.
    rich, poor = active[0], active[1]
    _more_lists(counselor, rich)
    for index, members in list(pop.caseloads(pop.participant_ids).items())[1:]:
        want = 30 - _referral_count(big.id)
        if want <= 0:
            break
        domains.refer(pop.counselors[index][1], big, employer.id, members[:want], hire=False)
    domains.refer(pop.counselors[1][1], small, employer.id, _caseload(pop, 1)[30:35], False)
    domains.refer(counselor, small, employer.id, [rich], hire=False, consent=False)
    rich_login = _participant_login(counselor, rich, "rich@bench.econ")
    poor_login = _participant_login(counselor, poor, "poor@bench.econ")
    tokens = {
        "counselor": token_for(counselor_user.email),
        "rich": token_for(rich_login),
        "poor": token_for(poor_login),
        "hr": token_for(hr[0].email),
    }
    return [
        Scenario("a", "(a) { me { id } }", ME, None, tokens["counselor"]),
        Scenario(
            "b",
            "(b) counselor caseload(first: 50) + signals",
            CASELOAD,
            {"first": 50},
            tokens["counselor"],
            {"variables": {"first": 10}, "token": tokens["counselor"]},
        ),
        Scenario(
            "c",
            "(c) participant plan overview",
            OVERVIEW_VARIANTS,
            None,
            tokens["rich"],
            {"variables": None, "token": tokens["poor"]},
        ),
        Scenario(
            "d",
            f"(d) opportunity with {_referral_count(big.id)} referrals",
            OPPORTUNITY,
            {"id": str(big.id)},
            tokens["hr"],
            {"variables": {"id": str(small.id)}, "token": tokens["hr"]},
        ),
    ]


def _more_lists(counselor, participant_id: int) -> None:
    from econ.participants import services as participants

    participants.revise_plan(
        counselor,
        participant_id,
        pathways=["EMPLOYMENT"],
        target_monthly_income=None,
        milestones=[
            {"title": "Open a savings account", "category": "BANKING", "due_date": "2026-06-10"},
            {"title": "Renew identity card", "category": "ID_DOCUMENTS", "due_date": "2026-08-01"},
            {"title": "Driving theory test", "category": "OTHER", "due_date": "2026-07-30"},
            {"title": "Write a CV", "category": "EMPLOYMENT", "due_date": "2026-12-01"},
        ],
    )


def _active(pid: int) -> bool:
    from econ.participants.models import Participant

    return Participant.get_by_id(pid).status == "ACTIVE"


def _caseload(pop: common.Population, index: int) -> list[int]:
    return [p for p in pop.caseloads(pop.participant_ids).get(index, []) if _active(p)]


def _referral_count(opportunity_id: int) -> int:
    from econ.employers.models import Referral

    return Referral.select().where(Referral.opportunity == opportunity_id).count()


def _second_opening(hr_actor):
    from econ.employers import services

    draft = services.create_opportunity(
        hr_actor,
        None,
        title="Café counter staff",
        description="Serving customers and the till in our café.",
        type="FULL_TIME",
        pay_amount="2150.00",
        pay_period="MONTHLY",
        hours_per_week=40,
        location="Lavapiés",
        required_skills=[{"key": "customer-service", "label": "Customer service"}],
        languages=["en", "fr"],
        openings=1,
    )
    return services.publish_opportunity(hr_actor, draft.id)


def _participant_login(counselor, participant_id: int, email: str) -> str:
    from econ.logins import create_login
    from econ.security.roles import SYSTEM

    create_login(  # set-up, as the console would (not the approval path)
        SYSTEM,
        email=email,
        password=common.BENCH_PASSWORD,
        role="PARTICIPANT",
        participant_id=participant_id,
    )
    return email


class _Counter(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


def sql_count(endpoint, query: str, variables: dict | None, token: str) -> int:
    """Statements peewee sends for one request through the real endpoint code."""
    logger = logging.getLogger("peewee")
    counter, level = _Counter(), logger.level
    logger.addHandler(counter)
    logger.setLevel(logging.DEBUG)
    try:
        status, body = endpoint.run({"query": query, "variables": variables}, token)
    finally:
        logger.removeHandler(counter)
        logger.setLevel(level)
    if status != 200 or body.get("errors"):
        raise RuntimeError(f"query failed: {json.dumps(body)[:400]}")
    return counter.count


def missing_fields(schema, query: str) -> list[str]:
    from graphql import parse, validate

    return [e.message for e in validate(schema, parse(query))]


def choose_query(schema, scenario: Scenario) -> list[str]:
    """The first of the scenario's query variants the schema accepts; else the problems."""
    variants = scenario.query if isinstance(scenario.query, tuple) else (scenario.query,)
    problems: list[str] = []
    for query in variants:
        problems = missing_fields(schema, query)
        if not problems:
            scenario.query = query
            return []
    return problems


# --- main -----------------------------------------------------------------------------


def main() -> None:
    if len(sys.argv) >= 3 and sys.argv[1] == "--serve":
        serve(int(sys.argv[2]), int(sys.argv[3]) if len(sys.argv) > 3 else 1)
        return
    args = common.parse_args(__doc__.splitlines()[0], 500, seconds=4.0, profile="")
    common.setup_database(args.db)
    from econ.config import get_settings
    from econ.schema.endpoint import GraphQLEndpoint
    from econ.schema_root import build_schema
    from econ.worker import ensure_configured

    ensure_configured()
    print(
        f"graphql: {args.size:,} participants, db={args.db}, {CLIENTS} clients, "
        f"{args.seconds:g} s x {args.runs} runs per scenario"
    )
    scenarios = build_world(args.size)
    schema = build_schema()
    graphql_schema = getattr(schema, "graphql_schema", schema)
    endpoint = GraphQLEndpoint(graphql_schema, get_settings())
    runnable = []
    for s in scenarios:
        problems = choose_query(graphql_schema, s)
        if problems:
            common.note(f"{s.label}: NOT AVAILABLE YET ({problems[0]})")
            continue
        counts = [sql_count(endpoint, s.query, s.variables, s.token)]
        if s.small:
            counts.insert(0, sql_count(endpoint, s.query, s.small["variables"], s.small["token"]))
        s.counts = counts
        s.alone = _alone(endpoint, s, args.profile)
        runnable.append(s)
    from econ.db import db

    db.close()  # the server process has the database now (SQLite: no writer left open)
    results: dict[str, dict] = {}
    with server_process() as (port, pid):
        ping = request_bytes("/bench/ping", None, None)
        floor = request_bytes(FLOOR_PATH, {"query": ME}, scenarios[0].token)
        load(port, ping, 1.0)  # warm-up
        load(port, floor, 1.0)
        runs: dict[str, list[dict]] = {}
        requests = _requests(runnable)
        head = {"ping": ping, "floor": floor} | (
            {"a": requests.pop("a")} if "a" in requests else {}
        )
        for _ in range(args.runs):
            for key, result in interleaved(port, head, args.seconds, pid).items():
                runs.setdefault(key, []).append(result)
            for key, raw in requests.items():
                runs.setdefault(key, []).append(load(port, raw, args.seconds, pid=pid))
        if args.profile:
            _profile(port, pid, args, {"floor": floor} | _requests(runnable))
        for key, rows in runs.items():
            results[key] = {m: statistics.median(r[m] for r in rows) for m in rows[0]}
    ratios = [a["rps"] / f["rps"] for a, f in zip(runs.get("a", []), runs["floor"], strict=False)]
    _report(results, runnable, ratios)


def _alone(endpoint, s: Scenario, profile_dir: str) -> float:
    """CPU ms of one request in-process (median of 50); with a profile folder, also a
    pyinstrument profile of 30 of them."""
    from pathlib import Path

    from bench import inprocess

    def call():
        return endpoint.run({"query": s.query, "variables": s.variables}, s.token)

    if profile_dir:
        inprocess.profile(call, Path(profile_dir) / f"graphql-{s.key}-inprocess.txt")
    return inprocess.cpu_ms(call, repeat=50)


def _requests(runnable: list[Scenario]) -> dict[str, bytes]:
    return {
        s.key: request_bytes("/graphql", {"query": s.query, "variables": s.variables}, s.token)
        for s in runnable
    }


def _profile(port: int, pid: int, args, requests: dict[str, bytes]) -> None:
    """py-spy profiles of the server under each scenario's load, into args.profile/."""
    from pathlib import Path

    from bench import profiles

    folder = Path(args.profile)
    folder.mkdir(parents=True, exist_ok=True)
    for key, raw in requests.items():
        folded = folder / f"graphql-{key}.folded"
        sampler = profiles.start(pid, args.seconds, folded)
        if sampler is None:
            common.note("--profile needs py-spy (pip install py-spy)")
            return
        time.sleep(0.3)  # let it attach
        load(port, raw, args.seconds)
        sampler.wait(timeout=60)
        (folder / f"graphql-{key}.txt").write_text(profiles.summary(folded.read_text(), 40))
        common.note(f"profile of ({key}): {folder / f'graphql-{key}.txt'}")


def _line(label: str, r: dict, sql: str, alone: float | None = None) -> None:
    print(
        f"  {label:<46}{r['rps']:>9,.0f}{r['p50']:>9.2f}{r['p95']:>9.2f}"
        f"{r['p99']:>9.2f}{r['cpu_ms']:>8.2f}{'-' if alone is None else f'{alone:.2f}':>7}  {sql}"
    )


def _report(results: dict, runnable: list[Scenario], ratios: list[float]) -> None:
    print(
        f"  {'scenario':<46}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'CPU ms':>8}"
        f"{'alone':>7}  SQL"
    )
    _line("plain Starlette JSON endpoint (reference)", results["ping"], "-")
    _line("floor: bare endpoint, token lookup, graphql", results["floor"], "1")
    for s in runnable:
        r = results[s.key]
        sizes = " -> ".join(str(c) for c in s.counts)
        constant = (
            "" if len(s.counts) == 1 else (" constant" if len(set(s.counts)) == 1 else " GROWS")
        )
        _line(s.label, r, f"{sizes}{constant}", s.alone)
    keys = {s.key for s in runnable}
    for key in "bcd":
        if key not in keys:
            common.note(f"scenario ({key}) skipped: its fields are not in the schema yet")
    common.note("SQL: statements for the smaller case -> the measured case")
    common.note("CPU ms: the server process's CPU time (all threads) per request")
    common.note("alone: CPU ms of one request in-process, one at a time, median of 50")
    if "a" in results:
        common.note(f"(a) / plain Starlette: {results['a']['rps'] / results['ping']['rps']:.3f}")
        cpu = results["a"]["cpu_ms"] / results["floor"]["cpu_ms"]
        common.note(f"(a) CPU per request / floor's: {cpu:.2f}")
        common.note("(a) / floor per run: " + ", ".join(f"{r:.3f}" for r in ratios))
    common.note(
        "ratio = median of the runs' (a) req/s / floor req/s, taken in turn (target >= 0.5)"
    )
    common.print_ratio(statistics.median(ratios) if ratios else 0.0)


if __name__ == "__main__":
    main()
