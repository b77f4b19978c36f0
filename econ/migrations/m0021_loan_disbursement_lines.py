"""Loan disbursements are paid through the payment runs (issue 15): a payment line has a
kind, a LOAN_DISBURSEMENT line names its loan and has no stipend schedule, and a loan
records who asked for it to be paid out."""

import peewee as pw

SQL = """
ALTER TABLE "payment_line" ADD COLUMN "kind" VARCHAR(20) NOT NULL DEFAULT 'STIPEND';
ALTER TABLE "payment_line" ADD COLUMN "loan_id" INTEGER;
CREATE UNIQUE INDEX "payment_line_loan_id" ON "payment_line" ("loan_id");

ALTER TABLE "loan" ADD COLUMN "disbursement_requested_by" INTEGER;
ALTER TABLE "loan" ADD COLUMN "disbursement_requested_at" TIMESTAMP;
"""

_NOT_NULL = '"schedule_id" INTEGER NOT NULL'


def up(database) -> None:
    """`payment_line.schedule_id` becomes nullable. PostgreSQL alters the column. SQLite
    cannot, and a table rebuild would drop a table that `payment_attempt` references
    (ON DELETE RESTRICT); dropping a NOT NULL constraint changes nothing on disk, so the
    stored schema text is edited, the way SQLite's ALTER TABLE documentation describes
    ("writable_schema"), and the schema version bumped so every connection reloads it."""
    if isinstance(getattr(database, "obj", database), pw.PostgresqlDatabase):
        database.execute_sql('ALTER TABLE "payment_line" ALTER COLUMN "schedule_id" DROP NOT NULL')
        return
    (sql,) = database.execute_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'payment_line'"
    ).fetchone()
    if _NOT_NULL not in sql:
        raise RuntimeError("payment_line.schedule_id is not as m0006 created it")
    (version,) = database.execute_sql("PRAGMA schema_version").fetchone()
    database.execute_sql("PRAGMA writable_schema = ON")
    try:
        database.execute_sql(
            "UPDATE sqlite_master SET sql = ? WHERE type = 'table' AND name = 'payment_line'",
            (sql.replace(_NOT_NULL, '"schedule_id" INTEGER'),),
        )
        database.execute_sql(f"PRAGMA schema_version = {int(version) + 1}")
    finally:
        database.execute_sql("PRAGMA writable_schema = OFF")
    (check,) = database.execute_sql("PRAGMA integrity_check").fetchone()
    if check != "ok":
        raise RuntimeError(f"payment_line after dropping NOT NULL: {check}")
