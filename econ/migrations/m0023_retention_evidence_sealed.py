"""Retention evidence sealed at rest like every restricted field (issue 14).

A counselor's evidence may hold a phone number or a street ("called her on ..."): it is
encrypted with the key ring under the context `retention.evidence.<id>`, and its column
becomes TEXT (a sealed value is longer than the 500 characters the form allows). The
rows an existing database holds (all plaintext before this migration) are sealed here,
in the migration's transaction; empty evidence stays empty. `seal` is the key ring's
encryption, handed in by the runner (a migration imports nothing from econ).
"""

from __future__ import annotations

from collections.abc import Callable

import peewee as pw

SQL = ""


def up(db, seal: Callable[[str, str], str]) -> None:
    if isinstance(getattr(db, "obj", db), pw.PostgresqlDatabase):  # SQLite's VARCHAR: any length
        db.execute_sql('ALTER TABLE "retention_checkpoint" ALTER COLUMN "evidence" TYPE TEXT')
    rows = db.execute_sql(
        'SELECT "id", "evidence" FROM "retention_checkpoint" WHERE "evidence" <> \'\''
    ).fetchall()
    update = f'UPDATE "retention_checkpoint" SET "evidence" = {db.param} WHERE "id" = {db.param}'
    for row_id, text in rows:
        db.execute_sql(update, (seal(text, f"retention.evidence.{row_id}"), row_id))
