"""Apply migrations under one database-wide lock; report their status without changing anything."""

from __future__ import annotations

import datetime as dt
import importlib
import inspect
import logging
import pkgutil
import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import peewee as pw

from econ.db import db, is_postgres, utcnow
from econ.migrations.sql import adapt, statements
from econ.security.crypto import decrypt, encrypt, is_sealed

log = logging.getLogger(__name__)

MIGRATION_TABLE = "schema_migration"
_PACKAGE = "econ.migrations"
_NAME = re.compile(r"^m\d{4}_\w+$")
# Any fixed 64-bit number: advisory locks are scoped to the database, so this is "the
# migration lock of this database".
_ADVISORY_LOCK_ID = 0x65636F6E_6D696772  # "econmigr"
# How long a process waits for another's migrations before giving up (SQLite polls).
LOCK_WAIT_SECONDS = 15 * 60

_TABLE_DDL = (
    f'CREATE TABLE IF NOT EXISTS "{MIGRATION_TABLE}" '
    '("name" VARCHAR(120) NOT NULL PRIMARY KEY, "applied_at" TIMESTAMP NOT NULL)'
)


class AppliedMigration(pw.Model):
    name = pw.CharField(primary_key=True, max_length=120)
    applied_at = pw.DateTimeField(default=utcnow)

    class Meta:
        database = db
        table_name = MIGRATION_TABLE


def available() -> list[str]:
    """Migration names in the package, in the order they apply."""
    path = [str(Path(__file__).parent)]
    return sorted(m.name for m in pkgutil.iter_modules(path) if _NAME.match(m.name))


def applied() -> set[str]:
    """Names recorded as applied (none when the table does not exist yet)."""
    if not db.table_exists(MIGRATION_TABLE):
        return set()
    return {row.name for row in AppliedMigration.select(AppliedMigration.name)}


def pending() -> list[str]:
    done = applied()
    return [name for name in available() if name not in done]


@dataclass(frozen=True)
class MigrationStatus:
    name: str
    applied_at: dt.datetime | None  # None: pending
    known: bool = True  # False: recorded in the database but not in this version's code


def status() -> list[MigrationStatus]:
    """Every known migration with when it was applied, plus any the code does not know."""
    rows = {}
    if db.table_exists(MIGRATION_TABLE):
        rows = {r.name: r.applied_at for r in AppliedMigration.select()}
    known = [MigrationStatus(name, rows.get(name)) for name in available()]
    unknown = [
        MigrationStatus(n, at, known=False)
        for n, at in sorted(rows.items())
        if n not in set(available())
    ]
    return known + unknown


def apply_all(report: Callable[[str], None] | None = None) -> list[str]:
    """Apply every pending migration; any number of processes may call it at once."""
    done: list[str] = []
    with _migration_lock(report):
        db.execute_sql(adapt(_TABLE_DDL, postgres=is_postgres()))
        for name in pending():
            with db.atomic():
                _run(importlib.import_module(f"{_PACKAGE}.{name}"))
                AppliedMigration.insert(name=name, applied_at=utcnow()).execute()
            done.append(name)
            if report:
                report(f"applied migration {name}")
    return done


def _run(module: ModuleType) -> None:
    for statement in statements(getattr(module, "SQL", "")):
        db.execute_sql(adapt(statement, postgres=is_postgres()))
    up = getattr(module, "up", None)
    if up is None:
        return
    # A data step that seals (or re-seals) existing values gets the key ring's functions
    # handed in: migrations import nothing from econ, and what "sealed" means is the
    # ring's, not the migration's.
    ring = {"seal": encrypt, "unseal": _unseal}
    wanted = inspect.signature(up).parameters
    up(db, **{name: fn for name, fn in ring.items() if name in wanted})


def _unseal(value: str, context: str) -> str:
    """A sealed value's text; a value stored before it was sealed, as it is."""
    return decrypt(value, context) if is_sealed(value) else value


@contextmanager
def _migration_lock(report: Callable[[str], None] | None) -> Iterator[None]:
    lock = _advisory_lock if is_postgres() else _exclusive_transaction
    with lock(report):
        yield


def _waiting(report: Callable[[str], None] | None) -> None:
    message = "waiting for another process to finish migrating"
    log.info(message)
    if report:
        report(message)


@contextmanager
def _advisory_lock(report: Callable[[str], None] | None) -> Iterator[None]:
    """A session-level advisory lock: released at the end, or when the connection dies."""
    got = db.execute_sql("SELECT pg_try_advisory_lock(%s)", (_ADVISORY_LOCK_ID,)).fetchone()[0]
    if not got:
        _waiting(report)
        db.execute_sql("SELECT pg_advisory_lock(%s)", (_ADVISORY_LOCK_ID,))
    try:
        yield
    finally:
        db.execute_sql("SELECT pg_advisory_unlock(%s)", (_ADVISORY_LOCK_ID,))


@contextmanager
def _exclusive_transaction(report: Callable[[str], None] | None) -> Iterator[None]:
    """`BEGIN EXCLUSIVE`, retried while another process holds it (beyond busy_timeout)."""
    deadline = time.monotonic() + LOCK_WAIT_SECONDS
    said = False
    while True:
        transaction = db.atomic(lock_type="EXCLUSIVE")
        try:
            transaction.__enter__()
            break
        except pw.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            if not said:
                _waiting(report)
                said = True
            time.sleep(0.2)
    try:
        yield
    except BaseException as exc:
        transaction.__exit__(type(exc), exc, exc.__traceback__)
        raise
    transaction.__exit__(None, None, None)
