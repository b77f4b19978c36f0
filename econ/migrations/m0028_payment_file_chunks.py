"""A payment file's content is stored in sealed chunks (issue 21 item 3).

Stored as one sealed value, a 100,000-line file (42 MB) was held whole several times
while it was stored; `payment_file_chunk` holds it in pieces sealed on their own, each
under `payment_file.content.<file id>.<number>` (econ/stipends/file_store.py). A file an
existing database holds becomes one chunk, number 0, of the same text: it is opened
under its old context and sealed under the chunk's, in the migration's transaction, and
its SHA-256 is unchanged. Then `payment_file.content` goes. `seal` and `unseal` are the
key ring's, handed in by the runner (a migration imports nothing from econ).
"""

from __future__ import annotations

from collections.abc import Callable

SQL = """
CREATE TABLE "payment_file_chunk" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "file_id" INTEGER NOT NULL,
    "number" INTEGER NOT NULL,
    "content" TEXT NOT NULL,
    FOREIGN KEY ("file_id") REFERENCES "payment_file" ("id") ON DELETE CASCADE
);
CREATE UNIQUE INDEX "payment_file_chunk_file_id_number"
    ON "payment_file_chunk" ("file_id", "number");
"""


def up(db, seal: Callable[[str, str], str], unseal: Callable[[str, str], str]) -> None:
    ids = [row[0] for row in db.execute_sql('SELECT "id" FROM "payment_file" ORDER BY "id"')]
    select = f'SELECT "content" FROM "payment_file" WHERE "id" = {db.param}'
    insert = (
        'INSERT INTO "payment_file_chunk" ("file_id", "number", "content") '
        f"VALUES ({db.param}, 0, {db.param})"
    )
    for file_id in ids:  # one file in memory at a time
        (stored,) = db.execute_sql(select, (file_id,)).fetchone()
        text = unseal(stored, "payment_file.content")
        db.execute_sql(insert, (file_id, seal(text, f"payment_file.content.{file_id}.0")))
    db.execute_sql('ALTER TABLE "payment_file" DROP COLUMN "content"')
