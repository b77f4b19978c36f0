"""Partner employers: opportunities, work preferences, consent, referrals, placements."""

SQL = """
CREATE TABLE "employer" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "name" VARCHAR(200) NOT NULL,
    "sector" VARCHAR(100) NOT NULL,
    "size" VARCHAR(10) NOT NULL,
    "agreement_signed_on" DATE,
    "agreement_commitments" TEXT NOT NULL,
    "agreement_review_on" DATE,
    "status" VARCHAR(10) NOT NULL,
    "created_at" TIMESTAMP NOT NULL,
    "updated_at" TIMESTAMP NOT NULL
);
CREATE INDEX "employer_status" ON "employer" ("status");

CREATE TABLE "consent" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "participant_id" INTEGER NOT NULL,
    "employer_id" INTEGER NOT NULL,
    "scope" VARCHAR(10) NOT NULL,
    "given_at" TIMESTAMP NOT NULL,
    "given_by" INTEGER,
    "recorded_as" VARCHAR(40) NOT NULL,
    "channel_type" VARCHAR(12),
    "channel_value" TEXT,
    "revoked_at" TIMESTAMP,
    "revoked_by" INTEGER,
    FOREIGN KEY ("participant_id") REFERENCES "participant" ("id") ON DELETE CASCADE,
    FOREIGN KEY ("employer_id") REFERENCES "employer" ("id") ON DELETE CASCADE
);
CREATE INDEX "consent_participant_id" ON "consent" ("participant_id");
CREATE INDEX "consent_employer_id" ON "consent" ("employer_id");
CREATE INDEX "consent_participant_id_employer_id_scope_revoked_at"
    ON "consent" ("participant_id", "employer_id", "scope", "revoked_at");

CREATE TABLE "employer_status_change" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "employer_id" INTEGER NOT NULL,
    "from_status" VARCHAR(10) NOT NULL,
    "to_status" VARCHAR(10) NOT NULL,
    "reason" VARCHAR(500) NOT NULL,
    "at" TIMESTAMP NOT NULL,
    "by_user" INTEGER,
    FOREIGN KEY ("employer_id") REFERENCES "employer" ("id") ON DELETE CASCADE
);
CREATE INDEX "employer_status_change_employer_id" ON "employer_status_change" ("employer_id");

CREATE TABLE "opportunity" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "employer_id" INTEGER NOT NULL,
    "title" VARCHAR(200) NOT NULL,
    "description" TEXT NOT NULL,
    "type" VARCHAR(16) NOT NULL,
    "pay_amount" BIGINT NOT NULL,
    "pay_period" VARCHAR(8) NOT NULL,
    "hours_per_week" INTEGER NOT NULL,
    "flexible_schedule" BOOLEAN NOT NULL,
    "childcare_friendly" BOOLEAN NOT NULL,
    "location" VARCHAR(120) NOT NULL,
    "required_skills" TEXT NOT NULL,
    "optional_skills" TEXT NOT NULL,
    "languages" TEXT NOT NULL,
    "openings" INTEGER NOT NULL,
    "closes_on" DATE,
    "status" VARCHAR(8) NOT NULL,
    "created_by" INTEGER,
    "created_at" TIMESTAMP NOT NULL,
    "updated_at" TIMESTAMP NOT NULL,
    "published_at" TIMESTAMP,
    "closed_at" TIMESTAMP,
    FOREIGN KEY ("employer_id") REFERENCES "employer" ("id") ON DELETE CASCADE
);
CREATE INDEX "opportunity_employer_id" ON "opportunity" ("employer_id");
CREATE INDEX "opportunity_status" ON "opportunity" ("status");

CREATE TABLE "referral" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "opportunity_id" INTEGER NOT NULL,
    "participant_id" INTEGER NOT NULL,
    "employer_id" INTEGER NOT NULL,
    "handle" VARCHAR(16) NOT NULL,
    "status" VARCHAR(10) NOT NULL,
    "reason_code" VARCHAR(24),
    "note" TEXT NOT NULL,
    "created_by" INTEGER,
    "created_at" TIMESTAMP NOT NULL,
    "updated_at" TIMESTAMP NOT NULL,
    "shared_at" TIMESTAMP,
    FOREIGN KEY ("opportunity_id") REFERENCES "opportunity" ("id") ON DELETE CASCADE,
    FOREIGN KEY ("participant_id") REFERENCES "participant" ("id") ON DELETE CASCADE,
    FOREIGN KEY ("employer_id") REFERENCES "employer" ("id") ON DELETE CASCADE
);
CREATE INDEX "referral_opportunity_id" ON "referral" ("opportunity_id");
CREATE INDEX "referral_participant_id" ON "referral" ("participant_id");
CREATE INDEX "referral_employer_id" ON "referral" ("employer_id");
CREATE UNIQUE INDEX "referral_handle" ON "referral" ("handle");
CREATE INDEX "referral_status" ON "referral" ("status");
CREATE UNIQUE INDEX "referral_opportunity_id_participant_id"
    ON "referral" ("opportunity_id", "participant_id");

CREATE TABLE "placement" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "referral_id" INTEGER NOT NULL,
    "participant_id" INTEGER NOT NULL,
    "employer_id" INTEGER NOT NULL,
    "opportunity_id" INTEGER NOT NULL,
    "type" VARCHAR(16) NOT NULL,
    "start_date" DATE NOT NULL,
    "pay_amount" BIGINT NOT NULL,
    "pay_period" VARCHAR(8) NOT NULL,
    "hours_per_week" INTEGER NOT NULL,
    "ended_on" DATE,
    "end_reason" VARCHAR(16),
    "end_note" VARCHAR(500) NOT NULL,
    "created_at" TIMESTAMP NOT NULL,
    "created_by" INTEGER,
    FOREIGN KEY ("referral_id") REFERENCES "referral" ("id") ON DELETE CASCADE,
    FOREIGN KEY ("participant_id") REFERENCES "participant" ("id") ON DELETE CASCADE,
    FOREIGN KEY ("employer_id") REFERENCES "employer" ("id") ON DELETE CASCADE,
    FOREIGN KEY ("opportunity_id") REFERENCES "opportunity" ("id") ON DELETE CASCADE
);
CREATE UNIQUE INDEX "placement_referral_id" ON "placement" ("referral_id");
CREATE INDEX "placement_participant_id" ON "placement" ("participant_id");
CREATE INDEX "placement_employer_id" ON "placement" ("employer_id");
CREATE INDEX "placement_opportunity_id" ON "placement" ("opportunity_id");

CREATE TABLE "referral_stage" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "referral_id" INTEGER NOT NULL,
    "from_status" VARCHAR(10),
    "to_status" VARCHAR(10) NOT NULL,
    "reason_code" VARCHAR(24),
    "note" VARCHAR(500) NOT NULL,
    "actor_id" INTEGER,
    "actor_role" VARCHAR(12) NOT NULL,
    "at" TIMESTAMP NOT NULL,
    FOREIGN KEY ("referral_id") REFERENCES "referral" ("id") ON DELETE CASCADE
);
CREATE INDEX "referral_stage_referral_id" ON "referral_stage" ("referral_id");

CREATE TABLE "retention_checkpoint" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "placement_id" INTEGER NOT NULL,
    "days" INTEGER NOT NULL,
    "due_on" DATE NOT NULL,
    "status" VARCHAR(24) NOT NULL,
    "evidence" VARCHAR(500) NOT NULL,
    "confirmed_at" TIMESTAMP,
    "confirmed_by" INTEGER,
    "confirmer_role" VARCHAR(12),
    FOREIGN KEY ("placement_id") REFERENCES "placement" ("id") ON DELETE CASCADE
);
CREATE INDEX "retention_checkpoint_placement_id" ON "retention_checkpoint" ("placement_id");
CREATE UNIQUE INDEX "retention_checkpoint_placement_id_days"
    ON "retention_checkpoint" ("placement_id", "days");

CREATE TABLE "work_preferences" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "participant_id" INTEGER NOT NULL,
    "available_hours_per_week" INTEGER,
    "available_from" DATE,
    "opportunity_types" TEXT NOT NULL,
    "needs_flexible_schedule" BOOLEAN NOT NULL,
    "needs_childcare_friendly" BOOLEAN NOT NULL,
    "minimum_pay" BIGINT,
    "minimum_pay_period" VARCHAR(8),
    "updated_at" TIMESTAMP NOT NULL,
    "updated_by" INTEGER,
    FOREIGN KEY ("participant_id") REFERENCES "participant" ("id") ON DELETE CASCADE
);
CREATE UNIQUE INDEX "work_preferences_participant_id" ON "work_preferences" ("participant_id");
"""
