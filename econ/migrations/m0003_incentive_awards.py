"""Incentive awards (created by training, employers and microcredit; paid by stipends)."""

SQL = """
CREATE TABLE "incentive_award" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "participant_id" INTEGER NOT NULL,
    "rule" VARCHAR(24) NOT NULL,
    "source_type" VARCHAR(24) NOT NULL,
    "source_id" VARCHAR(40) NOT NULL,
    "amount" BIGINT NOT NULL,
    "note" VARCHAR(200) NOT NULL,
    "created_at" TIMESTAMP NOT NULL,
    "created_by" INTEGER,
    "paid_line_id" INTEGER,
    FOREIGN KEY ("participant_id") REFERENCES "participant" ("id") ON DELETE CASCADE
);
CREATE INDEX "incentive_award_participant_id" ON "incentive_award" ("participant_id");
CREATE INDEX "incentive_award_paid_line_id" ON "incentive_award" ("paid_line_id");
CREATE UNIQUE INDEX "incentive_award_participant_id_rule_source_type_source_id"
    ON "incentive_award" ("participant_id", "rule", "source_type", "source_id");
"""
