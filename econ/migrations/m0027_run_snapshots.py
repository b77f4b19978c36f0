"""The approval panel says what changed line by line (issue 18): a snapshot of a
calculation's lines per run and generation, and one `run_view` row per version a FINANCE
user saw (was one per run and user) pointing at the snapshot she saw."""

SQL = """
CREATE TABLE "run_snapshot" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "run_id" INTEGER NOT NULL,
    "generation" INTEGER NOT NULL,
    "count" INTEGER NOT NULL,
    "total" BIGINT NOT NULL,
    "created_at" TIMESTAMP NOT NULL,
    FOREIGN KEY ("run_id") REFERENCES "payment_run" ("id") ON DELETE CASCADE
);
CREATE UNIQUE INDEX "run_snapshot_run_id_generation" ON "run_snapshot" ("run_id", "generation");
CREATE TABLE "run_snapshot_line" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "snapshot_id" INTEGER NOT NULL,
    "kind" VARCHAR(20) NOT NULL,
    "subject_id" INTEGER NOT NULL,
    "participant_id" INTEGER NOT NULL,
    "net" BIGINT NOT NULL,
    "status" VARCHAR(8) NOT NULL,
    FOREIGN KEY ("snapshot_id") REFERENCES "run_snapshot" ("id") ON DELETE CASCADE
);
CREATE UNIQUE INDEX "run_snapshot_line_snapshot_id_kind_subject_id"
    ON "run_snapshot_line" ("snapshot_id", "kind", "subject_id");
ALTER TABLE "run_view" ADD COLUMN "snapshot_id" INTEGER;
DROP INDEX "run_view_run_id_user_id";
CREATE UNIQUE INDEX "run_view_run_id_user_id_version"
    ON "run_view" ("run_id", "user_id", "version");
"""
