"""Stored statements, their generation history and the legal-name choice."""

SQL = """
CREATE TABLE "statement" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "participant_id" INTEGER NOT NULL,
    "period" VARCHAR(7) NOT NULL,
    "language" VARCHAR(8) NOT NULL,
    "line_id" INTEGER,
    "path" VARCHAR(200) NOT NULL,
    "sha256" VARCHAR(64) NOT NULL,
    "size" INTEGER NOT NULL,
    "version" INTEGER NOT NULL,
    "created_at" TIMESTAMP NOT NULL,
    "created_by" INTEGER,
    FOREIGN KEY ("participant_id") REFERENCES "participant" ("id") ON DELETE CASCADE
);
CREATE INDEX "statement_participant_id" ON "statement" ("participant_id");
CREATE INDEX "statement_line_id" ON "statement" ("line_id");
CREATE UNIQUE INDEX "statement_participant_id_period" ON "statement" ("participant_id", "period");

CREATE TABLE "statement_generation" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "statement_id" INTEGER NOT NULL,
    "version" INTEGER NOT NULL,
    "language" VARCHAR(8) NOT NULL,
    "line_id" INTEGER,
    "sha256" VARCHAR(64) NOT NULL,
    "size" INTEGER NOT NULL,
    "created_at" TIMESTAMP NOT NULL,
    "created_by" INTEGER,
    FOREIGN KEY ("statement_id") REFERENCES "statement" ("id") ON DELETE CASCADE
);
CREATE INDEX "statement_generation_statement_id" ON "statement_generation" ("statement_id");
CREATE UNIQUE INDEX "statement_generation_statement_id_version"
    ON "statement_generation" ("statement_id", "version");

CREATE TABLE "statement_preference" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "participant_id" INTEGER NOT NULL,
    "show_legal_name" BOOLEAN NOT NULL,
    "updated_at" TIMESTAMP NOT NULL,
    "updated_by" INTEGER,
    FOREIGN KEY ("participant_id") REFERENCES "participant" ("id") ON DELETE CASCADE
);
CREATE UNIQUE INDEX "statement_preference_participant_id"
    ON "statement_preference" ("participant_id");
"""
