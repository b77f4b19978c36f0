"""Microcredit: solidarity groups, loans, installments, repayments, meetings, holidays."""

SQL = """
CREATE TABLE "loan_group" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "name" VARCHAR(120) NOT NULL,
    "counselor_id" INTEGER NOT NULL,
    "status" VARCHAR(12) NOT NULL,
    "meeting_frequency" VARCHAR(10) NOT NULL,
    "meeting_weekday" VARCHAR(10) NOT NULL,
    "meeting_place" VARCHAR(120) NOT NULL,
    "savings_per_meeting" BIGINT NOT NULL,
    "created_at" TIMESTAMP NOT NULL,
    "created_by" INTEGER
);
CREATE INDEX "loan_group_counselor_id" ON "loan_group" ("counselor_id");
CREATE INDEX "loan_group_status" ON "loan_group" ("status");

CREATE TABLE "meeting" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "group_id" INTEGER NOT NULL,
    "date" DATE NOT NULL,
    "saved_by" INTEGER NOT NULL,
    "saved_at" TIMESTAMP NOT NULL,
    FOREIGN KEY ("group_id") REFERENCES "loan_group" ("id") ON DELETE CASCADE
);
CREATE INDEX "meeting_group_id" ON "meeting" ("group_id");
CREATE UNIQUE INDEX "meeting_group_id_date" ON "meeting" ("group_id", "date");

CREATE TABLE "attendance" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "meeting_id" INTEGER NOT NULL,
    "participant_id" INTEGER NOT NULL,
    "status" VARCHAR(8) NOT NULL,
    FOREIGN KEY ("meeting_id") REFERENCES "meeting" ("id") ON DELETE CASCADE,
    FOREIGN KEY ("participant_id") REFERENCES "participant" ("id")
);
CREATE INDEX "attendance_meeting_id" ON "attendance" ("meeting_id");
CREATE INDEX "attendance_participant_id" ON "attendance" ("participant_id");
CREATE UNIQUE INDEX "attendance_meeting_id_participant_id"
    ON "attendance" ("meeting_id", "participant_id");

CREATE TABLE "group_member" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "group_id" INTEGER NOT NULL,
    "participant_id" INTEGER NOT NULL,
    "role" VARCHAR(8) NOT NULL,
    "joined_at" TIMESTAMP NOT NULL,
    "left_at" TIMESTAMP,
    "active_participant" INTEGER,
    FOREIGN KEY ("group_id") REFERENCES "loan_group" ("id") ON DELETE CASCADE,
    FOREIGN KEY ("participant_id") REFERENCES "participant" ("id")
);
CREATE INDEX "group_member_group_id" ON "group_member" ("group_id");
CREATE INDEX "group_member_participant_id" ON "group_member" ("participant_id");
CREATE UNIQUE INDEX "group_member_active_participant" ON "group_member" ("active_participant");

CREATE TABLE "loan" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "borrower_id" INTEGER NOT NULL,
    "group_id" INTEGER NOT NULL,
    "state" VARCHAR(12) NOT NULL,
    "purpose" VARCHAR(16) NOT NULL,
    "purpose_note" VARCHAR(200) NOT NULL,
    "principal" BIGINT NOT NULL,
    "currency" VARCHAR(3) NOT NULL,
    "terms" TEXT NOT NULL,
    "applied_by" INTEGER NOT NULL,
    "applied_at" TIMESTAMP NOT NULL,
    "decided_by" INTEGER,
    "decided_at" TIMESTAMP,
    "rejection_reason" VARCHAR(300) NOT NULL,
    "disbursed_by" INTEGER,
    "disbursement_date" DATE,
    "first_due_date" DATE,
    "repaid_at" TIMESTAMP,
    "write_off_reason" VARCHAR(300) NOT NULL,
    "write_off_requested_by" INTEGER,
    "written_off_by" INTEGER,
    "written_off_at" TIMESTAMP,
    "days_past_due" INTEGER NOT NULL,
    "arrears_as_of" DATE,
    "open_borrower" INTEGER,
    FOREIGN KEY ("borrower_id") REFERENCES "participant" ("id"),
    FOREIGN KEY ("group_id") REFERENCES "loan_group" ("id")
);
CREATE INDEX "loan_borrower_id" ON "loan" ("borrower_id");
CREATE INDEX "loan_group_id" ON "loan" ("group_id");
CREATE INDEX "loan_state" ON "loan" ("state");
CREATE UNIQUE INDEX "loan_open_borrower" ON "loan" ("open_borrower");

CREATE TABLE "installment" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "loan_id" INTEGER NOT NULL,
    "number" INTEGER NOT NULL,
    "due_date" DATE NOT NULL,
    "original_due_date" DATE NOT NULL,
    "principal" BIGINT NOT NULL,
    "interest" BIGINT NOT NULL,
    "paid_principal" BIGINT NOT NULL,
    "paid_interest" BIGINT NOT NULL,
    FOREIGN KEY ("loan_id") REFERENCES "loan" ("id") ON DELETE CASCADE
);
CREATE INDEX "installment_loan_id" ON "installment" ("loan_id");
CREATE UNIQUE INDEX "installment_loan_id_number" ON "installment" ("loan_id", "number");

CREATE TABLE "portfolio_snapshot" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "as_of" DATE NOT NULL,
    "outstanding_principal" BIGINT NOT NULL,
    "par30_principal" BIGINT NOT NULL,
    "overdue_principal" BIGINT NOT NULL,
    "buckets" TEXT NOT NULL,
    "computed_at" TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX "portfolio_snapshot_as_of" ON "portfolio_snapshot" ("as_of");

CREATE TABLE "repayment" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "loan_id" INTEGER NOT NULL,
    "amount" BIGINT NOT NULL,
    "paid_on" DATE NOT NULL,
    "channel" VARCHAR(16) NOT NULL,
    "meeting_id" INTEGER,
    "recorded_by" INTEGER NOT NULL,
    "recorded_at" TIMESTAMP NOT NULL,
    "allocation" TEXT NOT NULL,
    "reversed_at" TIMESTAMP,
    "reversed_by" INTEGER,
    "reversal_reason" VARCHAR(300) NOT NULL,
    FOREIGN KEY ("loan_id") REFERENCES "loan" ("id") ON DELETE CASCADE,
    FOREIGN KEY ("meeting_id") REFERENCES "meeting" ("id")
);
CREATE INDEX "repayment_loan_id" ON "repayment" ("loan_id");
CREATE INDEX "repayment_meeting_id" ON "repayment" ("meeting_id");

CREATE TABLE "repayment_holiday" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "loan_id" INTEGER,
    "group_id" INTEGER,
    "installments" INTEGER NOT NULL,
    "reason" VARCHAR(300) NOT NULL,
    "loan_ids" TEXT NOT NULL,
    "decided_by" INTEGER NOT NULL,
    "decided_at" TIMESTAMP NOT NULL,
    FOREIGN KEY ("loan_id") REFERENCES "loan" ("id"),
    FOREIGN KEY ("group_id") REFERENCES "loan_group" ("id")
);
CREATE INDEX "repayment_holiday_loan_id" ON "repayment_holiday" ("loan_id");
CREATE INDEX "repayment_holiday_group_id" ON "repayment_holiday" ("group_id");

CREATE TABLE "savings_contribution" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "group_id" INTEGER NOT NULL,
    "participant_id" INTEGER NOT NULL,
    "amount" BIGINT NOT NULL,
    "paid_on" DATE NOT NULL,
    "meeting_id" INTEGER,
    "recorded_by" INTEGER NOT NULL,
    "recorded_at" TIMESTAMP NOT NULL,
    FOREIGN KEY ("group_id") REFERENCES "loan_group" ("id") ON DELETE CASCADE,
    FOREIGN KEY ("participant_id") REFERENCES "participant" ("id"),
    FOREIGN KEY ("meeting_id") REFERENCES "meeting" ("id")
);
CREATE INDEX "savings_contribution_group_id" ON "savings_contribution" ("group_id");
CREATE INDEX "savings_contribution_participant_id" ON "savings_contribution" ("participant_id");
CREATE INDEX "savings_contribution_meeting_id" ON "savings_contribution" ("meeting_id");
"""
