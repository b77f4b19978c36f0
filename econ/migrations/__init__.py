"""Ordered schema migrations, frozen once landed, applied under a database lock.

How to add a migration
----------------------
1. Change the model (a new table, a new column, an index).
2. Draft the DDL from the model as it now is, for example::

       python -m econ.migrations.draft econ.training.models.Waitlist
       python -m econ.migrations.draft econ.training.models.Cohort.room   # one new column

   It prints PostgreSQL DDL (CREATE TABLE with its indexes, or ALTER TABLE ... ADD COLUMN).
3. Save it as the next file, `econ/migrations/mNNNN_short_name.py` (four digits, one more
   than the highest; two helpers who picked the same number renumber at merge)::

       '''Training: a waitlist per cohort.'''

       SQL = '''
       CREATE TABLE "waitlist" (...);
       CREATE INDEX "waitlist_cohort_id" ON "waitlist" ("cohort_id");
       '''

   `SQL` is written for PostgreSQL; for SQLite the runner only renames six types
   (SERIAL, BIGINT and BOOLEAN become INTEGER, TIMESTAMP becomes DATETIME, NUMERIC becomes
   DECIMAL, BYTEA becomes BLOB), so keep to those types and to DDL both databases accept.
   A NOT NULL column added to a table that has rows needs a DEFAULT.
   For data changes, add `def up(database) -> None`, run after `SQL`, using plain SQL
   (`database.execute_sql`), never the current models: a model keeps changing, a
   migration must mean the same thing in ten years.
4. Run the migration tests (`pytest tests/db`): they build a database from the migrations
   on SQLite (and PostgreSQL with `ECON_TEST_DATABASE_URL`) and compare every table,
   column, nullability, unique and index with the models.

Rules: a migration that has landed on main is never edited (fix forward with a new one);
never import models or services from a migration; do not create tables anywhere else.

How they run
------------
`econ migrate`, the server's start-up and every CLI command call `apply_all`, which takes
one database-wide lock first (a PostgreSQL advisory lock; on SQLite an exclusive
transaction), then applies what is pending in name order, each migration in its own
transaction recorded in the `schema_migration` table. Any number of processes may start at
once: one applies, the others wait for the lock and find nothing to do. On SQLite the
whole batch is one transaction, so a failing migration leaves the database as it was.
`econ migrate --status` lists applied and pending migrations without changing anything.
"""

from econ.migrations.runner import (
    MIGRATION_TABLE,
    AppliedMigration,
    applied,
    apply_all,
    available,
    pending,
    status,
)

__all__ = [
    "MIGRATION_TABLE",
    "AppliedMigration",
    "applied",
    "apply_all",
    "available",
    "pending",
    "status",
]
