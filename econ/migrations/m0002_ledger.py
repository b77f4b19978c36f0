"""Double-entry journal."""

SQL = """
CREATE TABLE "account" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "code" VARCHAR(60) NOT NULL,
    "name" VARCHAR(120) NOT NULL,
    "kind" VARCHAR(10) NOT NULL
);
CREATE UNIQUE INDEX "account_code" ON "account" ("code");

CREATE TABLE "journal_entry" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "key" VARCHAR(120) NOT NULL,
    "at" TIMESTAMP NOT NULL,
    "memo" VARCHAR(200) NOT NULL,
    "source_type" VARCHAR(30) NOT NULL,
    "source_id" VARCHAR(40) NOT NULL,
    "reverses_id" INTEGER,
    "created_by" INTEGER,
    FOREIGN KEY ("reverses_id") REFERENCES "journal_entry" ("id") ON DELETE RESTRICT
);
CREATE UNIQUE INDEX "journal_entry_key" ON "journal_entry" ("key");
CREATE INDEX "journal_entry_at" ON "journal_entry" ("at");
CREATE INDEX "journal_entry_reverses_id" ON "journal_entry" ("reverses_id");
CREATE INDEX "journal_entry_source_type_source_id" ON "journal_entry" ("source_type", "source_id");

CREATE TABLE "journal_line" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "entry_id" INTEGER NOT NULL,
    "account_id" INTEGER NOT NULL,
    "amount_cents" BIGINT NOT NULL,
    "participant_id" INTEGER,
    FOREIGN KEY ("entry_id") REFERENCES "journal_entry" ("id") ON DELETE CASCADE,
    FOREIGN KEY ("account_id") REFERENCES "account" ("id") ON DELETE RESTRICT
);
CREATE INDEX "journal_line_entry_id" ON "journal_line" ("entry_id");
CREATE INDEX "journal_line_account_id" ON "journal_line" ("account_id");
CREATE INDEX "journal_line_participant_id" ON "journal_line" ("participant_id");
"""
