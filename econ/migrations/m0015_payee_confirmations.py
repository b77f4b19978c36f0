"""Payments as finance lives a month (issue 15) and money in needs four eyes (issue 14).

Payee details per attempt and their confirmation by a second person; follow-up runs;
awards that wait for approval (those already granted stay payable as they were);
exceptions with a participant, a line and a resolution; income corrections and the
adjustments computed from them.
"""

SQL = """
ALTER TABLE "participant_pii" ADD COLUMN "bank_changed_by" INTEGER;

ALTER TABLE "incentive_award" ADD COLUMN "state" VARCHAR(10) NOT NULL DEFAULT 'APPROVED';
ALTER TABLE "incentive_award" ADD COLUMN "approved_by" INTEGER;
ALTER TABLE "incentive_award" ADD COLUMN "approved_at" TIMESTAMP;

ALTER TABLE "payment_run" ADD COLUMN "kind" VARCHAR(10) NOT NULL DEFAULT 'MAIN';
ALTER TABLE "payment_run" ADD COLUMN "parent_id" INTEGER;
CREATE INDEX "payment_run_parent_id" ON "payment_run" ("parent_id");
DROP INDEX "payment_run_one_per_period";
CREATE UNIQUE INDEX "payment_run_one_per_period"
    ON "payment_run" ("period") WHERE (("state" != 'CANCELLED') AND ("kind" = 'MAIN'));

ALTER TABLE "payment_line" ADD COLUMN "approved" BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE "payment_line" ADD COLUMN "followup_run_id" INTEGER;
CREATE INDEX "payment_line_followup_run_id" ON "payment_line" ("followup_run_id");
UPDATE "payment_line" SET "approved" = TRUE WHERE "status" != 'HELD'
    AND "run_id" IN (SELECT "id" FROM "payment_run" WHERE "approved_by" IS NOT NULL);

ALTER TABLE "payment_attempt" ADD COLUMN "run_id" INTEGER;
ALTER TABLE "payment_attempt" ADD COLUMN "method" VARCHAR(16);
ALTER TABLE "payment_attempt" ADD COLUMN "payee_hash" VARCHAR(64) NOT NULL DEFAULT '';
ALTER TABLE "payment_attempt" ADD COLUMN "payee_name" TEXT;
ALTER TABLE "payment_attempt" ADD COLUMN "account" TEXT;
CREATE INDEX "payment_attempt_run_id" ON "payment_attempt" ("run_id");

ALTER TABLE "reconciliation_exception" ADD COLUMN "line_id" INTEGER;
ALTER TABLE "reconciliation_exception" ADD COLUMN "participant_id" INTEGER;
ALTER TABLE "reconciliation_exception" ADD COLUMN "source" VARCHAR(12) NOT NULL DEFAULT 'CSV';

CREATE TABLE "payee_confirmation" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "participant_id" INTEGER NOT NULL,
    "payee_hash" VARCHAR(64) NOT NULL,
    "changed_by" INTEGER,
    "confirmed_by" INTEGER NOT NULL,
    "note" VARCHAR(500) NOT NULL,
    "shared_reason" VARCHAR(500),
    "created_at" TIMESTAMP NOT NULL,
    FOREIGN KEY ("participant_id") REFERENCES "participant" ("id") ON DELETE CASCADE
);
CREATE INDEX "payee_confirmation_participant_id" ON "payee_confirmation" ("participant_id");
CREATE UNIQUE INDEX "payee_confirmation_participant_id_payee_hash"
    ON "payee_confirmation" ("participant_id", "payee_hash");

CREATE TABLE "exception_resolution" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "key" VARCHAR(80) NOT NULL,
    "status" VARCHAR(12) NOT NULL,
    "note" VARCHAR(500) NOT NULL,
    "by_user" INTEGER NOT NULL,
    "at" TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX "exception_resolution_key" ON "exception_resolution" ("key");

CREATE TABLE "income_correction" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "record_id" INTEGER NOT NULL,
    "participant_id" INTEGER NOT NULL,
    "month" VARCHAR(7) NOT NULL,
    "amount" BIGINT NOT NULL,
    "reason" VARCHAR(500) NOT NULL,
    "created_at" TIMESTAMP NOT NULL,
    "created_by" INTEGER NOT NULL,
    "verified_at" TIMESTAMP,
    "verified_by" INTEGER,
    FOREIGN KEY ("record_id") REFERENCES "income_record" ("id") ON DELETE CASCADE,
    FOREIGN KEY ("participant_id") REFERENCES "participant" ("id") ON DELETE CASCADE
);
CREATE INDEX "income_correction_record_id" ON "income_correction" ("record_id");
CREATE INDEX "income_correction_participant_id" ON "income_correction" ("participant_id");
ALTER TABLE "adjustment" ADD COLUMN "correction_id" INTEGER;
CREATE UNIQUE INDEX "adjustment_correction_id" ON "adjustment" ("correction_id");
"""
