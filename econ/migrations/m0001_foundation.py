"""Users, sessions, audit, program settings, participants and plans."""

SQL = """
CREATE TABLE "audit_entry" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "at" TIMESTAMP NOT NULL,
    "actor_id" INTEGER,
    "actor_role" VARCHAR(16) NOT NULL,
    "action" VARCHAR(80) NOT NULL,
    "record_type" VARCHAR(40) NOT NULL,
    "record_id" VARCHAR(40) NOT NULL,
    "participant_id" INTEGER,
    "fields" VARCHAR(400) NOT NULL,
    "outcome" VARCHAR(20) NOT NULL,
    "prev_hash" VARCHAR(64) NOT NULL,
    "entry_hash" VARCHAR(64) NOT NULL
);
CREATE INDEX "audit_entry_at" ON "audit_entry" ("at");
CREATE INDEX "audit_entry_actor_id" ON "audit_entry" ("actor_id");
CREATE INDEX "audit_entry_action" ON "audit_entry" ("action");
CREATE INDEX "audit_entry_participant_id" ON "audit_entry" ("participant_id");
CREATE UNIQUE INDEX "audit_entry_entry_hash" ON "audit_entry" ("entry_hash");

CREATE TABLE "audit_head" (
    "id" INTEGER NOT NULL PRIMARY KEY,
    "last_hash" VARCHAR(64) NOT NULL,
    "count" BIGINT NOT NULL
);

CREATE TABLE "user" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "email" VARCHAR(254) NOT NULL,
    "password_hash" VARCHAR(255) NOT NULL,
    "role" VARCHAR(16) NOT NULL,
    "active" BOOLEAN NOT NULL,
    "display_name" VARCHAR(120) NOT NULL,
    "work_phone" VARCHAR(40) NOT NULL,
    "participant_id" INTEGER,
    "employer_id" INTEGER,
    "created_at" TIMESTAMP NOT NULL,
    "created_by" INTEGER
);
CREATE UNIQUE INDEX "user_email" ON "user" ("email");
CREATE INDEX "user_role" ON "user" ("role");
CREATE UNIQUE INDEX "user_participant_id" ON "user" ("participant_id");
CREATE INDEX "user_employer_id" ON "user" ("employer_id");

CREATE TABLE "participant" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "code" VARCHAR(12) NOT NULL,
    "preferred_name" VARCHAR(120) NOT NULL,
    "languages" TEXT NOT NULL,
    "preferred_language" VARCHAR(8) NOT NULL,
    "skills" TEXT NOT NULL,
    "status" VARCHAR(12) NOT NULL,
    "counselor_id" INTEGER,
    "created_at" TIMESTAMP NOT NULL,
    "updated_at" TIMESTAMP NOT NULL,
    FOREIGN KEY ("counselor_id") REFERENCES "user" ("id") ON DELETE SET NULL
);
CREATE UNIQUE INDEX "participant_code" ON "participant" ("code");
CREATE INDEX "participant_status" ON "participant" ("status");
CREATE INDEX "participant_counselor_id" ON "participant" ("counselor_id");

CREATE TABLE "income_record" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "participant_id" INTEGER NOT NULL,
    "month" VARCHAR(7) NOT NULL,
    "source" VARCHAR(12) NOT NULL,
    "amount" BIGINT NOT NULL,
    "created_at" TIMESTAMP NOT NULL,
    "created_by" INTEGER,
    "verified_at" TIMESTAMP,
    "verified_by" INTEGER,
    FOREIGN KEY ("participant_id") REFERENCES "participant" ("id") ON DELETE CASCADE
);
CREATE INDEX "income_record_participant_id" ON "income_record" ("participant_id");
CREATE UNIQUE INDEX "income_record_participant_id_month_source"
    ON "income_record" ("participant_id", "month", "source");

CREATE TABLE "login_attempt" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "email_hash" VARCHAR(64) NOT NULL,
    "at" TIMESTAMP NOT NULL,
    "success" BOOLEAN NOT NULL
);
CREATE INDEX "login_attempt_email_hash_at" ON "login_attempt" ("email_hash", "at");

CREATE TABLE "plan" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "participant_id" INTEGER NOT NULL,
    "revision" INTEGER NOT NULL,
    "pathways" TEXT NOT NULL,
    "target_monthly_income" BIGINT,
    "agreed_at" TIMESTAMP,
    "updated_at" TIMESTAMP NOT NULL,
    FOREIGN KEY ("participant_id") REFERENCES "participant" ("id") ON DELETE CASCADE
);
CREATE UNIQUE INDEX "plan_participant_id" ON "plan" ("participant_id");

CREATE TABLE "milestone" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "plan_id" INTEGER NOT NULL,
    "title" VARCHAR(200) NOT NULL,
    "category" VARCHAR(20) NOT NULL,
    "due_date" DATE,
    "status" VARCHAR(12) NOT NULL,
    "position" INTEGER NOT NULL,
    "created_at" TIMESTAMP NOT NULL,
    "linked_type" VARCHAR(20),
    "linked_id" INTEGER,
    FOREIGN KEY ("plan_id") REFERENCES "plan" ("id") ON DELETE CASCADE
);
CREATE INDEX "milestone_plan_id" ON "milestone" ("plan_id");
CREATE INDEX "milestone_linked_type_linked_id" ON "milestone" ("linked_type", "linked_id");

CREATE TABLE "milestone_status_change" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "milestone_id" INTEGER NOT NULL,
    "from_status" VARCHAR(12) NOT NULL,
    "to_status" VARCHAR(12) NOT NULL,
    "at" TIMESTAMP NOT NULL,
    "by_user" INTEGER,
    "note" VARCHAR(200) NOT NULL,
    FOREIGN KEY ("milestone_id") REFERENCES "milestone" ("id") ON DELETE CASCADE
);
CREATE INDEX "milestone_status_change_milestone_id" ON "milestone_status_change" ("milestone_id");

CREATE TABLE "participant_pii" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "participant_id" INTEGER NOT NULL,
    "legal_name" TEXT,
    "date_of_birth" TEXT,
    "phone" TEXT,
    "email" TEXT,
    "address" TEXT,
    "bank_account" TEXT,
    "safety_notes" TEXT,
    FOREIGN KEY ("participant_id") REFERENCES "participant" ("id") ON DELETE CASCADE
);
CREATE UNIQUE INDEX "participant_pii_participant_id" ON "participant_pii" ("participant_id");

CREATE TABLE "plan_revision" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "plan_id" INTEGER NOT NULL,
    "revision" INTEGER NOT NULL,
    "pathways" TEXT NOT NULL,
    "target_monthly_income" BIGINT,
    "milestones" TEXT NOT NULL,
    "created_at" TIMESTAMP NOT NULL,
    "created_by" INTEGER,
    "agreed_at" TIMESTAMP,
    FOREIGN KEY ("plan_id") REFERENCES "plan" ("id") ON DELETE CASCADE
);
CREATE INDEX "plan_revision_plan_id" ON "plan_revision" ("plan_id");
CREATE UNIQUE INDEX "plan_revision_plan_id_revision" ON "plan_revision" ("plan_id", "revision");

CREATE TABLE "program_setting" (
    "key" VARCHAR(60) NOT NULL PRIMARY KEY,
    "value" VARCHAR(200) NOT NULL,
    "updated_at" TIMESTAMP NOT NULL,
    "updated_by" INTEGER
);

CREATE TABLE "session" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "token_hash" VARCHAR(64) NOT NULL,
    "user_id" INTEGER NOT NULL,
    "created_at" TIMESTAMP NOT NULL,
    "expires_at" TIMESTAMP NOT NULL,
    "revoked_at" TIMESTAMP,
    "revoked_reason" VARCHAR(40),
    FOREIGN KEY ("user_id") REFERENCES "user" ("id") ON DELETE CASCADE
);
CREATE UNIQUE INDEX "session_token_hash" ON "session" ("token_hash");
CREATE INDEX "session_user_id" ON "session" ("user_id");
CREATE INDEX "session_expires_at" ON "session" ("expires_at");

CREATE TABLE "setting_change" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "key" VARCHAR(60) NOT NULL,
    "old_value" VARCHAR(200) NOT NULL,
    "new_value" VARCHAR(200) NOT NULL,
    "at" TIMESTAMP NOT NULL,
    "by_user" INTEGER
);
CREATE INDEX "setting_change_key" ON "setting_change" ("key");

CREATE TABLE "status_change" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "participant_id" INTEGER NOT NULL,
    "from_status" VARCHAR(12),
    "to_status" VARCHAR(12) NOT NULL,
    "reason" TEXT NOT NULL,
    "at" TIMESTAMP NOT NULL,
    "by_user" INTEGER,
    FOREIGN KEY ("participant_id") REFERENCES "participant" ("id") ON DELETE CASCADE
);
CREATE INDEX "status_change_participant_id" ON "status_change" ("participant_id");
"""
