"""One payment run across many workers (issue 21, item 4): a run's calculation is split
into chunk tasks over schedule id ranges, one row each per generation, so that any
number of workers can take them and each writes its lines exactly once."""

SQL = """
CREATE TABLE "payment_run_chunk" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "run_id" INTEGER NOT NULL,
    "generation" INTEGER NOT NULL,
    "number" INTEGER NOT NULL,
    "after_id" INTEGER NOT NULL,
    "last_id" INTEGER,
    "state" VARCHAR(8) NOT NULL,
    "schedules" INTEGER NOT NULL,
    "line_count" INTEGER NOT NULL,
    "net" BIGINT NOT NULL,
    "notes" TEXT,
    "done_at" TIMESTAMP,
    FOREIGN KEY ("run_id") REFERENCES "payment_run" ("id") ON DELETE CASCADE
);
CREATE UNIQUE INDEX "payment_run_chunk_run_id_generation_number"
    ON "payment_run_chunk" ("run_id", "generation", "number");
"""
