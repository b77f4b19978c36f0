"""Ordered schema migrations.

Each module `mNNNN_name.py` in this package defines `def up(database) -> None` and is
applied once, in name order, inside a transaction; applied names are kept in the
`schema_migration` table. Rule: once a migration has landed on main, it is never edited;
a model change ships with a new migration (see `add_column_if_missing`). A test builds a
database from the migrations and compares it with the models.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterable

import peewee as pw
from playhouse.migrate import SchemaMigrator, migrate

from econ.db import db, utcnow

MIGRATION_TABLE = "schema_migration"


class AppliedMigration(pw.Model):
    name = pw.CharField(primary_key=True, max_length=120)
    applied_at = pw.DateTimeField(default=utcnow)

    class Meta:
        database = db
        table_name = MIGRATION_TABLE


def available() -> list[str]:
    names = [m.name for m in pkgutil.iter_modules(__path__) if m.name.startswith("m")]
    return sorted(names)


def applied() -> set[str]:
    db.create_tables([AppliedMigration], safe=True)
    return {row.name for row in AppliedMigration.select()}


def pending() -> list[str]:
    done = applied()
    return [name for name in available() if name not in done]


def apply_all(log: callable | None = None) -> list[str]:
    """Apply every pending migration; safe to call from several processes at start-up."""
    done: list[str] = []
    for name in pending():
        module = importlib.import_module(f"{__name__}.{name}")
        with db.atomic():
            # Another process may have applied it while we waited for the lock.
            if AppliedMigration.get_or_none(AppliedMigration.name == name):
                continue
            module.up(db)
            AppliedMigration.create(name=name)
        done.append(name)
        if log:
            log(f"applied migration {name}")
    return done


def create_tables(models: Iterable[type[pw.Model]]) -> None:
    """Used by migrations that introduce tables (with their indexes)."""
    db.create_tables(list(models), safe=True)


def add_column_if_missing(table: str, column: str, field: pw.Field) -> None:
    """Add a column in a later migration without failing on a database made after it."""
    existing = {c.name for c in db.get_columns(table)}
    if column not in existing:
        migrate(SchemaMigrator.from_database(db.obj).add_column(table, column, field))
