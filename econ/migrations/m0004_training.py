"""Training: catalogue, cohorts, enrolments, attendance, credentials, skill gains."""

SQL = """
CREATE TABLE "training_program" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "title" VARCHAR(200) NOT NULL,
    "provider" VARCHAR(200) NOT NULL,
    "description" TEXT NOT NULL,
    "format" VARCHAR(12) NOT NULL,
    "languages" TEXT NOT NULL,
    "total_hours" NUMERIC(7, 1) NOT NULL,
    "hours_per_week" NUMERIC(5, 1) NOT NULL,
    "cost" BIGINT NOT NULL,
    "capacity" INTEGER NOT NULL,
    "credential_name" VARCHAR(200),
    "active" BOOLEAN NOT NULL,
    "created_at" TIMESTAMP NOT NULL,
    "created_by" INTEGER,
    "updated_at" TIMESTAMP NOT NULL
);
CREATE INDEX "training_program_active" ON "training_program" ("active");

CREATE TABLE "training_cohort" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "program_id" INTEGER NOT NULL,
    "start_date" DATE NOT NULL,
    "end_date" DATE NOT NULL,
    "session_days" TEXT NOT NULL,
    "capacity" INTEGER NOT NULL,
    "location" VARCHAR(80) NOT NULL,
    "status" VARCHAR(12) NOT NULL,
    "cancelled_reason" VARCHAR(500),
    "cancelled_at" TIMESTAMP,
    "cancelled_by" INTEGER,
    "created_at" TIMESTAMP NOT NULL,
    "created_by" INTEGER,
    FOREIGN KEY ("program_id") REFERENCES "training_program" ("id") ON DELETE RESTRICT
);
CREATE INDEX "training_cohort_program_id" ON "training_cohort" ("program_id");
CREATE INDEX "training_cohort_status" ON "training_cohort" ("status");

CREATE TABLE "training_enrollment" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "cohort_id" INTEGER NOT NULL,
    "participant_id" INTEGER NOT NULL,
    "status" VARCHAR(12) NOT NULL,
    "live_marker" INTEGER,
    "seated_at" TIMESTAMP,
    "completed_on" DATE,
    "created_at" TIMESTAMP NOT NULL,
    "created_by" INTEGER,
    "updated_at" TIMESTAMP NOT NULL,
    FOREIGN KEY ("cohort_id") REFERENCES "training_cohort" ("id") ON DELETE RESTRICT,
    FOREIGN KEY ("participant_id") REFERENCES "participant" ("id") ON DELETE CASCADE
);
CREATE INDEX "training_enrollment_cohort_id" ON "training_enrollment" ("cohort_id");
CREATE INDEX "training_enrollment_participant_id" ON "training_enrollment" ("participant_id");
CREATE INDEX "training_enrollment_status" ON "training_enrollment" ("status");
CREATE UNIQUE INDEX "training_enrollment_cohort_id_participant_id_live_marker"
    ON "training_enrollment" ("cohort_id", "participant_id", "live_marker");

CREATE TABLE "training_attendance" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "enrollment_id" INTEGER NOT NULL,
    "cohort_id" INTEGER NOT NULL,
    "date" DATE NOT NULL,
    "status" VARCHAR(8) NOT NULL,
    "recorded_at" TIMESTAMP NOT NULL,
    "recorded_by" INTEGER,
    FOREIGN KEY ("enrollment_id") REFERENCES "training_enrollment" ("id") ON DELETE CASCADE,
    FOREIGN KEY ("cohort_id") REFERENCES "training_cohort" ("id") ON DELETE CASCADE
);
CREATE INDEX "training_attendance_enrollment_id" ON "training_attendance" ("enrollment_id");
CREATE INDEX "training_attendance_cohort_id" ON "training_attendance" ("cohort_id");
CREATE UNIQUE INDEX "training_attendance_enrollment_id_date"
    ON "training_attendance" ("enrollment_id", "date");
CREATE INDEX "training_attendance_cohort_id_date" ON "training_attendance" ("cohort_id", "date");

CREATE TABLE "training_credential" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "enrollment_id" INTEGER NOT NULL,
    "participant_id" INTEGER NOT NULL,
    "name" VARCHAR(200) NOT NULL,
    "issuer" VARCHAR(200) NOT NULL,
    "issued_on" DATE NOT NULL,
    "reference" TEXT,
    "created_at" TIMESTAMP NOT NULL,
    FOREIGN KEY ("enrollment_id") REFERENCES "training_enrollment" ("id"),
    FOREIGN KEY ("participant_id") REFERENCES "participant" ("id") ON DELETE CASCADE
);
CREATE UNIQUE INDEX "training_credential_enrollment_id" ON "training_credential" ("enrollment_id");
CREATE INDEX "training_credential_participant_id" ON "training_credential" ("participant_id");

CREATE TABLE "training_enrollment_request" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "cohort_id" INTEGER NOT NULL,
    "participant_id" INTEGER NOT NULL,
    "status" VARCHAR(10) NOT NULL,
    "pending_marker" INTEGER,
    "note" VARCHAR(500) NOT NULL,
    "created_at" TIMESTAMP NOT NULL,
    "decided_at" TIMESTAMP,
    "decided_by" INTEGER,
    "decision_reason" VARCHAR(500) NOT NULL,
    "enrollment_id" INTEGER,
    FOREIGN KEY ("cohort_id") REFERENCES "training_cohort" ("id") ON DELETE CASCADE,
    FOREIGN KEY ("participant_id") REFERENCES "participant" ("id") ON DELETE CASCADE
);
CREATE INDEX "training_enrollment_request_cohort_id"
    ON "training_enrollment_request" ("cohort_id");
CREATE INDEX "training_enrollment_request_participant_id"
    ON "training_enrollment_request" ("participant_id");
CREATE INDEX "training_enrollment_request_status" ON "training_enrollment_request" ("status");
CREATE UNIQUE INDEX "training_enrollment_request_cohort_id_participant_id_pen_cd545d2"
    ON "training_enrollment_request" ("cohort_id", "participant_id", "pending_marker");

CREATE TABLE "training_enrollment_status_change" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "enrollment_id" INTEGER NOT NULL,
    "from_status" VARCHAR(12),
    "to_status" VARCHAR(12) NOT NULL,
    "reason" VARCHAR(500) NOT NULL,
    "at" TIMESTAMP NOT NULL,
    "by_user" INTEGER,
    FOREIGN KEY ("enrollment_id") REFERENCES "training_enrollment" ("id") ON DELETE CASCADE
);
CREATE INDEX "training_enrollment_status_change_enrollment_id"
    ON "training_enrollment_status_change" ("enrollment_id");

CREATE TABLE "training_program_language" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "program_id" INTEGER NOT NULL,
    "code" VARCHAR(8) NOT NULL,
    FOREIGN KEY ("program_id") REFERENCES "training_program" ("id") ON DELETE CASCADE
);
CREATE INDEX "training_program_language_program_id" ON "training_program_language" ("program_id");
CREATE INDEX "training_program_language_code" ON "training_program_language" ("code");
CREATE UNIQUE INDEX "training_program_language_program_id_code"
    ON "training_program_language" ("program_id", "code");

CREATE TABLE "training_program_skill" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "program_id" INTEGER NOT NULL,
    "key" VARCHAR(200) NOT NULL,
    "label" VARCHAR(120) NOT NULL,
    "position" INTEGER NOT NULL,
    FOREIGN KEY ("program_id") REFERENCES "training_program" ("id") ON DELETE CASCADE
);
CREATE INDEX "training_program_skill_program_id" ON "training_program_skill" ("program_id");
CREATE INDEX "training_program_skill_key" ON "training_program_skill" ("key");
CREATE UNIQUE INDEX "training_program_skill_program_id_key"
    ON "training_program_skill" ("program_id", "key");

CREATE TABLE "training_skill_gain" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "enrollment_id" INTEGER NOT NULL,
    "type" VARCHAR(32) NOT NULL,
    "date" DATE NOT NULL,
    "note" VARCHAR(500) NOT NULL,
    "created_at" TIMESTAMP NOT NULL,
    "created_by" INTEGER,
    FOREIGN KEY ("enrollment_id") REFERENCES "training_enrollment" ("id") ON DELETE CASCADE
);
CREATE INDEX "training_skill_gain_enrollment_id" ON "training_skill_gain" ("enrollment_id");
"""
