"""Shared benchmark machinery: database selection, a realistic data generator, timing, RSS.

Every benchmark builds its own data in a database of its own (a fresh SQLite file under a
temporary folder, or the PostgreSQL database `econ_bench`, emptied first), so figures are
never mixed with a colleague's test run. Data generation is never timed.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import urlparse

BENCH_SECRET = "bench-secret-key-0123456789-0123456789-abcdef"
POSTGRES_URL = os.environ.get(
    "ECON_BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/econ_bench"
)
PERIOD = "2026-07"
INCOME_MONTHS = ("2026-04", "2026-05", "2026-06")
INSERT_BATCH = 500  # rows per INSERT statement (well under SQLite's parameter limit)


# --- command line and output ----------------------------------------------------------


def parse_args(description: str, default_size: int, **extra: object) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--size", type=int, default=default_size, help="N (default %(default)s)")
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--runs", type=int, default=3, help="repetitions; medians reported")
    for name, default in extra.items():
        parser.add_argument(f"--{name.replace('_', '-')}", type=type(default), default=default)
    return parser.parse_args()


def figure(label: str, value: float, unit: str = "") -> None:
    print(f"  {label:<44} {value:>12,.3f} {unit}".rstrip(), flush=True)


def note(text: str) -> None:
    print(f"  # {text}", flush=True)


def print_ratio(value: float) -> None:
    """The last line of every benchmark."""
    print(f"ratio: {value:.3f}", flush=True)


# --- timing and memory -----------------------------------------------------------------


def timed(fn: Callable[[], object]) -> tuple[float, object]:
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def profiled(fn: Callable[[], object], path: str) -> object:
    """Run fn under pyinstrument (when `path` is set) and write its text report there."""
    if not path:
        return fn()
    from pyinstrument import Profiler

    profiler = Profiler(interval=0.001)
    profiler.start()
    try:
        return fn()
    finally:
        profiler.stop()
        with open(path, "w") as handle:
            handle.write(profiler.output_text(unicode=True, show_all=False))


def median_seconds(fn: Callable[[], object], runs: int) -> float:
    return statistics.median(timed(fn)[0] for _ in range(max(1, runs)))


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    index = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return ordered[index]


def rss_mb() -> float:
    """Current resident set size (VmRSS)."""
    return _status_kib("VmRSS") / 1024


def peak_rss_mb() -> float:
    """Peak RSS since the last `reset_peak_rss()` (VmHWM), else since start."""
    kib = _status_kib("VmHWM")
    return kib / 1024 if kib else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def current_rss_mb() -> float:
    """The process's resident set now (VmRSS)."""
    return _status_kib("VmRSS") / 1024


def reset_peak_rss() -> None:
    """Linux resets VmHWM to the current RSS when "5" is written to clear_refs."""
    try:
        with open("/proc/self/clear_refs", "w") as handle:
            handle.write("5")
    except OSError:
        pass


def _status_kib(key: str) -> int:
    try:
        with open("/proc/self/status") as handle:
            for line in handle:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


# --- database -------------------------------------------------------------------------


def configure_environment(kind: str) -> str:
    """Set ECON_* for this process (and worker processes it starts); returns the db url."""
    data_dir = tempfile.mkdtemp(prefix="econ-bench-")
    url = POSTGRES_URL if kind == "postgres" else ""
    os.environ.update(
        {
            "ECON_ENV": "development",
            "ECON_DATA_DIR": data_dir,
            "ECON_SECRET_KEY": BENCH_SECRET,
            # Logins are set-up, not measured: cheap password hashing.
            "ECON_ARGON2_TIME_COST": "1",
            "ECON_ARGON2_MEMORY_KIB": "8",
            "ECON_DATABASE_URL": url,
            "ECON_BROKER_URL": os.environ.get("ECON_BENCH_BROKER_URL", ""),
            "ECON_LOG_LEVEL": "WARNING",
        }
    )
    return url


def setup_database(kind: str) -> str:
    """A fresh, migrated database bound to econ.db; returns its description."""
    url = configure_environment(kind)
    if kind == "postgres":
        _create_postgres_database(url)
    from econ.config import load_settings, use_settings
    from econ.db import db, init_database
    from econ.migrations import apply_all

    settings = use_settings(load_settings())
    init_database(settings)
    db.connect(reuse_if_open=True)
    if kind == "postgres":
        db.execute_sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
    apply_all()
    return url or str(settings.sqlite_path)


def _create_postgres_database(url: str) -> None:
    import psycopg2

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    conn = psycopg2.connect(
        host=parsed.hostname, port=parsed.port or 5432, user=parsed.username, dbname="postgres"
    )
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{name}"')
    conn.close()


def fix_sequences(*tables: str) -> None:
    """After inserts with explicit ids, PostgreSQL's sequences must move past them."""
    from econ.db import db, is_postgres

    if not is_postgres():
        return
    for table in tables:
        db.execute_sql(
            f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
            f'COALESCE((SELECT MAX(id) FROM "{table}"), 1))'
        )


def insert_batches(model: type, rows: Iterator[dict] | list[dict]) -> int:
    """Insert rows in batches of INSERT_BATCH, one transaction per batch."""
    from econ.db import db

    batch: list[dict] = []
    count = 0
    for row in rows:
        batch.append(row)
        if len(batch) == INSERT_BATCH:
            with db.atomic():
                model.insert_many(batch).execute()
            count += len(batch)
            batch = []
    if batch:
        with db.atomic():
            model.insert_many(batch).execute()
        count += len(batch)
    return count


# --- people ---------------------------------------------------------------------------


def staff(role: str, email: str, **extra: object):
    """(user, actor) created through the real service; the password is BENCH_PASSWORD."""
    from econ.logins import create_login
    from econ.security import services as security
    from econ.security.roles import SYSTEM

    user = create_login(
        SYSTEM,
        email=email,
        password=BENCH_PASSWORD,
        role=role,
        display_name=email.split("@")[0].title(),
        **extra,
    )
    return user, security.actor_for(user)


BENCH_PASSWORD = "correct horse battery staple"


def iban(number: int) -> str:
    """A valid German IBAN (ISO 13616 check digits), distinct for each number. The bank
    code 10000000 has no national check digit (method 09), so every account number is
    one that econ.iban, like a bank, accepts."""
    bban = f"10000000{number:010d}"
    digits = "".join(str(int(c, 36)) for c in bban + "DE00")
    check = 98 - int(digits) % 97
    return f"DE{check:02d}{bban}"


@dataclass
class Population:
    """What the generator made; ids only, so large populations stay small in memory."""

    size: int
    period: str
    counselors: list = field(default_factory=list)  # [(user, actor)]
    finance: list = field(default_factory=list)  # two FINANCE (user, actor): maker, checker
    first_participant: int = 0
    last_participant: int = 0
    paused: int = 0
    caseload: int = 50

    @property
    def participant_ids(self) -> range:
        return range(self.first_participant, self.last_participant + 1)

    def counselor_of(self, participant_id: int):
        """(user, actor) of her counselor (caseloads are consecutive blocks of ids)."""
        index = (participant_id - self.first_participant) // self.caseload
        return self.counselors[index % len(self.counselors)]

    def caseloads(self, participant_ids) -> dict[int, list[int]]:
        """{counselor index: the given ids in her caseload}."""
        found: dict[int, list[int]] = {}
        for pid in participant_ids:
            index = (pid - self.first_participant) // self.caseload % len(self.counselors)
            found.setdefault(index, []).append(pid)
        return found


def generate_population(
    size: int,
    *,
    period: str = PERIOD,
    caseload: int = 50,
    seed: int = 10,
    one_offs: bool = True,
) -> Population:
    """`size` participants with an eligible stipend schedule for `period`, plus 5 % more
    with a PAUSED schedule, in the proportions a program sees (see the comments).

    Bulk inserts straight into the tables (set-up, not the code under test), with PII
    encrypted exactly as the participants service does. `one_offs=False` leaves out the
    unpaid incentives and adjustments (runs of several periods at once would race for them).
    """
    from econ.db import db
    from econ.participants.models import Participant

    rng = random.Random(seed)
    pop = Population(size=size, period=period, paused=size // 20, caseload=caseload)
    pop.finance = [staff("FINANCE", "maker@bench.econ"), staff("FINANCE", "checker@bench.econ")]
    total = size + pop.paused
    for c in range(max(1, -(-total // caseload))):
        pop.counselors.append(
            staff("COUNSELOR", f"counselor{c + 1}@bench.econ", work_phone="+34 600 000 000")
        )
    start = (Participant.select(Participant.id).order_by(Participant.id.desc()).scalar() or 0) + 1
    pop.first_participant, pop.last_participant = start, start + total - 1
    for lo in range(0, total, INSERT_BATCH):
        ids = range(start + lo, start + min(total, lo + INSERT_BATCH))
        with db.atomic():
            _insert_people(pop, ids, rng, lambda pid: pid - start >= size, one_offs)
    fix_sequences(
        "participant",
        "participant_pii",
        "plan",
        "income_record",
        "stipend_schedule",
        "payment_method",
        "incentive_award",
        "adjustment",
    )
    return pop


NAMES = ("Maria", "Lina", "Joy", "Ioana", "Sofia", "Amina", "Rosa", "Grace", "Elena", "Nadia")


def _insert_people(
    pop: Population, ids: range, rng: random.Random, paused: Callable, one_offs: bool
) -> None:
    from econ.participants.models import IncomeRecord, Participant, ParticipantPII, Plan
    from econ.security.crypto import encrypt
    from econ.stipends.models import Adjustment, IncentiveAward, PaymentMethod, StipendSchedule
    from econ.stipends.schedules import card_context

    people, pii, plans, incomes, schedules, methods, awards, adjustments = ([] for _ in range(8))
    for pid in ids:
        counselor = pop.counselor_of(pid)
        # 0.5 % exited while their schedule is still live: the run notes and skips them.
        status = "EXITED" if rng.random() < 0.005 else "ACTIVE"
        name = NAMES[pid % len(NAMES)]
        people.append(
            {
                "id": pid,
                "code": f"B{pid:08d}",
                "preferred_name": name,
                "languages": ["en", "es"],
                "preferred_language": rng.choice(("en", "es", "fr")),
                "status": status,
                "counselor": counselor[0].id,
            }
        )
        # 1 % have no bank account on file: their line is HELD for review.
        account = None if rng.random() < 0.01 else iban(pid)
        pii.append(
            {
                "participant": pid,
                "legal_name": encrypt(
                    f"{name} Legalname {pid}", f"participant_pii.legal_name.{pid}"
                ),
                "bank_account": encrypt(account, f"participant_pii.bank_account.{pid}"),
            }
        )
        target = Decimal(rng.choice(("1100.00", "1200.00", "1300.00")))
        plans.append(
            {"participant": pid, "pathways": ["EMPLOYMENT"], "target_monthly_income": target}
        )
        incomes.extend(_incomes(pid, target, rng))
        schedules.append(
            {
                "id": pid,
                "participant": pid,
                "monthly_amount": Decimal(rng.choice(("600.00", "750.00", "900.00"))),
                "start_month": "2026-01",
                "duration_months": 24,
                # 5 % start this month (APPROVED, made ACTIVE by the run); PAUSED makes no line.
                "state": "PAUSED"
                if paused(pid)
                else ("APPROVED" if rng.random() < 0.05 else "ACTIVE"),
            }
        )
        roll = rng.random()
        if roll < 0.06:  # prepaid cards and cash, the rest bank transfers
            methods.append(
                {
                    "participant": pid,
                    "method": "PREPAID_CARD",
                    "card_reference": encrypt(f"CARD{pid:010d}", card_context(pid)),
                }
            )
        elif roll < 0.10:
            methods.append({"participant": pid, "method": "CASH"})
        if rng.random() < 0.10 and one_offs:  # an unpaid incentive (training completed)
            awards.append(
                {
                    "participant": pid,
                    "rule": "TRAINING_COMPLETED",
                    "source_type": "enrollment",
                    "source_id": str(pid),
                    "amount": Decimal("100.00"),
                    "state": "APPROVED",  # approved by a second FINANCE user (issue 14)
                }
            )
        if rng.random() < 0.05 and one_offs:  # an approved adjustment or support grant
            adjustments.append(
                {
                    "participant": pid,
                    "period": pop.period,
                    "amount": Decimal(rng.choice(("-25.00", "40.00", "120.00"))),
                    "category": rng.choice((None, "TRANSPORT", "CHILDCARE")),
                    "reason": "bench",
                    "state": "APPROVED",
                }
            )
    for model, rows in (
        (Participant, people),
        (ParticipantPII, pii),
        (Plan, plans),
        (IncomeRecord, incomes),
        (StipendSchedule, schedules),
        (PaymentMethod, methods),
        (IncentiveAward, awards),
        (Adjustment, adjustments),
    ):
        for lo in range(0, len(rows), INSERT_BATCH):
            model.insert_many(rows[lo : lo + INSERT_BATCH]).execute()


def _incomes(pid: int, target: Decimal, rng: random.Random) -> list[dict]:
    """40 % earn something (verified); 0.5 % earned at target three months running, so
    the run ends their schedule (independence)."""
    from econ.db import utcnow

    roll = rng.random()
    if roll < 0.005:
        amounts = [target + 50] * len(INCOME_MONTHS)
    elif roll < 0.40:
        amounts = [Decimal(rng.randrange(100, 1000)) for _ in INCOME_MONTHS]
    else:
        return []
    now = utcnow()
    return [
        {
            "participant": pid,
            "month": month,
            "source": "EMPLOYMENT",
            "amount": amount,
            "verified_at": now,
            "verified_by": None,
        }
        for month, amount in zip(INCOME_MONTHS, amounts, strict=True)
    ]


def reset_schedules() -> None:
    """Undo what a calculation did to schedules, so the next repetition sees the same data."""
    from econ.stipends.models import StipendSchedule

    StipendSchedule.update(state="ACTIVE", end_reason=None).where(
        (StipendSchedule.state == "ENDED") & StipendSchedule.end_reason.in_(("INDEPENDENCE",))
    ).execute()
