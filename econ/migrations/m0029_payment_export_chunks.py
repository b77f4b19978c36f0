"""One payment run's export across many workers (issue 21, item 4): the first step of an
export (holds, attempts, screening) is split into chunk tasks over line id ranges, one
row each per export round (the task that planned it), so that any number of workers can
take them and each prepares its lines exactly once; the last task writes the files."""

SQL = """
CREATE TABLE "payment_export_chunk" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "run_id" INTEGER NOT NULL,
    "round" VARCHAR(64) NOT NULL,
    "number" INTEGER NOT NULL,
    "after_id" INTEGER NOT NULL,
    "last_id" INTEGER,
    "state" VARCHAR(8) NOT NULL,
    "lines" INTEGER NOT NULL,
    "kept" TEXT,
    "done_at" TIMESTAMP,
    FOREIGN KEY ("run_id") REFERENCES "payment_run" ("id") ON DELETE CASCADE
);
CREATE UNIQUE INDEX "payment_export_chunk_run_id_round_number"
    ON "payment_export_chunk" ("run_id", "round", "number");
"""
