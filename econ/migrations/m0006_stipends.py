"""Stipends: payment methods, schedules, adjustments, payment runs, lines, attempts, files."""

SQL = """
CREATE TABLE "adjustment" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "participant_id" INTEGER NOT NULL,
    "period" VARCHAR(7) NOT NULL,
    "amount" BIGINT NOT NULL,
    "category" VARCHAR(16),
    "reason" VARCHAR(500) NOT NULL,
    "state" VARCHAR(10) NOT NULL,
    "created_by" INTEGER,
    "approved_by" INTEGER,
    "created_at" TIMESTAMP NOT NULL,
    "paid_line_id" INTEGER,
    FOREIGN KEY ("participant_id") REFERENCES "participant" ("id") ON DELETE CASCADE
);
CREATE INDEX "adjustment_participant_id" ON "adjustment" ("participant_id");
CREATE INDEX "adjustment_paid_line_id" ON "adjustment" ("paid_line_id");

CREATE TABLE "payment_run" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "period" VARCHAR(7) NOT NULL,
    "state" VARCHAR(24) NOT NULL,
    "version" INTEGER NOT NULL,
    "generation" INTEGER NOT NULL,
    "job_kind" VARCHAR(12),
    "job_status" VARCHAR(8),
    "job_done" INTEGER NOT NULL,
    "job_total" INTEGER NOT NULL,
    "job_error" VARCHAR(500),
    "job_task_id" VARCHAR(64),
    "settings" TEXT,
    "transfer_format" VARCHAR(8),
    "created_by" INTEGER NOT NULL,
    "created_at" TIMESTAMP NOT NULL,
    "approved_by" INTEGER,
    "approved_at" TIMESTAMP,
    "control_count" INTEGER,
    "control_total" BIGINT,
    "control_hash" VARCHAR(64),
    "control_by_method" TEXT,
    "exceptions" TEXT NOT NULL
);
CREATE INDEX "payment_run_period" ON "payment_run" ("period");
CREATE UNIQUE INDEX "payment_run_one_per_period"
    ON "payment_run" ("period") WHERE ("state" != 'CANCELLED');

CREATE TABLE "stipend_schedule" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "participant_id" INTEGER NOT NULL,
    "monthly_amount" BIGINT NOT NULL,
    "start_month" VARCHAR(7) NOT NULL,
    "duration_months" INTEGER NOT NULL,
    "requested_duration_months" INTEGER,
    "requested_by" INTEGER,
    "state" VARCHAR(10) NOT NULL,
    "end_reason" VARCHAR(16),
    "version" INTEGER NOT NULL,
    "created_by" INTEGER,
    "approved_by" INTEGER,
    "created_at" TIMESTAMP NOT NULL,
    FOREIGN KEY ("participant_id") REFERENCES "participant" ("id") ON DELETE CASCADE
);
CREATE INDEX "stipend_schedule_participant_id" ON "stipend_schedule" ("participant_id");
CREATE UNIQUE INDEX "stipend_schedule_one_live"
    ON "stipend_schedule" ("participant_id") WHERE ("state" != 'ENDED');

CREATE TABLE "payment_line" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "run_id" INTEGER NOT NULL,
    "schedule_id" INTEGER NOT NULL,
    "participant_id" INTEGER NOT NULL,
    "period" VARCHAR(7) NOT NULL,
    "base" BIGINT NOT NULL,
    "earned" BIGINT NOT NULL,
    "taper" BIGINT NOT NULL,
    "incentives" BIGINT NOT NULL,
    "adjustments" BIGINT NOT NULL,
    "net" BIGINT NOT NULL,
    "remainder" BIGINT NOT NULL,
    "uses_duration" BOOLEAN NOT NULL,
    "method" VARCHAR(16) NOT NULL,
    "payee_name" TEXT,
    "account" TEXT,
    "account_hash" VARCHAR(64) NOT NULL,
    "inputs" TEXT NOT NULL,
    "status" VARCHAR(8) NOT NULL,
    "exception" VARCHAR(24),
    "failure_reason" VARCHAR(500),
    "created_at" TIMESTAMP NOT NULL,
    FOREIGN KEY ("run_id") REFERENCES "payment_run" ("id") ON DELETE CASCADE,
    FOREIGN KEY ("schedule_id") REFERENCES "stipend_schedule" ("id") ON DELETE RESTRICT,
    FOREIGN KEY ("participant_id") REFERENCES "participant" ("id") ON DELETE RESTRICT
);
CREATE INDEX "payment_line_run_id" ON "payment_line" ("run_id");
CREATE INDEX "payment_line_schedule_id" ON "payment_line" ("schedule_id");
CREATE INDEX "payment_line_participant_id" ON "payment_line" ("participant_id");
CREATE UNIQUE INDEX "payment_line_schedule_id_period" ON "payment_line" ("schedule_id", "period");
CREATE INDEX "payment_line_run_id_status" ON "payment_line" ("run_id", "status");

CREATE TABLE "payment_file" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "run_id" INTEGER NOT NULL,
    "method" VARCHAR(16) NOT NULL,
    "batch" INTEGER NOT NULL,
    "format" VARCHAR(10) NOT NULL,
    "filename" VARCHAR(80) NOT NULL,
    "content" TEXT NOT NULL,
    "sha256" VARCHAR(64) NOT NULL,
    "count" INTEGER NOT NULL,
    "total" BIGINT NOT NULL,
    "created_at" TIMESTAMP NOT NULL,
    FOREIGN KEY ("run_id") REFERENCES "payment_run" ("id") ON DELETE CASCADE
);
CREATE INDEX "payment_file_run_id" ON "payment_file" ("run_id");
CREATE UNIQUE INDEX "payment_file_run_id_method_batch"
    ON "payment_file" ("run_id", "method", "batch");

CREATE TABLE "payment_attempt" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "line_id" INTEGER NOT NULL,
    "number" INTEGER NOT NULL,
    "reference" VARCHAR(35) NOT NULL,
    "amount" BIGINT NOT NULL,
    "status" VARCHAR(8) NOT NULL,
    "file_id" INTEGER,
    "reason" VARCHAR(500),
    "override_reason" VARCHAR(500),
    "created_by" INTEGER,
    "created_at" TIMESTAMP NOT NULL,
    "resolved_at" TIMESTAMP,
    FOREIGN KEY ("line_id") REFERENCES "payment_line" ("id") ON DELETE RESTRICT,
    FOREIGN KEY ("file_id") REFERENCES "payment_file" ("id") ON DELETE RESTRICT
);
CREATE INDEX "payment_attempt_line_id" ON "payment_attempt" ("line_id");
CREATE UNIQUE INDEX "payment_attempt_reference" ON "payment_attempt" ("reference");
CREATE INDEX "payment_attempt_file_id" ON "payment_attempt" ("file_id");
CREATE UNIQUE INDEX "payment_attempt_line_id_number" ON "payment_attempt" ("line_id", "number");

CREATE TABLE "payment_method" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "participant_id" INTEGER NOT NULL,
    "method" VARCHAR(16) NOT NULL,
    "card_reference" TEXT,
    "updated_at" TIMESTAMP NOT NULL,
    "updated_by" INTEGER,
    FOREIGN KEY ("participant_id") REFERENCES "participant" ("id") ON DELETE CASCADE
);
CREATE UNIQUE INDEX "payment_method_participant_id" ON "payment_method" ("participant_id");

CREATE TABLE "reconciliation_exception" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "run_id" INTEGER NOT NULL,
    "key" VARCHAR(64) NOT NULL,
    "reference" VARCHAR(35) NOT NULL,
    "kind" VARCHAR(24) NOT NULL,
    "status" VARCHAR(8) NOT NULL,
    "amount" BIGINT NOT NULL,
    "reason" VARCHAR(500) NOT NULL,
    "detail" VARCHAR(300) NOT NULL,
    "created_at" TIMESTAMP NOT NULL,
    FOREIGN KEY ("run_id") REFERENCES "payment_run" ("id") ON DELETE CASCADE
);
CREATE INDEX "reconciliation_exception_run_id" ON "reconciliation_exception" ("run_id");
CREATE UNIQUE INDEX "reconciliation_exception_run_id_key"
    ON "reconciliation_exception" ("run_id", "key");

CREATE TABLE "result_import" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "run_id" INTEGER NOT NULL,
    "sha256" VARCHAR(64) NOT NULL,
    "rows" INTEGER NOT NULL,
    "changes" INTEGER NOT NULL,
    "exceptions" INTEGER NOT NULL,
    "created_by" INTEGER,
    "created_at" TIMESTAMP NOT NULL,
    FOREIGN KEY ("run_id") REFERENCES "payment_run" ("id") ON DELETE CASCADE
);
CREATE INDEX "result_import_run_id" ON "result_import" ("run_id");

CREATE TABLE "run_event" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "run_id" INTEGER NOT NULL,
    "from_state" VARCHAR(24),
    "to_state" VARCHAR(24) NOT NULL,
    "reason" VARCHAR(500) NOT NULL,
    "at" TIMESTAMP NOT NULL,
    "by_user" INTEGER,
    FOREIGN KEY ("run_id") REFERENCES "payment_run" ("id") ON DELETE CASCADE
);
CREATE INDEX "run_event_run_id" ON "run_event" ("run_id");

CREATE TABLE "schedule_event" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "schedule_id" INTEGER NOT NULL,
    "action" VARCHAR(20) NOT NULL,
    "from_state" VARCHAR(10),
    "to_state" VARCHAR(10) NOT NULL,
    "reason" VARCHAR(500) NOT NULL,
    "at" TIMESTAMP NOT NULL,
    "by_user" INTEGER,
    FOREIGN KEY ("schedule_id") REFERENCES "stipend_schedule" ("id") ON DELETE CASCADE
);
CREATE INDEX "schedule_event_schedule_id" ON "schedule_event" ("schedule_id");
"""
