"""The finance pages (issue 18): what each FINANCE user last saw of a run's approval panel,
so that the panel says what changed since (version, lines, control total)."""

SQL = """
CREATE TABLE "run_view" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "run_id" INTEGER NOT NULL,
    "user_id" INTEGER NOT NULL,
    "version" INTEGER NOT NULL,
    "count" INTEGER NOT NULL,
    "total" BIGINT NOT NULL,
    "at" TIMESTAMP NOT NULL,
    FOREIGN KEY ("run_id") REFERENCES "payment_run" ("id") ON DELETE CASCADE
);
CREATE INDEX "run_view_run_id" ON "run_view" ("run_id");
CREATE UNIQUE INDEX "run_view_run_id_user_id" ON "run_view" ("run_id", "user_id");
"""
