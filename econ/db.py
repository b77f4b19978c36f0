"""Database access: the proxy every model binds to, shared field types, and start-up.

SQLite (WAL) under the data directory by default, PostgreSQL with `ECON_DATABASE_URL`.
Money is stored as integer cents (`MoneyField`) and handed to code as `Decimal`.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import peewee as pw
from playhouse.db_url import connect

from econ.config import Settings
from econ.money import from_cents, to_cents

db = pw.DatabaseProxy()


def utcnow() -> dt.datetime:
    """Naive UTC timestamp: both SQLite and PostgreSQL columns store UTC without zone."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class BaseModel(pw.Model):
    class Meta:
        database = db
        legacy_table_names = False


class MoneyField(pw.BigIntegerField):
    """Integer cents in the database, `Decimal` in Python; refuses float and sub-cent values."""

    def db_value(self, value: Any) -> int | None:
        if value is None:
            return None
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        return to_cents(value)

    def python_value(self, value: Any) -> Decimal | None:
        return None if value is None else from_cents(value)


class JSONField(pw.TextField):
    """JSON as text, the same on both databases (we never query inside it)."""

    def db_value(self, value: Any) -> str | None:
        if value is None:
            return None
        return json.dumps(value, sort_keys=True, separators=(",", ":"), default=str)

    def python_value(self, value: Any) -> Any:
        return None if value is None else json.loads(value)


def create_database(settings: Settings) -> pw.Database:
    if settings.database_url:
        url = settings.database_url
        # Pool PostgreSQL connections: each request and task opens and closes one.
        for plain in ("postgresql://", "postgres://"):
            if url.startswith(plain):
                url = "postgresql+pool://" + url[len(plain) :]
        return connect(
            url,
            **(
                {"max_connections": 32, "stale_timeout": 300}
                if url.startswith("postgresql+pool://")
                else {}
            ),
        )
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    return pw.SqliteDatabase(
        str(settings.sqlite_path),
        pragmas={
            "journal_mode": "wal",
            "foreign_keys": 1,
            "busy_timeout": 10_000,
            "synchronous": "normal",
        },
    )


def init_database(settings: Settings) -> pw.Database:
    """Bind the proxy to the configured database (idempotent per settings)."""
    database = create_database(settings)
    db.initialize(database)
    return database


def ensure_database(settings: Settings) -> pw.Database:
    """Bind the proxy unless something (a test, the CLI) already did."""
    return db.obj if db.obj is not None else init_database(settings)


def is_postgres() -> bool:
    return isinstance(db.obj, pw.PostgresqlDatabase)


def ping() -> None:
    """Raise if the database does not answer."""
    db.execute_sql("SELECT 1").fetchone()


def write_transaction() -> Any:
    """A transaction that takes the write lock at once (SQLite `BEGIN IMMEDIATE`).

    Use it for read-then-write rules (capacity, one live record per person): on SQLite a
    deferred transaction would read, then fail to upgrade its lock under concurrency. On
    PostgreSQL combine it with `for_update(query)` on the row that serialises the rule.
    Nested inside another transaction it is a savepoint (the outer lock already holds).
    """
    if isinstance(db.obj, pw.SqliteDatabase):
        return db.atomic(lock_type="IMMEDIATE")
    return db.atomic()


def for_update(query: pw.ModelSelect) -> pw.ModelSelect:
    """`SELECT ... FOR UPDATE` on PostgreSQL; SQLite's write lock already serialises."""
    return query.for_update() if is_postgres() else query
