"""Logins are granted, not made (issue 14): login requests a second ADMIN approves,
one-time enrolment codes, when a login's owner set her password, the audit's detail."""

SQL = """
CREATE TABLE "login_request" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "kind" VARCHAR(12) NOT NULL,
    "status" VARCHAR(10) NOT NULL,
    "role" VARCHAR(16) NOT NULL,
    "email" VARCHAR(254) NOT NULL,
    "display_name" VARCHAR(120) NOT NULL,
    "work_phone" VARCHAR(40) NOT NULL,
    "employer_id" INTEGER,
    "participant_id" INTEGER,
    "target" INTEGER,
    "requested_by" INTEGER NOT NULL,
    "requested_at" TIMESTAMP NOT NULL,
    "decided_by" INTEGER,
    "decided_at" TIMESTAMP
);
CREATE INDEX "login_request_status" ON "login_request" ("status");
CREATE INDEX "login_request_participant_id" ON "login_request" ("participant_id");
CREATE INDEX "login_request_target" ON "login_request" ("target");
CREATE INDEX "login_request_requested_by" ON "login_request" ("requested_by");

CREATE TABLE "login_code" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "code_hash" VARCHAR(64) NOT NULL,
    "request_id" INTEGER NOT NULL,
    "login" INTEGER,
    "issued_by" INTEGER NOT NULL,
    "issued_at" TIMESTAMP NOT NULL,
    "expires_at" TIMESTAMP,
    "used_at" TIMESTAMP,
    FOREIGN KEY ("request_id") REFERENCES "login_request" ("id") ON DELETE CASCADE
);
CREATE UNIQUE INDEX "login_code_code_hash" ON "login_code" ("code_hash");
CREATE INDEX "login_code_request_id" ON "login_code" ("request_id");
CREATE INDEX "login_code_login" ON "login_code" ("login");

ALTER TABLE "user" ADD COLUMN "enrolled_at" TIMESTAMP;
UPDATE "user" SET "enrolled_at" = "created_at";
ALTER TABLE "audit_entry" ADD COLUMN "detail" VARCHAR(200) NOT NULL DEFAULT '';
"""
